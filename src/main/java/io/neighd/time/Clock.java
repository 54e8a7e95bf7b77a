package io.neighd.time;

/**
 * The engine's only source of time: a monotonic clock in nanoseconds. Production uses
 * {@link SystemClock}; tests use {@link ManualClock}; pcap replay follows the capture's timestamps.
 */
public interface Clock {
    long nanos();
}
