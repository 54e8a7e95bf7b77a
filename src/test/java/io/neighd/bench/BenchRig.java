package io.neighd.bench;

import io.neighd.engine.Engine;
import io.neighd.ip.NetDevice;
import io.neighd.ip.Transmitter;
import io.neighd.testkit.ScriptedRandom;
import io.neighd.time.ManualClock;
import io.neighd.wire.ArpPacket;
import io.neighd.wire.EtherType;
import io.neighd.wire.EthernetFrame;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv4Cidr;
import io.neighd.wire.Ipv6Address;
import io.neighd.wire.Ipv6Cidr;
import io.neighd.wire.MacAddress;
import io.neighd.wire.NdMessage;

import java.util.concurrent.TimeUnit;

/**
 * The common ground of the benchmarks: an engine on a manual clock (HZ 250) and a random source
 * that always draws the midpoint (reachable_time = base_reachable_time, 30 s), one interface
 * {@code nd0} (02:aa:00:00:00:01, 10.0.0.1/8, so that a million peers are on-link), a
 * transmitter that keeps only the last frame, and frame builders for peer {@code i}
 * (10.0.0.0 + 2 + i, 02:bb:00:xx:xx:xx). With {@link #ipv6()}, nd0 also owns 2001:db8::1/64
 * (nodad: valid at once) and peer {@code i} is 2001:db8::(2 + i) with the same MAC. Nothing here
 * is measured itself.
 */
final class BenchRig {
    static final long OUR_MAC = MacAddress.parse("02:aa:00:00:00:01").bits();
    static final int OUR_IP = Ipv4Address.parseBits("10.0.0.1");
    static final long OUR_IP6_HI = 0x2001_0db8_0000_0000L;
    static final long OUR_IP6_LO = 1;
    static final long NANOS_PER_JIFFY = TimeUnit.SECONDS.toNanos(1) / Engine.DEFAULT_HZ;

    /** Hands frames to nowhere; keeping the last one stops the JIT from eliding the reply. */
    static final class Blackhole implements Transmitter {
        long frames;
        byte[] last;

        @Override
        public void transmit(io.neighd.ip.DeviceId dev, byte[] frame) {
            frames++;
            last = frame;
        }
    }

    final ManualClock clock = new ManualClock(TimeUnit.SECONDS.toNanos(1000));
    final Blackhole tx = new Blackhole();
    final Engine engine;
    final NetDevice nd0;

    BenchRig() {
        engine = new Engine(clock, new ScriptedRandom(), tx, Engine.DEFAULT_HZ);
        nd0 = engine.addDevice("nd0", 2, new MacAddress(OUR_MAC), 1500, -1);
        engine.setUp(nd0, true);
        engine.setCarrier(nd0, true);
        engine.addAddress(nd0, Ipv4Cidr.parse("10.0.0.1/8"));
    }

    /** gc_thresh2 and gc_thresh3 (net.ipv4.neigh.default.gc_thresh*). */
    BenchRig thresholds(int thresh2, int thresh3) {
        engine.sysctl().set("net.ipv4.neigh.default.gc_thresh3", thresh3);
        engine.sysctl().set("net.ipv4.neigh.default.gc_thresh2", thresh2);
        return this;
    }

    /** net.ipv6.neigh.default.gc_thresh2/3, and 2001:db8::1/64 on nd0 without DAD. */
    BenchRig ipv6(int thresh2, int thresh3) {
        engine.sysctl().set("net.ipv6.neigh.default.gc_thresh3", thresh3);
        engine.sysctl().set("net.ipv6.neigh.default.gc_thresh2", thresh2);
        if (!engine.addAddress6(nd0, Ipv6Cidr.parse("2001:db8::1/64"), true).ok()) {
            throw new IllegalStateException("cannot add 2001:db8::1/64");
        }
        advanceJiffies(2); // addrconf_dad_work (queued with delay 0) joins the group and, nodad, completes
        return this;
    }

    BenchRig sysctl(String name, long value) {
        engine.sysctl().set(name, value);
        return this;
    }

    /** Moves the clock by {@code jiffies} and runs what fell due, as the replay loop does per frame. */
    void advanceJiffies(long jiffies) {
        clock.set(clock.nanos() + jiffies * NANOS_PER_JIFFY);
        engine.sync();
    }

    static int peerIp(int i) {
        return OUR_IP + 1 + i;
    }

    static long peerMac(int i, int variant) {
        return 0x02bb_0000_0000L | ((long) variant << 24) | (i & 0xff_ffffL);
    }

    /** Broadcast who-has 10.0.0.1 tell peer {@code i}. */
    static byte[] requestForUs(int i) {
        long sha = peerMac(i, 0);
        return ArpPacket.frame(1, MacAddress.BROADCAST.bits(), sha, -1, sha, peerIp(i), 0, OUR_IP);
    }

    /** Gratuitous request from peer {@code i} (sender = target), as {@code arping -U} sends it. */
    static byte[] garpRequest(int i, int variant) {
        long sha = peerMac(i, variant);
        return ArpPacket.frame(1, MacAddress.BROADCAST.bits(), sha, -1, sha, peerIp(i), 0, peerIp(i));
    }

    /** Gratuitous reply from peer {@code i} (sender = target, tha = sha), as {@code arping -A} sends it. */
    static byte[] garpReply(int i, int variant) {
        long sha = peerMac(i, variant);
        return ArpPacket.frame(2, MacAddress.BROADCAST.bits(), sha, -1, sha, peerIp(i), sha, peerIp(i));
    }

    /** Peer {@code i} is-at its MAC, unicast to us (what answers our probes). */
    static byte[] replyToUs(int i) {
        long sha = peerMac(i, 0);
        return ArpPacket.frame(2, OUR_MAC, sha, -1, sha, peerIp(i), OUR_MAC, OUR_IP);
    }

    /** Rewrites {@code frame} (built by {@link #replyToUs}) in place as the reply of peer {@code i}. */
    static void rewriteReply(byte[] frame, int i) {
        long sha = peerMac(i, 0);
        MacAddress.write(sha, frame, 6);
        MacAddress.write(sha, frame, 14 + ArpPacket.SHA);
        Ipv4Address.write(peerIp(i), frame, 14 + ArpPacket.SPA);
    }

    // ------------------------------------------------------------------ IPv6

    static long peerIp6Lo(int i) {
        return OUR_IP6_LO + 1 + i;
    }

    /** NS for 2001:db8::1 from peer {@code i}, to the solicited-node group, with its MAC (what Linux sends). */
    static byte[] nsForUs(int i) {
        long mac = peerMac(i, 0);
        Ipv6Address group = Ipv6Address.solicitedNode(OUR_IP6_LO);
        byte[] l3 = NdMessage.ns(OUR_IP6_HI, peerIp6Lo(i), group.hi(), group.lo(), OUR_IP6_HI, OUR_IP6_LO, mac, 0);
        return EthernetFrame.wrap(Ipv6Address.multicastMac(group.lo()), mac, -1, EtherType.IPV6, l3);
    }

    /** Peer {@code i}'s solicited NA (S, O) for itself, unicast to 2001:db8::1, with its MAC. */
    static byte[] naToUs(int i) {
        long mac = peerMac(i, 0);
        byte[] l3 = NdMessage.na(OUR_IP6_HI, peerIp6Lo(i), OUR_IP6_HI, OUR_IP6_LO, OUR_IP6_HI, peerIp6Lo(i),
                NdMessage.FLAG_SOLICITED | NdMessage.FLAG_OVERRIDE, mac);
        return EthernetFrame.wrap(OUR_MAC, mac, -1, EtherType.IPV6, l3);
    }

    /** Peer {@code i}'s unsolicited NA (O) to all nodes with MAC {@code variant}, as after a failover. */
    static byte[] unsolicitedNa(int i, int variant) {
        long mac = peerMac(i, variant);
        Ipv6Address all = Ipv6Address.ALL_NODES;
        byte[] l3 = NdMessage.na(OUR_IP6_HI, peerIp6Lo(i), all.hi(), all.lo(), OUR_IP6_HI, peerIp6Lo(i),
                NdMessage.FLAG_OVERRIDE, mac);
        return EthernetFrame.wrap(Ipv6Address.multicastMac(all.lo()), mac, -1, EtherType.IPV6, l3);
    }
}
