package io.neighd.link;

/**
 * A network interface as neighd attaches to it: a source of received frames and a sink for the
 * frames the engine sends. Implementations: {@link PacketLink} (live, an AF_PACKET socket),
 * {@link PcapFileLink} (replay of a capture on its own clock) and {@link MemoryLink} (tests).
 */
public interface Link extends AutoCloseable {
    /** Receives frames on the link's own thread. */
    interface Receiver {
        /** @param timestampNanos capture time (replay) or -1 for "now" (live) */
        void frame(byte[] data, int length, long timestampNanos);
    }

    /** Capture counters as pcap_stats reports them. */
    record Stats(long received, long dropped, long ifDropped) {
    }

    String name();

    /** What the system says about the interface (or the configuration, for links without one). */
    InterfaceInfo info();

    /** Starts delivering frames. */
    void start(Receiver receiver);

    /** Hands a frame to the interface (pcap_inject). Called on the engine thread. */
    void send(byte[] frame);

    /** True while frames are being captured. */
    boolean capturing();

    Stats stats();

    /** A one-line description of why the link is not capturing, or null. */
    String problem();

    @Override
    void close();
}
