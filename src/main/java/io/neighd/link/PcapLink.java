package io.neighd.link;

import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapStat;

import java.io.EOFException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A live interface through libpcap (pcap4j): immediate mode, inbound direction only, and a BPF
 * filter that lets in only ARP, ICMP and ICMPv6 without extension headers (tagged or not). Frames
 * are read either by the engine thread itself, which sleeps on the capture through a {@link CapturePoller} ({@link
 * #startPolled}), or on the link's own thread, which hands them over ({@link #start}); frames are
 * sent with pcap_sendpacket from the engine thread. With a MAC override the capture is
 * promiscuous, so frames for that address arrive.
 */
public final class PcapLink implements Link {
    public static final String FILTER = "arp or icmp or icmp6 or (vlan and (arp or icmp or icmp6))";
    private static final int SNAPLEN = 65_535;
    private static final int READ_TIMEOUT_MS = 100;
    /**
     * The capture ring, the only queue between the wire and the engine (the kernel answers ARP in
     * softirq, inline). Immediate mode makes libpcap use TPACKET_V2, whose slots are MTU-sized
     * (about 1.6 KiB at MTU 1500): 16 MiB hold some 10,000 frames, 125 ms of an 80,000/s flood
     * while the engine thread waits for a core. 4 MiB lost 16-21 % of such a flood on a busy
     * two-core machine, 16 MiB 2-3 % (docs/performance.md). The pages are the kernel's, not
     * charged to the container's memory limit. {@code neighd.interfaces[N].capture-buffer}
     * changes it per interface.
     */
    public static final int DEFAULT_BUFFER_BYTES = 16 << 20;

    private final String name;
    private final String netns;
    private final boolean promiscuous;
    private final int bufferBytes;
    private volatile PcapHandle handle;
    private volatile Thread reader;
    /** The polled mode's reader, used only by the thread that polls (swapped under {@link #reading}). */
    private volatile PcapDirect polled;
    /** Its selectable descriptor, -1 while there is no capture: read without a native call. */
    private volatile int polledFd = -1;
    /** Polled by {@link CapturePoller} rather than read by a thread of its own; kept across {@link #reopen()}. */
    private volatile boolean polledMode;
    /** The receiver of the threaded mode, kept for {@link #reopen()}. */
    private volatile Receiver threadedReceiver;
    private volatile boolean running;
    private volatile boolean closed;
    private volatile String problem = "not started";
    private volatile Stats lastStats = new Stats(0, 0, 0);
    /** What the captures before a {@link #reopen()} counted: the counters go on from there. */
    private volatile Stats earlier = new Stats(0, 0, 0);
    /** Held by the reader around each read, so that close() never frees the pcap_t under it. */
    private final ReentrantLock reading = new ReentrantLock();

    public PcapLink(String name, String netns, boolean promiscuous) {
        this(name, netns, promiscuous, DEFAULT_BUFFER_BYTES);
    }

    /** With a capture ring of {@code bufferBytes} ({@code neighd.interfaces[N].capture-buffer}). */
    public PcapLink(String name, String netns, boolean promiscuous, int bufferBytes) {
        this.name = name;
        this.netns = netns;
        this.promiscuous = promiscuous;
        this.bufferBytes = bufferBytes;
    }

    @Override
    public String name() {
        return name;
    }

    /** The network namespace the interface is in, null for neighd's own. */
    public String netns() {
        return netns;
    }

    @Override
    public InterfaceInfo info() {
        return SystemInterfaces.read(name, netns);
    }

    /** Opens the capture; throws {@link LinkException} with a one-line message naming the fix. */
    public void open() {
        info();
        try {
            handle = netns == null ? build() : Netns.run(netns, this::build);
        } catch (LinkException e) {
            throw e;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw libpcapMissing(e);
        } catch (Error e) {
            if (String.valueOf(e.getMessage()).contains("pcap")) {
                throw libpcapMissing(e);
            }
            throw e;
        } catch (PcapNativeException e) {
            throw translate(e);
        } catch (Exception e) {
            throw new LinkException("cannot capture on " + name + ": " + e.getMessage(), e);
        }
    }

    private PcapHandle build() throws PcapNativeException, NotOpenException {
        PcapHandle h = new PcapHandle.Builder(name)
                .snaplen(SNAPLEN)
                .promiscuousMode(promiscuous ? PcapNetworkInterface.PromiscuousMode.PROMISCUOUS
                        : PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                .timeoutMillis(READ_TIMEOUT_MS)
                .bufferSize(bufferBytes)
                .immediateMode(true)
                .build();
        try {
            h.setDirection(PcapHandle.PcapDirection.IN);
            h.setFilter(FILTER, BpfProgram.BpfCompileMode.OPTIMIZE);
        } catch (PcapNativeException | NotOpenException e) {
            h.close();
            throw e;
        }
        return h;
    }

    private static LinkException libpcapMissing(Throwable e) {
        return new LinkException("libpcap is not installed: install it (Debian/Ubuntu: apt-get install libpcap0.8; "
                + "Fedora/RHEL: dnf install libpcap)", e);
    }

    private LinkException translate(PcapNativeException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("ermission") || m.contains("not permitted") || m.contains("EPERM")) {
            return new LinkException("no permission to capture on " + name + ": neighd needs CAP_NET_RAW "
                    + "(run as root, or grant it: setcap cap_net_raw+ep $(readlink -f $(command -v java)); "
                    + "in a container: --cap-add NET_RAW)", e);
        }
        if (m.contains("No such device") || m.contains("doesn't exist") || m.contains("no such")) {
            return new LinkException("interface '" + name + "' does not exist (available: "
                    + String.join(", ", SystemInterfaces.names(netns)) + "): fix neighd.interfaces[].name", e);
        }
        if (m.contains("not up")) {
            return new LinkException("interface '" + name + "' is down: bring it up (ip link set " + name + " up)", e);
        }
        return new LinkException("cannot capture on " + name + ": " + m, e);
    }

    @Override
    public void start(Receiver receiver) {
        if (handle == null) {
            open();
        }
        threadedReceiver = receiver;
        startReader(receiver);
    }

    private void startReader(Receiver receiver) {
        running = true;
        problem = null;
        Thread t = new Thread(() -> readLoop(receiver), "neighd-capture-" + name);
        t.setDaemon(true);
        reader = t;
        t.start();
    }

    /**
     * The interface by this name is gone (deleted, or renamed away) or its capture failed: the
     * capture is closed, {@link #capturing()} is false and {@link #problem()} says {@code why},
     * until {@link #reopen()}.
     */
    public synchronized void suspend(String why) {
        stopCapture();
        problem = why;
    }

    /**
     * A new capture on the interface that now has this name (re-created, renamed back, up again),
     * in the mode the link was started in: no restart of neighd, nor of the engine. Counters go on
     * from where the previous capture left them.
     *
     * @throws LinkException as {@link #open()}, the link staying as it was
     */
    public synchronized void reopen() {
        if (closed) {
            throw new LinkException("the link to " + name + " is closed");
        }
        stopCapture();
        open();
        if (polledMode) {
            startPolled();
        } else if (threadedReceiver != null) {
            startReader(threadedReceiver);
        }
    }

    /** Stops reading and frees the handle, never under a read; the counters so far are kept. */
    private void stopCapture() {
        running = false;
        PcapHandle h = handle;
        if (h == null) {
            return;
        }
        Stats last = stats();
        earlier = last;
        try {
            h.breakLoop();
        } catch (NotOpenException e) {
            // closed meanwhile
        }
        Thread t = reader;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        reading.lock();
        try {
            handle = null;
            polled = null;
            polledFd = -1;
            h.close();
        } finally {
            reading.unlock();
        }
    }

    /**
     * Instead of {@link #start}: no reader thread; whoever polls (the engine thread, through
     * {@link CapturePoller}) reads with {@link #readAvailable} when {@link #selectableFd()} is
     * readable. The handle becomes non-blocking.
     */
    void startPolled() {
        if (handle == null) {
            open();
        }
        PcapHandle h = handle;
        PcapDirect d = PcapDirect.of(h);
        if (d == null || d.selectableFd() < 0) {
            throw new LinkException("cannot poll the capture on " + name + ": this libpcap has no selectable fd");
        }
        try {
            h.setBlockingMode(PcapHandle.BlockingMode.NONBLOCKING);
        } catch (PcapNativeException | NotOpenException e) {
            throw new LinkException("cannot make the capture on " + name + " non-blocking: " + e.getMessage(), e);
        }
        polled = d;
        polledFd = d.selectableFd();
        polledMode = true;
        running = true;
        problem = null;
    }

    /** In polled mode: the descriptor that is readable while frames wait; -1 while there is no capture. */
    int selectableFd() {
        return polledFd;
    }

    /**
     * In polled mode, on the polling thread: hands up to {@code max} waiting frames to
     * {@code receiver} without blocking. A capture error stops the link (see {@link #problem()}).
     *
     * @return how many frames were read
     */
    int readAvailable(int max, Receiver receiver) {
        if (!running || !reading.tryLock()) {
            return 0;
        }
        int n = 0;
        try {
            PcapDirect d = polled;
            while (n < max && running && d != null) {
                byte[] frame = d.next();
                if (frame == null) {
                    break;
                }
                receiver.frame(frame, frame.length, -1);
                n++;
            }
        } catch (EOFException e) {
            running = false;
            problem = "capture on " + name + " stopped";
        } catch (LinkException e) {
            running = false;
            problem = "capture on " + name + " failed: " + e.getMessage();
        } finally {
            reading.unlock();
        }
        return n;
    }

    private void readLoop(Receiver receiver) {
        PcapHandle h = handle;
        PcapDirect direct = PcapDirect.of(h);
        while (running) {
            reading.lock();
            try {
                if (!running) {
                    break;
                }
                byte[] frame = direct != null ? direct.next() : h.getNextRawPacketEx();
                if (frame != null) {
                    receiver.frame(frame, frame.length, -1);
                }
            } catch (TimeoutException e) {
                // read timeout: loop to notice close()
            } catch (EOFException | NotOpenException e) {
                break;
            } catch (PcapNativeException | LinkException e) {
                problem = "capture on " + name + " failed: " + e.getMessage();
                break;
            } finally {
                reading.unlock();
            }
        }
        running = false;
        if (problem == null) {
            problem = "capture on " + name + " stopped";
        }
    }

    @Override
    public void send(byte[] frame) {
        PcapHandle h = handle;
        if (h == null) {
            return;
        }
        try {
            h.sendPacket(frame);
        } catch (PcapNativeException | NotOpenException e) {
            problem = "sending on " + name + " failed: " + e.getMessage();
        }
    }

    @Override
    public boolean capturing() {
        return running && handle != null && handle.isOpen();
    }

    @Override
    public Stats stats() {
        PcapHandle h = handle;
        if (h != null && h.isOpen()) {
            try {
                PcapStat s = h.getStats();
                Stats e = earlier;
                lastStats = new Stats(e.received() + s.getNumPacketsReceived(), e.dropped() + s.getNumPacketsDropped(),
                        e.ifDropped() + s.getNumPacketsDroppedByIf());
            } catch (PcapNativeException | NotOpenException | RuntimeException e) {
                // keep the last figures
            }
        }
        return lastStats;
    }

    @Override
    public String problem() {
        return problem;
    }

    @Override
    public synchronized void close() {
        closed = true;
        running = false;
        PcapHandle open = handle;
        if (open != null) {
            try {
                // pcap_breakloop wakes pcap_next_ex (libpcap >= 1.10 on Linux); in immediate mode the
                // read timeout does not, so on a quiet interface the reader would hold the handle forever
                open.breakLoop();
            } catch (NotOpenException e) {
                // closed meanwhile
            }
        }
        Thread t = reader;
        if (t != null) {
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // the reader calls pcap_next_ex on the raw pcap_t, outside pcap4j's handle lock: never free
        // the handle under it
        boolean idle = false;
        try {
            idle = reading.tryLock(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            PcapHandle h = handle;
            handle = null;
            if (h != null && idle) {
                h.close();
            }
        } finally {
            if (idle) {
                reading.unlock();
            }
        }
        problem = "closed";
    }
}
