package io.neighd.service;

import io.neighd.config.NeighdProperties;
import io.neighd.config.NeighdProperties.InterfaceProperties;
import io.neighd.engine.EngineLoop;
import io.neighd.link.Link;
import io.neighd.link.LinkException;
import io.neighd.link.PcapFile;
import io.neighd.time.Clock;
import io.neighd.time.ManualClock;
import io.neighd.time.SystemClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The engine's life in the service: made from the configuration with its clock (the system's,
 * or a replayed capture's), attached to its {@link Links}, brought to its {@link StartupState},
 * then run on its own thread with the {@link LinkWatch} following the interfaces, and stopped in
 * the reverse order.
 */
public final class EngineRuntime implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(EngineRuntime.class);

    private final NeighdProperties props;
    private final StateStore state;
    private final Clock clock;
    private final Links links;
    private final EngineLoop loop;
    private LinkWatch watch;
    private volatile boolean running;
    private volatile boolean started;

    public EngineRuntime(NeighdProperties props, StateStore state) {
        this.props = props;
        this.state = state;
        this.clock = props.replay() ? new ManualClock(replayStart(props)) : new SystemClock();
        this.links = new Links(props, clock);
        SecureRandom seed = new SecureRandom();
        this.loop = EngineLoop.create(clock, new SplittableRandom(seed.nextLong()), new SplittableRandom(seed.nextLong()),
                links::transmit, links.mcastFilter(), props.hz(), !props.replay());
    }

    /**
     * A replay's clock starts a second before the earliest capture's first frame (as a live
     * engine starts before the first frame it sees), not at 0: the timer wheel then never has to
     * walk decades of empty ticks up to the capture's time.
     */
    private static long replayStart(NeighdProperties props) {
        long first = Long.MAX_VALUE;
        for (InterfaceProperties ip : props.interfaces()) {
            long t = ip.pcapFile() == null ? -1 : PcapFile.firstTimestampNanos(ip.pcapFile());
            if (t >= 0) {
                first = Math.min(first, t);
            }
        }
        return first == Long.MAX_VALUE ? 0 : Math.max(0, first - 1_000_000_000L);
    }

    public EngineLoop loop() {
        return loop;
    }

    /** The engine's clock (the system's, or a replayed capture's): timestamps the engine would give. */
    public Clock clock() {
        return clock;
    }

    public StateStore state() {
        return state;
    }

    public NeighdProperties properties() {
        return props;
    }

    /** The links in configuration order. */
    public Map<String, Link> links() {
        return links.byName();
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void start() {
        if (started) {
            throw new IllegalStateException("neighd's engine was stopped and cannot be started again in the same context");
        }
        started = true;
        try {
            loop.beforeStart(nl -> {
                StartupState.applyEarly(nl, props);
                links.open(nl);
                StartupState.apply(nl, props, state);
                return null;
            });
        } catch (NeighdStartupException e) {
            links.close();
            throw e;
        } catch (LinkException | IllegalArgumentException | IllegalStateException e) {
            links.close();
            throw new NeighdStartupException(e.getMessage(), e);
        }
        List<Link> threaded = links.attachPolledCaptures(loop);
        loop.start();
        links.startThreaded(threaded, loop);
        if (!props.replay()) {
            watch = new LinkWatch(props, links, loop);
            watch.start();
        }
        running = true;
        log.info("neighd started: {} interface(s){}, state file {}", links.byName().size(),
                props.replay() ? " replaying captures" : "", state.enabled() ? state.file() : "disabled");
    }

    @Override
    public void stop() {
        running = false;
        if (watch != null) {
            watch.close();
        }
        // the engine thread first: it may be reading the polled captures
        loop.close();
        links.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Not stopped when a context is paused (Spring 7 pauses cached test contexts): the engine
     * thread and the captures cannot be restarted, and an idle engine costs nothing.
     */
    @Override
    public boolean isPauseable() {
        return false;
    }

    /** Start before the web server takes requests, stop after it stopped taking them. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }
}
