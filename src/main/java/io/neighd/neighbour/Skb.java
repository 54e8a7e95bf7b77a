package io.neighd.neighbour;

/**
 * An outbound IPv4 or IPv6 packet waiting for, or handed to, a neighbour: the L3 bytes, the truesize the
 * arp_queue limit counts, and who to tell if resolution fails (dst_link_failure).
 */
public final class Skb {
    /** SKB_TRUESIZE(0) on x86_64: SKB_DATA_ALIGN(sizeof(struct sk_buff)) + SKB_DATA_ALIGN(sizeof(struct skb_shared_info)). */
    public static final int TRUESIZE_OVERHEAD = 256 + 320;
    /** SKB_TRUESIZE(ETH_FRAME_LEN): the unit of unres_qlen (packets) against unres_qlen_bytes. */
    public static final int TRUESIZE_ETH_FRAME = 1514 + TRUESIZE_OVERHEAD;
    /** SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) on x86_64. */
    private static final int SHINFO = 320;
    /** SKB_SMALL_HEAD_CACHE_SIZE: SKB_HEAD_ALIGN(MAX_TCP_HEADER) with MAX_TCP_HEADER 256 (x86_64, 6.18). */
    private static final int SMALL_HEAD = 576;
    /** LL_RESERVED_SPACE(dev) of an Ethernet device, plus the 15 bytes ip_append_data() adds for alignment. */
    private static final int HEADROOM = 16 + 15;

    /** Told when the packet is dropped because resolution failed. */
    public interface LinkFailure {
        void linkFailure(Skb skb);
    }

    private final byte[] buf;
    /** Where the L3 packet starts in {@link #buf}: the bytes before it are free for the link-layer header. */
    private final int headroom;
    private final int truesize;
    private final LinkFailure onFailure;

    public Skb(byte[] l3, LinkFailure onFailure) {
        this(l3, 0, onFailure);
    }

    /**
     * A packet built after {@code headroom} free bytes (LL_RESERVED_SPACE): when the device's
     * header is exactly that long, {@link #frame} writes it in place instead of copying.
     */
    public Skb(byte[] buf, int headroom, LinkFailure onFailure) {
        this.buf = buf;
        this.headroom = headroom;
        this.truesize = truesize(buf.length - headroom);
        this.onFailure = onFailure;
    }

    /**
     * skb->truesize of a packet that ip_append_data() built (ping, ICMP replies): it asks
     * sock_alloc_send_skb() for {@code l3 + LL_RESERVED_SPACE + 15} bytes; __alloc_skb() →
     * kmalloc_reserve() takes heads up to SKB_SMALL_HEAD_CACHE_SIZE from skb_small_head_cache and
     * larger ones from the power-of-two kmalloc caches, and truesize is SKB_TRUESIZE of what it got
     * less the shared info, i.e. that object size + 256. The reference kernel's arp_queue confirms
     * it: 832 bytes for a 64-byte echo, 1280 for 328 bytes of IP, 2304 for 1028.
     */
    static int truesize(int l3Length) {
        int head = ((l3Length + HEADROOM + 63) & ~63) + SHINFO;
        int object = head <= SMALL_HEAD ? SMALL_HEAD : Integer.highestOneBit(head - 1) << 1;
        return object + TRUESIZE_OVERHEAD - SHINFO;
    }

    /** The L3 packet alone (a copy if it was built with headroom). */
    public byte[] l3() {
        return headroom == 0 ? buf : java.util.Arrays.copyOfRange(buf, headroom, buf.length);
    }

    /**
     * dev_hard_header(): the Ethernet frame for {@code dst}, written into the headroom when it has
     * exactly the header's size, else a new array with the packet copied behind the header.
     */
    public byte[] frame(long dst, long src, int vlan, int etherType) {
        int header = vlan < 0 ? io.neighd.wire.EthernetFrame.HEADER : io.neighd.wire.EthernetFrame.VLAN_HEADER;
        if (headroom == header) {
            io.neighd.wire.EthernetFrame.writeHeader(buf, dst, src, vlan, etherType);
            return buf;
        }
        return io.neighd.wire.EthernetFrame.wrap(dst, src, vlan, etherType, l3());
    }

    public int truesize() {
        return truesize;
    }

    /** ip_hdr(skb)->saddr */
    public int saddr() {
        return io.neighd.wire.Ipv4Address.read(buf, headroom + 12);
    }

    /** ipv6_hdr(skb)->saddr, first eight bytes. */
    public long saddr6Hi() {
        return io.neighd.wire.Ipv6Address.readHi(buf, headroom + 8);
    }

    /** ipv6_hdr(skb)->saddr, last eight bytes. */
    public long saddr6Lo() {
        return io.neighd.wire.Ipv6Address.readLo(buf, headroom + 8);
    }

    public void linkFailure() {
        if (onFailure != null) {
            onFailure.linkFailure(this);
        }
    }
}
