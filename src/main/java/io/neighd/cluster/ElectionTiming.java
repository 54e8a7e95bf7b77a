package io.neighd.cluster;

import java.time.Duration;

/**
 * The three durations of an election, client-go's {@code LeaseDuration > RenewDeadline >
 * RetryPeriod}, plus the preference spread.
 *
 * <h2>Why an owner never answers while another may (the timing argument)</h2>
 * An owner that sent its last successful renewal (or acquisition) at local time {@code s}
 * answers until {@code s + renewDeadline} and not a moment later: {@link Election} removes the
 * address at that instant, and the engine itself holds the same deadline for the address (see
 * {@link AddressPort#claim}), so a stalled cluster thread cannot stretch it. A standby treats a
 * lease as expired only when the version it saw has stayed unchanged for {@code leaseDuration}
 * of its own clock, counted from the moment it first saw that version ({@code o}); the store
 * wrote that version after it was sent, so {@code o >= s} in real time. With clocks whose rates
 * differ by at most {@code rho} and an owner that needs up to {@code stop} to cease after its
 * deadline (one jiffy of the engine's timer and the frames of one capture batch), safety needs
 * {@code renewDeadline·(1+rho) + stop < leaseDuration·(1-rho)}. Only rates enter, not offsets:
 * no node compares its clock with another's. {@link #margin()} must cover
 * {@link #MAX_STOP_MILLIS} plus {@link #MAX_RATE_SKEW_PPM} over both durations; the default
 * margin, 500 ms, covers them many times over (and a 400 ms GC pause of the standby besides).
 * For etcd the same argument holds with the etcd leader's clock: it expires a lease
 * {@code TTL} after it received the last keep-alive, which was sent at {@code s} or later, and a
 * new leader extends every lease rather than shortening it.
 */
public record ElectionTiming(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod,
                             Duration preferenceSpread) {
    /** Defaults for the Kubernetes backend: crash failover under 2 s, see docs/operations.md. */
    public static final ElectionTiming DEFAULT = new ElectionTiming(Duration.ofMillis(1500), Duration.ofMillis(1000),
            Duration.ofMillis(250), Duration.ofMillis(20));
    /** The time an owner may need to cease after its deadline: a jiffy at HZ=100 and a capture batch. */
    public static final long MAX_STOP_MILLIS = 20;
    /** Crystal oscillators drift by tens of ppm; NTP refuses to discipline a clock beyond 500 ppm. */
    public static final long MAX_RATE_SKEW_PPM = 500;

    public ElectionTiming {
        if (leaseDuration == null || renewDeadline == null || retryPeriod == null || preferenceSpread == null) {
            throw new IllegalArgumentException("neighd.cluster: lease-duration, renew-deadline, retry-period and "
                    + "preference-spread must all be set");
        }
        if (retryPeriod.toMillis() < 10) {
            throw new IllegalArgumentException("neighd.cluster.retry-period: " + retryPeriod.toMillis()
                    + "ms is below 10ms");
        }
        if (renewDeadline.compareTo(retryPeriod.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("neighd.cluster.renew-deadline: " + renewDeadline.toMillis()
                    + "ms must be at least twice retry-period (" + retryPeriod.toMillis()
                    + "ms): an owner needs a second try before it gives up");
        }
        long need = requiredMargin(leaseDuration, renewDeadline);
        if (leaseDuration.minus(renewDeadline).toMillis() < need) {
            throw new IllegalArgumentException("neighd.cluster.lease-duration: " + leaseDuration.toMillis()
                    + "ms must exceed renew-deadline (" + renewDeadline.toMillis() + "ms) by at least " + need
                    + "ms (clock-rate skew and the time an owner needs to stop answering): raise lease-duration");
        }
        if (preferenceSpread.isNegative() || preferenceSpread.compareTo(leaseDuration) > 0) {
            throw new IllegalArgumentException("neighd.cluster.preference-spread: " + preferenceSpread.toMillis()
                    + "ms must be between 0 and lease-duration");
        }
    }

    /** The least {@code leaseDuration - renewDeadline} the timing argument above needs. */
    public static long requiredMargin(Duration lease, Duration deadline) {
        return MAX_STOP_MILLIS + (lease.toMillis() + deadline.toMillis()) * MAX_RATE_SKEW_PPM / 1_000_000 + 1;
    }

    public Duration margin() {
        return leaseDuration.minus(renewDeadline);
    }
}
