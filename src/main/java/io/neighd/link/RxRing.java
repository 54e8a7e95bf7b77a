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
 * where tpacket_rcv() puts a frame with a 14-byte link header (tp_mac = TPACKET_ALIGN(52 + 16) - 14
 * = {@value #MAC_OFFSET}), and {@value #FRAME_ROOM} bytes of frame: every frame neighd answers on
 * its fast path fits — ARP (42–60 bytes), a Neighbor Solicitation or Advertisement with its
 * link-layer option (86) or with a nonce as well (94), a Router Solicitation (70), a Router
 * Advertisement with a link-layer, an MTU and one prefix option (118), an ICMPv6 echo with
 * ping -6's 56 bytes of data (118) and an ICMP echo with ping's (98). An 802.1Q tag takes no room:
 * the kernel strips it into the slot header before the frame reaches the socket. A 4 KiB page
 * holds {@value #SLOT}-byte slots 21 times (the kernel never lets a frame cross a block; 64 bytes a
 * page stay unused), so a 16 MiB ring holds 86,016 frames. (With 128-byte slots it held 131,072,
 * but only 62 bytes of each: every NS and NA went the slow way below, and under an NS flood the
 * socket's queue overflowed where the ring would not have.)
 *
 * <p>A longer frame (an echo with a larger payload) does not fit; with PACKET_COPY_THRESH the
 * kernel then also queues it whole on the socket and marks its slot TP_STATUS_COPY, and the reader
 * takes it from there with one recv(2), in order ({@link #copied()}). Should the socket's receive
 * buffer be full too, only the slot's first {@value #FRAME_ROOM} bytes exist: such a frame is
 * counted ({@link #truncated()}) and not handed on, since an echo reply must carry the request's
 * whole payload.
 *
 * <p>The kernel strips 802.1Q tags into the slot header (tp_vlan_tci); the reader puts the tag
 * back, as libpcap does, so that the engine sees the frame as it was on the wire. Frames the
 * host itself sent (sll_pkttype PACKET_OUTGOING) are skipped, for kernels without
 * PACKET_IGNORE_OUTGOING.
 *
 * <p>Not thread-safe: one thread reads.
 */
final class RxRing {
    /** A multiple of TPACKET_ALIGNMENT (16), as packet_set_ring() requires. */
    static final int SLOT = 192;
    /** Where tpacket_rcv() puts an Ethernet frame in its slot: TPACKET_ALIGN(TPACKET2_HDRLEN + 16) - ETH_HLEN. */
    static final int MAC_OFFSET = 66;
    /** The longest frame a slot holds whole. */
    static final int FRAME_ROOM = SLOT - MAC_OFFSET;
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
    /** Frames longer than a slot, taken whole from the socket's queue; written by the reader only. */
    private volatile long copied;

    private RxRing(int fd, Pointer base, Layout layout) {
        this.fd = fd;
        this.base = base;
        this.mappedBytes = layout.bytes();
        this.ring = base.getByteBuffer(0, mappedBytes).order(ByteOrder.nativeOrder());
        this.blockSize = layout.blockSize();
        this.slotsPerBlock = layout.slotsPerBlock();
        this.slots = layout.slots();
    }

    /** A struct tpacket_req that packet_set_ring() accepts: page-aligned blocks, {@link #SLOT}-byte frames. */
    record Layout(int blockSize, int blocks) {
        int slotsPerBlock() {
            return blockSize / SLOT;
        }

        /** tp_frame_nr: the kernel refuses any other count. */
        int slots() {
            return slotsPerBlock() * blocks;
        }

        long bytes() {
            return (long) blockSize * blocks;
        }
    }

    /**
     * About {@code bytes} of ring in blocks of one page each, so that the kernel allocates the ring
     * page by page (order 0, never a large contiguous area), up to {@value #MAX_BLOCKS} blocks;
     * larger rings use larger blocks.
     */
    static Layout layout(int bytes, int pageSize) {
        int block = Math.max(SLOT, pageSize);
        while ((long) bytes / block > MAX_BLOCKS) {
            block <<= 1;
        }
        return new Layout(block, Math.max(1, bytes / block));
    }

    /**
     * Sets up a ring of about {@code bytes} ({@link #layout}) on {@code fd} (PACKET_VERSION must be
     * TPACKET_V2) and maps it.
     */
    static RxRing create(int fd, int bytes, Memory scratch) {
        Layout layout = layout(bytes, AfPacket.getpagesize());
        // struct tpacket_req { tp_block_size, tp_block_nr, tp_frame_size, tp_frame_nr }
        scratch.setInt(0, layout.blockSize());
        scratch.setInt(4, layout.blocks());
        scratch.setInt(8, SLOT);
        scratch.setInt(12, layout.slots());
        if (AfPacket.setsockopt(fd, AfPacket.SOL_PACKET, AfPacket.PACKET_RX_RING, scratch, 16) != 0) {
            int errno = AfPacket.errno();
            throw new LinkException("cannot set up a " + (bytes >> 20) + " MiB capture ring (errno " + errno + ")"
                    + (errno == AfPacket.ENOMEM ? ": the kernel is short of memory; lower neighd.interfaces[].capture-buffer"
                    : ""));
        }
        Pointer p = AfPacket.mmap(null, layout.bytes(), AfPacket.PROT_READ | AfPacket.PROT_WRITE, AfPacket.MAP_SHARED, fd, 0);
        if (p == null || Pointer.nativeValue(p) == -1L) {
            throw new LinkException("cannot map the capture ring (errno " + AfPacket.errno() + ")");
        }
        return new RxRing(fd, p, layout);
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
            copied++;
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

    /** Frames that were longer than a slot and were taken whole from the socket's queue. */
    long copied() {
        return copied;
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
