package io.neighd.lab;

import io.neighd.link.Netns;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;

import java.io.EOFException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A capture on one device of a lab namespace (usually a switch port, which sees both directions
 * of its peer's traffic), through libpcap opened inside the namespace. The capture is open when
 * the constructor returns, so nothing sent afterwards is missed. Frames are kept in memory with
 * their kernel timestamps.
 */
public final class PcapCapture implements AutoCloseable {
    private static final int READ_TIMEOUT_MS = 20;
    /** How long {@link #stop()} waits for frames still in flight. */
    private static final long DRAIN_MS = 150;

    private final String where;
    private final PcapHandle handle;
    private final List<Frame> frames = new ArrayList<>();
    private final Thread reader;
    private volatile boolean running = true;
    /** Why the reader stopped while it was still meant to run, or null. */
    private volatile String failure;

    PcapCapture(String netns, String dev, String filter) {
        this.where = netns + "/" + dev;
        try {
            this.handle = Netns.run(netns, () -> {
                PcapHandle h = new PcapHandle.Builder(dev)
                        .snaplen(2048)
                        .promiscuousMode(PcapNetworkInterface.PromiscuousMode.PROMISCUOUS)
                        .timeoutMillis(READ_TIMEOUT_MS)
                        .bufferSize(4 << 20)
                        .immediateMode(true)
                        .build();
                if (filter != null) {
                    h.setFilter(filter, BpfProgram.BpfCompileMode.OPTIMIZE);
                }
                return h;
            });
        } catch (Exception e) {
            throw new IllegalStateException("cannot capture on " + where + ": " + e.getMessage(), e);
        }
        reader = new Thread(this::read, "capture-" + where);
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        while (running) {
            try {
                byte[] b = handle.getNextRawPacketEx();
                java.sql.Timestamp ts = handle.getTimestamp();
                long nanos = ts.getTime() / 1000 * 1_000_000_000L + ts.getNanos();
                synchronized (frames) {
                    frames.add(new Frame(nanos, b));
                }
            } catch (TimeoutException e) {
                // poll the flag
            } catch (EOFException | NotOpenException | PcapNativeException e) {
                // breakLoop() or close() ends the read on purpose; anything else loses frames
                if (running) {
                    failure = e.getClass().getSimpleName() + ": " + e.getMessage();
                }
                return;
            }
        }
    }

    /**
     * Frames so far. A capture whose reader hit an error fails here: what it holds may miss frames,
     * and a "sent nothing" built on it would prove nothing.
     */
    public List<Frame> frames() {
        if (failure != null) {
            throw new IllegalStateException("the capture on " + where + " stopped reading: " + failure);
        }
        synchronized (frames) {
            return List.copyOf(frames);
        }
    }

    public List<Frame> frames(Predicate<Frame> keep) {
        return frames().stream().filter(keep).toList();
    }

    /** Waits for frames in flight, stops, and answers everything captured. */
    public List<Frame> stop() {
        if (running) {
            sleep(DRAIN_MS);
            close();
        }
        return frames();
    }

    /** Waits up to {@code timeoutMs} for a frame matching {@code p}; null if none came. */
    public Frame await(Predicate<Frame> p, long timeoutMs) {
        long end = System.nanoTime() + timeoutMs * 1_000_000L;
        while (true) {
            for (Frame f : frames()) {
                if (p.test(f)) {
                    return f;
                }
            }
            if (System.nanoTime() > end) {
                return null;
            }
            sleep(10);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            // wakes pcap_next_ex, which the read timeout does not in immediate mode
            handle.breakLoop();
        } catch (NotOpenException e) {
            return;
        }
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (handle.isOpen()) {
            handle.close();
        }
    }
}
