package io.neighd.link;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Lets one thread sleep on several live captures at once and read them itself: poll(2) over each
 * {@link PacketLink}'s socket plus an eventfd that other threads write to wake it. The engine
 * thread uses it so that a frame costs one wake-up (its own), where a capture thread handing
 * frames over a queue costs two; in busy-poll mode it does not sleep at all and only calls
 * {@link #poll}, which reads the rings in place.
 */
public final class CapturePoller implements AutoCloseable {
    private static final short POLLIN = 0x1;
    private static final short POLL_ERRORS = AfPacket.POLLERR | AfPacket.POLLHUP | AfPacket.POLLNVAL;
    /** struct pollfd { int fd; short events; short revents; } */
    private static final int POLLFD_SIZE = 8;
    private static final int EFD_NONBLOCK = 0x800;
    private static final int EFD_CLOEXEC = 0x80000;
    private static final int EINTR = 4;
    private static final boolean REGISTERED = register();

    private record Source(PacketLink link, Link.Receiver receiver) {
    }

    private final List<Source> sources = new ArrayList<>();
    private Memory pollfds;
    /** The same memory as a buffer: reading revents after each poll is then no call into native code. */
    private ByteBuffer pollView;
    private int eventFd = -1;
    private final Memory counter = new Memory(8);
    private final Memory wakeValue = new Memory(8);

    /** True where the C library allows polling captures (else links read on their own threads). */
    public static boolean supported() {
        return REGISTERED;
    }

    /**
     * Puts {@code link} in polled mode ({@link PacketLink#startPolled}); its frames go to
     * {@code receiver}, on the polling thread, in an array that is reused for the next frame.
     */
    public void add(PacketLink link, Link.Receiver receiver) {
        if (pollfds != null) {
            throw new IllegalStateException("add every link before open()");
        }
        link.startPolled();
        sources.add(new Source(link, receiver));
    }

    public boolean isEmpty() {
        return sources.isEmpty();
    }

    /** After the last {@link #add}: creates the eventfd and the poll set. */
    public void open() {
        eventFd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (eventFd < 0) {
            throw new LinkException("eventfd failed (errno " + Native.getLastError() + ")");
        }
        wakeValue.setLong(0, 1);
        pollfds = new Memory((long) POLLFD_SIZE * (sources.size() + 1));
        pollView = pollfds.getByteBuffer(0, pollfds.size()).order(ByteOrder.nativeOrder());
        for (int i = 0; i < sources.size(); i++) {
            setPollfd(i, sources.get(i).link().selectableFd());
        }
        setPollfd(sources.size(), eventFd);
    }

    private void setPollfd(int i, int fd) {
        pollView.putInt(POLLFD_SIZE * i, fd);
        pollView.putShort(POLLFD_SIZE * i + 4, POLLIN);
        pollView.putShort(POLLFD_SIZE * i + 6, (short) 0);
    }

    /**
     * Blocks until a capture has frames (or an error), {@link #wake()} is called, or {@code nanos}
     * pass; 0 polls without blocking. Level-triggered: frames left unread end it at once.
     */
    public void await(long nanos) {
        long ms = nanos <= 0 ? 0 : Math.min(Integer.MAX_VALUE, (nanos + 999_999) / 1_000_000);
        int n = poll(pollfds, sources.size() + 1L, (int) ms);
        if (n < 0 && Native.getLastError() != EINTR) {
            // nothing sensible to do but not spin: the next await sleeps again
            sleepQuietly(Math.min(ms, 10));
        }
        if (n > 0) {
            for (int i = 0; i < sources.size(); i++) {
                short revents = pollView.getShort(POLLFD_SIZE * i + 6);
                if ((revents & POLL_ERRORS) != 0) {
                    // level-triggered: an error left pending would end every later poll at once
                    sources.get(i).link().socketError(revents);
                }
            }
        }
        short wake = pollView.getShort(POLLFD_SIZE * sources.size() + 6);
        if ((wake & POLLIN) != 0) {
            read(eventFd, counter, 8);
        }
    }

    /** From any thread: ends the current or next {@link #await} early. */
    public void wake() {
        int fd = eventFd;
        if (fd >= 0) {
            write(fd, wakeValue, 8);
        }
    }

    /**
     * Reads, without blocking, up to {@code max} waiting frames from each capture and hands them
     * to its receiver, on this thread. A capture that stopped (an error, the interface gone) is
     * left out of later polls, and taken back in once its link reopened it; the link reports why.
     *
     * @return how many frames were read
     */
    public int poll(int max) {
        int total = 0;
        for (int i = 0; i < sources.size(); i++) {
            Source s = sources.get(i);
            // a capture reopened since (the interface re-created, renamed back) has a new descriptor
            int fd = s.link().capturing() ? s.link().selectableFd() : -1;
            if (pollView.getInt(POLLFD_SIZE * i) != fd) {
                setPollfd(i, fd);
            }
            if (fd >= 0) {
                total += s.link().readAvailable(max, s.receiver());
            }
        }
        return total;
    }

    /** Hands the frames the receivers sent during this turn to the kernel, one batch per capture. */
    public void flush() {
        for (int i = 0; i < sources.size(); i++) {
            sources.get(i).link().flush();
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** After the polling thread stopped: closes the eventfd (the links close on their own). */
    @Override
    public void close() {
        int fd = eventFd;
        eventFd = -1;
        if (fd >= 0) {
            close(fd);
        }
    }

    private static native int poll(Pointer fds, long nfds, int timeout);

    private static native int eventfd(int initval, int flags);

    private static native long read(int fd, Pointer buf, long count);

    private static native long write(int fd, Pointer buf, long count);

    private static native int close(int fd);

    private static boolean register() {
        try {
            Native.register(CapturePoller.class, "c");
            return true;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }
}
