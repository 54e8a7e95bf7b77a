package io.neighd.link;

import com.sun.jna.Memory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A live interface through an AF_PACKET socket, as tcpdump's libpcap opens one, but with a
 * receive ring sized for the frames neighd answers ({@link RxRing}: 192-byte slots, room for ARP,
 * NS/NA/RS/RA with their options and echoes of ping's default size; whole copies of longer frames)
 * and sends batched per engine turn ({@link TxBatch}). Inbound frames only
 * (PACKET_IGNORE_OUTGOING), and only ARP, ICMP and ICMPv6 ({@link CaptureFilter}). With a MAC override
 * the interface is put in promiscuous mode, so that frames for that address arrive.
 *
 * <p>Frames are read either by the engine thread itself, which sleeps on the socket through a
 * {@link CapturePoller} ({@link #startPolled}) and reads the ring in place, or on the link's own
 * thread, which hands copies over ({@link #start}).
 */
public final class PacketLink implements Link {
    private static final Logger log = LoggerFactory.getLogger(PacketLink.class);
    /**
     * The capture ring, the only queue between the wire and the engine (the kernel answers ARP in
     * softirq, inline): 16 MiB are 86,016 slots, about 1 s of a 90,000/s flood while the engine
     * thread waits for a core. The pages are the kernel's, not charged to the container's memory
     * limit. {@code neighd.interfaces[N].capture-buffer} changes it per interface.
     */
    public static final int DEFAULT_BUFFER_BYTES = 16 << 20;
    /** For copies of frames longer than a slot, in the socket's receive queue (capped by net.core.rmem_max). */
    private static final int COPY_QUEUE_BYTES = 4 << 20;
    private static final int READ_TIMEOUT_MS = 100;

    private final String name;
    private final String netns;
    private final boolean promiscuous;
    private final int bufferBytes;
    /** For the engine thread's socket calls ({@link #socketError}); opening has its own. */
    private final Memory scratch = new Memory(64);
    private final byte[] rx = new byte[RxRing.MAX_FRAME + 8];
    private final TxBatch tx = new TxBatch();
    private final long[] refused = new long[1];
    /** Held by the reader around each read, so that close() never unmaps the ring under it. */
    private final ReentrantLock reading = new ReentrantLock();
    private final Object statsLock = new Object();
    /** The socket and its ring: replaced together, under {@link #reading}, by {@link #reopen()}. */
    private volatile int fd = -1;
    private volatile RxRing ring;
    /** The interface index the socket is bound to: a re-created interface has another. */
    private volatile int boundIfindex = -1;
    private volatile Thread reader;
    /** Polled mode: sends wait for {@link #flush()} at the end of the engine's turn; kept across {@link #reopen()}. */
    private volatile boolean batching;
    /** The receiver of the threaded mode, kept for {@link #reopen()}. */
    private volatile Receiver threadedReceiver;
    private volatile boolean running;
    private volatile boolean closed;
    private volatile String problem = "not started";
    private long received;
    private long dropped;
    /** What earlier captures (before a {@link #reopen()}) lost in their rings and their interfaces' drivers. */
    private long droppedEarlier;
    private long ifDroppedEarlier;
    private long ifDroppedBase = -1;
    private long ifDropped;

    public PacketLink(String name, String netns, boolean promiscuous) {
        this(name, netns, promiscuous, DEFAULT_BUFFER_BYTES);
    }

    /** With a capture ring of {@code bufferBytes} ({@code neighd.interfaces[N].capture-buffer}). */
    public PacketLink(String name, String netns, boolean promiscuous, int bufferBytes) {
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
    public synchronized void open() {
        int ifindex = info().ifindex();
        if (!AfPacket.AVAILABLE) {
            throw new LinkException("cannot capture on " + name + ": AF_PACKET sockets need 64-bit Linux and its C library");
        }
        Socket opened;
        try {
            opened = netns == null ? openSocket(ifindex) : Netns.run(netns, () -> openSocket(ifindex));
        } catch (LinkException e) {
            throw e;
        } catch (Exception e) {
            throw new LinkException("cannot capture on " + name + ": " + e.getMessage(), e);
        }
        reading.lock();
        try {
            ring = opened.ring();
            boundIfindex = ifindex;
            fd = opened.fd();
            synchronized (statsLock) {
                ifDroppedBase = netns == null ? interfaceDrops() : -1;
            }
        } finally {
            reading.unlock();
        }
        log.info("{}: capture ring of {} frames ({} KiB of kernel memory)", name, opened.ring().slots(),
                opened.ring().bytes() >> 10);
    }

    private record Socket(int fd, RxRing ring) {
    }

    /** Protocol 0 until bind: nothing reaches the socket before its filter and ring are in place. */
    private Socket openSocket(int ifindex) {
        Memory scratch = new Memory(64);
        RxRing rxRing = null;
        int s = AfPacket.socket(AfPacket.AF_PACKET, AfPacket.SOCK_RAW | AfPacket.SOCK_CLOEXEC, 0);
        if (s < 0) {
            int errno = AfPacket.errno();
            if (errno == AfPacket.EPERM || errno == AfPacket.EACCES) {
                throw new LinkException("no permission to capture on " + name + ": neighd needs CAP_NET_RAW "
                        + "(run as root, or grant it: setcap cap_net_raw+ep $(readlink -f $(command -v java)); "
                        + "in a container: --cap-add NET_RAW)");
            }
            throw new LinkException("cannot capture on " + name + ": socket(AF_PACKET) failed: " + AfPacket.strerror(errno));
        }
        try {
            option(s, scratch, AfPacket.SOL_PACKET, AfPacket.PACKET_VERSION, AfPacket.TPACKET_V2, "TPACKET_V2");
            option(s, scratch, AfPacket.SOL_PACKET, AfPacket.PACKET_COPY_THRESH, 1, "PACKET_COPY_THRESH");
            // best effort: below 4.20 the ring reader skips outgoing frames itself; rmem_max caps the buffer
            AfPacket.setInt(s, AfPacket.SOL_PACKET, AfPacket.PACKET_IGNORE_OUTGOING, 1, scratch);
            AfPacket.setInt(s, AfPacket.SOL_SOCKET, AfPacket.SO_RCVBUF, COPY_QUEUE_BYTES, scratch);
            CaptureFilter.attach(s);
            rxRing = RxRing.create(s, bufferBytes, scratch);
            if (promiscuous) {
                // struct packet_mreq { int mr_ifindex; unsigned short mr_type, mr_alen; unsigned char mr_address[8]; }
                scratch.clear(16);
                scratch.setInt(0, ifindex);
                scratch.setShort(4, (short) AfPacket.PACKET_MR_PROMISC);
                if (AfPacket.setsockopt(s, AfPacket.SOL_PACKET, AfPacket.PACKET_ADD_MEMBERSHIP, scratch, 16) != 0) {
                    throw new LinkException("cannot put " + name + " in promiscuous mode (for its MAC override): "
                            + AfPacket.strerror(AfPacket.errno()));
                }
            }
            // struct sockaddr_ll { sll_family, sll_protocol, sll_ifindex, ... }: the rest stays zero
            scratch.clear(20);
            scratch.setShort(0, (short) AfPacket.AF_PACKET);
            scratch.setShort(2, (short) AfPacket.ETH_P_ALL_BE);
            scratch.setInt(4, ifindex);
            if (AfPacket.bind(s, scratch, 20) != 0) {
                int errno = AfPacket.errno();
                if (errno == AfPacket.ENODEV || errno == AfPacket.ENXIO) {
                    throw new LinkException("interface '" + name + "' does not exist (available: "
                            + String.join(", ", SystemInterfaces.names(netns)) + "): fix neighd.interfaces[].name");
                }
                throw new LinkException("cannot capture on " + name + ": bind failed: " + AfPacket.strerror(errno));
            }
            return new Socket(s, rxRing);
        } catch (RuntimeException e) {
            if (rxRing != null) {
                rxRing.unmap();
            }
            AfPacket.close(s);
            throw e;
        }
    }

    private void option(int s, Memory scratch, int level, int opt, int value, String what) {
        if (AfPacket.setInt(s, level, opt, value, scratch) != 0) {
            throw new LinkException("cannot capture on " + name + ": the kernel refused " + what + ": "
                    + AfPacket.strerror(AfPacket.errno()));
        }
    }

    @Override
    public synchronized void start(Receiver receiver) {
        if (fd < 0) {
            open();
        }
        // frames cross to another thread here: each one is a copy
        threadedReceiver = (data, len, ts) -> receiver.frame(Arrays.copyOf(data, len), len, ts);
        startReader();
    }

    private void startReader() {
        Receiver r = threadedReceiver;
        running = true;
        problem = null;
        Thread t = new Thread(() -> readLoop(r), "neighd-capture-" + name);
        t.setDaemon(true);
        reader = t;
        t.start();
    }

    /**
     * The interface by this name is gone (deleted, or renamed away) or its capture failed: the
     * socket is closed and its ring unmapped, {@link #capturing()} is false and {@link #problem()}
     * says {@code why}, until {@link #reopen()}.
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
     * @throws LinkException as {@link #open()}, the capture staying closed
     */
    public synchronized void reopen() {
        if (closed) {
            throw new LinkException("the link to " + name + " is closed");
        }
        stopCapture();
        open();
        if (batching) {
            running = true;
            problem = null;
        } else if (threadedReceiver != null) {
            startReader();
        }
    }

    /** The index of the interface the capture is bound to, -1 while there is none. */
    public int boundIfindex() {
        return fd >= 0 ? boundIfindex : -1;
    }

    /**
     * Stops reading and closes the socket, never under a read or a send (the ring is unmapped only
     * once no reader is inside it); the counters so far are kept.
     */
    private void stopCapture() {
        running = false;
        Thread t = reader;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        reader = null;
        boolean idle = false;
        try {
            idle = reading.tryLock(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            int s;
            RxRing r;
            synchronized (statsLock) {
                stats();
                s = fd;
                r = ring;
                fd = -1;
                ring = null;
                boundIfindex = -1;
                droppedEarlier += r == null ? 0 : r.truncated();
                ifDroppedEarlier += ifDropped;
                ifDropped = 0;
                ifDroppedBase = -1;
            }
            // a reader still inside the ring (stuck past the wait) would fault on an unmapped page: then leave it mapped
            if (r != null && idle) {
                r.unmap();
            }
            if (s >= 0) {
                AfPacket.close(s);
            }
        } finally {
            if (idle) {
                reading.unlock();
            }
        }
    }

    /**
     * Instead of {@link #start}: no reader thread; whoever polls (the engine thread, through
     * {@link CapturePoller}) reads with {@link #readAvailable} when {@link #selectableFd()} is
     * readable, and sends are batched until {@link #flush()}.
     */
    void startPolled() {
        if (fd < 0) {
            open();
        }
        batching = true;
        running = true;
        problem = null;
    }

    /** The socket: readable while frames wait in the ring. */
    int selectableFd() {
        return fd;
    }

    /**
     * Hands up to {@code max} waiting frames to {@code receiver} without blocking, on the reading
     * thread. The array handed over is reused for the next frame: the receiver must not keep it.
     *
     * @return how many frames were read
     */
    int readAvailable(int max, Receiver receiver) {
        if (!running || !reading.tryLock()) {
            return 0;
        }
        int n = 0;
        try {
            RxRing r = ring;
            while (n < max && running && r != null) {
                int len = r.next(rx);
                if (len < 0) {
                    break;
                }
                if (len > 0) {
                    receiver.frame(rx, len, -1);
                }
                n++;
            }
        } finally {
            reading.unlock();
        }
        return n;
    }

    /**
     * After poll reported an error condition on the socket: reads (and so clears) the pending
     * error. ENETDOWN, the interface going down, leaves the capture running (the kernel hooks the
     * socket up again when the interface comes back, as packet_notifier does on NETDEV_UP); any
     * other error, the device gone among them, stops it.
     */
    void socketError(short revents) {
        int s = fd;
        if (s < 0) {
            return;
        }
        if ((revents & AfPacket.POLLNVAL) != 0) {
            stop("capture on " + name + " stopped: its socket is gone");
            return;
        }
        scratch.setInt(0, 0);
        scratch.setInt(8, 4);
        int err = AfPacket.getsockopt(s, AfPacket.SOL_SOCKET, AfPacket.SO_ERROR, scratch, scratch.share(8)) == 0
                ? scratch.getInt(0) : AfPacket.errno();
        if (err == 0) {
            return;
        }
        if (err == AfPacket.ENETDOWN) {
            // NETDEV_DOWN and NETDEV_UNREGISTER both raise it; only the latter unbinds the socket (po->ifindex = -1)
            if (socketIfindex(s) == boundIfindex) {
                return;
            }
            stop("interface " + name + " disappeared");
            return;
        }
        stop(err == AfPacket.ENODEV || err == AfPacket.ENXIO ? "interface " + name + " disappeared"
                : "capture on " + name + " failed: " + AfPacket.strerror(err));
    }

    /** The interface the socket is bound to now, as packet_getname() reports it: -1 once it was unregistered. */
    private int socketIfindex(int s) {
        // struct sockaddr_ll { unsigned short sll_family; __be16 sll_protocol; int sll_ifindex; ... } (20 bytes)
        scratch.clear(24);
        scratch.setInt(32, 20);
        if (AfPacket.getsockname(s, scratch, scratch.share(32)) != 0) {
            return -1;
        }
        return scratch.getInt(4);
    }

    private void stop(String why) {
        running = false;
        problem = why;
    }

    private void readLoop(Receiver receiver) {
        Memory pollfd = new Memory(8);
        while (running) {
            int s = fd;
            pollfd.setInt(0, s);
            pollfd.setShort(4, AfPacket.POLLIN);
            pollfd.setShort(6, (short) 0);
            if (AfPacket.poll(pollfd, 1, READ_TIMEOUT_MS) > 0) {
                short revents = pollfd.getShort(6);
                if ((revents & (AfPacket.POLLERR | AfPacket.POLLHUP | AfPacket.POLLNVAL)) != 0) {
                    socketError(revents);
                }
            }
            readAvailable(TxBatch.MAX_FRAMES, receiver);
        }
        if (problem == null) {
            problem = "capture on " + name + " stopped";
        }
    }

    /** Hands a frame to the interface; in polled mode it leaves with the turn's others at {@link #flush()}. */
    @Override
    public void send(byte[] frame) {
        // a frame always fits an empty batch (frames are under 64 KiB)
        if (!tx.add(frame)) {
            flush();
            tx.add(frame);
        }
        if (!batching) {
            flush();
        }
    }

    /**
     * Sends the frames queued since the last flush; on the engine thread. Under {@link #reading},
     * so that a {@link #reopen()} never closes the socket under a send (nor a send goes to a
     * descriptor number reused meanwhile); with no socket (suspended) the frames are dropped, as
     * the kernel drops what is sent on a device that is gone.
     */
    void flush() {
        if (tx.isEmpty()) {
            return;
        }
        reading.lock();
        try {
            int s = fd;
            if (s < 0) {
                tx.clear();
                return;
            }
            int errno = tx.flush(s, refused);
            if (errno != 0) {
                problem = "sending on " + name + " failed: " + AfPacket.strerror(errno) + " (" + refused[0]
                        + " frame(s) refused so far)";
            }
        } finally {
            reading.unlock();
        }
    }

    @Override
    public boolean capturing() {
        return running && fd >= 0;
    }

    @Override
    public Stats stats() {
        synchronized (statsLock) {
            int s = fd;
            if (s >= 0) {
                // struct tpacket_stats { tp_packets, tp_drops }: reset by every read; tp_packets includes the drops
                Memory st = new Memory(16);
                st.setInt(8, 8);
                if (AfPacket.getsockopt(s, AfPacket.SOL_PACKET, AfPacket.PACKET_STATISTICS, st, st.share(8)) == 0) {
                    received += st.getInt(0) & 0xffffffffL;
                    dropped += st.getInt(4) & 0xffffffffL;
                }
                if (ifDroppedBase >= 0) {
                    ifDropped = Math.max(0, interfaceDrops() - ifDroppedBase);
                }
            }
            RxRing r = ring;
            return new Stats(received, droppedEarlier + dropped + (r == null ? 0 : r.truncated()),
                    ifDroppedEarlier + ifDropped);
        }
    }

    /**
     * Frames longer than a ring slot that arrived whole through the socket's queue, since the
     * capture opened (a reopen starts again at 0): echoes with large payloads, not the frames the
     * ring is sized for.
     */
    public long copiedFrames() {
        RxRing r = ring;
        return r == null ? 0 : r.copied();
    }

    /** What the driver dropped (rx_missed_errors + rx_fifo_errors), for an interface in neighd's own namespace. */
    private long interfaceDrops() {
        Path dir = Path.of("/sys/class/net", name, "statistics");
        return counter(dir.resolve("rx_missed_errors")) + counter(dir.resolve("rx_fifo_errors"));
    }

    private static long counter(Path p) {
        try {
            return Long.parseLong(Files.readString(p).strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public String problem() {
        return problem;
    }

    @Override
    public synchronized void close() {
        closed = true;
        stopCapture();
        problem = "closed";
    }
}
