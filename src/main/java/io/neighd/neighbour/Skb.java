package io.neighd.neighbour;

/**
 * An outbound IPv4 packet waiting for, or handed to, a neighbour: the L3 bytes, the truesize the
 * arp_queue limit counts, and who to tell if resolution fails (dst_link_failure).
 */
public final class Skb {
    /** SKB_TRUESIZE(0) on x86_64: SKB_DATA_ALIGN(sizeof(struct sk_buff)) + SKB_DATA_ALIGN(sizeof(struct skb_shared_info)). */
    public static final int TRUESIZE_OVERHEAD = 256 + 320;
    /** SKB_TRUESIZE(ETH_FRAME_LEN): the unit of unres_qlen (packets) against unres_qlen_bytes. */
    public static final int TRUESIZE_ETH_FRAME = 1514 + TRUESIZE_OVERHEAD;

    /** Told when the packet is dropped because resolution failed. */
    public interface LinkFailure {
        void linkFailure(Skb skb);
    }

    private final byte[] l3;
    private final int truesize;
    private final LinkFailure onFailure;

    public Skb(byte[] l3, LinkFailure onFailure) {
        this.l3 = l3;
        this.truesize = l3.length + 14 + TRUESIZE_OVERHEAD;
        this.onFailure = onFailure;
    }

    public byte[] l3() {
        return l3;
    }

    public int truesize() {
        return truesize;
    }

    /** ip_hdr(skb)->saddr */
    public int saddr() {
        return io.neighd.wire.Ipv4Address.read(l3, 12);
    }

    /** ip_hdr(skb)->daddr */
    public int daddr() {
        return io.neighd.wire.Ipv4Address.read(l3, 16);
    }

    public void linkFailure() {
        if (onFailure != null) {
            onFailure.linkFailure(this);
        }
    }
}
