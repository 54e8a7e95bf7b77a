package io.neighd.engine;

import io.neighd.ip.DevVar;
import io.neighd.neighbour.NeighVar;
import io.neighd.testkit.EngineFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a sysctl write stores at the edges, as Linux's handlers store it (issue 10, defect 3):
 * overflowed, wrapped and negative values included, because Linux accepts them and a user's
 * sysctl.conf must keep working. The expected columns are what Linux 6.18.44 (HZ 250) stored and
 * read back for the same writes to {@code /proc/sys/net/ipv4/neigh/lo/*} and {@code
 * conf/lo/*} in a network namespace (measured 2026-12-05; {@code lab.SysctlLiveIT} repeats the
 * comparison against the running kernel), and what kernel/sysctl.c's converters compute:
 *
 * <pre>
 * | handler                       | accepts                                  | stores                               |
 * |-------------------------------|------------------------------------------|--------------------------------------|
 * | proc_dointvec_userhz_jiffies  | |x| <= LONG_MAX/HZ*USER_HZ               | (int) clock_t_to_jiffies((ulong) x)  |
 * | proc_dointvec_ms_jiffies      | (int)(u32) x >= 0                        | msecs_to_jiffies((u32) x)            |
 * | proc_dointvec_jiffies         | |x| <= INT_MAX/HZ                        | x * HZ, sign kept                    |
 * | neigh_..._zero_intmax         | 0..INT_MAX                               | x                                    |
 * | devinet_conf_proc (dointvec)  | INT_MIN..INT_MAX                         | x                                    |
 * </pre>
 *
 * Writes outside the documented range that Linux accepts come back with a warning naming what
 * is stored and used.
 */
class SysctlEdgeTest {
    private final EngineFixture fx = new EngineFixture();
    private final Sysctl sysctl = fx.engine.sysctl();

    private static final String NEIGH = "net.ipv4.neigh.nd0.";
    private static final String CONF = "net.ipv4.conf.nd0.";

    @ParameterizedTest(name = "{0} = {1} stores {2} and reads back {3}")
    @CsvSource(delimiter = '|', textBlock = """
            locktime            | 900000000           | -2044967296 | -817986918
            locktime            | 858993459           | 2147483647  | 858993458
            locktime            | 858993460           | -2147483646 | -858993458
            locktime            | 1073741823          | -1610612739 | -644245095
            locktime            | 1073741824          | -1610612736 | -644245094
            locktime            | -5                  | -1          | 0
            locktime            | 0                   | 0           | 0
            locktime            | 1                   | 2           | 0
            locktime            | 3689348814741910300 | -171798750  | -68719500
            locktime            | 73786976294838210   | 8           | 3
            proxy_delay         | 900000000           | -2044967296 | -817986918
            retrans_time        | 900000000           | -2044967296 | -817986918
            anycast_delay       | -1                  | -1          | 0
            retrans_time_ms     | 4294967301          | 2           | 8
            retrans_time_ms     | -4294967295         | 1           | 4
            retrans_time_ms     | 2147483647          | 536870912   | 2147483648
            retrans_time_ms     | 0                   | 0           | 0
            base_reachable_time | -5                  | -1250       | -5
            base_reachable_time | 8589934             | 2147483500  | 8589934
            base_reachable_time | -8589934            | -2147483500 | -8589934
            interval_probe_time_ms | 4294967297       | 1           | 4
            mcast_solicit       | 2147483647          | 2147483647  | 2147483647
            """)
    void neighWritesStoreWhatLinuxStores(String key, long written, int jiffiesOrValue, long readBack) {
        List<Sysctl.Knob> answer = sysctl.set(NEIGH + key, written);

        NeighVar var = switch (key) {
            case "locktime" -> NeighVar.LOCKTIME;
            case "proxy_delay" -> NeighVar.PROXY_DELAY;
            case "retrans_time", "retrans_time_ms" -> NeighVar.RETRANS_TIME;
            case "anycast_delay" -> NeighVar.ANYCAST_DELAY;
            case "base_reachable_time" -> NeighVar.BASE_REACHABLE_TIME;
            case "interval_probe_time_ms" -> NeighVar.INTERVAL_PROBE_TIME_MS;
            default -> NeighVar.MCAST_PROBES;
        };
        assertThat(fx.nd0.arpParms().get(var)).isEqualTo(jiffiesOrValue);
        assertThat(sysctl.get(NEIGH + key)).isEqualTo(readBack);
        assertThat(answer).singleElement().satisfies(k -> assertThat(k.value()).isEqualTo(readBack));
    }

    /** base_reachable_time_ms reads jiffies_to_msecs(), an unsigned int: 2147483500 jiffies read 4294966704 ms. */
    @Test
    void millisecondsReadBackWrapAt32Bits() {
        sysctl.set(NEIGH + "base_reachable_time", 8589934);
        assertThat(sysctl.get(NEIGH + "base_reachable_time_ms")).isEqualTo(4294966704L);

        sysctl.set(NEIGH + "base_reachable_time", -8589934);
        assertThat(sysctl.get(NEIGH + "base_reachable_time_ms")).isEqualTo(-4294966704L);
    }

    @ParameterizedTest(name = "{0} = {1} is refused as by Linux")
    @CsvSource(delimiter = '|', textBlock = """
            locktime               | 3689348814741910400
            locktime               | -9223372036854775808
            retrans_time_ms        | -5
            retrans_time_ms        | 2147483648
            base_reachable_time    | 8589935
            interval_probe_time_ms | 0
            interval_probe_time_ms | -1
            mcast_solicit          | -1
            mcast_solicit          | 2147483648
            """)
    void neighWritesLinuxRefusesAreRefused(String key, long written) {
        long before = sysctl.get(NEIGH + key);

        assertThatThrownBy(() -> sysctl.set(NEIGH + key, written)).isInstanceOf(Sysctl.SysctlException.class)
                .hasMessageContaining("out of range");
        assertThat(sysctl.get(NEIGH + key)).isEqualTo(before);
    }

    /** devinet_conf_proc() is proc_dointvec: every int, nothing beyond. */
    @ParameterizedTest(name = "conf {0}")
    @CsvSource({"arp_ignore", "arp_announce", "rp_filter", "arp_accept", "accept_local", "arp_filter", "medium_id",
            "proxy_arp", "forwarding", "arp_notify", "drop_gratuitous_arp", "route_localnet", "arp_evict_nocarrier",
            "proxy_arp_pvlan"})
    void confKnobsTakeEveryInt(String key) {
        DevVar v = DevVar.ofKey(key);
        for (long value : new long[] {-1, 9, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            sysctl.set(CONF + key, value);
            assertThat(sysctl.get(CONF + key)).isEqualTo(value);
            assertThat(fx.nd0.conf().get(v)).isEqualTo((int) value);
        }
        assertThatThrownBy(() -> sysctl.set(CONF + key, 2147483648L)).isInstanceOf(Sysctl.SysctlException.class);
        assertThatThrownBy(() -> sysctl.set(CONF + key, -2147483649L)).isInstanceOf(Sysctl.SysctlException.class);
    }

    /** The documented maximum of a USER_HZ knob is the last value that fits: 858993459 at HZ 250, not 1073741823. */
    @Test
    void theDocumentedRangeOfAUserHzKnobEndsWhereTheIntWould() {
        assertThat(sysctl.knob(NEIGH + "locktime").max()).isEqualTo(858993459);
        assertThat(sysctl.knob(NEIGH + "proxy_delay").max()).isEqualTo(858993459);
    }

    // ------------------------------------------------------------------ warnings

    @Test
    void anOverflowedWriteIsAcceptedWithAWarningNamingTheValueUsed() {
        Sysctl.Knob k = sysctl.set(NEIGH + "locktime", 900000000).get(0);

        assertThat(k.value()).isEqualTo(-817986918);
        assertThat(k.warning()).isEqualTo("net.ipv4.neigh.nd0.locktime: 900000000 is outside 0..858993459 1/100 s; "
                + "its 2250000000 jiffies do not fit the kernel's int: Linux accepts it and stores -2044967296 jiffies, "
                + "which reads back as -817986918; neighd stores the same and uses it as Linux's code does");
    }

    @Test
    void aWrappedMillisecondWriteSaysSo() {
        assertThat(sysctl.set(NEIGH + "retrans_time_ms", 4294967301L).get(0).warning())
                .contains("msecs_to_jiffies takes it modulo 2^32", "stores 2 jiffies", "reads back as 8");
    }

    @Test
    void aNegativeUserHzWriteSaysItSaturates() {
        assertThat(sysctl.set(NEIGH + "proxy_delay", -5).get(0).warning())
                .contains("clock_t_to_jiffies saturates a negative value", "stores -1 jiffies", "reads back as 0");
    }

    @Test
    void anUndocumentedConfValueIsStoredAsWrittenWithAWarning() {
        assertThat(sysctl.set(CONF + "arp_ignore", 9).get(0).warning()).isEqualTo("net.ipv4.conf.nd0.arp_ignore: "
                + "9 is outside 0..8 integer: Linux accepts it and stores 9; neighd stores the same and uses it as "
                + "Linux's code does");
    }

    @Test
    void aWriteInsideTheDocumentedRangeHasNoWarning() {
        assertThat(sysctl.set(NEIGH + "locktime", 858993459).get(0).warning()).isNull();
        assertThat(sysctl.set(NEIGH + "retrans_time_ms", 250).get(0).warning()).isNull();
        assertThat(sysctl.set(CONF + "arp_ignore", 8).get(0).warning()).isNull();
    }

    /** A sysctl.conf with an overflowed value applies, and says which line. */
    @Test
    void aSysctlFileWithAnOverflowedValueAppliesWithTheLineWarned() {
        SysctlFile.Outcome o = SysctlFile.apply(sysctl, SysctlFile.parse(List.of(
                "net.ipv4.neigh.nd0.locktime = 900000000", "net.ipv4.conf.nd0.arp_ignore = 1"), "sysctl.conf"),
                "sysctl.conf");

        assertThat(o.applied()).hasSize(2);
        assertThat(o.warnings()).singleElement().asString().startsWith("sysctl.conf line 1: net.ipv4.neigh.nd0.locktime");
        assertThat(fx.nd0.arpParms().get(NeighVar.LOCKTIME)).isEqualTo(-2044967296);
    }
}
