package io.neighd.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.neighd.engine.EngineListener;
import io.neighd.ip.DeviceId;
import io.neighd.neighbour.NudState;
import io.neighd.wire.IpAddress;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What happens to entries, counted as it happens on the engine thread: NUD transitions by
 * from/to state, how long resolutions take (NONE/FAILED to INCOMPLETE to a valid state), and how
 * many fail. The loopback device is no configured interface and is not counted.
 *
 * <p>Per-interface meters are created on first use, so the listener can be registered before the
 * interfaces exist; {@link #register} creates the resolution meters of known interfaces up front,
 * so they exist at 0. Transition counters appear with the first such transition.
 */
final class NeighbourEventMetrics implements MeterBinder, EngineListener {
    /**
     * Buckets for ARP: a reply on a LAN takes well under a millisecond, one lost request costs a
     * retrans_time (1 s), and Linux gives up after mcast_solicit (3) of them.
     */
    static final Duration[] RESOLUTION_BUCKETS = {
            Duration.ofMillis(1).dividedBy(2), Duration.ofMillis(1), Duration.ofMillis(2).plusNanos(500_000),
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private static final int STATES = NudState.ALL.size();

    /** The meters of one interface and family. */
    private static final class DeviceMeters {
        final String name;
        final String family;
        final Timer resolution;
        final Counter failures;
        /** neighd.ipv6.dad.failures, on the inet6 meters only. */
        Counter dadFailures;
        /** By from * STATES + to; filled on the engine thread only. */
        final Counter[] transitions = new Counter[STATES * STATES];

        DeviceMeters(String name, String family, Timer resolution, Counter failures) {
            this.name = name;
            this.family = family;
            this.resolution = resolution;
            this.failures = failures;
        }
    }

    /** By interface name, [0] for inet and [1] for inet6. */
    private final Map<String, DeviceMeters[]> byName = new ConcurrentHashMap<>();
    private volatile MeterRegistry registry;

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Creates the meters of the interfaces named now (after {@link #bindTo}), for both families. */
    void register(List<String> interfaces) {
        interfaces.forEach(this::meters);
    }

    private DeviceMeters meters(DeviceId dev, int family) {
        DeviceMeters[] m = byName.get(dev.name());
        if (m == null) {
            if (dev.loopback()) {
                return null;
            }
            m = meters(dev.name());
        }
        return m == null ? null : m[family == IpAddress.AF_INET6 ? 1 : 0];
    }

    private DeviceMeters[] meters(String name) {
        MeterRegistry r = registry;
        if (r == null) {
            return null;
        }
        return byName.computeIfAbsent(name, i -> {
            DeviceMeters v6 = family(r, name, "inet6");
            v6.dadFailures = Counter.builder("neighd.ipv6.dad.failures")
                    .description("Duplicate address detection failures: another node uses one of our tentative addresses")
                    .tags("interface", name, "family", "inet6")
                    .register(r);
            return new DeviceMeters[] {family(r, name, "inet"), v6};
        });
    }

    @Override
    public void address(io.neighd.engine.AddressEvent e) {
        if (e.type() != io.neighd.engine.AddressEvent.Type.DADFAILED) {
            return;
        }
        DeviceMeters m = meters(e.dev(), IpAddress.AF_INET6);
        if (m != null) {
            m.dadFailures.increment();
        }
    }

    private static DeviceMeters family(MeterRegistry r, String name, String family) {
        return new DeviceMeters(name, family,
                Timer.builder("neighd.neighbour.resolution")
                        .description("Time from the start of a resolution (INCOMPLETE) to a valid entry")
                        .tags("interface", name, "family", family)
                        .serviceLevelObjectives(RESOLUTION_BUCKETS)
                        .register(r),
                Counter.builder("neighd.neighbour.resolution.failures")
                        .description("Resolutions that ended FAILED (no answer to any probe)")
                        .tags("interface", name, "family", family)
                        .register(r));
    }

    @Override
    public void transition(DeviceId dev, int family, NudState from, NudState to) {
        DeviceMeters m = meters(dev, family);
        if (m == null) {
            return;
        }
        int i = NudState.index(from.bit()) * STATES + NudState.index(to.bit());
        Counter c = m.transitions[i];
        if (c == null) {
            c = Counter.builder("neighd.neighbour.transitions")
                    .description("NUD state transitions by interface, family, from and to state")
                    .tags("interface", m.name, "family", m.family, "from", from.name(), "to", to.name())
                    .register(registry);
            m.transitions[i] = c;
        }
        c.increment();
    }

    @Override
    public void resolved(DeviceId dev, int family, long nanos) {
        DeviceMeters m = meters(dev, family);
        if (m != null) {
            m.resolution.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void resolutionFailed(DeviceId dev, int family) {
        DeviceMeters m = meters(dev, family);
        if (m != null) {
            m.failures.increment();
        }
    }
}
