package io.neighd.engine;

import io.neighd.testkit.EngineFixture;
import io.neighd.testkit.TestFrameSource;
import io.neighd.wire.ArpOp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine thread with a {@link FrameSource}: it reads frames itself between its commands, and
 * sleeps on the source, from which a command or {@link EngineLoop#close()} must wake it.
 */
class EngineLoopTest {
    private final EngineFixture fx = new EngineFixture();
    private final EngineLoop loop = new EngineLoop(fx.engine, false);
    /** Frames waiting to be polled; await sleeps until woken (or 30 s), whatever it is told. */
    private final TestFrameSource source = new TestFrameSource(fx.engine, fx.nd0, 30_000);

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
