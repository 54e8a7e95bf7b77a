package io.neighd.lab;

import io.neighd.engine.Engine;
import io.neighd.engine.Sysctl;
import io.neighd.time.ManualClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * neighd's sysctl against the running kernel's, at the edges (issue 10, defect 3): every value
 * below is written to {@code /proc/sys/net/ipv4/{neigh,conf}/lo/KEY} in a namespace of our own
 * and to neighd's knob of the same name, and the two must agree on whether the write is accepted
 * and on what it reads back afterwards (overflowed and wrapped values included). The kernel's HZ
 * is found the way user space can see it (1 ms of retrans_time_ms reads back as 1000/HZ).
 */
class SysctlLiveIT {
    private static final String NS = LabEnvironment.PREFIX + "-sysk";

    private static final List<String> TIME_VALUES = List.of("0", "1", "-1", "-5", "858993459", "858993460",
            "900000000", "1073741824", "2147483647", "2147483648", "4294967301", "-4294967295", "8589934", "8589935",
            "-8589934", "3689348814741910300", "3689348814741910400", "73786976294838210", "-9223372036854775808",
            "9223372036854775807");
    private static final List<String> NEIGH_TIME_KEYS = List.of("retrans_time", "anycast_delay", "proxy_delay",
            "locktime", "base_reachable_time", "delay_first_probe_time", "gc_stale_time", "retrans_time_ms",
            "base_reachable_time_ms", "interval_probe_time_ms");
    private static final List<String> NEIGH_COUNT_KEYS = List.of("mcast_solicit", "ucast_solicit", "app_solicit",
            "mcast_resolicit", "unres_qlen_bytes", "proxy_qlen", "unres_qlen");
    private static final List<String> COUNT_VALUES = List.of("-1", "0", "2147483647", "2147483648", "279620",
            "2796202", "2796203");
    private static final List<String> CONF_KEYS = List.of("arp_ignore", "arp_announce", "rp_filter", "arp_accept",
            "accept_local", "arp_filter", "medium_id", "proxy_arp", "forwarding", "arp_notify",
            "drop_gratuitous_arp", "route_localnet", "arp_evict_nocarrier", "proxy_arp_pvlan");
    private static final List<String> CONF_VALUES = List.of("-1", "9", "2147483647", "2147483648", "-2147483648",
            "-2147483649");

    private static int hz;

    @BeforeAll
    static void namespace() {
        LabEnvironment.require();
        Cmd.run(Duration.ofSeconds(10), List.of("ip", "netns", "del", NS));
        Cmd.run(Duration.ofSeconds(10), List.of("ip", "netns", "add", NS)).orFail();
        String ms = shell("echo 1 > /proc/sys/net/ipv4/neigh/lo/retrans_time_ms && "
                + "cat /proc/sys/net/ipv4/neigh/lo/retrans_time_ms").strip();
        int msPerJiffy = Integer.parseInt(ms);
        hz = 1000 / msPerJiffy;
        Assumptions.assumeTrue(1000 % msPerJiffy == 0 && 1000 % hz == 0,
                "the kernel's HZ (" + hz + ") is not one neighd supports (100, 250, 500, 1000)");
    }

    @AfterAll
    static void removeNamespace() {
        Cmd.run(Duration.ofSeconds(10), List.of("ip", "netns", "del", NS));
    }

    private static String shell(String script) {
        return Cmd.run(Duration.ofSeconds(60), List.of("ip", "netns", "exec", NS, "sh", "-c", script)).orFail();
    }

    /** Writes each value in turn and prints "ok READBACK" or "refused" per write, one line each. */
    private static List<String> kernel(String dir, String key, List<String> values) {
        StringBuilder script = new StringBuilder();
        String file = "/proc/sys/net/ipv4/" + dir + "/lo/" + key;
        for (String v : values) {
            script.append("if echo '").append(v).append("' > ").append(file).append(" 2>/dev/null; then echo ok $(cat ")
                    .append(file).append("); else echo refused; fi; ");
        }
        return List.of(shell(script.toString()).strip().split("\n"));
    }

    private static List<String> neighd(Sysctl sysctl, String name, List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            try {
                sysctl.set(name, Long.parseLong(v));
                out.add("ok " + sysctl.get(name));
            } catch (Sysctl.SysctlException e) {
                out.add("refused");
            }
        }
        return out;
    }

    private static void compare(String dir, List<String> keys, List<String> values) {
        Sysctl sysctl = new Engine(new ManualClock(), new SplittableRandom(1), (d, f) -> {
        }, hz).sysctl();
        Map<String, List<String>> differences = new LinkedHashMap<>();
        for (String key : keys) {
            // Linux prints a negative value that reads back as zero as "-0"
            List<String> linux = kernel(dir, key, values).stream().map(s -> s.replace("ok -0", "ok 0")).toList();
            List<String> ours = neighd(sysctl, "net.ipv4." + dir + ".lo." + key, values);
            for (int i = 0; i < values.size(); i++) {
                if (!linux.get(i).equals(ours.get(i))) {
                    differences.computeIfAbsent(key, k -> new ArrayList<>())
                            .add(values.get(i) + ": Linux " + linux.get(i) + ", neighd " + ours.get(i));
                }
            }
        }
        assertThat(differences).as("writes where neighd differs from the kernel (HZ " + hz + ")").isEmpty();
    }

    @Test
    void neighTimeKnobsStoreWhatTheKernelStores() {
        compare("neigh", NEIGH_TIME_KEYS, TIME_VALUES);
    }

    @Test
    void neighCountKnobsStoreWhatTheKernelStores() {
        compare("neigh", NEIGH_COUNT_KEYS, COUNT_VALUES);
    }

    @Test
    void confKnobsStoreWhatTheKernelStores() {
        compare("conf", CONF_KEYS, CONF_VALUES);
    }
}
