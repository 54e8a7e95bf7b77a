package io.neighd.link;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The classic libpcap file format (pcap-savefile(5)), read and written in plain Java so that
 * replaying a capture needs neither libpcap nor privileges. Reads microsecond and nanosecond
 * files of either byte order with Ethernet link type; writes microsecond little-endian files.
 */
public final class PcapFile {
    public static final int LINKTYPE_ETHERNET = 1;
    private static final int MAGIC_MICROS = 0xa1b2c3d4;
    private static final int MAGIC_NANOS = 0xa1b23c4d;

    /** One captured frame: when (nanoseconds since the epoch), and the captured bytes. */
    public record Record(long timestampNanos, byte[] data, int originalLength) {
    }

    private PcapFile() {
    }

    /** Reads every record; a truncated last record ends the file (as tcpdump does) rather than failing. */
    public static List<Record> read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    public static List<Record> read(InputStream raw, String name) throws IOException {
        return read(raw, name, Integer.MAX_VALUE);
    }

    /**
     * The capture time of the first record, or -1 if the file is unreadable or has no record: a
     * replay starts its clock there rather than at 0.
     */
    public static long firstTimestampNanos(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<Record> first = read(in, file.toString(), 1);
            return first.isEmpty() ? -1 : first.get(0).timestampNanos();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static List<Record> read(InputStream raw, String name, int max) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        byte[] header = new byte[24];
        try {
            in.readFully(header);
        } catch (EOFException e) {
            throw new IOException(name + ": not a pcap file (shorter than its 24-byte header)");
        }
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        int magic = h.getInt(0);
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            order = ByteOrder.BIG_ENDIAN;
            h.order(order);
            magic = h.getInt(0);
            if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
                throw new IOException(name + ": not a pcap file (magic 0x" + Integer.toHexString(h.getInt(0))
                        + "; pcapng is not supported: convert with 'editcap -F pcap')");
            }
        }
        boolean nanos = magic == MAGIC_NANOS;
        int linkType = h.getInt(20);
        if (linkType != LINKTYPE_ETHERNET) {
            throw new IOException(name + ": link type " + linkType + " is not Ethernet (1)");
        }
        List<Record> out = new ArrayList<>();
        byte[] rh = new byte[16];
        while (out.size() < max) {
            int n = in.readNBytes(rh, 0, 16);
            if (n < 16) {
                break;
            }
            ByteBuffer r = ByteBuffer.wrap(rh).order(order);
            long sec = r.getInt(0) & 0xffffffffL;
            long frac = r.getInt(4) & 0xffffffffL;
            int incl = r.getInt(8);
            int orig = r.getInt(12);
            if (incl < 0 || incl > 262_144) {
                throw new IOException(name + ": record " + out.size() + " claims " + incl + " bytes");
            }
            byte[] data = in.readNBytes(incl);
            if (data.length < incl) {
                break;
            }
            out.add(new Record(sec * 1_000_000_000L + (nanos ? frac : frac * 1000), data, orig));
        }
        return out;
    }

    /** Writes frames as a microsecond pcap file. */
    public static final class Writer implements Closeable {
        private final OutputStream out;

        public Writer(Path file) throws IOException {
            this.out = new BufferedOutputStream(Files.newOutputStream(file));
            ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(MAGIC_MICROS).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(262_144)
                    .putInt(LINKTYPE_ETHERNET);
            out.write(h.array());
        }

        public synchronized void write(long timestampNanos, byte[] frame) throws IOException {
            ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            r.putInt((int) (timestampNanos / 1_000_000_000L)).putInt((int) (timestampNanos % 1_000_000_000L / 1000))
                    .putInt(frame.length).putInt(frame.length);
            out.write(r.array());
            out.write(frame);
        }

        public synchronized void flush() throws IOException {
            out.flush();
        }

        @Override
        public synchronized void close() throws IOException {
            out.close();
        }
    }
}
