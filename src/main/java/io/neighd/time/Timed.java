package io.neighd.time;

/**
 * Something that owns exactly one timer: the wheel links these nodes directly, so a million
 * armed neighbour entries cost a million nodes and no scheduled-task objects.
 */
public abstract class Timed {
    static final long NOT_PENDING = Long.MIN_VALUE;

    long timerFireAt = NOT_PENDING;
    Timed timerNext;
    Timed timerPrev;

    /** timer_pending() */
    public final boolean timerPending() {
        return timerFireAt != NOT_PENDING;
    }

    /** The jiffy at which the pending timer fires, or {@link Long#MIN_VALUE}. */
    public final long timerFireAt() {
        return timerFireAt;
    }
}
