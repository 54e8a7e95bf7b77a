package io.neighd.service;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.neighd.time.Clock;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per elected address, tagged {@code address}: the one place neighd puts an IP address in a
 * label, because elected addresses are a handful the operator chose (their number is bounded by
 * configuration, not by traffic). Updated from the cluster thread, read by the scrape.
 */
final class ClusterMetrics {
    private static final class Vip {
        volatile boolean owner;
        final AtomicLong transitions = new AtomicLong();
        final AtomicLong gratuitous = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        volatile long lastRenewal = -1;
        Timer renew;
        final List<Meter> meters = new ArrayList<>();
    }

    private final MeterRegistry registry;
    private final Map<String, Vip> vips = new ConcurrentHashMap<>();

    ClusterMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void add(String address, Clock clock) {
        vips.computeIfAbsent(address, a -> {
            Vip v = new Vip();
            v.meters.add(Gauge.builder("neighd.vip.owner", v, x -> x.owner ? 1 : 0)
                    .description("1 while this node answers for the elected address, else 0").tag("address", a)
                    .register(registry));
            v.meters.add(FunctionCounter.builder("neighd.vip.transitions", v.transitions, AtomicLong::get)
                    .description("Times this node took or gave up the elected address").tag("address", a)
                    .register(registry));
            v.meters.add(FunctionCounter.builder("neighd.vip.gratuitous.sent", v.gratuitous, AtomicLong::get)
                    .description("Announcements sent for the elected address: gratuitous ARP frames (IPv4), "
                            + "unsolicited neighbour advertisements (IPv6)").tag("address", a)
                    .register(registry));
            v.meters.add(FunctionCounter.builder("neighd.vip.renew.failures", v.failures, AtomicLong::get)
                    .description("Lease renewals that failed, timed out or found the lease lost").tag("address", a)
                    .register(registry));
            v.renew = Timer.builder("neighd.vip.renew").description("Time a successful lease renewal took")
                    .tag("address", a).register(registry);
            v.meters.add(v.renew);
            v.meters.add(Gauge.builder("neighd.vip.renewal.age", v, x -> x.lastRenewal < 0 || !x.owner ? Double.NaN
                            : (clock.nanos() - x.lastRenewal) / 1e9)
                    .description("Seconds since the last successful renewal was sent, while this node owns the "
                            + "address (NaN otherwise)").baseUnit("seconds").tag("address", a).register(registry));
            return v;
        });
    }

    void remove(String address) {
        Vip v = vips.remove(address);
        if (v != null) {
            v.meters.forEach(registry::remove);
        }
    }

    void ownership(String address, boolean owner) {
        Vip v = vips.get(address);
        if (v != null) {
            v.owner = owner;
            v.transitions.incrementAndGet();
        }
    }

    void gratuitous(String address) {
        Vip v = vips.get(address);
        if (v != null) {
            v.gratuitous.incrementAndGet();
        }
    }

    void renewed(String address, long nanos, long now) {
        Vip v = vips.get(address);
        if (v != null) {
            v.renew.record(nanos, TimeUnit.NANOSECONDS);
            v.lastRenewal = now - nanos;
        }
    }

    void renewFailed(String address) {
        Vip v = vips.get(address);
        if (v != null) {
            v.failures.incrementAndGet();
        }
    }
}
