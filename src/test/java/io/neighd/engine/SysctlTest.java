package io.neighd.engine;

import io.neighd.arp.Reason;
import io.neighd.ip.DevVar;
import io.neighd.ip.NetDevice;
import io.neighd.neighbour.NeighParms;
import io.neighd.neighbour.NeighVar;
import io.neighd.testkit.EngineFixture;
import io.neighd.wire.MacAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.neighd.testkit.EngineFixture.PEER_MAC;
import static io.neighd.testkit.EngineFixture.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The knobs by their Linux names and in Linux units, written and read the way the kernel's
 * handlers do at HZ 250 (USER_HZ 100): neigh_sysctl_template and the neigh_proc_* handlers in
 * net/core/neighbour.c, the devinet_sysctl table and devinet_conf_proc() / devinet_sysctl_forward()
 * / ipv4_doint_and_flush() in net/ipv4/devinet.c, and the converters of kernel/sysctl.c.
 *
 * <pre>
 * | Handler                              | Knobs                                          | Write            | Read              |
 * |--------------------------------------|------------------------------------------------|------------------|-------------------|
 * | neigh_proc_dointvec_zero_intmax      | *_solicit, mcast_resolicit, unres_qlen_bytes,  | 0..INT_MAX       | as is             |
 * |                                      | proxy_qlen                                     |                  |                   |
 * | neigh_proc_dointvec_userhz_jiffies   | retrans_time, anycast_delay, proxy_delay,      | x·HZ/USER_HZ     | x·USER_HZ/HZ      |
 * |                                      | locktime                                       | (truncated)      | (truncated)       |
 * | neigh_proc_dointvec_jiffies          | base_reachable_time, delay_first_probe_time,   | x·HZ, x ≤        | x/HZ (truncated)  |
 * |                                      | gc_stale_time, gc_interval                     | INT_MAX/HZ       |                   |
 * | neigh_proc_dointvec_ms_jiffies       | retrans_time_ms, base_reachable_time_ms        | msecs_to_jiffies | jiffies_to_msecs  |
 * |                                      |                                                | (rounds up)      |                   |
 * | ..._ms_jiffies_positive              | interval_probe_time_ms                         | ≥ 1 jiffy        |                   |
 * | proc_unres_qlen                      | unres_qlen                                     | x·SKB_TRUESIZE(  | bytes/2090        |
 * |                                      |                                                | 1514) = x·2090   |                   |
 * | proc_dointvec_minmax                 | gc_thresh1..3 (default only)                   | 0..INT_MAX       | as is             |
 * | neigh_proc_update                    | every neigh knob                               | marks it set; a default write reaches unset devices |
 * | neigh_proc_base_reachable_time       | base_reachable_time(_ms)                       | re-randomises that parms' reachable_time only       |
 * | devinet_conf_proc                    | arp_*, proxy_arp*, medium_id, rp_filter, ...   | marks it set; a default write reaches unset devices |
 * | devinet_sysctl_forward               | forwarding                                     | all: every device and default; default: no copy     |
 * | ipv4_doint_and_flush                 | route_localnet                                 | no copy from default                                |
 * </pre>
 */
class SysctlTest {
    private EngineFixture fx;
    private Sysctl sysctl;

    @BeforeEach
    void setUp() {
        fx = new EngineFixture();
        sysctl = fx.engine.sysctl();
    }

    private long get(String name) {
        return sysctl.get(name);
    }

    private void set(String name, long value) {
        sysctl.set(name, value);
    }

    private List<String> names(String prefix) {
        return sysctl.list(prefix).stream().map(k -> k.name().substring(prefix.length())).sorted().toList();
    }

    // ------------------------------------------------------------------ names

    @Nested
    class Names {
        private final List<String> neighKeys = List.of("anycast_delay", "app_solicit", "base_reachable_time",
                "base_reachable_time_ms", "delay_first_probe_time", "gc_stale_time", "interval_probe_time_ms",
                "locktime", "mcast_resolicit", "mcast_solicit", "proxy_delay", "proxy_qlen", "retrans_time",
                "retrans_time_ms", "ucast_solicit", "unres_qlen", "unres_qlen_bytes");

        @Test
        void perDeviceNeighKnobsEndAtBaseReachableTimeMs() {
            assertThat(names("net.ipv4.neigh.nd0.")).containsExactlyElementsOf(neighKeys);
            assertThat(names("net.ipv4.neigh.lo.")).containsExactlyElementsOf(neighKeys);
        }

        @Test
        void theDefaultAlsoHasTheTableWideGcKnobs() {
            List<String> expected = new java.util.ArrayList<>(neighKeys);
            expected.addAll(List.of("gc_interval", "gc_thresh1", "gc_thresh2", "gc_thresh3"));
            assertThat(names("net.ipv4.neigh.default.")).containsExactlyInAnyOrderElementsOf(expected);
        }

        @Test
        void confKnobsExistForAllDefaultAndEachDevice() {
            List<String> conf = List.of("accept_local", "arp_accept", "arp_announce", "arp_evict_nocarrier", "arp_filter",
                    "arp_ignore", "arp_notify", "drop_gratuitous_arp", "forwarding", "medium_id", "proxy_arp",
                    "proxy_arp_pvlan", "route_localnet", "rp_filter");
            for (String scope : List.of("all", "default", "lo", "nd0")) {
                assertThat(names("net.ipv4.conf." + scope + ".")).as(scope).containsExactlyElementsOf(conf);
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"net.ipv4.neigh.nd0.gc_thresh1", "net.ipv4.neigh.nd0.gc_interval",
                "net.ipv4.neigh.all.locktime", "net.ipv4.neigh.nd9.locktime", "net.ipv4.conf.nd9.arp_ignore",
                "net.ipv4.conf.nd0.arp_ignored", "net.ipv4.conf.arp_ignore", "kernel.hz", ""})
        void unknownNamesAreRefusedNamingTheKey(String name) {
            assertThatThrownBy(() -> sysctl.get(name)).isInstanceOfSatisfying(Sysctl.SysctlException.class, e -> {
                assertThat(e.key()).isEqualTo(name);
                assertThat(e.getMessage()).contains("'" + name + "'");
            });
            assertThatThrownBy(() -> set(name, 1)).isInstanceOf(Sysctl.SysctlException.class);
        }

        @ParameterizedTest(name = "{0} is in {1}")
        @CsvSource({
                "net.ipv4.neigh.nd0.retrans_time, 1/100 s",
                "net.ipv4.neigh.nd0.proxy_delay, 1/100 s",
                "net.ipv4.neigh.nd0.locktime, 1/100 s",
                "net.ipv4.neigh.nd0.anycast_delay, 1/100 s",
                "net.ipv4.neigh.nd0.retrans_time_ms, milliseconds",
                "net.ipv4.neigh.nd0.base_reachable_time_ms, milliseconds",
                "net.ipv4.neigh.nd0.interval_probe_time_ms, milliseconds",
                "net.ipv4.neigh.nd0.base_reachable_time, seconds",
                "net.ipv4.neigh.nd0.delay_first_probe_time, seconds",
                "net.ipv4.neigh.nd0.gc_stale_time, seconds",
                "net.ipv4.neigh.default.gc_interval, seconds",
                "net.ipv4.neigh.nd0.unres_qlen, packets",
                "net.ipv4.neigh.nd0.unres_qlen_bytes, bytes",
                "net.ipv4.neigh.nd0.mcast_solicit, count",
                "net.ipv4.neigh.default.gc_thresh3, entries"})
        void units(String name, String unit) {
            assertThat(sysctl.knob(name).unit()).isEqualTo(unit);
        }
    }

    // ------------------------------------------------------------------ defaults and rounding

    /** arp_tbl's initialiser, read back through the handlers: HZ-dependent values come out in Linux units. */
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "mcast_solicit, 3", "ucast_solicit, 3", "app_solicit, 0", "mcast_resolicit, 0",
            "retrans_time, 100", "retrans_time_ms, 1000", "base_reachable_time, 30", "base_reachable_time_ms, 30000",
            "delay_first_probe_time, 5", "interval_probe_time_ms, 5000", "gc_stale_time, 60",
            "unres_qlen_bytes, 212992", "unres_qlen, 101", "proxy_qlen, 64", "anycast_delay, 100",
            "proxy_delay, 80", "locktime, 100"})
    void neighDefaults(String key, long value) {
        assertThat(get("net.ipv4.neigh.default." + key)).isEqualTo(value);
        assertThat(get("net.ipv4.neigh.nd0." + key)).isEqualTo(value);
    }

    @Test
    void tableDefaults() {
        assertThat(get("net.ipv4.neigh.default.gc_interval")).isEqualTo(30);
        assertThat(get("net.ipv4.neigh.default.gc_thresh1")).isEqualTo(128);
        assertThat(get("net.ipv4.neigh.default.gc_thresh2")).isEqualTo(512);
        assertThat(get("net.ipv4.neigh.default.gc_thresh3")).isEqualTo(1024);
    }

    @Test
    void confDefaultsAreZeroButEvictNocarrier() {
        for (DevVar v : DevVar.values()) {
            long expected = v == DevVar.ARP_EVICT_NOCARRIER ? 1 : 0;
            assertThat(get("net.ipv4.conf.all." + v.key())).as(v.key()).isEqualTo(expected);
            assertThat(get("net.ipv4.conf.nd0." + v.key())).as(v.key()).isEqualTo(expected);
        }
    }

    /**
     * Writes round through jiffies: msecs_to_jiffies rounds up, clock_t_to_jiffies (HZ % USER_HZ
     * != 0) computes x·250/100 truncated, jiffies_to_clock_t x·4 ms/10 ms truncated, seconds ·HZ.
     */
    @ParameterizedTest(name = "{0} = {1} → {2} jiffies; reads {3}, {4} = {5}")
    @CsvSource({
            "retrans_time_ms, 250, 63, 252, retrans_time, 25",
            "retrans_time_ms, 1, 1, 4, retrans_time, 0",
            "retrans_time_ms, 0, 0, 0, retrans_time, 0",
            "retrans_time, 1, 2, 0, retrans_time_ms, 8",
            "retrans_time, 33, 82, 32, retrans_time_ms, 328",
            "retrans_time, 100, 250, 100, retrans_time_ms, 1000",
            "base_reachable_time_ms, 1001, 251, 1004, base_reachable_time, 1",
            "base_reachable_time_ms, 999, 250, 1000, base_reachable_time, 1",
            "base_reachable_time, 7, 1750, 7, base_reachable_time_ms, 7000",
            "delay_first_probe_time, 2, 500, 2, delay_first_probe_time, 2",
            "proxy_delay, 1, 2, 0, proxy_delay, 0",
            "locktime, 3, 7, 2, locktime, 2"})
    void timeKnobsRoundLikeTheKernel(String key, long written, long jiffies, long readBack, String other,
                                     long otherReads) {
        set("net.ipv4.neigh.nd0." + key, written);

        assertThat(get("net.ipv4.neigh.nd0." + key)).isEqualTo(readBack);
        assertThat(get("net.ipv4.neigh.nd0." + other)).isEqualTo(otherReads);
        NeighVar var = switch (key) {
            case "retrans_time", "retrans_time_ms" -> NeighVar.RETRANS_TIME;
            case "base_reachable_time", "base_reachable_time_ms" -> NeighVar.BASE_REACHABLE_TIME;
            case "delay_first_probe_time" -> NeighVar.DELAY_PROBE_TIME;
            case "proxy_delay" -> NeighVar.PROXY_DELAY;
            default -> NeighVar.LOCKTIME;
        };
        assertThat(fx.nd0.arpParms().get(var)).isEqualTo(jiffies);
    }

    /** proc_unres_qlen(): packets are SKB_TRUESIZE(ETH_FRAME_LEN) = 1514 + 256 + 320 = 2090 bytes. */
    @Test
    void unresQlenIsUnresQlenBytesInFullSizeFrames() {
        set("net.ipv4.neigh.nd0.unres_qlen", 3);
        assertThat(get("net.ipv4.neigh.nd0.unres_qlen_bytes")).isEqualTo(6270);

        set("net.ipv4.neigh.nd0.unres_qlen_bytes", 5000);
        assertThat(get("net.ipv4.neigh.nd0.unres_qlen")).isEqualTo(2);
        assertThat(fx.nd0.arpParms().get(NeighVar.QUEUE_LEN_BYTES)).isEqualTo(5000);

        set("net.ipv4.neigh.nd0.unres_qlen", 1027504);
        assertThatThrownBy(() -> set("net.ipv4.neigh.nd0.unres_qlen", 1027505))
                .as("unres_qlen_max = INT_MAX / 2090").isInstanceOf(Sysctl.SysctlException.class);
    }

    @Test
    void gcIntervalIsKeptInJiffies() {
        set("net.ipv4.neigh.default.gc_interval", 7);
        assertThat(get("net.ipv4.neigh.default.gc_interval")).isEqualTo(7);
        assertThat(fx.engine.table().gcInterval()).isEqualTo(1750);
    }

    // ------------------------------------------------------------------ default and all

    @Nested
    class DefaultWrites {
        /** neigh_copy_dflt_parms(): only parms whose data_state bit is clear take the default's value. */
        @Test
        void neighDefaultReachesOnlyDevicesThatNeverSetTheKey() {
            set("net.ipv4.neigh.nd0.ucast_solicit", 5);

            set("net.ipv4.neigh.default.ucast_solicit", 7);
            set("net.ipv4.neigh.default.locktime", 50);

            assertThat(get("net.ipv4.neigh.nd0.ucast_solicit")).isEqualTo(5);
            assertThat(get("net.ipv4.neigh.lo.ucast_solicit")).isEqualTo(7);
            assertThat(get("net.ipv4.neigh.nd0.locktime")).isEqualTo(50);
            assertThat(fx.nd0.arpParms().get(NeighVar.LOCKTIME)).isEqualTo(125);
        }

        /** neigh_parms_alloc() copies the table default, whatever was written to it before. */
        @Test
        void aNewDeviceStartsFromTheDefault() {
            set("net.ipv4.neigh.default.ucast_solicit", 7);
            set("net.ipv4.conf.default.arp_ignore", 2);

            NetDevice nd1 = fx.addInterface("nd1", 3, MacAddress.parse("02:aa:00:00:01:01"), "10.1.0.1/24");

            assertThat(get("net.ipv4.neigh.nd1.ucast_solicit")).isEqualTo(7);
            assertThat(get("net.ipv4.conf.nd1.arp_ignore")).isEqualTo(2);
            assertThat(nd1.arpParms().isSet(NeighVar.UCAST_PROBES)).isFalse();
        }

        /** devinet_conf_proc(): set_bit(), and devinet_copy_dflt_conf() for devices whose bit is clear. */
        @Test
        void confDefaultReachesOnlyDevicesThatNeverSetTheKey() {
            set("net.ipv4.conf.nd0.arp_ignore", 1);

            set("net.ipv4.conf.default.arp_ignore", 3);
            set("net.ipv4.conf.default.arp_announce", 2);

            assertThat(get("net.ipv4.conf.nd0.arp_ignore")).isEqualTo(1);
            assertThat(get("net.ipv4.conf.lo.arp_ignore")).isEqualTo(3);
            assertThat(get("net.ipv4.conf.nd0.arp_announce")).isEqualTo(2);
            assertThat(get("net.ipv4.conf.all.arp_ignore")).as("default is not all").isZero();
        }

        /** Writing a device's key marks it even when the value does not change. */
        @Test
        void writingTheSameValueStillMarksTheKey() {
            set("net.ipv4.conf.nd0.arp_ignore", 0);
            set("net.ipv4.neigh.nd0.locktime", 100);

            set("net.ipv4.conf.default.arp_ignore", 1);
            set("net.ipv4.neigh.default.locktime", 10);

            assertThat(get("net.ipv4.conf.nd0.arp_ignore")).isZero();
            assertThat(get("net.ipv4.neigh.nd0.locktime")).isEqualTo(100);
            assertThat(fx.nd0.arpParms().isSet(NeighVar.LOCKTIME)).isTrue();
            assertThat(fx.nd0.arpParms().isSet(NeighVar.UCAST_PROBES)).isFalse();
        }

        /** devinet_sysctl_forward() never calls devinet_copy_dflt_conf(): default.forwarding is for new devices. */
        @Test
        void defaultForwardingDoesNotReachExistingDevices() {
            set("net.ipv4.conf.default.forwarding", 1);

            assertThat(get("net.ipv4.conf.nd0.forwarding")).isZero();
            NetDevice nd1 = fx.addInterface("nd1", 3, MacAddress.parse("02:aa:00:00:01:01"), "10.1.0.1/24");
            assertThat(get("net.ipv4.conf.nd1.forwarding")).isEqualTo(1);
            assertThat(nd1).isNotNull();
        }

        /** route_localnet is a DEVINET_SYSCTL_FLUSHING_ENTRY: ipv4_doint_and_flush() copies nothing either. */
        @Test
        void defaultRouteLocalnetDoesNotReachExistingDevices() {
            set("net.ipv4.conf.default.route_localnet", 1);

            assertThat(get("net.ipv4.conf.nd0.route_localnet")).isZero();
        }

        /** inet_forward_change(): all.forwarding is written to default and to every device (IN_DEV_CONF_SET). */
        @Test
        void allForwardingReachesEveryDeviceEvenOnesThatSetIt() {
            set("net.ipv4.conf.nd0.forwarding", 0);

            set("net.ipv4.conf.all.forwarding", 1);

            assertThat(get("net.ipv4.conf.nd0.forwarding")).isEqualTo(1);
            assertThat(get("net.ipv4.conf.lo.forwarding")).isEqualTo(1);
            assertThat(get("net.ipv4.conf.default.forwarding")).isEqualTo(1);
            set("net.ipv4.conf.nd0.forwarding", 0);
            assertThat(get("net.ipv4.conf.lo.forwarding")).isEqualTo(1);

            set("net.ipv4.conf.all.forwarding", 0);
            assertThat(get("net.ipv4.conf.lo.forwarding")).isZero();
        }

        /** Other all.* writes touch only all; the effective value combines per knob. */
        @Test
        void allArpIgnoreIsOnlyCombined() {
            set("net.ipv4.conf.all.arp_ignore", 8);

            assertThat(get("net.ipv4.conf.nd0.arp_ignore")).isZero();
            assertThat(fx.nd0.inDevConf(DevVar.ARP_IGNORE)).isEqualTo(8);
            assertThat(fx.receive(EngineFixture.request(PEER_MAC, "10.0.0.2", "10.0.0.1")))
                    .isEqualTo(Reason.ARP_IGNORE_NEVER);
        }
    }

    // ------------------------------------------------------------------ base_reachable_time

    @Nested
    class BaseReachableTime {
        /** neigh_proc_base_reachable_time(): neigh_rand_reach_time(base) right after the write. */
        @Test
        void aDeviceWriteReRandomisesThatDeviceOnly() {
            fx.random.next(100);

            set("net.ipv4.neigh.nd0.base_reachable_time_ms", 10000);

            assertThat(fx.nd0.arpParms().reachableTime()).isEqualTo(100 + 1250);
            assertThat(fx.engine.table().defaultParms().reachableTime()).isEqualTo(7500);
            assertThat(fx.engine.device("lo").arpParms().reachableTime()).isEqualTo(7500);
        }

        /**
         * For default, neigh_proc_update() copies the value to unset devices first, then only the
         * default's reachable_time is re-randomised: devices keep theirs until the periodic work.
         */
        @Test
        void aDefaultWriteCopiesTheBaseButLeavesDeviceReachableTimes() {
            fx.random.next(0);

            set("net.ipv4.neigh.default.base_reachable_time", 20);

            NeighParms dflt = fx.engine.table().defaultParms();
            assertThat(dflt.reachableTime()).isEqualTo(2500);
            assertThat(fx.nd0.arpParms().get(NeighVar.BASE_REACHABLE_TIME)).isEqualTo(5000);
            assertThat(fx.nd0.arpParms().reachableTime()).isEqualTo(7500);
            assertThat(fx.random.nextLong(1000)).as("one draw only: the queue is empty again").isEqualTo(500);
        }

        /** The seconds name does the same. */
        @Test
        void theSecondsNameReRandomisesToo() {
            fx.random.next(2);

            set("net.ipv4.neigh.nd0.base_reachable_time", 1);

            assertThat(fx.nd0.arpParms().reachableTime()).isEqualTo(2 + 125);
        }

        /** neigh_rand_reach_time(0) is 0 without a draw. */
        @Test
        void zeroBaseGivesZeroReachableTime() {
            set("net.ipv4.neigh.nd0.base_reachable_time", 0);

            assertThat(fx.nd0.arpParms().reachableTime()).isZero();
        }

        /** The new reachable_time applies to the next REACHABLE entry. */
        @Test
        void theNextReachableEntryUsesIt() {
            set("net.ipv4.neigh.nd0.base_reachable_time_ms", 10000);
            fx.send("10.0.0.1", "10.0.0.2");
            fx.receive(reply(PEER_MAC, "10.0.0.2", "10.0.0.1"));

            fx.advanceJiffies(2500);
            assertThat(fx.state("10.0.0.2")).isEqualTo(io.neighd.neighbour.NudState.REACHABLE);
            fx.advanceJiffies(1);
            assertThat(fx.state("10.0.0.2")).isEqualTo(io.neighd.neighbour.NudState.STALE);
        }
    }

    // ------------------------------------------------------------------ validation

    @Nested
    class Validation {
        @ParameterizedTest(name = "{0} = {1}")
        @CsvSource({
                "net.ipv4.neigh.nd0.mcast_solicit, -1",
                "net.ipv4.neigh.nd0.ucast_solicit, -1",
                "net.ipv4.neigh.nd0.unres_qlen_bytes, -1",
                "net.ipv4.neigh.nd0.proxy_qlen, -1",
                "net.ipv4.neigh.nd0.unres_qlen, -1",
                "net.ipv4.neigh.nd0.interval_probe_time_ms, 0",
                "net.ipv4.neigh.default.gc_thresh1, -1",
                "net.ipv4.neigh.nd0.base_reachable_time, 8589935",
                "net.ipv4.neigh.nd0.gc_stale_time, 8589935"})
        void outOfRangeIsRefusedNamingTheKey(String key, long value) {
            long before = get(key);

            assertThatThrownBy(() -> set(key, value)).isInstanceOfSatisfying(Sysctl.SysctlException.class, e -> {
                assertThat(e.key()).isEqualTo(key);
                assertThat(e.getMessage()).startsWith(key + ": " + value).contains("out of range");
            });
            assertThat(get(key)).isEqualTo(before);
        }

        @Test
        void theLargestSecondsValueIsIntMaxOverHz() {
            set("net.ipv4.neigh.nd0.gc_stale_time", 8589934);
            assertThat(get("net.ipv4.neigh.nd0.gc_stale_time")).isEqualTo(8589934);
        }

        /** A multi-key write is checked whole before anything is applied. */
        @Test
        void aBadValueAnywhereAppliesNothing() {
            Map<String, Long> writes = new LinkedHashMap<>();
            writes.put("net.ipv4.neigh.nd0.locktime", 5L);
            writes.put("net.ipv4.conf.nd0.arp_ignore", 1L);
            writes.put("net.ipv4.neigh.nd0.mcast_solicit", -1L);

            assertThatThrownBy(() -> sysctl.set(writes)).isInstanceOfSatisfying(Sysctl.SysctlException.class,
                    e -> assertThat(e.key()).isEqualTo("net.ipv4.neigh.nd0.mcast_solicit"));

            assertThat(get("net.ipv4.neigh.nd0.locktime")).isEqualTo(100);
            assertThat(get("net.ipv4.conf.nd0.arp_ignore")).isZero();
            assertThat(fx.nd0.arpParms().isSet(NeighVar.LOCKTIME)).isFalse();
        }

        @Test
        void anUnknownKeyAnywhereAppliesNothing() {
            Map<String, Long> writes = new LinkedHashMap<>();
            writes.put("net.ipv4.neigh.nd0.locktime", 5L);
            writes.put("net.ipv4.neigh.nd0.no_such_knob", 1L);

            assertThatThrownBy(() -> sysctl.set(writes)).isInstanceOfSatisfying(Sysctl.SysctlException.class,
                    e -> assertThat(e.key()).isEqualTo("net.ipv4.neigh.nd0.no_such_knob"));
            assertThat(get("net.ipv4.neigh.nd0.locktime")).isEqualTo(100);
        }

        @Test
        void aGoodMultiKeyWriteAppliesEverything() {
            Map<String, Long> writes = new LinkedHashMap<>();
            writes.put("net.ipv4.neigh.nd0.locktime", 5L);
            writes.put("net.ipv4.conf.nd0.arp_ignore", 1L);

            sysctl.set(writes);

            assertThat(get("net.ipv4.neigh.nd0.locktime")).as("5 → 12 jiffies → 4.8, truncated").isEqualTo(4);
            assertThat(get("net.ipv4.conf.nd0.arp_ignore")).isEqualTo(1);
        }
    }
}
