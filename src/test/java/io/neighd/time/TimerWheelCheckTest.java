package io.neighd.time;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wheel's self-check, which the fuzzers run after every batch: a sound wheel passes and shows
 * each armed node once; each kind of damage (done here through the package's fields, as a defect
 * in the wheel would) is named. A timer armed for jiffy e fires, and sits, at e + 1.
 */
class TimerWheelCheckTest {
    private static final int SIZE = 1 << 16;
    private final TimerWheel wheel = new TimerWheel(0, t -> {
    });
    private final Task a = new Task("a", () -> {
    });
    private final Task b = new Task("b", () -> {
    });

    @Test
    void aSoundWheelPassesAndEveryNodeIsVisitedOnce() {
        wheel.add(a, 9);
        wheel.add(b, 9 + SIZE);
        List<Timed> visited = new ArrayList<>();

        assertThat(wheel.check(visited::add)).isEmpty();

        assertThat(visited).containsExactlyInAnyOrder(a, b);
    }

    @Test
    void aNodeInTheWrongSlot() {
        wheel.add(a, 9);
        a.timerFireAt = 11;

        assertThat(wheel.check(t -> {
        })).containsExactly("task a fires at 11 but sits in slot 10");
    }

    @Test
    void aNodeThatIsNotPending() {
        wheel.add(a, 9);
        a.timerFireAt = Timed.NOT_PENDING;

        assertThat(wheel.check(t -> {
        })).containsExactly("task a is in slot 10 but not pending");
    }

    @Test
    void aNodeDueNowIsNotAfterTheWheelsNow() {
        wheel.add(a, SIZE - 1);
        a.timerFireAt = 0;

        assertThat(wheel.check(t -> {
        })).containsExactly("task a fires at 0, not after the wheel's now 0");
    }

    @Test
    void aBrokenBackLink() {
        wheel.add(a, 9);
        wheel.add(b, 9 + SIZE);
        Timed second = a.timerPrev != null ? a : b;
        second.timerPrev = null;

        assertThat(wheel.check(t -> {
        })).containsExactly(second + " has a broken back link in slot 10");
    }

    @Test
    void aCycleIsANodeTwice() {
        wheel.add(a, 9);
        a.timerNext = a;

        assertThat(wheel.check(t -> {
        })).containsExactly("task a is in the wheel twice (slot 10)", "the wheel holds 2 timers but counts 1");
    }

    @Test
    void aLostNodeIsAWrongCount() {
        wheel.add(a, 9);
        wheel.add(b, 9 + SIZE);
        Timed first = a.timerPrev == null ? a : b;
        first.timerNext = null;

        assertThat(wheel.check(t -> {
        })).containsExactly("the wheel holds 1 timers but counts 2");
    }
}
