package io.neighd.engine;

import io.neighd.arp.Reason;
import io.neighd.ip.NetDevice;

/**
 * Where a link hands the engine the frames it captured on one device: the hot path in, without
 * a name lookup per frame. Call {@link #receive} on the thread that owns the engine (the engine
 * loop's, which reads live captures itself, or through {@link EngineLoop#offerFrame}).
 */
public final class RxPort {
    private final Engine engine;
    private final NetDevice dev;

    RxPort(Engine engine, NetDevice dev) {
        this.engine = engine;
        this.dev = dev;
    }

    public String device() {
        return dev.name();
    }

    /** A frame received now. Never throws on bad input: the reason says what became of it. */
    public Reason receive(byte[] data, int length) {
        return engine.receive(dev, data, length);
    }
}
