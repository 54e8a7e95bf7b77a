package io.neighd.cluster;

/** What the cluster thread reports, for metrics, the event stream and logs. Implementations must be quick. */
public interface ClusterListener {
    /** This node started ({@code owner}) or stopped answering for {@code key}; {@code why} says what happened. */
    default void ownership(String key, String dev, boolean owner, String why) {
    }

    /** A gratuitous ARP for {@code key} went out. */
    default void gratuitousSent(String key, String dev) {
    }

    /** A renewal succeeded after {@code nanos}. */
    default void renewed(String key, long nanos) {
    }

    /** A renewal failed (error, timeout or lost). */
    default void renewFailed(String key, String why) {
    }
}
