package io.neighd.cluster;

/**
 * One elected address on this node: its role, the lease as last seen, and the deadlines that
 * keep it safe. All handlers run on the cluster thread; {@link Cluster} drives them. Each event
 * has one handler, each a full switch over {@link Role}.
 */
final class Election {
    final VipSpec spec;
    final String key;
    Role role = Role.INELIGIBLE;
    /** The interface that serves it here, while eligible. */
    String dev;
    /** The lease as last seen and when this version was first seen (local nanos); null until the first report. */
    LeaseRecord seen;
    long seenAt;
    /** When a standby asks for a free or expired lease (its rendezvous head start); -1 if not yet set. */
    long askAt = -1;
    /** After giving the lease up: not before this. */
    long holdOffUntil = Long.MIN_VALUE;
    /** Owner: the record we wrote, when the last successful write was sent, and the deadline it gives. */
    LeaseRecord held;
    long heldSentAt;
    long heldUntil = Long.MIN_VALUE;
    boolean answering;
    boolean requestInFlight;
    long nextRenewAt;
    /** Since when the role is what it is, and how often this node became or stopped being the owner. */
    long since;
    long transitions;
    long gratuitousSent;
    long lastRenewOkAt = -1;
    /** Removed from the configuration: release, then forget. */
    boolean removed;

    Election(VipSpec spec, long now) {
        this.spec = spec;
        this.key = spec.key();
        this.since = now;
    }

    /** May a standby take the lease now, in its own judgement? The expiry is counted from {@link #seenAt}. */
    boolean takeable(long now, String self) {
        if (seen == null) {
            return false;
        }
        if (seen.isFree() || seen.holder().equals(self)) {
            return true;
        }
        return now - seenAt >= seen.durationMillis() * 1_000_000L;
    }

    /** A view for the API. */
    public VipStatus status(String self) {
        String owner = seen == null ? null : seen.holder().isEmpty() ? null : seen.holder();
        if (role == Role.OWNER && answering) {
            owner = self;
        }
        return new VipStatus(spec, dev, role, answering, owner, since, transitions, gratuitousSent, lastRenewOkAt,
                seen == null ? 0 : seen.transitions());
    }
}
