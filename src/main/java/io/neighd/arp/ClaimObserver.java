package io.neighd.arp;

import io.neighd.ip.NetDevice;

/**
 * Told of every received ARP frame whose sender IP is an address of this host and whose sender
 * MAC is not the receiving interface's: another station claims an address we answer for (RFC
 * 5227 §2.4). Linux takes no notice of these; neighd counts, reports and defends (see
 * io.neighd.cluster.ConflictGuard). Runs on the engine thread, before arp_process() goes on.
 */
@FunctionalInterface
public interface ClaimObserver {
    void claimed(NetDevice dev, int sip, long sha);
}
