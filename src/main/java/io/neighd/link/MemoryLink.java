package io.neighd.link;

import io.neighd.wire.MacAddress;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A link in memory: tests inject frames as if received and read what neighd sent. It can also
 * be wired to another memory link's "peer" side to simulate a host answering.
 */
public final class MemoryLink implements Link {
    private final InterfaceInfo info;
    private final List<byte[]> sent = new CopyOnWriteArrayList<>();
    private final List<Consumer<byte[]>> taps = new CopyOnWriteArrayList<>();
    private final AtomicLong received = new AtomicLong();
    private volatile Receiver receiver;

    public MemoryLink(String name, int ifindex, MacAddress mac) {
        this.info = new InterfaceInfo(name, ifindex, mac, 1500, true);
    }

    @Override
    public String name() {
        return info.name();
    }

    @Override
    public InterfaceInfo info() {
        return info;
    }

    @Override
    public void start(Receiver receiver) {
        this.receiver = receiver;
    }

    /** A frame "arrives" on the interface. */
    public void inject(byte[] frame) {
        Receiver r = receiver;
        if (r == null) {
            throw new IllegalStateException("memory link " + name() + " is not started");
        }
        received.incrementAndGet();
        r.frame(frame, frame.length, -1);
    }

    /** Called with every frame neighd sends (on the engine thread): lets a test play the peer. */
    public void tap(Consumer<byte[]> tap) {
        taps.add(tap);
    }

    @Override
    public void send(byte[] frame) {
        sent.add(frame);
        for (Consumer<byte[]> t : taps) {
            t.accept(frame);
        }
    }

    public List<byte[]> sent() {
        return new ArrayList<>(sent);
    }

    public void clearSent() {
        sent.clear();
    }

    @Override
    public boolean capturing() {
        return receiver != null;
    }

    @Override
    public Stats stats() {
        return new Stats(received.get(), 0, 0);
    }

    @Override
    public String problem() {
        return receiver == null ? "not started" : null;
    }

    @Override
    public void close() {
        receiver = null;
    }
}
