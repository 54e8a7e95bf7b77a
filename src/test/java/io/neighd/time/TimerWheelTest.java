package io.neighd.time;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The hashed wheel under the engine: 65536 one-jiffy slots, a timer armed for jiffy {@code e}
 * runs on tick {@code e + 1} (kernel/time/timer.c, calc_index() at level 0), handlers see the
 * tick they run on and may arm, re-arm or cancel timers, including their own.
 */
class TimerWheelTest {
    private static final int REVOLUTION = 1 << 16;

    /** A named timer; what it does when it fires is up to the test. */
    private static final class T extends Timed {
        final String name;

        T(String name) {
            this.name = name;
        }
    }

    private final List<String> fired = new ArrayList<>();
    private final Map<T, Consumer<T>> actions = new HashMap<>();
    private TimerWheel wheel;

    @BeforeEach
    void setUp() {
        wheel = new TimerWheel(1000, t -> {
            T timer = (T) t;
            fired.add(timer.name + "@" + wheel.now());
            Consumer<T> a = actions.get(timer);
            if (a != null) {
                a.accept(timer);
            }
        });
    }

    private T timer(String name) {
        return new T(name);
    }

    /** A Task keeps the expiry it was last armed for (timer->expires, which pneigh_enqueue compares against). */
    @Test
    void aTaskRemembersTheExpiryItWasArmedFor() {
        Task t = new Task("proxy_timer", () -> { });

        t.arm(wheel, 1234);
        assertThat(t.expires()).isEqualTo(1234);
        t.arm(wheel, 1100);

        assertThat(t.expires()).isEqualTo(1100);
        assertThat(t.timerPending()).isTrue();
        assertThat(t).hasToString("task proxy_timer");
    }

    @Test
    void timersRunOneTickAfterExpiryInDeadlineOrder() {
        T a = timer("a");
        T b = timer("b");
        T c = timer("c");
        T d = timer("d");
        wheel.add(a, 1005);
        wheel.add(b, 1003);
        wheel.add(c, 1003);
        wheel.add(d, 1010);
        assertThat(wheel.pendingCount()).isEqualTo(4);

        assertThat(wheel.advanceTo(1020)).isEqualTo(4);

        assertThat(fired).containsExactly("b@1004", "c@1004", "a@1006", "d@1011");
        assertThat(wheel.now()).isEqualTo(1020);
        assertThat(wheel.pendingCount()).isZero();
        assertThat(a.timerPending()).isFalse();
    }

    @Test
    void notOneTickEarly() {
        T a = timer("a");
        wheel.add(a, 1005);

        wheel.advanceTo(1005);
        assertThat(fired).isEmpty();
        assertThat(a.timerFireAt()).isEqualTo(1006);
        wheel.advanceTo(1006);
        assertThat(fired).containsExactly("a@1006");
    }

    @Test
    void expiriesInThePastOrNowRunOnTheNextTick() {
        wheel.add(timer("past"), 900);
        wheel.add(timer("now"), 1000);

        wheel.advanceTo(1001);

        assertThat(fired).containsExactly("past@1001", "now@1001");
    }

    @Test
    void armingAPendingTimerMovesIt() {
        T a = timer("a");
        assertThat(wheel.add(a, 1005)).isFalse();

        assertThat(wheel.add(a, 1002)).as("was pending").isTrue();
        wheel.advanceTo(1010);

        assertThat(fired).containsExactly("a@1003");
        assertThat(wheel.cancel(a)).isFalse();
    }

    @Test
    void aHandlerReArmsItself() {
        T a = timer("a");
        actions.put(a, t -> {
            if (fired.size() < 3) {
                wheel.add(t, wheel.now() + 2);
            }
        });
        wheel.add(a, 1000);

        wheel.advanceTo(1100);

        assertThat(fired).containsExactly("a@1001", "a@1004", "a@1007");
    }

    @Test
    void aHandlerArmingForNowRunsNextTick() {
        T a = timer("a");
        T b = timer("b");
        actions.put(a, t -> wheel.add(b, wheel.now()));
        wheel.add(a, 1000);

        wheel.advanceTo(1002);

        assertThat(fired).containsExactly("a@1001", "b@1002");
    }

    @Test
    void aHandlerCancelsAnotherDueInTheSameTick() {
        T a = timer("a");
        T b = timer("b");
        T c = timer("c");
        actions.put(a, t -> {
            wheel.cancel(b);
            wheel.cancel(c);
        });
        wheel.add(a, 1003);
        wheel.add(b, 1003);
        wheel.add(c, 1050);

        wheel.advanceTo(1100);

        assertThat(fired).containsExactly("a@1004");
        assertThat(wheel.pendingCount()).isZero();
    }

    @Test
    void aHandlerPostponesAnotherDueInTheSameTick() {
        T a = timer("a");
        T b = timer("b");
        actions.put(a, t -> wheel.add(b, wheel.now() + 5));
        wheel.add(a, 1003);
        wheel.add(b, 1003);

        wheel.advanceTo(1100);

        assertThat(fired).containsExactly("a@1004", "b@1010");
    }

    /** A timer a whole revolution away shares its slot with nearer ones but runs only at its own tick. */
    @Test
    void farFutureTimersWaitForTheirRevolution() {
        T near = timer("near");
        T far = timer("far");
        T farther = timer("farther");
        wheel.add(near, 1010);
        wheel.add(far, 1010 + REVOLUTION);
        wheel.add(farther, 1010 + 3L * REVOLUTION);

        wheel.advanceTo(1011);
        assertThat(fired).containsExactly("near@1011");
        wheel.advanceTo(1010 + REVOLUTION);
        assertThat(fired).hasSize(1);
        wheel.advanceTo(1011 + REVOLUTION);
        assertThat(fired).containsExactly("near@1011", "far@" + (1011 + REVOLUTION));
        wheel.advanceTo(1011 + 3L * REVOLUTION);
        assertThat(fired).last().isEqualTo("farther@" + (1011 + 3L * REVOLUTION));
    }

    @Test
    void cancelOfAFarFutureTimer() {
        T far = timer("far");
        wheel.add(far, 1000 + 2L * REVOLUTION + 7);

        assertThat(wheel.cancel(far)).isTrue();
        wheel.advanceTo(1000 + 3L * REVOLUTION);

        assertThat(fired).isEmpty();
    }

    @Test
    void nextFireWithinFindsTheFirstDueTick() {
        wheel.add(timer("a"), 1009);
        wheel.add(timer("b"), 1004);

        assertThat(wheel.nextFireWithin(4)).isEqualTo(-1);
        assertThat(wheel.nextFireWithin(5)).isEqualTo(1005);
        assertThat(wheel.nextFireWithin(250)).isEqualTo(1005);
    }

    @Test
    void nextFireWithinIsMinusOneWhenIdle() {
        assertThat(wheel.nextFireWithin(250)).isEqualTo(-1);
        T a = timer("a");
        wheel.add(a, 1001);
        wheel.cancel(a);
        assertThat(wheel.nextFireWithin(250)).isEqualTo(-1);
    }

    /** A timer in a near slot but a later revolution is not due there. */
    @Test
    void nextFireWithinSkipsTimersOfLaterRevolutions() {
        T far = timer("far");
        wheel.add(far, 1009 + REVOLUTION);

        assertThat(wheel.nextFireWithin(250)).isEqualTo(-1);
        assertThat(wheel.nextFireWithin(REVOLUTION)).isEqualTo(-1);
        assertThat(wheel.nextFireWithin(REVOLUTION + 10)).isEqualTo(1010 + REVOLUTION);
        assertThat(wheel.nextFireWithin(REVOLUTION + 9)).isEqualTo(-1);
    }

    @Test
    void advancingAnIdleWheelJumps() {
        assertThat(wheel.advanceTo(5000)).isZero();
        assertThat(wheel.now()).isEqualTo(5000);
        T a = timer("a");
        wheel.add(a, 4000);
        wheel.advanceTo(5001);
        assertThat(fired).containsExactly("a@5001");
    }

    @Test
    void goingBackIsANoop() {
        wheel.add(timer("a"), 1002);
        wheel.advanceTo(900);

        assertThat(wheel.now()).isEqualTo(1000);
        assertThat(fired).isEmpty();
    }

    @Test
    void manyTimersInOneSlotAllRunInArmingOrder() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            wheel.add(timer("t" + i), 1003);
            expected.add("t" + i + "@1004");
        }

        wheel.advanceTo(1004);

        assertThat(fired).containsExactlyElementsOf(expected);
    }

    // ------------------------------------------------------------------ a handler that throws

    private void throwsWhenFired(T t) {
        actions.put(t, x -> {
            throw new IllegalStateException("boom");
        });
    }

    /**
     * A failing handler costs only its own timer: the others due on the same tick run on it, the
     * failure goes to the wheel's failure handler with the timer, and the wheel goes on ticking.
     */
    @Test
    void aThrowingHandlerDoesNotHoldBackTheOthersDueOnTheSameTick() {
        List<String> failures = new ArrayList<>();
        wheel.onFailure((t, e) -> failures.add(((T) t).name + ": " + e.getMessage()));
        T a = timer("a");
        T b = timer("b");
        T c = timer("c");
        throwsWhenFired(a);
        wheel.add(a, 1003);
        wheel.add(b, 1003);
        wheel.add(c, 1005);

        wheel.advanceTo(1010);

        assertThat(fired).containsExactly("a@1004", "b@1004", "c@1006");
        assertThat(failures).containsExactly("a: boom");
        assertThat(a.timerPending()).isFalse();
        assertThat(wheel.pendingCount()).isZero();
    }

    /**
     * Without a failure handler the exception reaches the caller, but the wheel stays where it
     * was: the timers not yet run on that tick run on the next advance, not a revolution later.
     */
    @Test
    void anExceptionThatReachesTheCallerLosesNoTimer() {
        T a = timer("a");
        T b = timer("b");
        throwsWhenFired(a);
        wheel.add(a, 1003);
        wheel.add(b, 1003);

        assertThatThrownBy(() -> wheel.advanceTo(1010)).hasMessage("boom");
        assertThat(b.timerPending()).isTrue();

        wheel.advanceTo(1010);

        assertThat(fired).containsExactly("a@1004", "b@1004");
        assertThat(wheel.now()).isEqualTo(1010);
        assertThat(wheel.pendingCount()).isZero();
    }
}
