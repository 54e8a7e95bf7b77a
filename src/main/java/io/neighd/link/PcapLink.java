package io.neighd.link;

import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapStat;

import java.io.EOFException;
import java.util.concurrent.TimeoutException;

/**
 * A live interface through libpcap (pcap4j): immediate mode, inbound direction only, and a BPF
 * filter that lets in only ARP and ICMP (tagged or not). Frames are read on the link's own
 * thread and handed to the engine; frames are sent with pcap_sendpacket from the engine thread.
 * With a MAC override the capture is promiscuous, so frames for that address arrive.
 */
public final class PcapLink implements Link {
    public static final String FILTER = "arp or icmp or (vlan and (arp or icmp))";
    private static final int SNAPLEN = 65_535;
    private static final int READ_TIMEOUT_MS = 100;
    private static final int BUFFER_BYTES = 4 << 20;

    private final String name;
    private final String netns;
    private final boolean promiscuous;
    private volatile PcapHandle handle;
    private volatile Thread reader;
    private volatile boolean running;
    private volatile String problem = "not started";
    private volatile Stats lastStats = new Stats(0, 0, 0);

    public PcapLink(String name, String netns, boolean promiscuous) {
        this.name = name;
        this.netns = netns;
        this.promiscuous = promiscuous;
    }

    @Override
    public String name() {
        return name;
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
                .bufferSize(BUFFER_BYTES)
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
        running = true;
        problem = null;
        Thread t = new Thread(() -> readLoop(receiver), "neighd-capture-" + name);
        t.setDaemon(true);
        reader = t;
        t.start();
    }

    private void readLoop(Receiver receiver) {
        PcapHandle h = handle;
        while (running) {
            try {
                byte[] frame = h.getNextRawPacketEx();
                receiver.frame(frame, frame.length, -1);
            } catch (TimeoutException e) {
                // read timeout: loop to notice close()
            } catch (EOFException | NotOpenException e) {
                break;
            } catch (PcapNativeException e) {
                problem = "capture on " + name + " failed: " + e.getMessage();
                break;
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
                lastStats = new Stats(s.getNumPacketsReceived(), s.getNumPacketsDropped(), s.getNumPacketsDroppedByIf());
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
    public void close() {
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
        PcapHandle h = handle;
        handle = null;
        if (h != null) {
            h.close();
        }
        problem = "closed";
    }
}
