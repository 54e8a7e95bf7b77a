package io.neighd.metrics;

import io.neighd.engine.EngineFaults;
import io.neighd.engine.EngineLoop;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * {@code engine}: UP while the engine thread runs and goes round, DOWN once it died (an
 * {@link Error} ended it) or stopped beating for {@link #STALL} (stuck in one unit of work). Part
 * of the liveness group, so the kubelet restarts a neighd whose engine no longer works: nothing
 * but a restart brings that thread back, and a neighd without it answers no ARP at all. Details:
 * the loop's state, how long ago it last went round, the failures it survived so far.
 */
final class EngineHealthIndicator implements HealthIndicator {
    /**
     * A healthy loop goes round at least twice a second (it sleeps at most until the next timer
     * or 500 ms); the longest single unit of work measured is a full table dump, well under a
     * second for 100,000 entries. Ten seconds without a heartbeat is a loop that is stuck.
     */
    static final Duration STALL = Duration.ofSeconds(10);

    private final Supplier<EngineLoop> loop;
    private final Duration stallAfter;

    EngineHealthIndicator(Supplier<EngineLoop> loop, Duration stallAfter) {
        this.loop = loop;
        this.stallAfter = stallAfter;
    }

    @Override
    public Health health() {
        EngineLoop l = loop.get();
        EngineLoop.Liveness live = l.liveness();
        Health.Builder h = switch (live.state()) {
            case RUNNING -> live.sinceHeartbeatNanos() > stallAfter.toNanos()
                    ? Health.down().withDetail("problem", "the engine thread has not gone round for "
                    + Duration.ofNanos(live.sinceHeartbeatNanos()).toMillis() + " ms (limit " + stallAfter.toMillis()
                    + " ms): stuck")
                    : Health.up();
            case NOT_STARTED -> Health.up();
            case STOPPED -> Health.down().withDetail("problem", "the engine is stopped");
            case DEAD -> Health.down().withDetail("problem", "the engine thread died: " + live.death());
        };
        EngineFaults faults = l.faults();
        return h.withDetail("state", live.state().name())
                .withDetail("sinceHeartbeatMs", Duration.ofNanos(live.sinceHeartbeatNanos()).toMillis())
                .withDetail("failuresSurvived", faults.total())
                .build();
    }
}
