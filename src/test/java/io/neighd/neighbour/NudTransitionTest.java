package io.neighd.neighbour;

import io.neighd.errno.Result;
import io.neighd.errno.Errno;
import io.neighd.engine.NeighAdmin;
import io.neighd.engine.ResolveOutcome;
import io.neighd.ip.Ipv4Output;
import io.neighd.testkit.EngineFixture;
import io.neighd.testkit.RecordingTransmitter.Sent;
import io.neighd.wire.ArpOp;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.MacAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.neighd.neighbour.NudState.DELAY;
import static io.neighd.neighbour.NudState.FAILED;
import static io.neighd.neighbour.NudState.INCOMPLETE;
import static io.neighd.neighbour.NudState.NONE;
import static io.neighd.neighbour.NudState.PERMANENT;
import static io.neighd.neighbour.NudState.PROBE;
import static io.neighd.neighbour.NudState.REACHABLE;
import static io.neighd.neighbour.NudState.STALE;
import static io.neighd.testkit.EngineFixture.OTHER_MAC;
import static io.neighd.testkit.EngineFixture.OUR_MAC;
import static io.neighd.testkit.EngineFixture.PEER_MAC;
import static io.neighd.testkit.EngineFixture.ip;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The NUD state machine of net/core/neighbour.c, one test per transition, on a manual clock at
 * HZ 250 (a jiffy is 4 ms) with the default knobs: retrans_time 250 jiffies, delay_first_probe_time
 * 1250, reachable_time 7500 (the scripted random picks the midpoint of [base/2, 3·base/2)),
 * ucast_solicit 3, mcast_solicit 3. A timer armed for jiffy {@code e} runs at {@code e + 1}.
 *
 * <pre>
 * | From        | To          | Cause                                              | Mirrors                 | Notify |
 * |-------------|-------------|----------------------------------------------------|-------------------------|--------|
 * | NONE        | INCOMPLETE  | outbound packet; broadcast probe, probes=ucast     | __neigh_event_send      | no     |
 * | FAILED      | INCOMPLETE  | outbound packet                                    | __neigh_event_send      | no     |
 * | NONE        | FAILED      | outbound packet, mcast_solicit+app_solicit = 0     | __neigh_event_send      | no     |
 * | NONE        | INCOMPLETE  | outbound packet, mcast_solicit = app_solicit = 1   | __neigh_event_send      | no     |
 * | STALE       | DELAY       | outbound packet, sent with the stale address       | __neigh_event_send      | no     |
 * | INCOMPLETE  | INCOMPLETE  | outbound packet queued; oldest dropped when full   | __neigh_event_send      | no     |
 * | REACHABLE   | REACHABLE   | outbound packet: sent, used stamped                | neigh_event_send        | no     |
 * | STALE       | DELAY       | outbound packet after REACHABLE: no cached header  | neigh_output            | no     |
 * | NONE        | INCOMPLETE  | managed work: probe on the next tick, not at once  | neigh_event_send_probe  | no     |
 * | INCOMPLETE  | INCOMPLETE  | timer: broadcast re-probe every retrans_time       | neigh_timer_handler     | no     |
 * | INCOMPLETE  | FAILED      | timer: mcast_solicit probes unanswered             | neigh_timer_handler     | yes    |
 * | INCOMPLETE  | INCOMPLETE  | timer: app probe is an RTM_GETNEIGH "miss"         | arp_solicit             | miss   |
 * | REACHABLE   | REACHABLE   | timer: confirmed within reachable_time             | neigh_timer_handler     | no     |
 * | REACHABLE   | REACHABLE   | timer: confirmed + reachable_time is now: kept,    | neigh_timer_handler     | no     |
 * |             |             | re-armed HZ/100 later                              |                         |        |
 * | REACHABLE   | DELAY       | timer: not confirmed, but used recently            | neigh_timer_handler     | no     |
 * | REACHABLE   | DELAY       | timer: used exactly delay_first_probe_time ago     | neigh_timer_handler     | no     |
 * | REACHABLE   | STALE       | timer: probes over lowered knobs do not fail it    | neigh_timer_handler     | yes    |
 * | REACHABLE   | STALE       | timer: neither confirmed nor used                  | neigh_timer_handler     | yes    |
 * | DELAY       | REACHABLE   | timer: confirmed during delay_first_probe_time     | neigh_timer_handler     | yes    |
 * | DELAY       | REACHABLE   | timer: confirmed exactly delay_first_probe_time ago| neigh_timer_handler     | yes    |
 * | DELAY       | PROBE       | timer: no confirmation; unicast probe              | neigh_timer_handler     | yes    |
 * | PROBE       | PROBE       | timer: unicast re-probe every retrans_time         | neigh_timer_handler     | no     |
 * | PROBE       | FAILED      | timer: ucast_solicit probes unanswered             | neigh_timer_handler     | yes    |
 * | PROBE       | PROBE       | timer: mcast_resolicit broadcasts after unicasts   | neigh_timer_handler     | no     |
 * | PROBE       | STALE       | timer: probes exhausted on an extern_valid entry   | neigh_timer_handler     | yes    |
 * | any timer   | (re-armed)  | retrans_time 0: floor of HZ/100                    | neigh_timer_handler     | -      |
 * | INCOMPLETE  | REACHABLE   | unicast reply; queued packets sent                 | __neigh_update          | yes    |
 * | INCOMPLETE  | STALE→DELAY | request from it; queue flushed via resolve output  | __neigh_update          | yes    |
 * | NONE        | STALE       | request for us from an unknown sender              | neigh_event_ns          | yes    |
 * | STALE       | STALE       | same address again: nothing changes, updated kept  | __neigh_update          | no     |
 * | STALE       | REACHABLE   | unicast reply with the same address                | __neigh_update          | yes    |
 * | REACHABLE   | REACHABLE   | new address without OVERRIDE: ignored (confirmed!) | __neigh_update          | no     |
 * | REACHABLE   | STALE       | new address with WEAK_OVERRIDE: address kept       | __neigh_update          | yes    |
 * | DELAY       | DELAY       | new address with WEAK_OVERRIDE: not CONNECTED, kept| __neigh_update          | no     |
 * | FAILED      | STALE       | its old address again: confirmed backdated         | __neigh_update          | yes    |
 * | REACHABLE   | STALE       | new address with OVERRIDE: replaced, backdated     | __neigh_update          | yes    |
 * | REACHABLE   | FAILED      | admin update to an invalid state                   | __neigh_update          | yes    |
 * | INCOMPLETE  | FAILED      | update to FAILED: neigh_invalidate                 | __neigh_update          | yes    |
 * | INCOMPLETE  | NONE        | admin update to NONE: no invalidate, queue kept    | __neigh_update          | no     |
 * | NONE        | PROBE       | admin update to PROBE: timer at now, probe next    | __neigh_update          | yes    |
 * | PERMANENT   | PERMANENT   | non-admin update refused (EPERM)                   | __neigh_update          | no     |
 * | NONE        | NONE        | no address for an invalid entry (EINVAL)           | __neigh_update          | no     |
 * | PERMANENT   | NONE→INCOMP.| USE clears PERMANENT, then resolves                | __neigh_update          | no     |
 * | STALE       | STALE       | OVERRIDE_ISROUTER|ISROUTER sets the router flag    | neigh_update_is_router  | yes    |
 * | STALE       | REACHABLE   | ARP update (no OVERRIDE_ISROUTER): router kept     | neigh_update_is_router  | yes    |
 * | PERMANENT   | PERMANENT   | identical replace: nothing changed, no notify      | neigh_update_is_router  | no     |
 * </pre>
 */
class NudTransitionTest {
    private static final String US = "10.0.0.1";
    private static final String PEER = "10.0.0.2";

    private EngineFixture fx;
    private NeighbourTable tbl;

    @BeforeEach
    void setUp() {
        fx = new EngineFixture();
        tbl = fx.engine.table();
    }

    // ------------------------------------------------------------------ step helpers

    private Neighbour peer() {
        return fx.entry(PEER);
    }

    private void givenIncomplete() {
        assertThat(fx.send(US, PEER)).isEqualTo(Ipv4Output.Result.QUEUED);
        assertThat(peer().nudState()).isEqualTo(INCOMPLETE);
        fx.tx.clear();
        fx.events.clear();
    }

    private void givenReachable() {
        givenIncomplete();
        fx.receive(EngineFixture.reply(PEER_MAC, PEER, US));
        assertThat(peer().nudState()).isEqualTo(REACHABLE);
        fx.tx.clear();
        fx.events.clear();
    }

    private void givenStaleLearnedFromRequest() {
        fx.receive(EngineFixture.request(PEER_MAC, PEER, US));
        assertThat(peer().nudState()).isEqualTo(STALE);
        fx.tx.clear();
        fx.events.clear();
    }

    private void givenDelay() {
        givenStaleLearnedFromRequest();
        assertThat(fx.send(US, PEER)).isEqualTo(Ipv4Output.Result.SENT);
        assertThat(peer().nudState()).isEqualTo(DELAY);
        fx.tx.clear();
        fx.events.clear();
    }

    private void givenProbe() {
        givenDelay();
        fx.advanceJiffies(1251);
        assertThat(peer().nudState()).isEqualTo(PROBE);
        fx.tx.clear();
        fx.events.clear();
    }

    private static void assertBroadcastProbe(Sent s) {
        assertThat(s.ethDst()).isEqualTo(MacAddress.BROADCAST);
        assertThat(s.arp().op()).isEqualTo(ArpOp.REQUEST);
        assertThat(s.arp().senderMac()).isEqualTo(OUR_MAC);
        assertThat(s.arp().senderIp()).isEqualTo(Ipv4Address.parse(US));
        assertThat(s.arp().targetMac()).isEqualTo(MacAddress.ZERO);
        assertThat(s.arp().targetIp()).isEqualTo(Ipv4Address.parse(PEER));
    }

    private static void assertUnicastProbe(Sent s) {
        assertThat(s.ethDst()).isEqualTo(PEER_MAC);
        assertThat(s.arp().op()).isEqualTo(ArpOp.REQUEST);
        assertThat(s.arp().targetMac()).isEqualTo(MacAddress.ZERO);
        assertThat(s.arp().targetIp()).isEqualTo(Ipv4Address.parse(PEER));
    }

    // ------------------------------------------------------------------ send path

    /** __neigh_event_send(): NONE → INCOMPLETE, one broadcast probe at once, probes starts at ucast_solicit. */
    @Test
    void noneToIncompleteOnOutboundPacket() {
        long t0 = fx.now();
        assertThat(fx.send(US, PEER)).isEqualTo(Ipv4Output.Result.QUEUED);

        Neighbour n = peer();
        assertThat(n.nudState()).isEqualTo(INCOMPLETE);
        assertThat(n.probes()).isEqualTo(4);
        assertThat(n.updated()).isEqualTo(t0);
        assertThat(n.queueLenPackets()).isEqualTo(1);
        assertThat(fx.tx.arp()).singleElement().satisfies(NudTransitionTest::assertBroadcastProbe);
        assertThat(fx.events.events()).isEmpty();
        assertThat(fx.events.transitions()).containsExactly("NONE->INCOMPLETE");
    }

    /** __neigh_event_send(): FAILED is treated like NONE. */
    @Test
    void failedToIncompleteOnOutboundPacket() {
        givenIncomplete();
        fx.advanceJiffies(753);
        assertThat(peer().nudState()).isEqualTo(FAILED);
        fx.tx.clear();

        fx.send(US, PEER);

        assertThat(peer().nudState()).isEqualTo(INCOMPLETE);
        assertThat(peer().probes()).isEqualTo(4);
        assertThat(fx.tx.arp()).singleElement().satisfies(NudTransitionTest::assertBroadcastProbe);
    }

    /** __neigh_event_send(): with no probes allowed the entry fails at once and the packet is dropped. */
    @Test
    void noneToFailedWhenNoProbesAllowed() {
        fx.sysctl("net.ipv4.neigh.nd0.mcast_solicit", 0);

        assertThat(fx.send(US, PEER)).isEqualTo(Ipv4Output.Result.DROPPED);

        assertThat(peer().nudState()).isEqualTo(FAILED);
        assertThat(peer().queueLenPackets()).isZero();
        assertThat(fx.tx.all()).isEmpty();
        assertThat(fx.engine.stats().resFailed).isZero();
    }

    /** __neigh_event_send(): STALE → DELAY; the packet goes out at once with the cached address. */
    @Test
    void staleToDelayOnOutboundPacket() {
        givenStaleLearnedFromRequest();
        long t = fx.now();

        assertThat(fx.send(US, PEER)).isEqualTo(Ipv4Output.Result.SENT);

        assertThat(peer().nudState()).isEqualTo(DELAY);
        assertThat(peer().updated()).isEqualTo(t);
        assertThat(peer().timerFireAt()).isEqualTo(t + 1250 + 1);
        assertThat(fx.tx.ipv4()).singleElement().satisfies(s -> assertThat(s.ethDst()).isEqualTo(PEER_MAC));
        assertThat(fx.tx.arp()).isEmpty();
        assertThat(fx.events.events()).isEmpty();
    }

    /** __neigh_event_send(): INCOMPLETE queues; past unres_qlen_bytes the oldest goes (unresolved_discards). */
    @Test
    void incompleteQueueDropsOldestWhenFull() {
        int oneFrame = 832;
        fx.sysctl("net.ipv4.neigh.nd0.unres_qlen_bytes", 3L * oneFrame);
        givenIncomplete();

        fx.send(US, PEER);
        fx.send(US, PEER);
        assertThat(peer().queueLenPackets()).isEqualTo(3);
        assertThat(fx.engine.stats().unresDiscards).isZero();

        fx.send(US, PEER);
        assertThat(peer().queueLenPackets()).isEqualTo(3);
        assertThat(peer().queueLenBytes()).isEqualTo(3 * oneFrame);
        assertThat(fx.engine.stats().unresDiscards).isEqualTo(1);
        assertThat(fx.tx.arp()).as("queued packets do not probe again").isEmpty();
    }

    /** neigh_event_send(): a CONNECTED entry sends at once; the slow path stamps used, the cached fast path does not. */
    @Test
    void reachableSendsAtOnce() {
        givenReachable();
        fx.advanceJiffies(100);

        assertThat(fx.send(US, PEER)).isEqualTo(Ipv4Output.Result.SENT);

        assertThat(peer().nudState()).isEqualTo(REACHABLE);
        assertThat(fx.tx.ipv4()).hasSize(1);
        assertThat(peer().used()).as("hh cache fast path leaves used alone").isEqualTo(fx.now() - 100);
    }

    /** neigh_managed_work() → neigh_event_send_probe(immediate_ok=false): INCOMPLETE, probe on the next tick. */
    @Test
    void managedResolutionProbesOnNextTick() {
        Result<Void> r = fx.engine.admin().add(new NeighAdmin.Request(fx.nd0, ip(PEER), Neighbour.NO_LLADDR,
                NudState.NUD_NONE, NeighFlags.MANAGED, false), NeighAdmin.Mode.ADD);
        assertThat(r.ok()).isTrue();
        // neigh_add itself resolves at once (neigh_event_send): drive that attempt to FAILED
        fx.advanceJiffies(753);
        assertThat(peer().nudState()).isEqualTo(FAILED);
        fx.tx.clear();

        // managed_work runs every interval_probe_time_ms (5000 ms = 1250 jiffies from table start)
        long fireAt = peer().timerFireAt();
        assertThat(fireAt).isEqualTo(Long.MIN_VALUE);
        while (peer().nudState() == FAILED) {
            fx.advanceJiffies(1);
        }
        assertThat(peer().nudState()).isEqualTo(INCOMPLETE);
        assertThat(fx.tx.arp()).as("no probe at once").isEmpty();
        assertThat(peer().timerFireAt()).isEqualTo(fx.now() + 2);

        fx.advanceJiffies(2);
        assertThat(fx.tx.arp()).singleElement().satisfies(NudTransitionTest::assertBroadcastProbe);
    }

    // ------------------------------------------------------------------ timer

    /** neigh_timer_handler(): INCOMPLETE re-probes by broadcast every retrans_time. */
    @Test
    void incompleteRetransmitsBroadcastProbes() {
        givenIncomplete();

        fx.advanceJiffies(250);
        assertThat(fx.tx.arp()).as("not before expiry + 1").isEmpty();
        fx.advanceJiffies(1);
        assertThat(fx.tx.arp()).singleElement().satisfies(NudTransitionTest::assertBroadcastProbe);
        assertThat(peer().probes()).isEqualTo(5);

        fx.advanceJiffies(251);
        assertThat(fx.tx.arp()).hasSize(2);
        assertThat(peer().probes()).isEqualTo(6);
        assertThat(peer().nudState()).isEqualTo(INCOMPLETE);
    }

    /** neigh_timer_handler() + neigh_invalidate(): after mcast_solicit probes, FAILED; queued packets get dst_link_failure. */
    @Test
    void incompleteToFailedAfterMcastSolicitProbes() {
        givenIncomplete();
        fx.send(US, PEER);

        fx.advanceJiffies(752);
        assertThat(peer().nudState()).isEqualTo(INCOMPLETE);
        fx.advanceJiffies(1);

        Neighbour n = peer();
        assertThat(n.nudState()).isEqualTo(FAILED);
        assertThat(n.probes()).as("ip -s neigh shows probes 6 for a failed resolution").isEqualTo(6);
        assertThat(n.queueLenPackets()).isZero();
        assertThat(fx.linkFailures).hasSize(2);
        assertThat(fx.engine.stats().resFailed).isEqualTo(1);
        assertThat(fx.tx.arp()).hasSize(2);
        assertThat(fx.events.events()).containsExactly("NEWNEIGH 10.0.0.2 FAILED");
        assertThat(n.timerPending()).isFalse();
    }

    /** arp_solicit(): probes past ucast_solicit and below ucast+app are RTM_GETNEIGH misses, not frames. */
    @Test
    void appSolicitEmitsGetneighMiss() {
        fx.sysctl("net.ipv4.neigh.nd0.app_solicit", 1);

        fx.send(US, PEER);
        assertThat(fx.tx.arp()).isEmpty();
        assertThat(fx.events.events()).containsExactly("GETNEIGH 10.0.0.2 INCOMPLETE");

        fx.advanceJiffies(251 * 3);
        assertThat(fx.tx.arp()).hasSize(3).allSatisfy(NudTransitionTest::assertBroadcastProbe);
        assertThat(peer().nudState()).isEqualTo(INCOMPLETE);
        fx.advanceJiffies(251);
        assertThat(peer().nudState()).isEqualTo(FAILED);
        assertThat(peer().probes()).isEqualTo(7);
    }

    /** neigh_timer_handler(): REACHABLE stays while now <= confirmed + reachable_time. */
    @Test
    void reachableStaysWhileConfirmedRecently() {
        givenReachable();
        long confirmed = peer().confirmed();

        fx.advanceJiffies(7500);

        assertThat(peer().nudState()).isEqualTo(REACHABLE);
        assertThat(peer().timerFireAt()).isEqualTo(confirmed + 7500 + 1);
    }

    /** neigh_timer_handler(): REACHABLE → DELAY when not confirmed but used within delay_first_probe_time. */
    @Test
    void reachableToDelayWhenUsedRecently() {
        fx.sysctl("net.ipv4.neigh.nd0.base_reachable_time_ms", 2000);
        givenReachable();
        long t = fx.now();

        fx.advanceJiffies(500);
        assertThat(peer().nudState()).isEqualTo(REACHABLE);
        fx.advanceJiffies(1);

        assertThat(peer().nudState()).isEqualTo(DELAY);
        assertThat(peer().updated()).isEqualTo(t + 501);
        assertThat(peer().timerFireAt()).isEqualTo(t + 501 + 1250 + 1);
        assertThat(fx.events.events()).as("REACHABLE → DELAY is not notified").isEmpty();
    }

    /** neigh_timer_handler(): REACHABLE → STALE after reachable_time without confirmation or use. */
    @Test
    void reachableToStaleWhenReachableTimeExpires() {
        givenReachable();
        long t = fx.now();

        fx.advanceJiffies(7501);

        assertThat(peer().nudState()).isEqualTo(STALE);
        assertThat(peer().updated()).isEqualTo(t + 7501);
        assertThat(peer().timerPending()).isFalse();
        assertThat(fx.events.events()).containsExactly("NEWNEIGH 10.0.0.2 STALE");
    }

    /** neigh_timer_handler(): DELAY → REACHABLE when an upper layer confirmed during the delay. */
    @Test
    void delayToReachableWhenConfirmedDuringDelay() {
        givenDelay();
        fx.advanceJiffies(100);
        assertThat(fx.engine.confirm(Ipv4Address.parse(PEER))).isTrue();
        long confirmed = fx.now();

        fx.advanceJiffies(1151);

        assertThat(peer().nudState()).isEqualTo(REACHABLE);
        assertThat(peer().timerFireAt()).isEqualTo(confirmed + 7500 + 1);
        assertThat(fx.tx.arp()).as("no probe needed").isEmpty();
        assertThat(fx.events.events()).containsExactly("NEWNEIGH 10.0.0.2 REACHABLE");
    }

    /** neigh_timer_handler(): DELAY → PROBE after delay_first_probe_time; the first probe is unicast. */
    @Test
    void delayToProbeWhenNoConfirmationWithinDelayFirstProbeTime() {
        givenDelay();

        fx.advanceJiffies(1250);
        assertThat(peer().nudState()).isEqualTo(DELAY);
        fx.advanceJiffies(1);

        assertThat(peer().nudState()).isEqualTo(PROBE);
        assertThat(peer().probes()).isEqualTo(1);
        assertThat(fx.tx.arp()).singleElement().satisfies(NudTransitionTest::assertUnicastProbe);
        assertThat(fx.events.events()).containsExactly("NEWNEIGH 10.0.0.2 PROBE");
    }

    /** neigh_timer_handler(): PROBE keeps probing by unicast every retrans_time. */
    @Test
    void probeRetransmitsUnicast() {
        givenProbe();

        fx.advanceJiffies(251);
        fx.advanceJiffies(251);

        assertThat(fx.tx.arp()).hasSize(2).allSatisfy(NudTransitionTest::assertUnicastProbe);
        assertThat(peer().probes()).isEqualTo(3);
        assertThat(peer().nudState()).isEqualTo(PROBE);
    }

    /** neigh_timer_handler(): PROBE → FAILED once ucast_solicit unicast probes went unanswered. */
    @Test
    void probeToFailedAfterUcastSolicit() {
        givenProbe();

        fx.advanceJiffies(753);

        assertThat(peer().nudState()).isEqualTo(FAILED);
        assertThat(fx.tx.arp()).hasSize(2);
        assertThat(fx.engine.stats().resFailed).isEqualTo(1);
        assertThat(fx.events.events()).containsExactly("NEWNEIGH 10.0.0.2 FAILED");
    }

    /** neigh_max_probes() in PROBE counts mcast_resolicit: broadcasts follow the unicasts. */
    @Test
    void probeResolicitsByBroadcast() {
        fx.sysctl("net.ipv4.neigh.nd0.mcast_resolicit", 1);
        givenProbe();

        fx.advanceJiffies(251 * 3);

        List<Sent> probes = fx.tx.arp();
        assertThat(probes).hasSize(3);
        assertUnicastProbe(probes.get(0));
        assertUnicastProbe(probes.get(1));
        assertBroadcastProbe(probes.get(2));
        assertThat(peer().nudState()).isEqualTo(PROBE);
        fx.advanceJiffies(251);
        assertThat(peer().nudState()).isEqualTo(FAILED);
    }

    /** neigh_timer_handler(): an externally validated entry goes STALE, not FAILED, when probes run out. */
    @Test
    void probeToStaleWhenExternallyValidated() {
        Result<Void> r = fx.engine.admin().add(new NeighAdmin.Request(fx.nd0, ip(PEER), PEER_MAC.bits(),
                NudState.NUD_STALE, NeighFlags.EXT_VALIDATED, false), NeighAdmin.Mode.ADD);
        assertThat(r.ok()).isTrue();
        fx.send(US, PEER);
        fx.advanceJiffies(1251 + 753);

        assertThat(peer().nudState()).isEqualTo(STALE);
        assertThat(fx.engine.stats().resFailed).isZero();
    }

    /** neigh_timer_handler(): re-arms no sooner than HZ/100 (2 jiffies at HZ 250). */
    @Test
    void retransFloorIsHundredthOfSecond() {
        fx.sysctl("net.ipv4.neigh.nd0.retrans_time_ms", 0);
        long t = fx.now();

        fx.send(US, PEER);

        assertThat(peer().timerFireAt()).isEqualTo(t + 2 + 1);
    }

    // ------------------------------------------------------------------ update

    /** __neigh_update(): INCOMPLETE → REACHABLE on a unicast reply; the queue is sent. */
    @Test
    void incompleteToReachableOnReply() {
        givenIncomplete();
        long t = fx.now();

        fx.receive(EngineFixture.reply(PEER_MAC, PEER, US));

        Neighbour n = peer();
        assertThat(n.nudState()).isEqualTo(REACHABLE);
        assertThat(n.ha()).isEqualTo(PEER_MAC.bits());
        assertThat(n.confirmed()).isEqualTo(t);
        assertThat(n.queueLenPackets()).isZero();
        assertThat(fx.tx.ipv4()).singleElement().satisfies(s -> assertThat(s.ethDst()).isEqualTo(PEER_MAC));
        assertThat(fx.events.events()).containsExactly("NEWNEIGH 10.0.0.2 REACHABLE");
        assertThat(n.timerFireAt()).isEqualTo(t + 7500 + 1);
    }

    /** __neigh_update(): a request from the resolving host makes it STALE; the queue leaves through resolve output, so DELAY. */
    @Test
    void incompleteToStaleOnRequestFlushesQueueThroughDelay() {
        givenIncomplete();

        fx.receive(EngineFixture.request(PEER_MAC, PEER, US));

        assertThat(peer().nudState()).isEqualTo(DELAY);
        assertThat(fx.events.transitions()).containsExactly("INCOMPLETE->STALE", "STALE->DELAY");
        assertThat(fx.events.events()).containsExactly("NEWNEIGH 10.0.0.2 STALE");
        assertThat(fx.tx.ipv4()).hasSize(1);
    }

    /** neigh_event_ns(): a request for us from an unknown sender creates it STALE. */
    @Test
    void requestCreatesStaleEntry() {
        fx.receive(EngineFixture.request(PEER_MAC, PEER, US));

        assertThat(peer().nudState()).isEqualTo(STALE);
        assertThat(peer().ha()).isEqualTo(PEER_MAC.bits());
        assertThat(peer().probes()).isZero();
        assertThat(fx.events.events()).containsExactly("NEWNEIGH 10.0.0.2 STALE");
        assertThat(fx.engine.stats().allocs).isEqualTo(1);
    }

    /** __neigh_update(): STALE with the same address stays STALE and keeps its updated time (locktime window). */
    @Test
    void staleStaysStaleOnSameAddress() {
        givenStaleLearnedFromRequest();
        long updated = peer().updated();
        long confirmed = peer().confirmed();
        fx.advanceJiffies(500);

        fx.receive(EngineFixture.request(PEER_MAC, PEER, US));

        assertThat(peer().nudState()).isEqualTo(STALE);
        assertThat(peer().updated()).isEqualTo(updated);
        assertThat(peer().confirmed()).as("STALE is not CONNECTED: confirmed untouched").isEqualTo(confirmed);
        assertThat(fx.events.events()).isEmpty();
    }

    /** __neigh_update(): a unicast reply with the cached address makes a STALE entry REACHABLE. */
    @Test
    void staleToReachableOnUnicastReply() {
        givenStaleLearnedFromRequest();

        fx.receive(EngineFixture.reply(PEER_MAC, PEER, US));

        assertThat(peer().nudState()).isEqualTo(REACHABLE);
        assertThat(fx.events.events()).containsExactly("NEWNEIGH 10.0.0.2 REACHABLE");
    }

    /** __neigh_update(): a different address without OVERRIDE is ignored, yet confirmed is refreshed. */
    @Test
    void reachableIgnoresNewAddressWithoutOverride() {
        givenReachable();
        fx.advanceJiffies(10);

        int err = tbl.update(peer(), OTHER_MAC.bits(), NudState.NUD_REACHABLE, 0);

        assertThat(err).isZero();
        assertThat(peer().ha()).isEqualTo(PEER_MAC.bits());
        assertThat(peer().confirmed()).isEqualTo(fx.now());
        assertThat(fx.events.events()).isEmpty();
    }

    /** __neigh_update(): WEAK_OVERRIDE suspects a CONNECTED entry: STALE, address unchanged. */
    @Test
    void weakOverrideSuspectsConnectedEntry() {
        givenReachable();

        tbl.update(peer(), OTHER_MAC.bits(), NudState.NUD_STALE, UpdateFlags.WEAK_OVERRIDE);

        assertThat(peer().nudState()).isEqualTo(STALE);
        assertThat(peer().ha()).isEqualTo(PEER_MAC.bits());
        assertThat(fx.events.events()).containsExactly("NEWNEIGH 10.0.0.2 STALE");
    }

    /** __neigh_update(): OVERRIDE replaces the address; not CONNECTED, so confirmed is backdated 2·base_reachable_time. */
    @Test
    void overrideReplacesAddress() {
        givenReachable();
        fx.advanceJiffies(10);

        tbl.update(peer(), OTHER_MAC.bits(), NudState.NUD_STALE, UpdateFlags.OVERRIDE);

        assertThat(peer().nudState()).isEqualTo(STALE);
        assertThat(peer().ha()).isEqualTo(OTHER_MAC.bits());
        assertThat(peer().confirmed()).isEqualTo(fx.now() - 2 * 7500);
        assertThat(peer().updated()).isEqualTo(fx.now());
        assertThat(fx.events.events()).containsExactly("NEWNEIGH 10.0.0.2 STALE");
    }

    /** __neigh_update(): an admin update to FAILED from a VALID state notifies. */
    @Test
    void adminFailOfValidEntryNotifies() {
        givenReachable();

        tbl.update(peer(), Neighbour.NO_LLADDR, NudState.NUD_FAILED, UpdateFlags.OVERRIDE | UpdateFlags.ADMIN);

        assertThat(peer().nudState()).isEqualTo(FAILED);
        assertThat(peer().timerPending()).isFalse();
        assertThat(fx.engine.stats().resFailed).as("not a failed resolution").isZero();
        assertThat(fx.events.events()).containsExactly("NEWNEIGH 10.0.0.2 FAILED");
    }

    /** __neigh_update(): INCOMPLETE → FAILED invalidates: res_failed, error reports, notify. */
    @Test
    void incompleteToFailedByUpdateInvalidates() {
        givenIncomplete();

        tbl.update(peer(), Neighbour.NO_LLADDR, NudState.NUD_FAILED, UpdateFlags.OVERRIDE | UpdateFlags.ADMIN);

        assertThat(peer().nudState()).isEqualTo(FAILED);
        assertThat(fx.engine.stats().resFailed).isEqualTo(1);
        assertThat(fx.linkFailures).hasSize(1);
        assertThat(fx.events.events()).containsExactly("NEWNEIGH 10.0.0.2 FAILED");
    }

    /** __neigh_update(): PERMANENT entries refuse non-admin updates (EPERM). */
    @Test
    void permanentRefusesNonAdminUpdate() {
        fx.engine.admin().add(new NeighAdmin.Request(fx.nd0, ip(PEER), PEER_MAC.bits(), NudState.NUD_PERMANENT, 0,
                false), NeighAdmin.Mode.ADD);
        fx.events.clear();

        int err = tbl.update(peer(), OTHER_MAC.bits(), NudState.NUD_STALE, UpdateFlags.OVERRIDE);
        fx.receive(EngineFixture.garpRequest(OTHER_MAC, PEER));

        assertThat(err).isEqualTo(Errno.EPERM);
        assertThat(peer().nudState()).isEqualTo(PERMANENT);
        assertThat(peer().ha()).isEqualTo(PEER_MAC.bits());
        assertThat(fx.events.events()).isEmpty();
    }

    /** __neigh_update(): no address for an entry that has none is EINVAL. */
    @Test
    void noAddressForInvalidEntryIsEinval() {
        Neighbour n = tbl.create(fx.nd0, ip(PEER));

        int err = tbl.update(n, Neighbour.NO_LLADDR, NudState.NUD_REACHABLE, UpdateFlags.ADMIN);

        assertThat(err).isEqualTo(Errno.EINVAL);
        assertThat(n.nudState()).isEqualTo(NONE);
    }

    /** __neigh_update() with USE: PERMANENT is cleared and neigh_add then resolves. */
    @Test
    void useClearsPermanentAndResolves() {
        fx.engine.admin().add(new NeighAdmin.Request(fx.nd0, ip(PEER), PEER_MAC.bits(), NudState.NUD_PERMANENT, 0,
                false), NeighAdmin.Mode.ADD);

        Result<Void> r = fx.engine.admin().add(new NeighAdmin.Request(fx.nd0, ip(PEER), Neighbour.NO_LLADDR,
                NudState.NUD_PERMANENT, 0, true), NeighAdmin.Mode.REPLACE);

        assertThat(r.ok()).isTrue();
        assertThat(fx.events.transitions()).contains("PERMANENT->NONE", "NONE->INCOMPLETE");
        assertThat(peer().nudState()).isEqualTo(INCOMPLETE);
    }

    /** neigh_update_is_router(): OVERRIDE_ISROUTER with ISROUTER sets the router flag and notifies. */
    @Test
    void isRouterSetsRouterFlag() {
        givenStaleLearnedFromRequest();

        tbl.update(peer(), PEER_MAC.bits(), NudState.NUD_STALE, UpdateFlags.OVERRIDE_ISROUTER | UpdateFlags.ISROUTER);

        assertThat(peer().isRouter()).isTrue();
        assertThat(fx.events.events()).containsExactly("NEWNEIGH 10.0.0.2 STALE");
    }
    // ------------------------------------------------------------------ boundaries and knobs

    /** __neigh_event_send(): mcast_solicit + app_solicit, not their difference, decides whether to resolve. */
    @Test
    void noneToIncompleteWithEqualMcastAndAppSolicit() {
        fx.sysctl("net.ipv4.neigh.nd0.mcast_solicit", 1);
        fx.sysctl("net.ipv4.neigh.nd0.app_solicit", 1);

        assertThat(fx.send(US, PEER)).isEqualTo(Ipv4Output.Result.QUEUED);

        assertThat(peer().nudState()).isEqualTo(INCOMPLETE);
        assertThat(peer().queueLenPackets()).isEqualTo(1);
    }

    /** neigh_output(): the cached header is used only while CONNECTED; STALE goes through neigh_resolve_output. */
    @Test
    void aCachedHeaderIsUsedOnlyWhileConnected() {
        givenReachable();
        fx.advanceJiffies(7501);
        assertThat(peer().nudState()).isEqualTo(STALE);
        fx.tx.clear();

        assertThat(fx.send(US, PEER)).isEqualTo(Ipv4Output.Result.SENT);

        assertThat(peer().nudState()).isEqualTo(DELAY);
        assertThat(peer().used()).isEqualTo(fx.now());
        assertThat(fx.tx.ipv4()).singleElement().satisfies(s -> assertThat(s.ethDst()).isEqualTo(PEER_MAC));
    }

    /**
     * neigh_timer_handler(): time_before_eq(now, confirmed + reachable_time) keeps the entry on the
     * very jiffy, and the timer is re-armed for confirmed + reachable_time, which is now, so no
     * sooner than HZ/100 (2 jiffies) later.
     */
    @Test
    void reachableConfirmedAJiffyAfterArmingStaysToTheJiffy() {
        givenReachable();
        long t = fx.now();
        fx.advanceJiffies(1);
        assertThat(fx.engine.confirm(Ipv4Address.parse(PEER))).isTrue();

        fx.advanceJiffies(7500);

        assertThat(peer().nudState()).isEqualTo(REACHABLE);
        assertThat(peer().timerFireAt()).isEqualTo(t + 7501 + 2 + 1);
        fx.advanceJiffies(2);
        assertThat(peer().nudState()).isEqualTo(REACHABLE);
        fx.advanceJiffies(1);
        assertThat(peer().nudState()).isEqualTo(STALE);
        assertThat(peer().updated()).isEqualTo(t + 7504);
        assertThat(fx.events.events()).containsExactly("NEWNEIGH 10.0.0.2 STALE");
    }

    /** neigh_timer_handler(): a confirmation during REACHABLE moves the next check to confirmed + reachable_time. */
    @Test
    void aLaterConfirmationMovesTheDeadline() {
        givenReachable();
        long t = fx.now();
        fx.advanceJiffies(100);
        fx.engine.confirm(Ipv4Address.parse(PEER));

        fx.advanceJiffies(7401);

        assertThat(peer().nudState()).isEqualTo(REACHABLE);
        assertThat(peer().timerFireAt()).isEqualTo(t + 100 + 7500 + 1);
        fx.advanceJiffies(99);
        assertThat(peer().nudState()).isEqualTo(REACHABLE);
        fx.advanceJiffies(1);
        assertThat(peer().nudState()).isEqualTo(STALE);
        assertThat(peer().updated()).isEqualTo(t + 7601);
    }

    /** neigh_timer_handler(): time_before_eq(now, used + delay_probe_time): used exactly that long ago is recent. */
    @Test
    void reachableToDelayWhenUsedExactlyDelayFirstProbeTimeAgo() {
        givenReachable();
        long t = fx.now();
        fx.advanceJiffies(6251);
        List<ResolveOutcome> outcomes = new ArrayList<>();
        fx.engine.resolve(fx.nd0, ip(PEER), outcomes::add);
        assertThat(outcomes).containsExactly(ResolveOutcome.VALID);
        assertThat(peer().used()).isEqualTo(t + 6251);

        fx.advanceJiffies(1250);

        assertThat(peer().nudState()).isEqualTo(DELAY);
        assertThat(peer().timerFireAt()).isEqualTo(t + 7501 + 1250 + 1);
    }

    /** neigh_timer_handler(): time_before_eq(now, confirmed + delay_probe_time) in DELAY, on the very jiffy. */
    @Test
    void delayToReachableWhenConfirmedExactlyDelayFirstProbeTimeAgo() {
        givenDelay();
        long t = fx.now();
        fx.advanceJiffies(1);
        fx.engine.confirm(Ipv4Address.parse(PEER));

        fx.advanceJiffies(1250);

        assertThat(peer().nudState()).isEqualTo(REACHABLE);
        assertThat(peer().timerFireAt()).isEqualTo(t + 1 + 7500 + 1);
        assertThat(fx.tx.arp()).isEmpty();
    }

    /**
     * neigh_timer_handler(): only INCOMPLETE and PROBE entries fail when probes reach
     * neigh_max_probes(); a resolved entry keeps the count it resolved with, whatever the knobs say now.
     */
    @Test
    void loweredSolicitKnobsFailOnlyProbingEntries() {
        givenReachable();
        assertThat(peer().probes()).isEqualTo(4);
        fx.sysctl("net.ipv4.neigh.nd0.ucast_solicit", 0);
        fx.sysctl("net.ipv4.neigh.nd0.mcast_solicit", 1);

        fx.advanceJiffies(7501);

        assertThat(peer().nudState()).isEqualTo(STALE);
        assertThat(fx.engine.stats().resFailed).isZero();
    }

    /** __neigh_update(): WEAK_OVERRIDE suspects only CONNECTED entries; a new address for DELAY is ignored. */
    @Test
    void weakOverrideIgnoresANewAddressWhenNotConnected() {
        givenDelay();

        int err = tbl.update(peer(), OTHER_MAC.bits(), NudState.NUD_STALE, UpdateFlags.WEAK_OVERRIDE);

        assertThat(err).isZero();
        assertThat(peer().nudState()).isEqualTo(DELAY);
        assertThat(peer().ha()).isEqualTo(PEER_MAC.bits());
        assertThat(fx.events.events()).isEmpty();
    }

    /**
     * __neigh_update(): an address is "the same" only for a VALID entry; a FAILED entry that still
     * holds it takes it as new, so confirmed is backdated by 2·base_reachable_time.
     */
    @Test
    void aFailedEntryLearningItsOldAddressAgainIsBackdated() {
        givenProbe();
        fx.advanceJiffies(753);
        assertThat(peer().nudState()).isEqualTo(FAILED);
        assertThat(peer().ha()).isEqualTo(PEER_MAC.bits());
        fx.advanceJiffies(10);
        fx.events.clear();

        fx.receive(EngineFixture.request(PEER_MAC, PEER, US));

        assertThat(peer().nudState()).isEqualTo(STALE);
        assertThat(peer().confirmed()).isEqualTo(fx.now() - 2 * 7500);
        assertThat(fx.events.events()).containsExactly("NEWNEIGH 10.0.0.2 STALE");
    }

    /** __neigh_update(): an invalid new state other than FAILED neither invalidates nor notifies; the queue waits. */
    @Test
    void anIncompleteEntrySetToNoneKeepsItsQueue() {
        givenIncomplete();

        int err = tbl.update(peer(), Neighbour.NO_LLADDR, NudState.NUD_NONE, UpdateFlags.OVERRIDE | UpdateFlags.ADMIN);

        assertThat(err).isZero();
        assertThat(peer().nudState()).isEqualTo(NONE);
        assertThat(peer().timerPending()).isFalse();
        assertThat(peer().queueLenPackets()).isEqualTo(1);
        assertThat(fx.linkFailures).isEmpty();
        assertThat(fx.engine.stats().resFailed).isZero();
        assertThat(fx.events.events()).isEmpty();
    }

    /** __neigh_update(): a timer state other than REACHABLE is armed for now, so PROBE probes on the next tick. */
    @Test
    void adminProbeStateProbesOnTheNextTick() {
        long t = fx.now();

        Result<Void> r = fx.engine.admin().add(new NeighAdmin.Request(fx.nd0, ip(PEER), PEER_MAC.bits(),
                NudState.NUD_PROBE, 0, false), NeighAdmin.Mode.REPLACE);

        assertThat(r.ok()).isTrue();
        assertThat(peer().nudState()).isEqualTo(PROBE);
        assertThat(peer().timerFireAt()).isEqualTo(t + 1);
        fx.advanceJiffies(1);
        assertThat(fx.tx.arp()).singleElement().satisfies(NudTransitionTest::assertUnicastProbe);
        assertThat(peer().probes()).isEqualTo(1);
    }

    /** neigh_update_is_router(): only OVERRIDE_ISROUTER touches the flag; ARP never passes it. */
    @Test
    void arpUpdatesKeepTheRouterFlag() {
        Result<Void> r = fx.engine.admin().add(new NeighAdmin.Request(fx.nd0, ip(PEER), PEER_MAC.bits(),
                NudState.NUD_STALE, NeighFlags.ROUTER, false), NeighAdmin.Mode.ADD);
        assertThat(r.ok()).isTrue();
        assertThat(peer().isRouter()).isTrue();

        fx.receive(EngineFixture.reply(PEER_MAC, PEER, US));

        assertThat(peer().nudState()).isEqualTo(REACHABLE);
        assertThat(peer().isRouter()).isTrue();
    }

    /** neigh_update_is_router() notifies only a change: an identical replace changes nothing and says nothing. */
    @Test
    void anIdenticalReplaceIsNotNotified() {
        NeighAdmin.Request same = new NeighAdmin.Request(fx.nd0, ip(PEER), PEER_MAC.bits(), NudState.NUD_PERMANENT,
                NeighFlags.ROUTER, false);
        assertThat(fx.engine.admin().add(same, NeighAdmin.Mode.ADD).ok()).isTrue();
        fx.events.clear();

        assertThat(fx.engine.admin().add(same, NeighAdmin.Mode.REPLACE).ok()).isTrue();

        assertThat(fx.events.events()).isEmpty();
        assertThat(peer().isRouter()).isTrue();
        assertThat(peer().nudState()).isEqualTo(PERMANENT);
    }
}
