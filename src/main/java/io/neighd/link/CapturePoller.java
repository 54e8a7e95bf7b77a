package io.neighd.link;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Lets one thread sleep on several live captures at once and read them itself: poll(2) over each
 * {@link PcapLink}'s selectable descriptor plus an eventfd that other threads write to wake it.
 * The engine thread uses it so that a frame costs one wake-up (its own), where a capture thread
 * handing frames over a queue costs two.
 */
public final class CapturePoller implements AutoCloseable {
    private static final short POLLIN = 0x1;
    /** struct pollfd { int fd; short events; short revents; } */
    private static final int POLLFD_SIZE = 8;
    private static final int EFD_NONBLOCK = 0x800;
    private static final int EFD_CLOEXEC = 0x80000;
    private static final int EINTR = 4;
    private static final boolean REGISTERED = register();

    private record Source(PcapLink link, Link.Receiver receiver) {
    }

    private final List<Source> sources = new ArrayList<>();
    private Memory pollfds;
    private int eventFd = -1;
    private final Memory counter = new Memory(8);
    private final Memory wakeValue = new Memory(8);

    /** True where the C library and libpcap allow polling captures (else links read on their own threads). */
    public static boolean supported() {
        return REGISTERED;
    }

    /** Puts {@code link} in polled mode ({@link PcapLink#startPolled}); its frames go to {@code receiver}. */
    public void add(PcapLink link, Link.Receiver receiver) {
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
        for (int i = 0; i < sources.size(); i++) {
            setPollfd(i, sources.get(i).link().selectableFd());
        }
        setPollfd(sources.size(), eventFd);
    }

    private void setPollfd(int i, int fd) {
        pollfds.setInt((long) POLLFD_SIZE * i, fd);
        pollfds.setShort((long) POLLFD_SIZE * i + 4, POLLIN);
        pollfds.setShort((long) POLLFD_SIZE * i + 6, (short) 0);
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
        short wake = pollfds.getShort((long) POLLFD_SIZE * sources.size() + 6);
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
            if (pollfds.getInt((long) POLLFD_SIZE * i) != fd) {
                setPollfd(i, fd);
            }
            if (fd >= 0) {
                total += s.link().readAvailable(max, s.receiver());
            }
        }
        return total;
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
