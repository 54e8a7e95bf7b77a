package io.neighd.service;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The child of {@link StateFileCrashTest}: rewrites the state file in a loop, each state
 * consistent in itself (every value derived from one generation number), and prints the
 * generation after each write, until it is killed.
 */
public final class StateFileWriter {
    static final int KNOBS = 20;

    private StateFileWriter() {
    }

    public static void main(String[] args) {
        StateStore store = new StateStore(Path.of(args[0]));
        long generation = generation(store.load());
        while (true) {
            long g = ++generation;
            store.update(s -> state(g));
            System.out.println("wrote " + g);
            System.out.flush();
        }
    }

    /** The state of generation {@code g}: 20 knobs all equal to g, g % 7 entries named after g. */
    static StateStore.State state(long g) {
        Map<String, Long> knobs = new LinkedHashMap<>();
        for (int k = 0; k < KNOBS; k++) {
            knobs.put("net.ipv4.neigh.default.knob" + k, g);
        }
        List<StateStore.NeighRecord> n = new ArrayList<>();
        for (int i = 0; i < g % 7; i++) {
            n.add(new StateStore.NeighRecord("nd0", "10.0." + (g % 250) + "." + (i + 1), "02:00:00:00:00:0" + i,
                    "PERMANENT", false, false));
        }
        return new StateStore.State(1, n, List.of(), List.of(), List.of(), knobs);
    }

    /** The generation a state was written as, or 0 for an empty one. */
    static long generation(StateStore.State s) {
        return s.sysctl().isEmpty() ? 0 : s.sysctl().values().iterator().next();
    }
}
