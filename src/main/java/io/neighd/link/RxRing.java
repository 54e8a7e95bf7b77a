package io.neighd.link;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An AF_PACKET socket's TPACKET_V2 receive ring, mapped into neighd's memory and read in place:
 * receiving a frame is a few loads from the mapping, no system call and no call into native
 * code. Mirrors the reader side of tpacket_rcv() in net/packet/af_packet.c.
 *
 * <p>Slots are {@value #SLOT} bytes: the tpacket2_hdr and sockaddr_ll (52 bytes), padding up to
 * where the kernel puts a frame with a 14-byte link header (tp_mac = 66), and 62 bytes of frame
 * — room for any ARP frame, padded to the Ethernet minimum or not, of which a 16 MiB ring holds
 * 131,072. A longer frame (an ICMP echo with a payload) does not fit; with PACKET_COPY_THRESH the
 * kernel then also queues it whole on the socket and marks its slot TP_STATUS_COPY, and the
 * reader takes it from there with one recv(2), in order. Should the socket's receive buffer be
 * full too, only the slot's first 62 bytes exist: such a frame is counted ({@link #truncated()})
 * and not handed on, since an echo reply must carry the request's whole payload.
 *
 * <p>The kernel strips 802.1Q tags into the slot header (tp_vlan_tci); the reader puts the tag
 * back, as libpcap does, so that the engine sees the frame as it was on the wire. Frames the
 * host itself sent (sll_pkttype PACKET_OUTGOING) are skipped, for kernels without
 * PACKET_IGNORE_OUTGOING.
 *
 * <p>Not thread-safe: one thread reads.
 */
final class RxRing {
    static final int SLOT = 128;
    /** tpacket2_hdr: tp_status, tp_len, tp_snaplen, tp_mac, tp_net, tp_sec, tp_nsec, tp_vlan_tci, tp_vlan_tpid. */
    private static final int TP_LEN = 4;
    private static final int TP_SNAPLEN = 8;
    private static final int TP_MAC = 12;
    private static final int TP_VLAN_TCI = 24;
    private static final int TP_VLAN_TPID = 26;
    /** sockaddr_ll after TPACKET_ALIGN(sizeof(tpacket2_hdr)) = 32: sll_pkttype at offset 10 within it. */
    private static final int SLL_PKTTYPE = 32 + 10;
    private static final int ETH_ADDRS = 12;
    private static final int VLAN_TAG = 4;
    private static final int ETH_P_8021Q = 0x8100;
    /** The longest frame taken whole from the socket: 64 KiB, more than any MTU. */
    static final int MAX_FRAME = 65_536;
    /** Blocks beyond this count grow instead, so that the kernel's block table stays small. */
    private static final int MAX_BLOCKS = 4096;
    private static final VarHandle STATUS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final int fd;
    private final Pointer base;
    private final long mappedBytes;
    private final ByteBuffer ring;
    private final int blockSize;
    private final int slotsPerBlock;
    private final int slots;
    private final Memory copy = new Memory(MAX_FRAME);
    private final ByteBuffer copyView = copy.getByteBuffer(0, MAX_FRAME);
    private final long copyAddress = Pointer.nativeValue(copy);
    private int head;
    /** Written by the reader only; read by whoever asks for statistics. */
    private volatile long truncated;

    private RxRing(int fd, Pointer base, long mappedBytes, int blockSize, int blocks) {
        this.fd = fd;
        this.base = base;
        this.mappedBytes = mappedBytes;
        this.ring = base.getByteBuffer(0, mappedBytes).order(ByteOrder.nativeOrder());
        this.blockSize = blockSize;
        this.slotsPerBlock = blockSize / SLOT;
        this.slots = slotsPerBlock * blocks;
    }

    /**
     * Sets up a ring of about {@code bytes} on {@code fd} (PACKET_VERSION must be TPACKET_V2) and
     * maps it. Blocks are one page each, so the kernel allocates the ring page by page (order 0,
     * never a large contiguous area), up to {@value #MAX_BLOCKS} blocks; larger rings use larger
     * blocks.
     */
    static RxRing create(int fd, int bytes, Memory scratch) {
        int block = Math.max(SLOT, AfPacket.getpagesize());
        while ((long) bytes / block > MAX_BLOCKS) {
            block <<= 1;
        }
        int blocks = Math.max(1, bytes / block);
        // struct tpacket_req { tp_block_size, tp_block_nr, tp_frame_size, tp_frame_nr }
        scratch.setInt(0, block);
        scratch.setInt(4, blocks);
        scratch.setInt(8, SLOT);
        scratch.setInt(12, blocks * (block / SLOT));
        if (AfPacket.setsockopt(fd, AfPacket.SOL_PACKET, AfPacket.PACKET_RX_RING, scratch, 16) != 0) {
            int errno = AfPacket.errno();
            throw new LinkException("cannot set up a " + (bytes >> 20) + " MiB capture ring (errno " + errno + ")"
                    + (errno == AfPacket.ENOMEM ? ": the kernel is short of memory; lower neighd.interfaces[].capture-buffer"
                    : ""));
        }
        long length = (long) block * blocks;
        Pointer p = AfPacket.mmap(null, length, AfPacket.PROT_READ | AfPacket.PROT_WRITE, AfPacket.MAP_SHARED, fd, 0);
        if (p == null || Pointer.nativeValue(p) == -1L) {
            throw new LinkException("cannot map the capture ring (errno " + AfPacket.errno() + ")");
        }
        return new RxRing(fd, p, length, block, blocks);
    }

    /** Slots in the ring: frames it holds while the reader is away. */
    int slots() {
        return slots;
    }

    /** Bytes of kernel memory the ring is. */
    long bytes() {
        return mappedBytes;
    }

    /** True when the next slot holds a frame. */
    boolean ready() {
        return ((int) STATUS.getAcquire(ring, offset(head)) & AfPacket.TP_STATUS_USER) != 0;
    }

    /**
     * Copies the next frame into {@code out} (at least {@value #MAX_FRAME} + 4 bytes) and hands
     * its slot back to the kernel.
     *
     * @return the frame's length; 0 if the slot held nothing to hand on (a frame the host sent,
     * or one that did not fit and could not be copied); -1 if the ring is empty
     */
    int next(byte[] out) {
        int off = offset(head);
        int status = (int) STATUS.getAcquire(ring, off);
        if ((status & AfPacket.TP_STATUS_USER) == 0) {
            return -1;
        }
        int n;
        try {
            n = copyOut(off, status, out);
        } finally {
            STATUS.setRelease(ring, off, AfPacket.TP_STATUS_KERNEL);
            head = head + 1 == slots ? 0 : head + 1;
        }
        return n;
    }

    private int copyOut(int off, int status, byte[] out) {
        int len = ring.getInt(off + TP_LEN);
        int snap = ring.getInt(off + TP_SNAPLEN);
        boolean outgoing = (ring.get(off + SLL_PKTTYPE) & 0xff) == AfPacket.PACKET_OUTGOING;
        ByteBuffer src;
        int at;
        if ((status & AfPacket.TP_STATUS_COPY) != 0) {
            // the whole frame waits on the socket, in ring order
            long got = recvCopy();
            if (got < 0 || outgoing) {
                if (got < 0) {
                    truncated++;
                }
                return 0;
            }
            src = copyView;
            at = 0;
            len = (int) Math.min(got, len);
        } else {
            if (outgoing) {
                return 0;
            }
            if (snap < len) {
                truncated++;
                return 0;
            }
            src = ring;
            at = off + (ring.getShort(off + TP_MAC) & 0xffff);
        }
        int tci = ring.getShort(off + TP_VLAN_TCI) & 0xffff;
        if ((status & AfPacket.TP_STATUS_VLAN_VALID) == 0 && tci == 0 || len < ETH_ADDRS) {
            src.get(at, out, 0, len);
            return len;
        }
        int tpid = (status & AfPacket.TP_STATUS_VLAN_TPID_VALID) != 0 ? ring.getShort(off + TP_VLAN_TPID) & 0xffff
                : ETH_P_8021Q;
        src.get(at, out, 0, ETH_ADDRS);
        out[12] = (byte) (tpid >> 8);
        out[13] = (byte) tpid;
        out[14] = (byte) (tci >> 8);
        out[15] = (byte) tci;
        src.get(at + ETH_ADDRS, out, ETH_ADDRS + VLAN_TAG, len - ETH_ADDRS);
        return len + VLAN_TAG;
    }

    /** The copy of a frame that did not fit its slot; a pending socket error comes first and is skipped. */
    private long recvCopy() {
        for (int attempt = 0; attempt < 3; attempt++) {
            long n = AfPacket.recv(fd, copyAddress, MAX_FRAME, AfPacket.MSG_DONTWAIT);
            if (n >= 0) {
                return n;
            }
            int errno = AfPacket.errno();
            if (errno == AfPacket.EAGAIN) {
                return -1;
            }
        }
        return -1;
    }

    /** Frames that were longer than a slot and could not be taken whole: dropped. */
    long truncated() {
        return truncated;
    }

    private int offset(int slot) {
        return slot / slotsPerBlock * blockSize + slot % slotsPerBlock * SLOT;
    }

    /** Unmaps the ring; the caller guarantees no reader is inside {@link #next} (the socket closes separately). */
    void unmap() {
        AfPacket.munmap(base, mappedBytes);
    }
}
