package io.neighd.cluster;

/**
 * The answer to an acquisition or renewal: whether this node holds the lease now, and the record
 * as the store answered it (ours after a successful write; the other holder's after a conflict).
 */
public record Claim(boolean held, LeaseRecord record) {
}
