package io.neighd.link;

import com.sun.jna.Memory;
import com.sun.jna.Native;

/**
 * The socket filter of a capture: what tcpdump's {@code arp or icmp or (vlan and (arp or icmp))}
 * lets through — ARP, and IPv4 with protocol ICMP — as a classic BPF program attached with
 * SO_ATTACH_FILTER, so that the kernel never copies other traffic into the ring. The kernel takes
 * an 802.1Q tag out of the frame before packet sockets see it (skb_vlan_untag in
 * __netif_receive_skb_core), so a tagged frame normally looks untagged here; the second half
 * covers a tag left in the frame (802.1Q or 802.1ad). Frames are accepted whole: the ring's slot
 * size, not the filter, decides what is copied where ({@link RxRing}).
 */
final class CaptureFilter {
    private static final int LD_H_ABS = 0x28;
    private static final int LD_B_ABS = 0x30;
    private static final int JEQ_K = 0x15;
    private static final int RET_K = 0x06;
    private static final int WHOLE = 0x40000;

    /** struct sock_filter { u16 code; u8 jt; u8 jf; u32 k }, jumps relative to the next instruction. */
    static final int[][] PROGRAM = {
        {LD_H_ABS, 0, 0, 12},           // 0  EtherType
        {JEQ_K, 10, 0, 0x0806},         // 1  ARP -> 12
        {JEQ_K, 7, 0, 0x0800},          // 2  IPv4 -> 10
        {JEQ_K, 1, 0, 0x8100},          // 3  802.1Q -> 5
        {JEQ_K, 0, 8, 0x88a8},          // 4  802.1ad -> 5, else drop
        {LD_H_ABS, 0, 0, 16},           // 5  inner EtherType
        {JEQ_K, 5, 0, 0x0806},          // 6  ARP -> 12
        {JEQ_K, 0, 5, 0x0800},          // 7  IPv4 -> 8, else drop
        {LD_B_ABS, 0, 0, 18 + 9},       // 8  IPv4 protocol, tagged
        {JEQ_K, 2, 3, 1},               // 9  ICMP -> 12, else drop
        {LD_B_ABS, 0, 0, 14 + 9},       // 10 IPv4 protocol
        {JEQ_K, 0, 1, 1},               // 11 ICMP -> 12, else drop
        {RET_K, 0, 0, WHOLE},           // 12 accept
        {RET_K, 0, 0, 0},               // 13 drop
    };

    private CaptureFilter() {
    }

    /** Attaches the program to {@code fd} (the kernel keeps its own copy). */
    static void attach(int fd) {
        Memory insns = new Memory(8L * PROGRAM.length);
        for (int i = 0; i < PROGRAM.length; i++) {
            int[] in = PROGRAM[i];
            insns.setShort(8L * i, (short) in[0]);
            insns.setByte(8L * i + 2, (byte) in[1]);
            insns.setByte(8L * i + 3, (byte) in[2]);
            insns.setInt(8L * i + 4, in[3]);
        }
        // struct sock_fprog { unsigned short len; struct sock_filter *filter; }
        Memory prog = new Memory(16);
        prog.clear();
        prog.setShort(0, (short) PROGRAM.length);
        prog.setPointer(8, insns);
        if (AfPacket.setsockopt(fd, AfPacket.SOL_SOCKET, AfPacket.SO_ATTACH_FILTER, prog, 16) != 0) {
            throw new LinkException("cannot attach the capture filter (errno " + Native.getLastError() + ")");
        }
    }
}
