package io.neighd.conformance;

import io.neighd.lab.Lab;
import io.neighd.lab.RawSender;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One side's run of a scenario: what a script may do to its DUT and to the kernel peers and
 * gateway on that side's segments, plus the moment its frames are timed from ({@link #mark()};
 * by default the start of the script).
 */
final class Run {
    final Lab.Side side;
    final Dut dut;
    final Lab lab;
    private long t0 = nowNanos();
    private final Map<String, RawSender> senders = new HashMap<>();
    private final List<String> portsDown = new ArrayList<>();
    private final List<Integer> carrierDown = new ArrayList<>();

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

    /** iputils arping on a peer's eth0 (its exit status is not a verdict: DAD and -U answer 1). */
    void arping(int seg, int i, String... args) {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "arping";
        cmd[1] = "-I";
        cmd[2] = "eth0";
        System.arraycopy(args, 0, cmd, 3, args.length);
        lab.exec(peer(seg, i), cmd);
    }

    /** ping from a peer (its exit status is not a verdict either). */
    void ping(int seg, int i, String... args) {
        String[] cmd = new String[args.length + 2];
        cmd[0] = "ping";
        cmd[1] = "-n";
        System.arraycopy(args, 0, cmd, 2, args.length);
        lab.exec(peer(seg, i), cmd);
    }

    /** An ARP frame from peer {@code i}'s eth0, Ethernet source its own MAC, any ARP fields. */
    void arp(int seg, int i, int op, String ethDst, String sha, String spa, String tha, String tpa) {
        raw(seg, i).arp(op, ethDst, Lab.peerMac(seg, i), sha, spa, tha, tpa);
    }

    /** A whole frame from peer {@code i}'s eth0, as given. */
    void frame(int seg, int i, byte[] frame) {
        raw(seg, i).send(frame);
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
