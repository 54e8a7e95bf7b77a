package io.neighd.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.neighd.lab.Lab.Side.ND;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proxy ARP on nd0 for addresses routed out of nd1 (proxy_arp=1 and forwarding=1 on nd0, as
 * arp_process requires), and for an {@code ip neigh add proxy} entry, as kernel peers see it.
 *
 * <pre>
 * | setting                         | request (broadcast, from s0p1)     | expected                          |
 * |---------------------------------|------------------------------------|-----------------------------------|
 * | proxy_arp 1, proxy_delay 30     | who-has 10.78.0.12 (behind nd1)    | reply with nd0's MAC, delayed by  |
 * |                                 |                                    | a random time in [0, 300 ms)      |
 * | proxy_arp 1, proxy_delay 0      | who-has 10.78.0.12                 | reply at once                     |
 * | proxy_qlen 3, proxy_delay 100   | a burst of 20                      | 4 held and answered, the rest     |
 * |                                 |                                    | dropped as PROXY_QUEUE_FULL       |
 * | proxy entry 10.78.0.99          | who-has 10.78.0.99                 | reply (no proxy_arp needed)       |
 * </pre>
 */
@ExtendWith(LabExtension.class)
class ProxyArpLiveIT {
    private static final String MAC0 = Lab.portMac(0);
    private static final String P1_MAC = Lab.peerMac(0, 1);
    private static final String FAR_PEER = Lab.peerIp(1, 2);

    private final Lab lab;
    private final Neighd neighd;
    private final String peer;

    ProxyArpLiveIT(Lab lab, Neighd neighd) {
        this.lab = lab;
        this.neighd = neighd;
        this.peer = lab.peerNs(ND, 0, 1);
    }

    private void proxyOn(int delay) {
        neighd.sysctl(Map.of("net.ipv4.conf.nd0.proxy_arp", 1, "net.ipv4.conf.nd0.forwarding", 1,
                "net.ipv4.neigh.nd0.proxy_delay", delay));
    }

    /**
     * One broadcast request from peer s0p1's iputils arping; it returns once answered (or after 1
     * s), having proved it sent its probes and that neighd's nd0 took every one of them in.
     */
    private Iputils.Arping arpingOnce(String target) {
        long before = neighd.received("nd0");
        Iputils.Arping r = lab.arping(peer, "-b", "-I", "eth0", "-c", "1", "-w", "1", target);
        assertThat(neighd.received("nd0") - before).as("frames neighd took in on nd0").isEqualTo(r.sent());
        return r;
    }

    /** Each broadcast request for {@code tip} followed by its proxied reply: the delay in ms, or -1 if none came. */
    private static List<Long> delays(List<Frame> frames, String tip) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            Frame q = frames.get(i);
            if (q.isFrom(P1_MAC) && q.isArpRequest() && q.arp().targetIp().toString().equals(tip)) {
                long d = -1;
                for (int j = i + 1; j < frames.size(); j++) {
                    Frame r = frames.get(j);
                    if (r.isReplyFor(tip, MAC0)) {
                        d = (r.nanos() - q.nanos()) / 1_000_000L;
                        break;
                    }
                }
                out.add(d);
            }
        }
        return out;
    }

    /**
     * proxy_delay 30 (300 ms): sixteen requests at once, each answered after its own draw below
     * 75 jiffies, fired 1 jiffy late: every delay within Timing's window for a 300 ms timer, and
     * the sixteen together a uniform draw over 300 ms (Kolmogorov-Smirnov), which an immediate or
     * fixed-time answer is not.
     */
    @Test
    void proxyRepliesComeAfterARandomDelayBelowProxyDelay() {
        proxyOn(30);
        long before = neighd.received("nd0");
        PcapCapture cap = lab.captureDut(ND, 0);
        RawSender raw = lab.sender(peer);
        byte[] request = RawSender.frame(1, "ff:ff:ff:ff:ff:ff", P1_MAC, P1_MAC, Lab.peerIp(0, 1),
                "00:00:00:00:00:00", FAR_PEER);
        for (int i = 0; i < 16; i++) {
            raw.send(request);
        }
        Lab.sleep(Timing.neighdLatestMs(300) + 200);

        List<Frame> frames = cap.stop();
        assertThat(neighd.received("nd0") - before).as("frames neighd took in on nd0").isEqualTo(16);
        long first = frames.stream().filter(f -> f.isFrom(P1_MAC) && f.isArpRequest()).mapToLong(Frame::nanos)
                .min().orElseThrow();
        List<Long> delays = frames.stream().filter(f -> f.isReplyFor(FAR_PEER, MAC0))
                .map(f -> f.millisSince(first)).sorted().toList();
        assertThat(delays).hasSize(16).allSatisfy(d -> assertThat(d).isBetween(0L, Timing.neighdLatestMs(300)));
        assertThat(Distributions.ksUniform(delays, 0, 300)).as("a uniform draw below 300 ms: " + delays)
                .isLessThanOrEqualTo(Distributions.critical(delays.size()) + (double) Timing.JIFFY_MS / 300);
        Lab.KernelNeighbour learnt = neighd.neighbour("nd0", Lab.peerIp(0, 1));
        assertThat(learnt.state()).as("the requester is learnt").isEqualTo("STALE");
    }

    @Test
    void proxyDelay0AnswersAtOnce() {
        proxyOn(0);
        PcapCapture cap = lab.captureDut(ND, 0);

        for (int i = 0; i < 3; i++) {
            arpingOnce(FAR_PEER);
        }

        // no timer: answered inside arp_process, so within neighd's reaction baseline
        assertThat(delays(cap.stop(), FAR_PEER)).hasSize(3)
                .allSatisfy(d -> assertThat(d).isBetween(0L, Timing.REACTION_MS));
    }

    @Test
    void aBurstBeyondProxyQlenIsDroppedAndCounted() {
        proxyOn(100);
        neighd.sysctl("net.ipv4.neigh.nd0.proxy_qlen", 3);
        long before = neighd.reasonCount("nd0", "PROXY_QUEUE_FULL");
        PcapCapture cap = lab.captureDut(ND, 0);
        RawSender raw = lab.sender(peer);
        byte[] request = RawSender.frame(1, "ff:ff:ff:ff:ff:ff", P1_MAC, P1_MAC, Lab.peerIp(0, 1),
                "00:00:00:00:00:00", FAR_PEER);

        long received = neighd.received("nd0");
        for (int i = 0; i < 20; i++) {
            raw.send(request);
        }
        Lab.sleep(Timing.neighdLatestMs(1000) + 200);
        assertThat(neighd.received("nd0") - received).as("frames neighd took in on nd0").isEqualTo(20);

        long dropped = neighd.reasonCount("nd0", "PROXY_QUEUE_FULL") - before;
        long replies = cap.stop().stream().filter(f -> f.isReplyFor(FAR_PEER, MAC0)).count();
        assertThat(dropped).as("pneigh_enqueue holds at most proxy_qlen + 1").isGreaterThanOrEqualTo(12);
        assertThat(replies + dropped).isEqualTo(20);
    }

    @Test
    void aProxyEntryIsAnsweredWithoutProxyArp() {
        neighd.sysctl(Map.of("net.ipv4.conf.nd0.forwarding", 1, "net.ipv4.neigh.nd0.proxy_delay", 0));
        neighd.addProxy("10.78.0.99", "nd0");
        PcapCapture cap = lab.captureDut(ND, 0);

        arpingOnce("10.78.0.99");

        assertThat(cap.stop()).anySatisfy(f -> assertThat(f.isReplyFor("10.78.0.99", MAC0)).isTrue());
    }
}
