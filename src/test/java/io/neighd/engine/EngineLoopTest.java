package io.neighd.engine;

import io.neighd.testkit.EngineFixture;
import io.neighd.wire.ArpOp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The engine thread with a {@link FrameSource}: it reads frames itself between its commands, and
 * sleeps on the source, from which a command or {@link EngineLoop#close()} must wake it; each
 * turn ends with a flush of what it sent. Busy-polling, it never sleeps on the source.
 */
class EngineLoopTest {
    private final EngineFixture fx = new EngineFixture();
    private final EngineLoop loop = new EngineLoop(fx.engine, false);
    private final FakeSource source = new FakeSource();

    /** Frames waiting to be polled; await sleeps until woken (or a long bound), whatever it is told. */
    private final class FakeSource implements FrameSource {
        final Queue<byte[]> frames = new ConcurrentLinkedQueue<>();
        final Semaphore wakes = new Semaphore(0);
        volatile Thread poller;
        volatile Thread flusher;
        /** For each flush, how many frames the engine had sent by then. */
        final Queue<Integer> flushes = new ConcurrentLinkedQueue<>();
        final AtomicInteger awaits = new AtomicInteger();

        @Override
        public void await(long nanos) {
            awaits.incrementAndGet();
            if (!frames.isEmpty()) {
                return;
            }
            try {
                wakes.tryAcquire(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            wakes.drainPermits();
        }

        @Override
        public void wake() {
            wakes.release();
        }

        @Override
        public int poll(int max) {
            poller = Thread.currentThread();
            int n = 0;
            byte[] f;
            while (n < max && (f = frames.poll()) != null) {
                fx.engine.receive(fx.nd0, f, f.length);
                n++;
            }
            return n;
        }

        @Override
        public void flush() {
            flusher = Thread.currentThread();
            flushes.add(fx.tx.all().size());
        }
    }

    @AfterEach
    void stop() {
        loop.close();
    }

    @Test
    void framesOfTheSourceAreReadAndAnsweredOnTheEngineThread() throws Exception {
        loop.attach(source);
        loop.start();
        source.frames.add(EngineFixture.request(EngineFixture.PEER_MAC, "10.0.0.2", "10.0.0.1"));
        source.wake();

        // a command queued after the frame runs after it: the engine has answered by then
        Thread engine = loop.submit(e -> Thread.currentThread()).get(5, TimeUnit.SECONDS);
        assertThat(source.poller).isSameAs(engine);
        assertThat(fx.tx.arp()).singleElement().satisfies(s -> assertThat(s.arp().op()).isEqualTo(ArpOp.REPLY));
    }

    @Test
    void theTurnThatAnswersFramesEndsWithAFlushAfterTheirReplies() throws Exception {
        loop.attach(source);
        loop.start();
        for (int i = 2; i <= 4; i++) {
            source.frames.add(EngineFixture.request(EngineFixture.PEER_MAC, "10.0.0." + i, "10.0.0.1"));
        }
        source.wake();

        Thread engine = loop.submit(e -> Thread.currentThread()).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> source.flushes.stream().anyMatch(n -> n == 3));
        assertThat(source.flusher).isSameAs(engine);
    }

    @Test
    void busyPollingNeverSleepsOnTheSourceYetAnswersFramesAndRunsCommands() throws Exception {
        loop.attach(source, true);
        loop.start();
        source.frames.add(EngineFixture.request(EngineFixture.PEER_MAC, "10.0.0.2", "10.0.0.1"));

        await().atMost(Duration.ofSeconds(5)).until(() -> loop.submit(e -> fx.tx.arp().size()).get() == 1);
        assertThat(loop.submit(e -> "ran").get(5, TimeUnit.SECONDS)).isEqualTo("ran");
        assertThat(source.awaits).hasValue(0);
        assertThat(source.flushes).isNotEmpty();
    }

    @Test
    void aCommandWakesTheThreadSleepingOnTheSource() throws Exception {
        loop.attach(source);
        loop.start();
        loop.submit(e -> null).get(5, TimeUnit.SECONDS);
        Thread.sleep(50); // asleep in await now, which only a wake() ends before 30 s

        assertThat(loop.submit(e -> "ran").get(5, TimeUnit.SECONDS)).isEqualTo("ran");
    }

    @Test
    void closeWakesTheThreadSleepingOnTheSource() throws Exception {
        loop.attach(source);
        loop.start();
        loop.submit(e -> null).get(5, TimeUnit.SECONDS);
        Thread.sleep(50);

        long t0 = System.nanoTime();
        loop.close();
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(5);
    }

    @Test
    void aSourceIsAttachedBeforeTheThreadStarts() {
        loop.start();
        assertThatThrownBy(() -> loop.attach(source)).isInstanceOf(IllegalStateException.class);
    }
}
