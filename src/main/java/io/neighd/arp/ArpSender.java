package io.neighd.arp;

import io.neighd.ip.NetDevice;
import io.neighd.ip.Transmitter;

/**
 * arp_send_dst() / arp_xmit(): hands ARP frames to the device and counts them by kind. Nothing
 * is sent on a NOARP device, as in Linux.
 */
public final class ArpSender {
    private final Transmitter tx;
    private final ArpStats stats;

    public ArpSender(Transmitter tx, ArpStats stats) {
        this.tx = tx;
        this.stats = stats;
    }

    public void send(byte[] frame, NetDevice dev, TxKind kind) {
        if (dev.isNoarp() || !dev.canTransmit()) {
            return;
        }
        tx.transmit(dev.id(), frame);
        stats.of(dev.ifindex()).countSent(kind);
    }

    public ArpStats stats() {
        return stats;
    }
}
