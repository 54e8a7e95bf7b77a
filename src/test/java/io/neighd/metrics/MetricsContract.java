package io.neighd.metrics;

import io.neighd.arp.Reason;
import io.neighd.neighbour.NudState;
import io.neighd.wire.IpAddress;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The series {@code /actuator/prometheus} promises: the Helm chart's dashboard and alerts use
 * these names and labels verbatim, so a rename here is a breaking change there. Written once;
 * the application test and the Prometheus server test both hold the service to it.
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

    /** The label keys a neighd series may carry: all bounded, none an address. */
    static final Set<String> LABEL_KEYS = Set.of("interface", "family", "state", "level", "op", "type", "reason", "from",
            "to", "le");

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
        for (String family : List.of("inet", "inet6")) {
            for (NudState st : NudState.ALL) {
                s.add(Series.of("neighd_neighbour_entries", "interface", dev, "family", family, "state", st.name()));
            }
        }
        s.add(Series.of("neighd_arp_cache_entries"));
        for (String level : List.of("1", "2", "3")) {
            s.add(Series.of("neighd_arp_cache_gc_thresh", "level", level));
        }
        for (String c : List.of("allocs", "destroys", "hash_grows", "lookups", "hits", "res_failed",
                "rcv_probes_mcast", "rcv_probes_ucast", "periodic_gc_runs", "forced_gc_runs", "unresolved_discards",
                "table_fulls")) {
            s.add(Series.of("neighd_arp_cache_" + c + "_total"));
            s.add(Series.of("neighd_ndisc_cache_" + c + "_total"));
        }
        s.add(Series.of("neighd_ndisc_cache_entries"));
        for (String level : List.of("1", "2", "3")) {
            s.add(Series.of("neighd_ndisc_cache_gc_thresh", "level", level));
        }
        for (String op : List.of("request", "reply", "unknown")) {
            s.add(Series.of("neighd_arp_packets_received_total", "interface", dev, "family", "inet", "op", op));
        }
        for (String op : List.of("request", "reply", "gratuitous", "proxy_reply")) {
            s.add(Series.of("neighd_arp_packets_sent_total", "interface", dev, "family", "inet", "op", op));
        }
        for (Reason r : Reason.values()) {
            String kind = r.kind() == Reason.Kind.DROPPED ? "dropped" : r.kind() == Reason.Kind.IGNORED ? "ignored" : null;
            if (kind == null) {
                continue;
            }
            if (r.appliesTo(IpAddress.AF_INET)) {
                s.add(Series.of("neighd_arp_packets_" + kind + "_total", "interface", dev, "family", "inet", "reason",
                        r.label()));
            }
            if (r.appliesTo(IpAddress.AF_INET6)) {
                s.add(Series.of("neighd_ndisc_packets_" + kind + "_total", "interface", dev, "family", "inet6",
                        "reason", r.label()));
            }
        }
        for (String type : List.of("ns", "na", "rs", "ra", "redirect", "echo_request", "echo_reply", "other")) {
            s.add(Series.of("neighd_ndisc_packets_received_total", "interface", dev, "family", "inet6", "type", type));
            s.add(Series.of("neighd_ndisc_packets_sent_total", "interface", dev, "family", "inet6", "type", type));
        }
        for (String state : List.of("tentative", "dadfailed", "valid")) {
            s.add(Series.of("neighd_ipv6_addresses", "interface", dev, "family", "inet6", "state", state));
        }
        s.add(Series.of("neighd_ipv6_dad_failures_total", "interface", dev, "family", "inet6"));
        s.add(Series.of("neighd_ndisc_queue_packets", "interface", dev));
        s.add(new Series("neighd_neighbour_transitions_total", Map.of("interface", dev, "family", "inet", "from", "NONE",
                "to", "STALE")));
        for (String le : RESOLUTION_BUCKETS) {
            for (String family : List.of("inet", "inet6")) {
                s.add(Series.of("neighd_neighbour_resolution_seconds_bucket", "interface", dev, "family", family, "le",
                        le));
            }
        }
        for (String family : List.of("inet", "inet6")) {
            s.add(Series.of("neighd_neighbour_resolution_seconds_count", "interface", dev, "family", family));
            s.add(Series.of("neighd_neighbour_resolution_seconds_sum", "interface", dev, "family", family));
            s.add(Series.of("neighd_neighbour_resolution_failures_total", "interface", dev, "family", family));
            s.add(Series.of("neighd_proxy_queue_packets", "family", family));
        }
        s.add(Series.of("neighd_arp_queue_packets", "interface", dev));
        s.add(Series.of("neighd_capture_packets_received_total", "interface", dev));
        s.add(Series.of("neighd_capture_packets_dropped_total", "interface", dev));
        s.add(Series.of("neighd_capture_packets_if_dropped_total", "interface", dev));
        s.add(Series.of("neighd_engine_frames_dropped_total"));
        s.add(Series.of("neighd_interface_capturing", "interface", dev));
        s.add(Series.of("neighd_events_dropped_total"));
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
        assertThat(neighd).as("the interface label names configured interfaces only")
                .allSatisfy(x -> assertThat(x.labels().getOrDefault("interface", dev)).as(x.toString()).isEqualTo(dev));
    }
}
