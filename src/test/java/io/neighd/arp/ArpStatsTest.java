package io.neighd.arp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-interface counters, kept by ifindex: readers off the engine thread peek (null for an
 * interface that never counted, however high its index), the engine thread makes room on first use.
 */
class ArpStatsTest {
    @Test
    void peekingAnInterfaceThatNeverCountedGivesNothing() {
        ArpStats stats = new ArpStats();

        assertThat(stats.peek(1)).isNull();
        assertThat(stats.peek(15)).isNull();
        assertThat(stats.peek(16)).isNull();
        assertThat(stats.peek(1000)).isNull();
    }

    @Test
    void anyIfindexGetsItsOwnCounters() {
        ArpStats stats = new ArpStats();

        stats.of(100).countReceived(1);
        stats.of(16).countReceived(2);
        stats.of(16).countReceived(2);
        stats.of(3).countReceived(7);

        assertThat(stats.peek(100).receivedRequests()).isEqualTo(1);
        assertThat(stats.peek(16).receivedReplies()).isEqualTo(2);
        assertThat(stats.peek(3).receivedUnknown()).isEqualTo(1);
        assertThat(stats.peek(3).receivedRequests()).isZero();
        assertThat(stats.peek(17)).isNull();
        assertThat(stats.of(100)).isSameAs(stats.peek(100));
    }
}
