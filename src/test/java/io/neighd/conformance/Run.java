package io.neighd.conformance;

import io.neighd.lab.Iputils;
import io.neighd.lab.Lab;
import io.neighd.lab.RawSender;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One side's run of a scenario: what a script may do to its DUT and to the kernel peers and
 * gateway on that side's segments, plus the moment its frames are timed from ({@link #mark()};
 * by default the start of the script), and the stimulus its peers sent: every tool's report is
 * checked (it ran; what it says it sent), so that the run can prove the frames arrived.
 */
final class Run {
    final Lab.Side side;
    final Dut dut;
    final Lab lab;
    private long t0 = nowNanos();
    private final Map<String, RawSender> senders = new HashMap<>();
    private final List<String> portsDown = new ArrayList<>();
    private final List<Integer> carrierDown = new ArrayList<>();
    private final Map<String, Integer> sent = new LinkedHashMap<>();
    private final List<String> tools = new ArrayList<>();

    Run(Lab.Side side, Dut dut, Lab lab) {
        this.side = side;
        this.dut = dut;
        this.lab = lab;
    }

    static long nowNanos() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    /** From now on frames are timed from this moment. */
    void mark() {
        t0 = nowNanos();
    }

    long t0() {
        return t0;
    }

    /** The namespace of peer {@code i} of segment {@code seg} on this side. */
    String peer(int seg, int i) {
        return lab.peerNs(side, seg, i);
    }

    String gateway(int seg) {
        return lab.gwNs(side, seg);
    }

    /**
     * iputils arping on a peer's eth0. Whether it was answered is not a verdict (DAD and -U answer
     * 1); that it ran and what it says it sent are: they are the stimulus the run must see arrive.
     */
    void arping(int seg, int i, String... args) {
        String[] cmd = new String[args.length + 2];
        cmd[0] = "-I";
        cmd[1] = "eth0";
        System.arraycopy(args, 0, cmd, 2, args.length);
        Iputils.Arping r = lab.arping(peer(seg, i), cmd);
        stimulus(seg, i, r.sent(), "arping " + String.join(" ", args) + ": sent " + r.sent());
    }

    /** ping from a peer; the echo requests it transmitted are stimulus too. */
    void ping(int seg, int i, String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "-n";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Iputils.Ping r = lab.ping(peer(seg, i), cmd);
        stimulus(seg, i, r.transmitted(), "ping " + String.join(" ", args) + ": transmitted " + r.transmitted());
    }

    /** An ARP frame from peer {@code i}'s eth0, Ethernet source its own MAC, any ARP fields. */
    void arp(int seg, int i, int op, String ethDst, String sha, String spa, String tha, String tpa) {
        raw(seg, i).arp(op, ethDst, Lab.peerMac(seg, i), sha, spa, tha, tpa);
        stimulus(seg, i, 1, null);
    }

    /** A whole frame from peer {@code i}'s eth0, as given. */
    void frame(int seg, int i, byte[] frame) {
        raw(seg, i).send(frame);
        stimulus(seg, i, 1, null);
    }

    private void stimulus(int seg, int i, int frames, String what) {
        synchronized (sent) {
            sent.merge(seg + "/" + Lab.peerMac(seg, i), frames, Integer::sum);
            if (what != null) {
                tools.add(what);
            }
        }
    }

    /** Frames the script's peers say they sent, by "segment/peer MAC". */
    Map<String, Integer> stimulus() {
        synchronized (sent) {
            return Map.copyOf(sent);
        }
    }

    /** What the tools reported, for a failure message. */
    List<String> tools() {
        synchronized (sent) {
            return List.copyOf(tools);
        }
    }

    RawSender raw(int seg, int i) {
        return senders.computeIfAbsent(peer(seg, i), lab::sender);
    }

    /** sysctl -w in a peer (restored after the scenario). */
    void peerSysctl(int seg, int i, String key, Object value) {
        lab.sysctl(peer(seg, i), key, value);
    }

    /** ip -n PEER args... */
    void peerIp(int seg, int i, String... args) {
        lab.ip(peer(seg, i), args);
    }

    /** The peer's switch port goes down (the peer is gone from the segment) or comes back. */
    void peerPort(int seg, int i, boolean up) {
        String port = Lab.peerPort(side, seg, i);
        lab.ip(lab.sw(), "link", "set", port, up ? "up" : "down");
        if (up) {
            portsDown.remove(port);
        } else {
            portsDown.add(port);
        }
    }

    /** The DUT's port on {@code seg} loses or regains its carrier (given back after the scenario). */
    void carrier(int seg, boolean up) {
        dut.carrier(seg, up);
        if (up) {
            carrierDown.remove((Integer) seg);
        } else {
            carrierDown.add(seg);
        }
    }

    void sleep(long ms) {
        Lab.sleep(ms);
    }

    /** Brings back what the script took away (switch ports, carrier). */
    void restore() {
        for (String port : List.copyOf(portsDown)) {
            lab.ip(lab.sw(), "link", "set", port, "up");
        }
        portsDown.clear();
        for (Integer seg : List.copyOf(carrierDown)) {
            dut.carrier(seg, true);
        }
        carrierDown.clear();
    }
}
