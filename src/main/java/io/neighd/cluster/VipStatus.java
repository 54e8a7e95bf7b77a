package io.neighd.cluster;

/**
 * An elected address as this node sees it.
 *
 * @param device          the interface serving it here (null when none can)
 * @param answering       this node answers for it now
 * @param owner           the lease holder as last seen (null when free or unknown)
 * @param sinceNanos      when the role last changed (the cluster clock)
 * @param transitions     how often this node took or gave up the address
 * @param leaseTransitions how often the holder changed, as the store counts it
 * @param lastRenewalNanos when the last successful renewal was sent (-1 never)
 */
public record VipStatus(VipSpec spec, String device, Role role, boolean answering, String owner, long sinceNanos,
                        long transitions, long gratuitousSent, long lastRenewalNanos, long leaseTransitions) {
}
