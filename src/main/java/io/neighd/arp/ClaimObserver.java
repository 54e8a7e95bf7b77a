package io.neighd.arp;

import io.neighd.ip.NetDevice;

/**
 * Where the receive path reports a frame whose sender IP is an address of this host and whose
 * sender MAC is not the receiving device's: another station claims an address we answer for
 * (RFC 5227 section 2.4). Linux takes no notice of these; the engine passes them on to its
 * listeners as values. Engine thread.
 */
@FunctionalInterface
public interface ClaimObserver {
    void claimed(NetDevice dev, int sip, long sha);
}
