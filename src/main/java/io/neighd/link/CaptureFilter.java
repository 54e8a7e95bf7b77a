package io.neighd.link;

import com.sun.jna.Memory;
import com.sun.jna.Native;

/**
 * The socket filter of a capture: what tcpdump's {@code arp or icmp or icmp6 or (vlan and (arp or
 * icmp or icmp6))} lets through — ARP, IPv4 with protocol ICMP, and IPv6 whose next header is
 * ICMPv6 (so MLD, behind its hop-by-hop header, stays out) — as a classic BPF program attached with
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
        {JEQ_K, 16, 0, 0x0806},         // 1  ARP -> 18
        {JEQ_K, 11, 0, 0x0800},         // 2  IPv4 -> 14
        {JEQ_K, 12, 0, 0x86dd},         // 3  IPv6 -> 16
        {JEQ_K, 1, 0, 0x8100},          // 4  802.1Q -> 6
        {JEQ_K, 0, 13, 0x88a8},         // 5  802.1ad -> 6, else drop
        {LD_H_ABS, 0, 0, 16},           // 6  inner EtherType
        {JEQ_K, 10, 0, 0x0806},         // 7  ARP -> 18
        {JEQ_K, 1, 0, 0x0800},          // 8  IPv4 -> 10
        {JEQ_K, 2, 9, 0x86dd},          // 9  IPv6 -> 12, else drop
        {LD_B_ABS, 0, 0, 18 + 9},       // 10 IPv4 protocol, tagged
        {JEQ_K, 6, 7, 1},               // 11 ICMP -> 18, else drop
        {LD_B_ABS, 0, 0, 18 + 6},       // 12 IPv6 next header, tagged
        {JEQ_K, 4, 5, 58},              // 13 ICMPv6 -> 18, else drop
        {LD_B_ABS, 0, 0, 14 + 9},       // 14 IPv4 protocol
        {JEQ_K, 2, 3, 1},               // 15 ICMP -> 18, else drop
        {LD_B_ABS, 0, 0, 14 + 6},       // 16 IPv6 next header
        {JEQ_K, 0, 1, 58},              // 17 ICMPv6 -> 18, else drop
        {RET_K, 0, 0, WHOLE},           // 18 accept
        {RET_K, 0, 0, 0},               // 19 drop
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
