package io.neighd.engine;

import io.neighd.ip.NetDevice;
import io.neighd.neighbour.Neighbour;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Who waits for which entry's resolution to end (a {@code resolve} call of the API): told once,
 * when the entry becomes VALID or FAILED or is removed. Engine thread only.
 */
final class ResolveWaiters {
    private final Map<Neighbour<NetDevice>, List<Consumer<ResolveOutcome>>> waiters = new HashMap<>();

    void add(Neighbour<NetDevice> n, Consumer<ResolveOutcome> done) {
        waiters.computeIfAbsent(n, k -> new ArrayList<>(2)).add(done);
    }

    /** Tells each waiter of {@code n}; one that throws is counted, and the others are still told. */
    void complete(Neighbour<NetDevice> n, ResolveOutcome outcome, EngineFaults faults) {
        if (waiters.isEmpty()) {
            return;
        }
        List<Consumer<ResolveOutcome>> w = waiters.remove(n);
        if (w != null) {
            for (Consumer<ResolveOutcome> c : w) {
                try {
                    c.accept(outcome);
                } catch (RuntimeException e) {
                    faults.failed(EngineFaults.Where.COMMAND, "a resolve waiter", e);
                }
            }
        }
    }

    int size() {
        return waiters.size();
    }
}
