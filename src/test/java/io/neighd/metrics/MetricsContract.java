package io.neighd.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The series {@code /actuator/prometheus} promises: the Helm chart's dashboard and alerts use
 * these names and labels verbatim, so a rename here is a breaking change there. Written once, as
 * literals (never derived from the product's enums, which would make the contract follow whatever
 * the code says); the application test and the Prometheus server test both hold the service to it,
 * and {@link #assertHonouredBy} also refuses any neighd series or label value outside it.
 */
final class MetricsContract {
    /** One promised series: a sample name and the labels (some with values) it carries. */
    record Series(String name, Map<String, String> labels) {
        static Series of(String name, String... labelPairs) {
            Map<String, String> labels = new LinkedHashMap<>();
            for (int i = 0; i < labelPairs.length; i += 2) {
                labels.put(labelPairs[i], labelPairs[i + 1]);
            }
            return new Series(name, labels);
        }

        @Override
        public String toString() {
            return name + labels;
        }
    }

    /** Histogram buckets of neighd_neighbour_resolution_seconds, as the le label prints them (Java's double format). */
    static final List<String> RESOLUTION_BUCKETS = List.of("5.0E-4", "0.001", "0.0025", "0.005", "0.01", "0.025",
            "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "+Inf");

    /**
     * The neighbour states, as the {@code state} label spells them: frozen here, not read from the
     * product's enum, so that renaming or dropping a state is a visible break of the contract.
     */
    static final List<String> STATES = List.of("NONE", "INCOMPLETE", "REACHABLE", "STALE", "DELAY", "PROBE", "FAILED",
            "NOARP", "PERMANENT");

    /** The {@code reason} label of neighd_arp_packets_dropped_total (the alerts name some of these). */
    static final List<String> DROPPED_REASONS = List.of("malformed_truncated", "malformed_hlen", "malformed_plen",
            "malformed_htype", "malformed_ptype", "unknown_op", "malformed_ipv4", "bad_ipv4_checksum", "bad_icmp",
            "target_multicast", "target_loopback", "gratuitous_dropped", "arp_ignore_not_on_ingress",
            "arp_ignore_sender_not_on_subnet", "arp_ignore_scope_host", "arp_ignore_never", "arp_filter_route_mismatch",
            "arp_filter_no_route", "table_full", "proxy_queue_full", "dad_arp_ignore", "engine_failure",
            "ip_martian_source", "ip_martian_destination");

    /** The {@code reason} label of neighd_arp_packets_ignored_total. */
    static final List<String> IGNORED_REASONS = List.of("not_for_host", "vlan_mismatch", "device_noarp", "device_down",
            "not_for_us", "dad_not_local", "dad_reply", "other_ethertype", "ip_not_handled");

    /** The {@code reason} label of neighd_ndisc_packets_dropped_total (IPv6 frames). */
    static final List<String> NDISC_DROPPED_REASONS = List.of("malformed_truncated", "malformed_ipv6",
            "ipv6_truncated", "bad_icmp6", "ndisc_truncated", "ndisc_bad_options", "ndisc_bad_lladdr", "table_full",
            "proxy_queue_full", "ipv6_disabled", "ipv6_bad_source", "ipv6_bad_destination",
            "ipv6_unicast_in_l2_multicast", "ndisc_bad_hop_limit", "ndisc_bad_code", "ndisc_target_multicast",
            "ndisc_bad_dad", "ndisc_ns_no_lladdr", "ndisc_na_solicited_multicast", "ndisc_na_unsolicited_dropped",
            "ndisc_not_link_local", "engine_failure");

    /** The {@code reason} label of neighd_ndisc_packets_ignored_total (IPv6 frames). */
    static final List<String> NDISC_IGNORED_REASONS = List.of("not_for_host", "vlan_mismatch", "device_down",
            "ipv6_not_member", "ipv6_not_local", "ipv6_not_handled", "icmp6_not_handled", "ndisc_ns_not_for_us",
            "ndisc_ns_tentative", "ndisc_dad_looped", "ndisc_na_untracked", "ndisc_na_entry_failed",
            "ndisc_na_own_address", "ndisc_na_own_proxy", "ndisc_rs_ignored", "ndisc_redirect_ignored");

    /** The {@code family} label, as {@code ip -j neigh} spells it. */
    static final List<String> FAMILIES = List.of("inet", "inet6");
    /** Why an event subscriber was cut off with a lost event. */
    static final List<String> CUT_OFF_REASONS = List.of("overrun", "stalled");

    /** The label keys a neighd series may carry: all bounded, none an address. */
    /** The states of an IPv6 address, as {@code ip -6 addr} flags them (neighd_ipv6_addresses). */
    static final List<String> ADDRESS_STATES = List.of("tentative", "dadfailed", "valid");

    static final Set<String> LABEL_KEYS = Set.of("interface", "family", "state", "level", "op", "type", "reason", "from",
            "to", "le", "where");

    /** Micrometer exposes a Timer's maximum beside its histogram; it is part of the timer, not a new series. */
    static final Set<String> TIMER_COMPANIONS = Set.of("neighd_neighbour_resolution_seconds_max");

    private MetricsContract() {
    }

    /**
     * Every series for a service attached to {@code dev}, once at least one entry changed state
     * (transition counters appear with their first transition).
     */
    static List<Series> series(String dev) {
        List<Series> s = new ArrayList<>();
        for (String family : FAMILIES) {
            for (String st : STATES) {
                s.add(Series.of("neighd_neighbour_entries", "interface", dev, "family", family, "state", st));
            }
        }
        s.add(Series.of("neighd_arp_cache_entries"));
        s.add(Series.of("neighd_ndisc_cache_entries"));
        for (String level : List.of("1", "2", "3")) {
            s.add(Series.of("neighd_arp_cache_gc_thresh", "level", level));
            s.add(Series.of("neighd_ndisc_cache_gc_thresh", "level", level));
        }
        for (String c : List.of("allocs", "destroys", "hash_grows", "lookups", "hits", "res_failed",
                "rcv_probes_mcast", "rcv_probes_ucast", "periodic_gc_runs", "forced_gc_runs", "unresolved_discards",
                "table_fulls")) {
            s.add(Series.of("neighd_arp_cache_" + c + "_total"));
            s.add(Series.of("neighd_ndisc_cache_" + c + "_total"));
        }
        for (String op : List.of("request", "reply", "unknown")) {
            s.add(Series.of("neighd_arp_packets_received_total", "interface", dev, "family", "inet", "op", op));
        }
        for (String op : List.of("request", "reply", "gratuitous", "proxy_reply")) {
            s.add(Series.of("neighd_arp_packets_sent_total", "interface", dev, "family", "inet", "op", op));
        }
        for (String r : DROPPED_REASONS) {
            s.add(Series.of("neighd_arp_packets_dropped_total", "interface", dev, "family", "inet", "reason", r));
        }
        for (String r : IGNORED_REASONS) {
            s.add(Series.of("neighd_arp_packets_ignored_total", "interface", dev, "family", "inet", "reason", r));
        }
        for (String r : NDISC_DROPPED_REASONS) {
            s.add(Series.of("neighd_ndisc_packets_dropped_total", "interface", dev, "family", "inet6", "reason", r));
        }
        for (String r : NDISC_IGNORED_REASONS) {
            s.add(Series.of("neighd_ndisc_packets_ignored_total", "interface", dev, "family", "inet6", "reason", r));
        }
        for (String type : List.of("ns", "na", "rs", "ra", "redirect", "echo_request", "echo_reply", "other")) {
            s.add(Series.of("neighd_ndisc_packets_received_total", "interface", dev, "family", "inet6", "type", type));
            s.add(Series.of("neighd_ndisc_packets_sent_total", "interface", dev, "family", "inet6", "type", type));
        }
        for (String state : ADDRESS_STATES) {
            s.add(Series.of("neighd_ipv6_addresses", "interface", dev, "family", "inet6", "state", state));
        }
        s.add(Series.of("neighd_ipv6_dad_failures_total", "interface", dev, "family", "inet6"));
        s.add(Series.of("neighd_ndisc_queue_packets", "interface", dev));
        s.add(new Series("neighd_neighbour_transitions_total", Map.of("interface", dev, "family", "inet", "from", "NONE",
                "to", "STALE")));
        for (String family : FAMILIES) {
            for (String le : RESOLUTION_BUCKETS) {
                s.add(Series.of("neighd_neighbour_resolution_seconds_bucket", "interface", dev, "family", family, "le",
                        le));
            }
            s.add(Series.of("neighd_neighbour_resolution_seconds_count", "interface", dev, "family", family));
            s.add(Series.of("neighd_neighbour_resolution_seconds_sum", "interface", dev, "family", family));
            s.add(Series.of("neighd_neighbour_resolution_failures_total", "interface", dev, "family", family));
            s.add(Series.of("neighd_proxy_queue_packets", "family", family));
        }
        s.add(Series.of("neighd_arp_queue_packets", "interface", dev));
        s.add(Series.of("neighd_address_conflicts_total", "interface", dev));
        s.add(Series.of("neighd_neighbour_flipflops_total", "interface", dev));
        s.add(Series.of("neighd_capture_packets_received_total", "interface", dev));
        s.add(Series.of("neighd_capture_packets_dropped_total", "interface", dev));
        s.add(Series.of("neighd_capture_packets_if_dropped_total", "interface", dev));
        s.add(Series.of("neighd_engine_frames_dropped_total"));
        for (String where : List.of("frame", "frame_source", "timer", "command", "listener", "transmit")) {
            s.add(Series.of("neighd_engine_failures_total", "where", where));
        }
        s.add(Series.of("neighd_interface_capturing", "interface", dev));
        s.add(Series.of("neighd_events_dropped_total"));
        for (String reason : CUT_OFF_REASONS) {
            s.add(Series.of("neighd_events_subscribers_cut_off_total", "reason", reason));
        }
        s.add(Series.of("neighd_events_subscribers_refused_total"));
        s.add(Series.of("neighd_events_subscribers"));
        s.add(Series.of("neighd_api_waits_pending"));
        s.add(Series.of("neighd_api_waits_refused_total"));
        return List.copyOf(s);
    }

    /** The sample names of {@link #series}. */
    static Set<String> names(String dev) {
        Set<String> names = new LinkedHashSet<>();
        series(dev).forEach(x -> names.add(x.name()));
        return names;
    }

    /** Every promised series is there; nothing neighd exposes is outside the promise or labelled by address. */
    static void assertHonouredBy(Scrape scrape, String dev) {
        List<Series> missing = series(dev).stream().filter(x -> scrape.find(x.name(), x.labels()).isEmpty()).toList();
        assertThat(missing).as("promised series missing from the scrape").isEmpty();

        Set<String> promised = names(dev);
        List<Scrape.Sample> neighd = scrape.samples().stream().filter(x -> x.name().startsWith("neighd_")).toList();
        assertThat(neighd).as("neighd samples outside the contract")
                .allSatisfy(x -> assertThat(promised.contains(x.name()) || TIMER_COMPANIONS.contains(x.name()))
                        .as(x.toString()).isTrue());
        assertThat(neighd).as("neighd samples with a label outside the bounded set")
                .allSatisfy(x -> assertThat(LABEL_KEYS).as(x.toString()).containsAll(x.labels().keySet()));
        assertThat(neighd).as("state and reason label values outside the frozen lists")
                .allSatisfy(x -> {
                    List<String> states = x.name().equals("neighd_ipv6_addresses") ? ADDRESS_STATES : STATES;
                    assertThat(states).as(x.toString()).contains(x.labels().getOrDefault("state", states.get(0)));
                    String reason = x.labels().get("reason");
                    if (reason != null) {
                        List<String> frozen = switch (x.name()) {
                            case "neighd_arp_packets_dropped_total" -> DROPPED_REASONS;
                            case "neighd_arp_packets_ignored_total" -> IGNORED_REASONS;
                            case "neighd_ndisc_packets_dropped_total" -> NDISC_DROPPED_REASONS;
                            case "neighd_ndisc_packets_ignored_total" -> NDISC_IGNORED_REASONS;
                            case "neighd_events_subscribers_cut_off_total" -> CUT_OFF_REASONS;
                            default -> List.of();
                        };
                        assertThat(frozen).as(x.toString()).contains(reason);
                    }
                });
        assertThat(neighd).as("family label values outside the frozen list")
                .allSatisfy(x -> assertThat(FAMILIES).as(x.toString()).contains(x.labels().getOrDefault("family", "inet")));
        assertThat(neighd).as("the interface label names configured interfaces only")
                .allSatisfy(x -> assertThat(x.labels().getOrDefault("interface", dev)).as(x.toString()).isEqualTo(dev));
    }
}
