package io.neighd.engine;

import io.neighd.arp.Reason;
import io.neighd.engine.EngineFaults.Where;
import io.neighd.ip.DeviceId;
import io.neighd.neighbour.NeighParms;
import io.neighd.neighbour.NudState;
import io.neighd.testkit.EngineFixture;
import io.neighd.testkit.TestFrameSource;
import io.neighd.time.Task;
import io.neighd.wire.ArpOp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.neighd.testkit.EngineFixture.PEER_MAC;
import static io.neighd.testkit.EngineFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Faults in the engine stay in the unit of work they happen in (issue 10, defect 4): a frame, a
 * timer, a listener, a transmission, the frame source or a queued task that throws is counted in
 * {@link EngineFaults} and costs nothing else; an {@link Error} ends the engine thread, answers
 * every command still waiting at once and shows in {@link EngineLoop#liveness()}. Faults are
 * injected through seams a test owns: a frame source, a timer, a listener, a transmitter, a
 * command, and, for a frame, parms taken away from the device (as a defect would leave them).
 */
class EngineFaultTest {
    private final EngineFixture fx = new EngineFixture();
    private final EngineLoop loop = new EngineLoop(fx.engine, false);
    private final List<String> logged = new ArrayList<>();

    {
        fx.engine.faults().logTo((message, first) -> logged.add(message));
    }

    @AfterEach
    void stop() {
        loop.close();
    }

    // ------------------------------------------------------------------ the frame source

    /** The command taken off the queue before the source threw still runs; before the fix it was lost. */
    @Test
    void aFrameSourceThatThrowsLosesNoCommand() throws Exception {
        TestFrameSource source = new TestFrameSource(fx.engine, fx.nd0, 0);
        source.throwNext = new IllegalStateException("capture broke");
        loop.attach(source);
        loop.start();

        assertThat(loop.submit(nl -> "ran").get(5, TimeUnit.SECONDS)).isEqualTo("ran");
        assertThat(loop.faults().count(Where.FRAME_SOURCE)).isEqualTo(1);

        // and the source keeps being read (a command that arrives while the thread drains its queue may
        // run before a frame that arrived first: wait until the frame was taken, then for its batch)
        source.frames.add(request(PEER_MAC, "10.0.0.2", "10.0.0.1"));
        source.wake();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!source.frames.isEmpty() && System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        loop.submit(nl -> null).get(5, TimeUnit.SECONDS);
        assertThat(fx.tx.arp()).singleElement().satisfies(s -> assertThat(s.arp().op()).isEqualTo(ArpOp.REPLY));
    }

    // ------------------------------------------------------------------ timers

    /**
     * Timers due in the same jiffy as one that throws run in that jiffy; before the fix they ran
     * a revolution of the wheel (65536 jiffies, 262 s at HZ 250) late.
     */
    @Test
    void aThrowingTimerDelaysNoOtherTimer() {
        List<Long> ran = new ArrayList<>();
        Task broken = new Task("broken", () -> {
            throw new IllegalStateException("timer bug");
        });
        Task sound = new Task("sound", () -> ran.add(fx.now()));
        long at = fx.now() + 2;
        broken.arm(fx.engine.wheel(), at);
        sound.arm(fx.engine.wheel(), at);

        fx.advanceJiffies(3);

        assertThat(ran).containsExactly(at + 1);
        assertThat(fx.engine.faults().count(Where.TIMER)).isEqualTo(1);
        assertThat(logged).singleElement().asString().contains("timer", "task broken", "timer bug");
    }

    /** A neighbour timer due with a broken one still runs: the entry goes on probing. */
    @Test
    void neighbourTimersRunBesideABrokenOne() {
        fx.engine.resolve(fx.nd0, EngineFixture.ip("10.0.0.9"), o -> {
        });
        long probeAt = fx.entry("10.0.0.9").timerFireAt();
        Task broken = new Task("broken", () -> {
            throw new IllegalStateException("timer bug");
        });
        broken.arm(fx.engine.wheel(), probeAt - 1);
        int before = fx.tx.arp().size();

        fx.advanceJiffies(probeAt - fx.now());

        assertThat(fx.tx.arp()).hasSize(before + 1);
        assertThat(fx.state("10.0.0.9")).isEqualTo(NudState.INCOMPLETE);
    }

    // ------------------------------------------------------------------ frames, listeners, transmits

    /** A frame whose handling throws is dropped as engine_failure and counted; the next frame is served. */
    @Test
    void aFrameThatMakesTheEngineThrowIsCountedAndTheNextIsServed() {
        NeighParms parms = fx.nd0.arpParms();
        fx.nd0.setArpParms(null);
        byte[] frame = request(PEER_MAC, "10.0.0.2", "10.0.0.1");

        assertThat(fx.engine.receive(fx.nd0, frame, frame.length)).isEqualTo(Reason.ENGINE_FAILURE);

        fx.nd0.setArpParms(parms);
        assertThat(fx.engine.receive(fx.nd0, frame, frame.length)).isEqualTo(Reason.REPLIED);
        assertThat(fx.engine.faults().count(Where.FRAME)).isEqualTo(1);
        assertThat(fx.engine.interfaceStats(fx.nd0).count(Reason.ENGINE_FAILURE)).isEqualTo(1);
    }

    /** A listener that throws is skipped; the table's update it was told of completes. */
    @Test
    void aThrowingListenerLeavesTheUpdateComplete() {
        fx.engine.addListener(new EngineListener() {
            @Override
            public void event(NeighEvent e) {
                throw new IllegalStateException("subscriber bug");
            }

            @Override
            public void frame(DeviceId dev, int family, Reason reason) {
                throw new IllegalStateException("metrics bug");
            }
        });

        assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.0.0.1"))).isEqualTo(Reason.REPLIED);

        assertThat(fx.state("10.0.0.2")).isEqualTo(NudState.STALE);
        assertThat(fx.events.raw()).isNotEmpty();
        assertThat(fx.engine.faults().count(Where.LISTENER)).isEqualTo(2);
    }

    /** A link that throws on send loses that frame, as a failed dev_queue_xmit does; the rest goes on. */
    @Test
    void aLinkThatThrowsOnSendLosesOnlyThatFrame() {
        EngineFixture broken = new EngineFixture();
        broken.tx.failNext(new IllegalStateException("pcap_inject failed"));

        assertThat(broken.receive(request(PEER_MAC, "10.0.0.2", "10.0.0.1"))).isEqualTo(Reason.REPLIED);
        assertThat(broken.receive(request(PEER_MAC, "10.0.0.2", "10.0.0.1"))).isEqualTo(Reason.REPLIED);

        assertThat(broken.tx.arp()).hasSize(1);
        assertThat(broken.state("10.0.0.2")).isEqualTo(NudState.STALE);
        assertThat(broken.engine.faults().count(Where.TRANSMIT)).isEqualTo(1);
    }

    /** The log says the first failure of a kind with its trace, then at most one line a minute. */
    @Test
    void failuresAreLoggedRateLimited() {
        List<Throwable> traces = new ArrayList<>();
        fx.engine.faults().logTo((message, first) -> {
            logged.add(message);
            traces.add(first);
        });
        NeighParms parms = fx.nd0.arpParms();
        fx.nd0.setArpParms(null);
        byte[] frame = request(PEER_MAC, "10.0.0.2", "10.0.0.1");
        for (int i = 0; i < 1000; i++) {
            fx.engine.receive(fx.nd0, frame, frame.length);
        }
        fx.clock.advanceMillis(60_000);
        fx.engine.receive(fx.nd0, frame, frame.length);
        fx.nd0.setArpParms(parms);

        assertThat(fx.engine.faults().count(Where.FRAME)).isEqualTo(1001);
        assertThat(logged).hasSize(2);
        assertThat(logged.get(1)).contains("1000 more failure(s) in frame");
        assertThat(traces.get(0)).isInstanceOf(NullPointerException.class);
        assertThat(traces.get(1)).isNull();
    }

    // ------------------------------------------------------------------ commands

    @Test
    void aThrowingCommandIsAnsweredWithItsExceptionAndTheNextRuns() throws Exception {
        loop.start();
        CompletableFuture<Object> bad = loop.submit(nl -> {
            throw new IllegalArgumentException("bad input");
        });

        assertThatThrownBy(() -> bad.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(loop.submit(nl -> "next").get(5, TimeUnit.SECONDS)).isEqualTo("next");
        assertThat(loop.liveness().state()).isEqualTo(EngineLoop.State.RUNNING);
    }

    // ------------------------------------------------------------------ the thread's death and the heartbeat

    /**
     * An Error ends the engine thread: liveness says DEAD with the cause, the commands waiting
     * behind it are answered at once, and later ones are refused at once (before the fix the
     * thread died silently and every command waited 5 s for a 503).
     */
    @Test
    void anErrorEndsTheThreadAndEveryWaitingCommandIsAnsweredAtOnce() throws Exception {
        CountDownLatch inCommand = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.start();
        CompletableFuture<Object> failing = loop.submit(nl -> {
            inCommand.countDown();
            await(release);
            throw new OutOfMemoryError("simulated");
        });
        inCommand.await(5, TimeUnit.SECONDS);
        CompletableFuture<String> queued = loop.submit(nl -> "never");
        release.countDown();

        assertThatThrownBy(() -> failing.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(OutOfMemoryError.class);
        assertThatThrownBy(() -> queued.get(5, TimeUnit.SECONDS)).hasMessageContaining("the engine thread died")
                .hasRootCauseInstanceOf(OutOfMemoryError.class);
        awaitState(EngineLoop.State.DEAD);
        assertThat(loop.liveness().death()).isInstanceOf(OutOfMemoryError.class);

        long t0 = System.nanoTime();
        assertThatThrownBy(() -> loop.submit(nl -> "late").get(5, TimeUnit.SECONDS))
                .hasMessageContaining("the engine thread died");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(1000);
    }

    /** An Error from the frame source ends the thread too. */
    @Test
    void anErrorFromTheFrameSourceEndsTheThread() {
        TestFrameSource source = new TestFrameSource(fx.engine, fx.nd0, 0);
        source.throwNext = new StackOverflowError("simulated");
        loop.attach(source);
        loop.start();
        source.wake();

        awaitState(EngineLoop.State.DEAD);
        assertThat(loop.liveness().death()).isInstanceOf(StackOverflowError.class);
    }

    /** The heartbeat stops while one unit of work holds the thread, and resumes after it. */
    @Test
    void theHeartbeatStopsWhileTheThreadIsHeld() throws Exception {
        loop.start();
        loop.submit(nl -> null).get(5, TimeUnit.SECONDS);
        assertThat(loop.liveness().sinceHeartbeatNanos()).isLessThan(TimeUnit.SECONDS.toNanos(1));
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Object> held = loop.submit(nl -> {
            await(release);
            return null;
        });

        Thread.sleep(1500);
        EngineLoop.Liveness l = loop.liveness();
        assertThat(l.state()).isEqualTo(EngineLoop.State.RUNNING);
        assertThat(l.sinceHeartbeatNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1000));

        release.countDown();
        held.get(5, TimeUnit.SECONDS);
        loop.submit(nl -> null).get(5, TimeUnit.SECONDS);
        assertThat(loop.liveness().sinceHeartbeatNanos()).isLessThan(TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void aClosedLoopSaysStoppedAndRefusesWork() {
        assertThat(loop.liveness().state()).isEqualTo(EngineLoop.State.NOT_STARTED);
        loop.start();
        loop.close();

        assertThat(loop.liveness().state()).isEqualTo(EngineLoop.State.STOPPED);
        assertThatThrownBy(() -> loop.submit(nl -> "late").get(1, TimeUnit.SECONDS))
                .hasMessageContaining("stopped");
    }

    private void awaitState(EngineLoop.State state) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (loop.liveness().state() != state) {
            if (System.nanoTime() > end) {
                throw new AssertionError("the loop is " + loop.liveness().state() + ", not " + state);
            }
            Thread.onSpinWait();
        }
    }

    private static void await(CountDownLatch l) {
        try {
            l.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
