package io.neighd.link;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import org.pcap4j.core.PcapHandle;

import java.io.EOFException;
import java.lang.reflect.Field;

/**
 * The capture hot path: libpcap called directly on the {@code pcap_t} of a pcap4j handle, for what
 * pcap4j does not offer or does expensively. pcap4j's {@code getNextRawPacketEx} allocates two
 * JNA {@code Memory} out-parameters (a malloc, a free and a Cleaner registration each) and a
 * {@code java.sql.Timestamp} per packet; under an ARP flood that garbage, and the reference
 * processing it adds to every young collection, cost more CPU than the engine's own work on the
 * frame. Here the out-parameters are allocated once per reader. pcap4j also has no
 * {@code pcap_get_selectable_fd}, which {@link CapturePoller} needs.
 *
 * <p>A reader is not thread-safe: one thread reads a handle, and never while it is being closed
 * ({@link PcapLink} guards that).
 */
final class PcapDirect {
    /** struct pcap_pkthdr { struct timeval ts; bpf_u_int32 caplen; bpf_u_int32 len; } */
    private static final long CAPLEN_OFFSET = Native.LONG_SIZE * 2L;
    private static final Field HANDLE = handleField();
    private static final boolean REGISTERED = register();

    private final Pointer pcap;
    /** pcap_next_ex's two out-parameters: struct pcap_pkthdr ** and const u_char **. */
    private final Memory out = new Memory(2L * Native.POINTER_SIZE);
    private final Pointer headerOut = out.share(0);
    private final Pointer dataOut = out.share(Native.POINTER_SIZE);

    private PcapDirect(Pointer pcap) {
        this.pcap = pcap;
    }

    /** A reader on {@code h}'s pcap_t, or null where this pcap4j or libpcap does not allow one. */
    static PcapDirect of(PcapHandle h) {
        if (!REGISTERED || HANDLE == null) {
            return null;
        }
        try {
            Pointer p = (Pointer) HANDLE.get(h);
            return p == null ? null : new PcapDirect(p);
        } catch (IllegalAccessException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The next frame: its bytes (a fresh array the caller owns), or null when there is none (the
     * read timeout, or at once on a non-blocking handle).
     *
     * @throws EOFException  after pcap_breakloop (PCAP_ERROR_BREAK)
     * @throws LinkException on a capture error (PCAP_ERROR), with libpcap's message
     */
    byte[] next() throws EOFException {
        int rc = pcap_next_ex(pcap, headerOut, dataOut);
        switch (rc) {
            case 1 -> {
                Pointer header = out.getPointer(0);
                Pointer data = out.getPointer(Native.POINTER_SIZE);
                byte[] frame = new byte[header.getInt(CAPLEN_OFFSET)];
                data.read(0, frame, 0, frame.length);
                return frame;
            }
            case 0 -> {
                return null;
            }
            case -2 -> throw new EOFException("pcap_breakloop");
            default -> throw new LinkException(pcap_geterr(pcap));
        }
    }

    /** pcap_get_selectable_fd: readable when frames wait (level-triggered), -1 if there is none. */
    int selectableFd() {
        return pcap_get_selectable_fd(pcap);
    }

    private static native int pcap_next_ex(Pointer p, Pointer header, Pointer data);

    private static native String pcap_geterr(Pointer p);

    private static native int pcap_get_selectable_fd(Pointer p);

    private static Field handleField() {
        try {
            Field f = PcapHandle.class.getDeclaredField("handle");
            if (f.getType() != Pointer.class) {
                return null;
            }
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException | RuntimeException e) {
            return null;
        }
    }

    /** The library pcap4j itself loads (its own property names it), so both work on one pcap_t. */
    private static boolean register() {
        String name = System.getProperty("org.pcap4j.core.pcapLibName", "pcap");
        try {
            Native.register(PcapDirect.class, NativeLibrary.getInstance(name));
            return true;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }
}
