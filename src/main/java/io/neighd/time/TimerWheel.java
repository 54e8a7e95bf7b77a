package io.neighd.time;

/**
 * A hashed timing wheel with one-jiffy ticks and intrusive nodes ({@link Timed}): O(1) add and
 * cancel, expiry in deadline order. Production and tests use this same wheel; only the clock that
 * drives {@link #advanceTo} differs.
 *
 * <p>Firing time follows the kernel's timer wheel at its finest level (kernel/time/timer.c,
 * calc_index() at level 0): a timer armed for jiffy {@code e} runs on the first tick after it,
 * {@code e + 1}; one armed for the past runs on the next tick. (The kernel coarsens timers more
 * than 63 jiffies away to 8, 64, 512… jiffy buckets; neighd does not reproduce that slack.)
 */
public final class TimerWheel {
    /** Called for each expired node, on the engine thread. */
    public interface Handler {
        void expired(Timed t);
    }

    /** Told of a handler that threw; the wheel then goes on with the other timers due. */
    public interface FailureHandler {
        void failed(Timed t, RuntimeException e);
    }

    private static final int BITS = 16;
    private static final int SIZE = 1 << BITS;
    private static final int MASK = SIZE - 1;

    private final Timed[] slots = new Timed[SIZE];
    private final Handler handler;
    /** Null: a handler's exception reaches the caller of {@link #advanceTo}. */
    private FailureHandler onFailure;
    private long now;
    private long pending;
    private Timed[] due = new Timed[64];

    public TimerWheel(long startJiffies, Handler handler) {
        this.now = startJiffies;
        this.handler = handler;
    }

    /**
     * Isolates handlers from each other: a handler that throws is reported here, and the timers
     * due after it on the same tick still run then (one timer's bug must not delay the others by
     * a revolution of the wheel).
     */
    public void onFailure(FailureHandler h) {
        this.onFailure = h;
    }

    /** The last jiffy whose timers have run. */
    public long now() {
        return now;
    }

    public long pendingCount() {
        return pending;
    }

    /**
     * mod_timer(): arms {@code t} to expire at jiffy {@code expires}, moving it if already
     * pending. Returns true if it was pending before.
     */
    public boolean add(Timed t, long expires) {
        boolean was = cancel(t);
        long fireAt = Math.max(expires + 1, now + 1);
        t.timerFireAt = fireAt;
        int idx = (int) (fireAt & MASK);
        Timed head = slots[idx];
        t.timerPrev = null;
        t.timerNext = head;
        if (head != null) {
            head.timerPrev = t;
        }
        slots[idx] = t;
        pending++;
        return was;
    }

    /** timer_delete(): returns true if the timer was pending. */
    public boolean cancel(Timed t) {
        if (t.timerFireAt == Timed.NOT_PENDING) {
            return false;
        }
        int idx = (int) (t.timerFireAt & MASK);
        if (t.timerPrev != null) {
            t.timerPrev.timerNext = t.timerNext;
        } else {
            slots[idx] = t.timerNext;
        }
        if (t.timerNext != null) {
            t.timerNext.timerPrev = t.timerPrev;
        }
        t.timerNext = null;
        t.timerPrev = null;
        t.timerFireAt = Timed.NOT_PENDING;
        pending--;
        return true;
    }

    /**
     * Runs every timer due up to and including {@code target}, tick by tick, so a handler that
     * re-arms a timer sees the clock of the tick it runs on.
     *
     * @return the number of timers that fired
     */
    public long advanceTo(long target) {
        long fired = 0;
        while (now < target) {
            if (pending == 0) {
                now = target;
                break;
            }
            now++;
            fired += runSlot((int) (now & MASK));
        }
        return fired;
    }

    private long runSlot(int idx) {
        int n = 0;
        for (Timed t = slots[idx]; t != null; t = t.timerNext) {
            if (t.timerFireAt <= now) {
                if (n == due.length) {
                    due = java.util.Arrays.copyOf(due, n * 2);
                }
                due[n++] = t;
            }
        }
        // fire in arming order (the slot list is newest-first)
        long fired = 0;
        int i = n - 1;
        try {
            for (; i >= 0; i--) {
                Timed t = due[i];
                due[i] = null;
                // an earlier handler may have cancelled or re-armed it
                if (t.timerFireAt != Timed.NOT_PENDING && t.timerFireAt <= now) {
                    cancel(t);
                    fired++;
                    try {
                        handler.expired(t);
                    } catch (RuntimeException e) {
                        if (onFailure == null) {
                            throw e;
                        }
                        onFailure.failed(t, e);
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            // leave this tick to be run again: the timers due after the failed one are still
            // pending in its slot, and would otherwise wait for the wheel to come round
            for (int j = i - 1; j >= 0; j--) {
                due[j] = null;
            }
            now--;
            throw e;
        }
        return fired;
    }

    /**
     * The first jiffy within {@code horizon} ticks that has a timer to run, or -1 if none: lets an
     * idle engine thread sleep until then instead of waking every tick.
     */
    public long nextFireWithin(int horizon) {
        if (pending == 0) {
            return -1;
        }
        int limit = Math.min(horizon, SIZE);
        for (int i = 1; i <= limit; i++) {
            long j = now + i;
            for (Timed t = slots[(int) (j & MASK)]; t != null; t = t.timerNext) {
                if (t.timerFireAt <= j) {
                    return j;
                }
            }
        }
        if (horizon <= SIZE) {
            return -1;
        }
        // beyond one revolution the slot walk would wrap: find the earliest of the remaining timers
        long first = Long.MAX_VALUE;
        for (Timed head : slots) {
            for (Timed t = head; t != null; t = t.timerNext) {
                first = Math.min(first, t.timerFireAt);
            }
        }
        return first <= now + horizon ? first : -1;
    }

    /**
     * Checks the wheel's own structure: every node in the slot its expiry hashes to, once, with
     * consistent links, and as many as {@link #pendingCount()} says. Calls {@code visit} with
     * each node (for the owner's checks) and returns what is wrong, or an empty list.
     */
    public java.util.List<String> check(java.util.function.Consumer<Timed> visit) {
        java.util.List<String> wrong = new java.util.ArrayList<>();
        java.util.Set<Timed> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        long nodes = 0;
        for (int i = 0; i < SIZE; i++) {
            Timed prev = null;
            for (Timed t = slots[i]; t != null; t = t.timerNext) {
                nodes++;
                if (!seen.add(t)) {
                    wrong.add(t + " is in the wheel twice (slot " + i + ")");
                    break;
                }
                if (t.timerFireAt == Timed.NOT_PENDING) {
                    wrong.add(t + " is in slot " + i + " but not pending");
                } else if ((int) (t.timerFireAt & MASK) != i) {
                    wrong.add(t + " fires at " + t.timerFireAt + " but sits in slot " + i);
                } else if (t.timerFireAt <= now) {
                    wrong.add(t + " fires at " + t.timerFireAt + ", not after the wheel's now " + now);
                }
                if (t.timerPrev != prev) {
                    wrong.add(t + " has a broken back link in slot " + i);
                }
                visit.accept(t);
                prev = t;
            }
        }
        if (nodes != pending) {
            wrong.add("the wheel holds " + nodes + " timers but counts " + pending);
        }
        return wrong;
    }
}
