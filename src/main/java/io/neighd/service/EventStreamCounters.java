package io.neighd.service;

import java.util.List;

/**
 * What the metrics need of the {@code ip monitor neigh} streams (readable from any thread,
 * counters monotonic since start). The service's event hub provides it; without one, the
 * meters exist at 0.
 */
public interface EventStreamCounters {
    /** Events cut-off subscribers had not been sent. */
    long droppedEvents();

    /** Subscribers cut off for {@code reason}, one of {@link #cutOffReasons()}. */
    long subscribersCutOff(String reason);

    /** The reasons a subscriber is cut off for (bounded label values). */
    List<String> cutOffReasons();

    /** Subscriptions refused because neighd.events.max-subscribers were open. */
    long subscribersRefused();

    /** Open streams now. */
    int subscriberCount();

    /** Without an event hub. */
    EventStreamCounters NONE = new EventStreamCounters() {
        @Override
        public long droppedEvents() {
            return 0;
        }

        @Override
        public long subscribersCutOff(String reason) {
            return 0;
        }

        @Override
        public List<String> cutOffReasons() {
            return List.of("overrun", "stalled");
        }

        @Override
        public long subscribersRefused() {
            return 0;
        }

        @Override
        public int subscriberCount() {
            return 0;
        }
    };
}
