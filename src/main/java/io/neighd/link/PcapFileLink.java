package io.neighd.link;

import io.neighd.wire.MacAddress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Replays a capture through the engine on the capture's own timestamps: the frames whose source
 * MAC is not the interface's own are delivered as received; the interface's own frames (what the
 * captured host sent) are skipped. What neighd sends is written to {@code out}, stamped with the
 * engine's clock, so it can be compared with what the captured host sent.
 */
public final class PcapFileLink implements Link {
    private final InterfaceInfo info;
    private final Path file;
    private final Path out;
    private final LongSupplier clockNanos;
    private final AtomicLong delivered = new AtomicLong();
    private volatile PcapFile.Writer writer;
    private volatile boolean started;
    private volatile boolean finished;
    private volatile String problem = "not started";

    /** @param clockNanos the engine clock, read on the engine thread when a frame is sent */
    public PcapFileLink(String name, int ifindex, MacAddress mac, Path file, Path out, LongSupplier clockNanos) {
        this.info = new InterfaceInfo(name, ifindex, mac, 1500, true);
        this.file = file;
        this.out = out;
        this.clockNanos = clockNanos;
    }

    @Override
    public String name() {
        return info.name();
    }

    @Override
    public InterfaceInfo info() {
        return info;
    }

    /** Reads the whole capture up front so that a bad file fails at start with its name. */
    public List<PcapFile.Record> load() {
        if (!Files.isReadable(file)) {
            throw new LinkException("capture file '" + file + "' for " + name() + " is missing or unreadable: "
                    + "fix neighd.interfaces[].pcap-file");
        }
        try {
            return PcapFile.read(file);
        } catch (IOException e) {
            throw new LinkException("capture file " + e.getMessage() + ": fix neighd.interfaces[].pcap-file", e);
        }
    }

    @Override
    public void start(Receiver receiver) {
        List<PcapFile.Record> records = load();
        if (out != null) {
            try {
                writer = new PcapFile.Writer(out);
            } catch (IOException e) {
                throw new LinkException("cannot write '" + out + "': fix neighd.interfaces[].pcap-out", e);
            }
        }
        started = true;
        problem = null;
        long own = info.mac().bits();
        Thread t = new Thread(() -> {
            for (PcapFile.Record r : records) {
                byte[] d = r.data();
                if (d.length >= 12 && MacAddress.read(d, 6) == own) {
                    continue;
                }
                delivered.incrementAndGet();
                receiver.frame(d, d.length, r.timestampNanos());
            }
            finished = true;
        }, "neighd-replay-" + name());
        t.setDaemon(true);
        t.start();
    }

    /** True once every frame of the capture has been handed to the engine. */
    public boolean finished() {
        return finished;
    }

    @Override
    public void send(byte[] frame) {
        PcapFile.Writer w = writer;
        if (w != null) {
            try {
                w.write(clockNanos.getAsLong(), frame);
                w.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public boolean capturing() {
        return started;
    }

    @Override
    public Stats stats() {
        return new Stats(delivered.get(), 0, 0);
    }

    @Override
    public String problem() {
        return problem;
    }

    @Override
    public void close() {
        PcapFile.Writer w = writer;
        writer = null;
        if (w != null) {
            try {
                w.close();
            } catch (IOException e) {
                // closing on shutdown: nothing left to do
            }
        }
    }
}
