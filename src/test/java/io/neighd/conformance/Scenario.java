package io.neighd.conformance;

import io.neighd.lab.Timing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One differential scenario: knobs set identically on both DUTs, a script run on each side, and
 * what to compare afterwards.
 *
 * @param name       stable identifier (the row key of docs/conformance.md and of the explained list)
 * @param title      what happens, in a sentence
 * @param knobs      sysctls by full Linux name, written to both DUTs before the script
 * @param script     the same steps on each side
 * @param settleMs   wait after the script before the tables are read and the captures stopped
 * @param timersMs   the timers on the way to the scenario's latest frame (ms each): the time slack
 *                   is derived from them ({@link Timing#slackMs})
 * @param randomDelayMs for proxy_delay: frames come after a random draw below this; their times
 *                   are compared as distributions, not one by one (0: not random)
 * @param frames     compare what the DUTs sent
 * @param table      compare the resulting tables
 * @param noReference why the reference kernel cannot run this scenario (null: it can)
 * @param expected   for a scenario without reference: checks neighd's outcome, answering null if
 *                   it is what Linux's code does, else what differs
 * @param linuxByCode for a scenario without reference: what Linux does, from its code
 */
record Scenario(String name, String title, Map<String, Object> knobs, Consumer<Run> script, long settleMs,
                long[] timersMs, long randomDelayMs, boolean frames, boolean table, String noReference,
                Function<Outcome, String> expected, String linuxByCode) {

    static Builder of(String name, String title) {
        return new Builder(name, title);
    }

    /** How far apart in time the same frame may be on the two sides. */
    long slackMs() {
        return Timing.slackMs(timersMs);
    }

    String knobsText() {
        if (knobs.isEmpty()) {
            return "defaults";
        }
        return knobs.entrySet().stream()
                .map(e -> e.getKey().replace("net.ipv4.", "") + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return name;
    }

    static final class Builder {
        private final String name;
        private final String title;
        private final Map<String, Object> knobs = new LinkedHashMap<>();
        private Consumer<Run> script = r -> {
        };
        private long settleMs = 300;
        private long[] timersMs = {};
        private long randomDelayMs;
        private boolean frames = true;
        private boolean table = true;
        private String noReference;
        private Function<Outcome, String> expected;
        private String linuxByCode;

        private Builder(String name, String title) {
            this.name = name;
            this.title = title;
        }

        Builder knob(String key, Object value) {
            knobs.put(key, value);
            return this;
        }

        Builder script(Consumer<Run> s) {
            this.script = s;
            return this;
        }

        Builder settle(long ms) {
            this.settleMs = ms;
            return this;
        }

        /** The timers (ms) on the way to the latest frame compared, e.g. retrans_time twice. */
        Builder timers(long... ms) {
            this.timersMs = ms.clone();
            return this;
        }

        /** The frames come after a random delay below {@code ms} (proxy_delay). */
        Builder randomDelay(long ms) {
            this.randomDelayMs = ms;
            return this;
        }

        Builder tableOnly() {
            this.frames = false;
            return this;
        }

        Builder framesOnly() {
            this.table = false;
            return this;
        }

        /** neighd alone, checked against what Linux's code does because the reference cannot run it. */
        Builder neighdOnly(String why, String linux, Function<Outcome, String> check) {
            this.noReference = why;
            this.linuxByCode = linux;
            this.expected = check;
            return this;
        }

        Scenario build() {
            return new Scenario(name, title, Map.copyOf(knobs).isEmpty() ? Map.of() : new LinkedHashMap<>(knobs),
                    script, settleMs, timersMs, randomDelayMs, frames, table, noReference, expected, linuxByCode);
        }
    }
}
