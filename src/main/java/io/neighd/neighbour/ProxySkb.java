package io.neighd.neighbour;

/** A received ARP request waiting in the proxy queue (pneigh_enqueue) for its random delay. */
public final class ProxySkb {
    private final byte[] frame;
    private final NeighDevice dev;
    private final boolean packetHost;
    long schedNext;

    public ProxySkb(byte[] frame, NeighDevice dev, boolean packetHost) {
        this.frame = frame;
        this.dev = dev;
        this.packetHost = packetHost;
    }

    public byte[] frame() {
        return frame;
    }

    public NeighDevice dev() {
        return dev;
    }

    /** skb->pkt_type == PACKET_HOST when it was first received. */
    public boolean packetHost() {
        return packetHost;
    }

    public long schedNext() {
        return schedNext;
    }
}
