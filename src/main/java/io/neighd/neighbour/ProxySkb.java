package io.neighd.neighbour;

/** A received request waiting in the proxy queue (pneigh_enqueue) for its random delay. */
public final class ProxySkb<D extends NeighDevice> {
    private final byte[] frame;
    private final D dev;
    private final boolean packetHost;
    long schedNext;

    public ProxySkb(byte[] frame, D dev, boolean packetHost) {
        this.frame = frame;
        this.dev = dev;
        this.packetHost = packetHost;
    }

    public byte[] frame() {
        return frame;
    }

    public D dev() {
        return dev;
    }

    /** skb->pkt_type == PACKET_HOST when it was first received. */
    public boolean packetHost() {
        return packetHost;
    }
}
