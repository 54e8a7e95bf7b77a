package io.neighd.engine;

import io.neighd.arp.Reason;
import io.neighd.ip.NetDevice;
import io.neighd.neighbour.NeighVar;
import io.neighd.neighbour.NudState;
import io.neighd.testkit.EngineFixture;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv4Cidr;
import io.neighd.wire.MacAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.neighd.testkit.EngineFixture.OTHER_MAC;
import static io.neighd.testkit.EngineFixture.PEER_MAC;
import static io.neighd.testkit.EngineFixture.garpRequest;
import static io.neighd.testkit.EngineFixture.ip;
import static io.neighd.testkit.EngineFixture.reply;
import static io.neighd.testkit.EngineFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every consumer of every knob, at the values Linux can store (issue 10, defect 3): 0, 1, the
 * documented maximum, an overflowed value and a negative one for the neigh parms; any int for
 * the devconf knobs. Each row's expectation is the kernel's own expression, named in the test,
 * evaluated with the kernel's types (int knobs, unsigned long jiffies, u32 draws); nothing may
 * throw. HZ 250; the scripted random source draws the midpoint of its range unless told.
 *
 * <pre>
 * | knob                    | consumer (kernel)                                   | expression                                        |
 * |-------------------------|-----------------------------------------------------|---------------------------------------------------|
 * | locktime                | arp_process                                         | time_after(jiffies, n->updated + locktime)        |
 * | proxy_delay             | neigh_proxy_delay / arp_process                     | get_random_u32_below((unsigned long) delay); == 0 |
 * | retrans_time(_ms)       | __neigh_event_send, neigh_timer_handler             | now + max(retrans_time, HZ/100)                   |
 * | base_reachable_time(_ms)| neigh_rand_reach_time, ___neigh_create,             | u32_below((u32) b) + ((ulong) b >> 1) as int;     |
 * |                         | __neigh_update, neigh_add_timer, neigh_periodic_work| jiffies - (b << 1) (int); requeue after b >> 1    |
 * | delay_first_probe_time  | __neigh_event_send, neigh_timer_handler             | jiffies + delay; now <= used/confirmed + delay    |
 * | gc_stale_time           | neigh_periodic_work                                 | !time_in_range_open(now, used, used + stale)      |
 * | unres_qlen(_bytes)      | __neigh_event_send                                  | len + truesize > limit (unsigned)                 |
 * | proxy_qlen              | pneigh_enqueue                                      | p->qlen > proxy_qlen (u32)                        |
 * | *_solicit, *_resolicit  | neigh_max_probes, __neigh_event_send, arp_solicit   | int sums, wrapping                                |
 * | gc_thresh1/2/3          | neigh_alloc, neigh_forced_gc, neigh_periodic_work   | int comparisons                                   |
 * | anycast_delay, gc_interval | none for IPv4 (ndisc; nothing)                   | stored only                                       |
 * | conf.*                  | arp_ignore, arp_announce, arp_accept, ... switches  | IN_DEV_MAXCONF/ORCONF/ANDCONF; switch defaults    |
 * </pre>
 */
class KnobEdgeTest {
    private static final String US = "10.0.0.1";
    private static final String PEER = "10.0.0.2";
    private static final MacAddress ND1_MAC = MacAddress.parse("02:aa:00:00:01:01");

    private EngineFixture fx;
    private NetDevice nd1;

    @BeforeEach
    void setUp() {
        fx = new EngineFixture();
        nd1 = fx.addInterface("nd1", 3, ND1_MAC, "10.1.0.1/24");
    }

    private void set(String key, long value) {
        fx.engine.sysctl().set(key, value);
    }

    private static String neigh(String key) {
        return "net.ipv4.neigh.nd0." + key;
    }

    private static String conf(String key) {
        return "net.ipv4.conf.nd0." + key;
    }

    private int stored(NeighVar v) {
        return fx.nd0.arpParms().get(v);
    }

    private long broadcasts() {
        return fx.tx.arp().stream().filter(s -> s.ethDst().isBroadcast()).count();
    }

    private long unicasts() {
        return fx.tx.arp().stream().filter(s -> !s.ethDst().isBroadcast()).count();
    }

    /** A STALE entry for the peer, learned from its request for our address. */
    private void learnPeer() {
        assertThat(fx.receive(request(PEER_MAC, PEER, US))).isEqualTo(Reason.REPLIED);
        fx.tx.clear();
    }

    // ------------------------------------------------------------------ locktime

    /** arp_process: override = time_after(jiffies, n->updated + NEIGH_VAR(n->parms, LOCKTIME)) || is_garp. */
    @ParameterizedTest(name = "locktime {0} (stored {1}): a new address {2} jiffies after the update overrides: {3}")
    @CsvSource({
            "0, 0, 0, false",
            "0, 0, 1, true",
            "1, 2, 2, false",
            "1, 2, 3, true",
            "858993459, 2147483647, 25000, false",
            "900000000, -2044967296, 0, true",
            "-5, -1, 0, true"})
    void locktime(long written, int stored, int after, boolean overrides) {
        set(neigh("locktime"), written);
        assertThat(stored(NeighVar.LOCKTIME)).isEqualTo(stored);
        learnPeer();
        fx.advanceJiffies(after);

        assertThat(fx.receive(request(OTHER_MAC, PEER, "10.0.0.77"))).isEqualTo(Reason.UPDATED);

        assertThat(fx.entry(PEER).ha()).isEqualTo(overrides ? OTHER_MAC.bits() : PEER_MAC.bits());
    }

    // ------------------------------------------------------------------ proxy_delay, proxy_qlen

    @Nested
    class Proxy {
        @BeforeEach
        void routerOnNd0() {
            set(conf("forwarding"), 1);
            set(conf("proxy_arp"), 1);
        }

        /**
         * neigh_proxy_delay(): sched_next = jiffies + get_random_u32_below(proxy_delay) with the int knob
         * taken as an unsigned long (the draw sees its low 32 bits); 0 answers at once (arp_process).
         * Before the fix an overflowed or negative value threw on every proxied request.
         */
        @ParameterizedTest(name = "proxy_delay {0} (stored {1}): drawn below {2}")
        @CsvSource({
                "1, 2, 2",
                "858993459, 2147483647, 2147483647",
                "900000000, -2044967296, 2250000000",
                "-5, -1, 4294967295"})
        void aProxiedRequestWaitsARandomTimeBelowTheStoredValueAsUnsigned(long written, int stored, long bound) {
            set(neigh("proxy_delay"), written);
            assertThat(stored(NeighVar.PROXY_DELAY)).isEqualTo(stored);
            long delay = Math.min(bound - 1, 5);
            fx.random.next(delay);

            assertThat(fx.receive(request(PEER_MAC, PEER, "10.1.0.5"))).isEqualTo(Reason.PROXY_QUEUED);
            assertThat(fx.random.lastBound()).isEqualTo(bound);

            fx.advanceJiffies(delay);
            assertThat(fx.tx.arp()).isEmpty();
            fx.advanceJiffies(1);
            assertThat(fx.tx.arp()).singleElement().satisfies(s -> assertThat(s.arp().senderIp())
                    .isEqualTo(Ipv4Address.parse("10.1.0.5")));
        }

        @Test
        void zeroAnswersAtOnce() {
            set(neigh("proxy_delay"), 0);

            assertThat(fx.receive(request(PEER_MAC, PEER, "10.1.0.5"))).isEqualTo(Reason.PROXY_REPLIED);
        }

        /** An overflowed delay holds the request for up to 104 days, as in Linux: nothing is sent within a day. */
        @Test
        void anOverflowedDelayHoldsTheRequestAsLinuxDoes() {
            set(neigh("proxy_delay"), 900000000);

            assertThat(fx.receive(request(PEER_MAC, PEER, "10.1.0.5"))).isEqualTo(Reason.PROXY_QUEUED);
            fx.advanceMs(1000);

            assertThat(fx.tx.arp()).isEmpty();
            assertThat(fx.engine.table().proxyQueueLength()).isEqualTo(1);
        }

        /** pneigh_enqueue: dropped when p->qlen > proxy_qlen (u32 against int), so proxy_qlen + 1 wait. */
        @ParameterizedTest(name = "proxy_qlen {0}: {1} of 3 requests wait")
        @CsvSource({"0, 1", "1, 2", "2147483647, 3"})
        void proxyQlen(long qlen, int waiting) {
            set(neigh("proxy_qlen"), qlen);
            for (int i = 0; i < 3; i++) {
                fx.receive(request(PEER_MAC, PEER, "10.1.0." + (10 + i)));
            }

            assertThat(fx.engine.table().proxyQueueLength()).isEqualTo(waiting);
        }
    }

    // ------------------------------------------------------------------ retrans_time

    /** __neigh_event_send / neigh_timer_handler: next = now + max(NEIGH_VAR(p, RETRANS_TIME), HZ/100). */
    @ParameterizedTest(name = "{0} = {1} (stored {2}): probes {3} jiffies apart")
    @CsvSource({
            "retrans_time, 0, 0, 2",
            "retrans_time, 1, 2, 2",
            "retrans_time_ms, 1, 1, 2",
            "retrans_time_ms, 40, 10, 10",
            "retrans_time, 858993459, 2147483647, 2147483647",
            "retrans_time, 900000000, -2044967296, 2",
            "retrans_time, -5, -1, 2",
            "retrans_time_ms, 4294967301, 2, 2",
            "retrans_time_ms, 2147483647, 536870912, 536870912"})
    void retransTime(String key, long written, int stored, long interval) {
        set(neigh(key), written);
        assertThat(stored(NeighVar.RETRANS_TIME)).isEqualTo(stored);
        long t = fx.now();

        fx.engine.resolve(fx.nd0, ip("10.0.0.9"), o -> {
        });

        assertThat(broadcasts()).isEqualTo(1);
        assertThat(fx.entry("10.0.0.9").timerFireAt()).isEqualTo(t + interval + 1);
        if (interval < 100) {
            fx.advanceJiffies(interval);
            assertThat(broadcasts()).isEqualTo(1);
            fx.advanceJiffies(1);
            assertThat(broadcasts()).isEqualTo(2);
        }
    }

    // ------------------------------------------------------------------ base_reachable_time

    @Nested
    class BaseReachableTime {
        /**
         * neigh_rand_reach_time(): get_random_u32_below(base) + (base >> 1) with base an unsigned long
         * made from the int knob, stored in the int reachable_time (midpoint draw).
         */
        @ParameterizedTest(name = "{0} = {1} (stored {2}): reachable_time {3}")
        @CsvSource({
                "base_reachable_time_ms, 0, 0, 0",
                "base_reachable_time_ms, 1, 1, 0",
                "base_reachable_time, 30, 7500, 7500",
                "base_reachable_time, 8589934, 2147483500, 2147483500",
                "base_reachable_time, -5, -1250, 2147482398",
                "base_reachable_time, -8589934, -2147483500, 148"})
        void reachableTimeIsDrawnAsTheKernelDraws(String key, long written, int stored, int reachable) {
            set(neigh(key), written);

            assertThat(stored(NeighVar.BASE_REACHABLE_TIME)).isEqualTo(stored);
            assertThat(fx.nd0.arpParms().reachableTime()).isEqualTo(reachable);
        }

        /** A REACHABLE entry lasts reachable_time: 0 makes it STALE on the next tick. */
        @Test
        void zeroReachableTimeLastsOneTick() {
            set(neigh("base_reachable_time_ms"), 0);
            fx.send(US, PEER);
            fx.receive(reply(PEER_MAC, PEER, US));
            assertThat(fx.state(PEER)).isEqualTo(NudState.REACHABLE);

            fx.advanceJiffies(1);

            assertThat(fx.state(PEER)).isIn(NudState.DELAY, NudState.STALE);
        }

        /**
         * ___neigh_create and __neigh_update backdate confirmed by (int) (base << 1), which for a negative
         * or a huge base dates it in the future; neigh_add_timer() then pulls it back to
         * jiffies - (LONG_MAX - 86400 HZ), so the DELAY timer finds no confirmation and probes. Before
         * the fix the future confirmation made the never-confirmed neighbour REACHABLE.
         */
        @ParameterizedTest(name = "base_reachable_time {0}: a learned entry used by traffic is probed, not trusted")
        @CsvSource({"-5", "8589934"})
        void aConfirmationDatedInTheFutureIsPulledBackWhenATimerIsArmed(long base) {
            set(neigh("base_reachable_time"), base);
            learnPeer();
            assertThat(fx.entry(PEER).confirmed()).isGreaterThan(fx.now());

            fx.send(US, PEER);

            assertThat(fx.state(PEER)).isEqualTo(NudState.DELAY);
            assertThat(fx.entry(PEER).confirmed()).isEqualTo(fx.now() - (Long.MAX_VALUE - 86_400L * 250));
            fx.advanceJiffies(1250 + 1);
            assertThat(fx.state(PEER)).isEqualTo(NudState.PROBE);
            assertThat(fx.engine.neighbour(fx.nd0, ip(PEER)).confirmedAgo()).isPositive();
        }

        /**
         * neigh_periodic_work requeues itself after NEIGH_VAR(&tbl->parms, BASE_REACHABLE_TIME) >> 1 (an
         * int shift, then an unsigned long delay): a negative base puts it in the past, so it runs on
         * every tick; 1 jiffy gives 0, which the kernel runs at once and neighd on the next tick.
         */
        @ParameterizedTest(name = "default base_reachable_time_ms {0}: {1} GC runs in 10 ticks")
        @CsvSource({"-5000, 10", "4, 10", "1, 10", "30000, 0", "2147483647, 0"})
        void periodicGcRunsEveryHalfOfTheDefaultBase(long ms, long runs) {
            if (ms < 0) {
                set("net.ipv4.neigh.default.base_reachable_time", ms / 1000);
            } else {
                set("net.ipv4.neigh.default.base_reachable_time_ms", ms);
            }
            long before = fx.engine.stats().periodicGcRuns;
            // the run armed before the write comes first (start: reachable_time; later: 15 s apart)
            while (fx.engine.stats().periodicGcRuns == before) {
                fx.advanceJiffies(1);
            }
            long first = fx.engine.stats().periodicGcRuns;

            fx.advanceJiffies(10);

            assertThat(fx.engine.stats().periodicGcRuns - first).isEqualTo(runs);
        }
    }

    // ------------------------------------------------------------------ delay_first_probe_time

    @Nested
    class DelayFirstProbeTime {
        /** __neigh_event_send: STALE -> DELAY with a timer at jiffies + delay; past expiries run on the next tick. */
        @ParameterizedTest(name = "delay_first_probe_time {0} (stored {1}): PROBE after {2} jiffies")
        @CsvSource({"0, 0, 1", "1, 250, 251", "-5, -1250, 1", "8589934, 2147483500, 2147483501"})
        void staleToDelayToProbe(long written, int stored, long probeAfter) {
            set(neigh("delay_first_probe_time"), written);
            assertThat(stored(NeighVar.DELAY_PROBE_TIME)).isEqualTo(stored);
            learnPeer();
            long t = fx.now();

            fx.send(US, PEER);

            assertThat(fx.state(PEER)).isEqualTo(NudState.DELAY);
            assertThat(fx.entry(PEER).timerFireAt()).isEqualTo(t + probeAfter);
            if (probeAfter < 1000) {
                fx.advanceJiffies(probeAfter);
                assertThat(fx.state(PEER)).isEqualTo(NudState.PROBE);
                assertThat(unicasts()).isEqualTo(1);
            }
        }

        /**
         * neigh_timer_handler on REACHABLE expiry: DELAY if time_before_eq(now, used + delay), else
         * STALE: a negative delay sends a just-used entry to STALE.
         */
        @ParameterizedTest(name = "delay_first_probe_time {0}: an expired REACHABLE entry used just before goes to {1}")
        @CsvSource({"5, DELAY", "0, STALE", "-5, STALE"})
        void reachableExpiry(long delay, NudState next) {
            set(neigh("base_reachable_time_ms"), 400);
            set(neigh("delay_first_probe_time"), delay);
            fx.send(US, PEER);
            fx.receive(reply(PEER_MAC, PEER, US));
            fx.advanceJiffies(99);
            fx.send(US, PEER);

            fx.advanceJiffies(2);

            assertThat(fx.state(PEER)).isEqualTo(next);
        }
    }

    // ------------------------------------------------------------------ gc_stale_time, gc_thresh*

    @Nested
    class Gc {
        /**
         * neigh_periodic_work (entries >= gc_thresh1): an unreferenced entry goes when
         * !time_in_range_open(jiffies, used, used + gc_staletime); the first run is 30 s after start.
         */
        @ParameterizedTest(name = "gc_stale_time {0}: an idle STALE entry survives the first GC run: {1}")
        @CsvSource({"0, false", "-5, false", "60, true", "8589934, true"})
        void staleEntriesGoAfterGcStaleTime(long stale, boolean kept) {
            set("net.ipv4.neigh.default.gc_thresh1", 0);
            set(neigh("gc_stale_time"), stale);
            learnPeer();
            long runs = fx.engine.stats().periodicGcRuns;
            while (fx.engine.stats().periodicGcRuns == runs) {
                fx.advanceJiffies(1);
            }

            assertThat(fx.entry(PEER) != null).isEqualTo(kept);
        }

        /** neigh_alloc: entries >= gc_thresh3 and forced GC freed nothing: no entry, and arp_process sends no reply. */
        @Test
        void gcThresh3ZeroLearnsNothingAndAnswersNothing() {
            set("net.ipv4.neigh.default.gc_thresh3", 0);

            assertThat(fx.receive(request(PEER_MAC, PEER, US))).isEqualTo(Reason.TABLE_FULL);

            assertThat(fx.tx.all()).isEmpty();
            assertThat(fx.engine.stats().tableFulls).isEqualTo(1);
        }

        @Test
        void gcThresholdsAtIntMaxLimitNothing() {
            set("net.ipv4.neigh.default.gc_thresh1", Integer.MAX_VALUE);
            set("net.ipv4.neigh.default.gc_thresh2", Integer.MAX_VALUE);
            set("net.ipv4.neigh.default.gc_thresh3", Integer.MAX_VALUE);
            set(neigh("gc_stale_time"), 0);
            for (int i = 2; i < 200; i++) {
                assertThat(fx.receive(request(PEER_MAC, "10.0.0." + i, US))).isEqualTo(Reason.REPLIED);
            }

            fx.advanceMs(60_000);

            assertThat(fx.engine.table().entries()).as("periodic GC skips a table under gc_thresh1").isEqualTo(198);
        }

        /** neigh_forced_gc: max_clean = gc_entries - gc_thresh2 may be negative: it stops after one candidate. */
        @Test
        void forcedGcWithGcThresh2AboveTheEntriesStopsEarly() {
            set("net.ipv4.neigh.default.gc_thresh3", 2);
            set("net.ipv4.neigh.default.gc_thresh2", Integer.MAX_VALUE);
            fx.receive(request(PEER_MAC, "10.0.0.2", US));
            fx.receive(request(PEER_MAC, "10.0.0.3", US));
            fx.advanceMs(6000);

            assertThat(fx.receive(request(PEER_MAC, "10.0.0.4", US))).isEqualTo(Reason.REPLIED);

            assertThat(fx.engine.table().entries()).isEqualTo(2);
            assertThat(fx.entry("10.0.0.2")).as("the oldest went").isNull();
        }
    }

    // ------------------------------------------------------------------ unres_qlen(_bytes)

    /** __neigh_event_send: while (len + truesize > QUEUE_LEN_BYTES) drop the oldest, then queue (unsigned sums). */
    @ParameterizedTest(name = "unres_qlen_bytes {0}: {1} of 3 packets wait")
    @CsvSource({"0, 1", "1, 1", "2147483647, 3"})
    void unresQlenBytes(long bytes, int waiting) {
        set(neigh("unres_qlen_bytes"), bytes);
        for (int i = 0; i < 3; i++) {
            fx.send(US, "10.0.0.9");
        }

        assertThat(fx.entry("10.0.0.9").queueLenPackets()).isEqualTo(waiting);
        assertThat(fx.engine.stats().unresDiscards).isEqualTo(3 - waiting);
    }

    // ------------------------------------------------------------------ the probe counts

    /**
     * neigh_max_probes = UCAST + APP + MCAST (int, wrapping), __neigh_event_send (MCAST + APP == 0:
     * FAILED at once; probes start at UCAST), arp_solicit (probes - UCAST < 0: unicast; - APP < 0:
     * RTM_GETNEIGH; else broadcast): what resolving a silent address sends until FAILED.
     */
    @ParameterizedTest(name = "{0} = {1}: {2} broadcast(s), {3} GETNEIGH(s), then FAILED")
    @CsvSource({
            "mcast_solicit, 0, 0, 0",
            "mcast_solicit, 1, 1, 0",
            "mcast_solicit, 2147483647, 1, 0",
            "ucast_solicit, 0, 3, 0",
            "ucast_solicit, 1, 3, 0",
            "ucast_solicit, 2147483647, 3, 0",
            "app_solicit, 1, 3, 1",
            "app_solicit, 2147483647, 0, 1"})
    void probesWhileIncomplete(String key, long value, long bcasts, long getneighs) {
        set(neigh(key), value);

        fx.engine.resolve(fx.nd0, ip("10.0.0.9"), o -> {
        });
        fx.advanceMs(10_000);

        assertThat(fx.state("10.0.0.9")).isEqualTo(NudState.FAILED);
        assertThat(broadcasts()).isEqualTo(bcasts);
        assertThat(unicasts()).isZero();
        assertThat(fx.events.raw().stream().filter(e -> e.type() == NeighEvent.Type.GETNEIGH).count())
                .isEqualTo(getneighs);
    }

    /**
     * In PROBE, neigh_max_probes = UCAST + APP + MCAST_REPROBES: at INT_MAX the sum wraps negative and
     * the entry fails on entering PROBE, before any probe.
     */
    @ParameterizedTest(name = "mcast_resolicit {0}: {1} unicast probe(s)")
    @CsvSource({"0, 3", "1, 3", "2147483647, 0"})
    void probesWhileProbing(long value, long probes) {
        set(neigh("mcast_resolicit"), value);
        learnPeer();
        fx.send(US, PEER);
        fx.advanceMs(5_004);

        fx.advanceMs(10_000);

        assertThat(fx.state(PEER)).isEqualTo(NudState.FAILED);
        assertThat(unicasts()).isEqualTo(probes);
    }

    // ------------------------------------------------------------------ knobs without an IPv4 consumer

    @Test
    void anycastDelayAndGcIntervalAreStoredOnly() {
        set(neigh("anycast_delay"), 900000000);
        set("net.ipv4.neigh.default.gc_interval", -5);

        assertThat(fx.engine.sysctl().get(neigh("anycast_delay"))).isEqualTo(-817986918);
        assertThat(fx.engine.sysctl().get("net.ipv4.neigh.default.gc_interval")).isEqualTo(-5);
        learnPeer();
        fx.advanceMs(60_000);
        assertThat(fx.state(PEER)).isEqualTo(NudState.STALE);
    }

    // ------------------------------------------------------------------ devconf

    @Nested
    class Conf {
        /**
         * arp_ignore(): switch (IN_DEV_ARP_IGNORE) — max(all, dev) — with 4..7 and default replying: for
         * nd1's address asked on nd0, 1 and 2 refuse (not on the ingress), 8 never replies.
         */
        @ParameterizedTest(name = "arp_ignore {0}: {1}")
        @CsvSource({"-2147483648, REPLIED", "-1, REPLIED", "0, REPLIED", "1, ARP_IGNORE_NOT_ON_INGRESS",
                "2, ARP_IGNORE_NOT_ON_INGRESS", "3, REPLIED", "5, REPLIED", "8, ARP_IGNORE_NEVER", "9, REPLIED",
                "2147483647, REPLIED"})
        void arpIgnore(long value, Reason reason) {
            set(conf("arp_ignore"), value);

            assertThat(fx.receive(request(PEER_MAC, PEER, "10.1.0.1"))).isEqualTo(reason);
        }

        /** IN_DEV_MAXCONF: with all at -1 too, the effective value is -1, which replies. */
        @Test
        void arpIgnoreNegativeEverywhereReplies() {
            set("net.ipv4.conf.all.arp_ignore", -1);
            set(conf("arp_ignore"), -1);

            assertThat(fx.nd0.inDevConf(io.neighd.ip.DevVar.ARP_IGNORE)).isEqualTo(-1);
            assertThat(fx.receive(request(PEER_MAC, PEER, "10.1.0.1"))).isEqualTo(Reason.REPLIED);
        }

        /**
         * arp_solicit(): switch (IN_DEV_ARP_ANNOUNCE) { default: case 0: the packet's local source; case 1:
         * only if on the target's subnet; case 2: inet_select_addr }.
         */
        @ParameterizedTest(name = "arp_announce {0}: the request says it is from {1}")
        @CsvSource({"-2147483648, 10.9.9.9", "-1, 10.9.9.9", "0, 10.9.9.9", "1, 10.0.0.1", "2, 10.0.0.1",
                "3, 10.9.9.9", "2147483647, 10.9.9.9"})
        void arpAnnounce(long value, String sender) {
            fx.engine.addAddress(fx.nd0, Ipv4Cidr.parse("10.9.9.9/32"));
            set(conf("arp_announce"), value);

            fx.send("10.9.9.9", PEER);

            assertThat(fx.tx.arp()).singleElement().satisfies(s -> assertThat(s.arp().senderIp())
                    .isEqualTo(Ipv4Address.parse(sender)));
        }

        /** arp_accept(): switch { case 0: no; case 1: yes; case 2: sender on a local subnet; default: no }. */
        @ParameterizedTest(name = "arp_accept {0}: a gratuitous ARP from a stranger creates an entry: {1}")
        @CsvSource({"-2147483648, false", "-1, false", "0, false", "1, true", "2, true", "3, false",
                "2147483647, false"})
        void arpAccept(long value, boolean creates) {
            set(conf("arp_accept"), value);

            fx.receive(garpRequest(PEER_MAC, "10.0.0.5"));

            assertThat(fx.entry("10.0.0.5") != null).isEqualTo(creates);
        }

        /** IN_DEV_ORCONF(arp_filter): any non-zero value filters (the route back to 10.1.0.9 leaves nd1). */
        @ParameterizedTest(name = "arp_filter {0}: {1}")
        @CsvSource({"-2147483648, ARP_FILTER_ROUTE_MISMATCH", "-1, ARP_FILTER_ROUTE_MISMATCH", "0, REPLIED",
                "2, ARP_FILTER_ROUTE_MISMATCH", "2147483647, ARP_FILTER_ROUTE_MISMATCH"})
        void arpFilter(long value, Reason reason) {
            set(conf("arp_filter"), value);

            assertThat(fx.receive(request(PEER_MAC, "10.1.0.9", US))).isEqualTo(reason);
        }

        /** IN_DEV_FORWARD and IN_DEV_ORCONF(proxy_arp): any non-zero value is on. */
        @ParameterizedTest(name = "{0} {1}: {2}")
        @CsvSource({"forwarding, -1, PROXY_REPLIED", "forwarding, -2147483648, PROXY_REPLIED",
                "forwarding, 0, NOT_FOR_US", "forwarding, 2147483647, PROXY_REPLIED",
                "proxy_arp, -1, PROXY_REPLIED", "proxy_arp, 0, NOT_FOR_US", "proxy_arp, 7, PROXY_REPLIED"})
        void proxySwitches(String key, long value, Reason reason) {
            set(conf("forwarding"), 1);
            set(conf("proxy_arp"), 1);
            set(neigh("proxy_delay"), 0);
            set(conf(key), value);

            assertThat(fx.receive(request(PEER_MAC, PEER, "10.1.0.5"))).isEqualTo(reason);
        }

        /**
         * arp_fwd_proxy(): imi = IN_DEV_MEDIUM_ID(in); 0 proxies, -1 never, else only if the out device's
         * omi != imi and omi != -1 (nd1's medium_id is 0, or as given).
         */
        @ParameterizedTest(name = "medium_id nd0 {0}, nd1 {1}: {2}")
        @CsvSource({"-2147483648, 0, PROXY_REPLIED", "-2, 0, PROXY_REPLIED", "-1, 0, NOT_FOR_US",
                "0, 0, PROXY_REPLIED", "1, 0, PROXY_REPLIED", "2147483647, 0, PROXY_REPLIED",
                "5, 5, NOT_FOR_US", "5, -1, NOT_FOR_US", "5, -2147483648, PROXY_REPLIED"})
        void mediumId(long in, long out, Reason reason) {
            set(conf("forwarding"), 1);
            set(conf("proxy_arp"), 1);
            set(neigh("proxy_delay"), 0);
            set(conf("medium_id"), in);
            set("net.ipv4.conf.nd1.medium_id", out);

            assertThat(fx.receive(request(PEER_MAC, PEER, "10.1.0.5"))).isEqualTo(reason);
        }

        /** arp_fwd_pvlan(): IN_DEV_PROXY_ARP_PVLAN(in_dev), any non-zero value. */
        @ParameterizedTest(name = "proxy_arp_pvlan {0}: {1}")
        @CsvSource({"-1, PROXY_REPLIED", "0, NOT_FOR_US", "2147483647, PROXY_REPLIED"})
        void proxyArpPvlan(long value, Reason reason) {
            set(conf("forwarding"), 1);
            set(neigh("proxy_delay"), 0);
            set(conf("proxy_arp_pvlan"), value);

            assertThat(fx.receive(request(PEER_MAC, PEER, "10.0.0.3"))).isEqualTo(reason);
        }

        /** inetdev_event(NETDEV_UP): if (IN_DEV_ARP_NOTIFY(in_dev)), max(all, dev). */
        @ParameterizedTest(name = "arp_notify {0}: gratuitous ARP on up: {1}")
        @CsvSource({"-2147483648, false", "-1, false", "0, false", "1, true", "2147483647, true"})
        void arpNotify(long value, boolean announces) {
            set(conf("arp_notify"), value);
            fx.engine.setUp(fx.nd0, false);

            fx.engine.setUp(fx.nd0, true);

            assertThat(fx.tx.arp().isEmpty()).isEqualTo(!announces);
        }

        /** IN_DEV_ORCONF(drop_gratuitous_arp): any non-zero value drops sip == tip. */
        @ParameterizedTest(name = "drop_gratuitous_arp {0}: {1}")
        @CsvSource({"-1, GRATUITOUS_DROPPED", "0, UPDATED", "2147483647, GRATUITOUS_DROPPED"})
        void dropGratuitousArp(long value, Reason reason) {
            learnPeer();
            set(conf("drop_gratuitous_arp"), value);

            assertThat(fx.receive(garpRequest(PEER_MAC, PEER))).isEqualTo(reason);
        }

        /** IN_DEV_ORCONF(route_localnet): any non-zero value lets 127/8 through. */
        @ParameterizedTest(name = "route_localnet {0}: {1}")
        @CsvSource({"-1, REPLIED", "0, TARGET_LOOPBACK", "2147483647, REPLIED"})
        void routeLocalnet(long value, Reason reason) {
            fx.engine.addAddress(fx.nd0, Ipv4Cidr.parse("127.25.3.4/24"));
            set(conf("route_localnet"), value);

            assertThat(fx.receive(request(PEER_MAC, "127.25.3.1", "127.25.3.4"))).isEqualTo(reason);
        }

        /** IN_DEV_ANDCONF(arp_evict_nocarrier), all = 1: any non-zero device value evicts. */
        @ParameterizedTest(name = "arp_evict_nocarrier {0}: carrier loss evicts: {1}")
        @CsvSource({"-2147483648, true", "-1, true", "0, false", "2147483647, true"})
        void arpEvictNocarrier(long value, boolean evicts) {
            learnPeer();
            set(conf("arp_evict_nocarrier"), value);

            fx.engine.setCarrier(fx.nd0, false);

            assertThat(fx.entry(PEER) == null).isEqualTo(evicts);
        }
    }
}
