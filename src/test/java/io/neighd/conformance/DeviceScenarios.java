package io.neighd.conformance;

import io.neighd.lab.Lab;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.neighd.conformance.Scenarios.OWN0;
import static io.neighd.conformance.Scenarios.arping;
import static io.neighd.conformance.Scenarios.conf;
import static io.neighd.conformance.Scenarios.p;
import static io.neighd.conformance.Scenarios.request;

/** Device events (carrier, up/down, addresses) and garbage collection. */
final class DeviceScenarios {
    /** Why the GC scenarios run on neighd only. */
    static final String GC_GLOBAL = "gc_thresh1/2/3 are not per namespace in Linux: neigh_sysctl_register points "
            + "net.ipv4.neigh.default.gc_thresh* of every namespace at the one arp_tbl, so lowering them in the "
            + "reference namespace would collect the host's and every other namespace's entries";

    private DeviceScenarios() {
    }

    static List<Scenario> all() {
        return List.of(
                carrier("carrier-loss-evicts", null, null),
                carrier("carrier-loss-arp_evict_nocarrier-0", conf("arp_evict_nocarrier"), 0),
                carrier("carrier-loss-all-arp_evict_nocarrier-0-and", "net.ipv4.conf.all.arp_evict_nocarrier", 0),
                Scenario.of("arp_notify-address-add", "arp_notify 1; 10.77.0.7/24 is added to nd0")
                        .knob(conf("arp_notify"), 1)
                        .script(r -> r.dut.address("nd0", "10.77.0.7/24", null)).build(),
                Scenario.of("arp_notify-link-up", "arp_notify 1; p1 is learnt; nd0 goes down and up "
                                + "(NETDEV_DOWN flushes, NETDEV_UP announces)")
                        .knob(conf("arp_notify"), 1)
                        .script(r -> {
                            arping(r, 1, OWN0);
                            r.mark();
                            r.dut.bounce(0);
                        }).build(),
                Scenario.of("link-down-up-flushes-permanent", "p1 is learnt, 10.77.0.50 PERMANENT; "
                                + "nd0 goes down and up")
                        .script(r -> {
                            arping(r, 1, OWN0);
                            r.dut.neighbour("nd0", "10.77.0.50", "02:4e:44:00:00:50", "permanent");
                            r.mark();
                            r.dut.bounce(0);
                        }).build(),
                Scenario.of("gc-thresh3-table-full", "gc_thresh2=gc_thresh3=8; twelve senders ask for "
                                + "10.77.0.1 within a second")
                        .knob("net.ipv4.neigh.default.gc_thresh2", 8).knob("net.ipv4.neigh.default.gc_thresh3", 8)
                        .script(r -> {
                            for (int i = 0; i < 12; i++) {
                                request(r, 1, "10.77.0." + (100 + i), OWN0);
                            }
                        })
                        .neighdOnly(GC_GLOBAL, "neigh_alloc: the 9th to 12th allocations find gc_entries >= "
                                        + "gc_thresh3, neigh_forced_gc frees nothing (all STALE, updated < 5 s ago), "
                                        + "table_fulls++ and neigh_event_ns returns NULL: no reply. 8 replies, 8 "
                                        + "STALE entries, forced_gc_runs +4, table_fulls +4",
                                o -> expectSenders(o, 100, 8, 4, 4)).build(),
                Scenario.of("gc-forced-removes-failed-first", "gc_thresh2=gc_thresh3=3; two FAILED entries, "
                                + "then four senders")
                        .knob("net.ipv4.neigh.default.gc_thresh2", 3).knob("net.ipv4.neigh.default.gc_thresh3", 3)
                        .knob("net.ipv4.neigh.nd0.mcast_solicit", 0)
                        .script(r -> {
                            r.dut.resolve("nd0", "10.77.0.98");
                            r.dut.resolve("nd0", "10.77.0.99");
                            r.mark();
                            for (int i = 0; i < 4; i++) {
                                request(r, 1, "10.77.0." + (100 + i), OWN0);
                            }
                        })
                        .neighdOnly(GC_GLOBAL, "neigh_forced_gc walks gc_list oldest first and removes at most "
                                        + "gc_entries - gc_thresh2: the 2nd and 3rd senders each evict one FAILED "
                                        + "entry; the 4th finds only fresh STALE ones: table full, no reply. 3 "
                                        + "replies, 3 STALE entries, no FAILED, forced_gc_runs +3, table_fulls +1",
                                o -> expectSenders(o, 100, 3, 3, 1)).build());
    }

    /** p1 learnt STALE, p2 resolved REACHABLE, 10.77.0.50 PERMANENT; then nd0 loses its carrier. */
    private static Scenario carrier(String name, String knob, Integer value) {
        Scenario.Builder b = Scenario.of(name, "p1 STALE, p2 REACHABLE, 10.77.0.50 PERMANENT; nd0 loses carrier");
        if (knob != null) {
            b.knob(knob, value);
        }
        return b.script(r -> {
            arping(r, 1, OWN0);
            r.dut.resolve("nd0", p(2));
            r.dut.neighbour("nd0", "10.77.0.50", "02:4e:44:00:00:50", "permanent");
            r.sleep(200);
            r.mark();
            r.carrier(0, false);
            r.sleep(300);
        }).build();
    }

    /**
     * The senders 10.77.0.FIRST.. answered and learnt: exactly {@code n} of them, the first n; and
     * the arp_cache counters moved as Linux's would.
     */
    private static String expectSenders(Outcome o, int first, int n, int forcedGcRuns, int tableFulls) {
        Set<String> want = new java.util.TreeSet<>();
        for (int i = 0; i < n; i++) {
            want.add("10.77.0." + (first + i));
        }
        Set<String> replied = o.frames().stream().filter(f -> f.text().startsWith("REPLY"))
                .map(f -> f.text().replaceAll(".* tpa=", "")).collect(Collectors.toCollection(java.util.TreeSet::new));
        Set<String> stale = o.table().stream().filter(e -> e.state().equals("STALE")).map(Lab.KernelNeighbour::dst)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        Set<String> all = o.table().stream().map(Lab.KernelNeighbour::dst)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        String counters = "forced_gc_runs +" + forcedGcRuns + ", table_fulls +" + tableFulls;
        if (replied.equals(want) && stale.equals(want) && all.equals(want) && counters.equals(o.extra())) {
            return null;
        }
        return "expected replies to and STALE entries for " + want + " and " + counters + "; neighd replied to "
                + replied + ", holds " + all + " and counted " + o.extra();
    }
}
