package io.neighd.engine;

import io.neighd.arp.ArpActions;
import io.neighd.arp.ArpProcessor;
import io.neighd.arp.ArpTrace;
import io.neighd.arp.Reason;
import io.neighd.ip.Icmp;
import io.neighd.ip.IcmpActions;
import io.neighd.ip.NetDevice;
import io.neighd.wire.EtherType;
import io.neighd.wire.FrameDecoder;
import io.neighd.wire.FrameError;
import io.neighd.wire.MacAddress;
import io.neighd.wire.RxFrame;

/**
 * A frame's way in, as net/core/dev.c and eth_type_trans() take it: decode the Ethernet (and
 * 802.1Q) header, hand it to the device the VLAN tag says, drop it if that device is down, and
 * deliver it by EtherType to arp_rcv() or to ip_rcv() (input route, then icmp_rcv()). The same path serves the
 * receive loop (acting) and the explain endpoint (describing): only the actions and the trace
 * differ, never the checks or their order.
 */
final class NetifReceive {
    private final ArpProcessor arp;
    private final Icmp icmp;

    NetifReceive(ArpProcessor arp, Icmp icmp) {
        this.arp = arp;
        this.icmp = icmp;
    }

    /**
     * Decodes {@code data} into {@code rx} and decides what becomes of it.
     *
     * @param trace null on the receive path
     */
    Reason receive(NetDevice dev, byte[] data, int length, RxFrame rx, ArpActions arpFx, IcmpActions icmpFx,
                   ArpTrace trace) {
        FrameError err = FrameDecoder.decode(data, length, rx);
        if (err == FrameError.TRUNCATED_ETHERNET) {
            if (trace != null) {
                trace.step("eth_type_trans", length + " bytes: shorter than its Ethernet header");
            }
            return Reason.MALFORMED_TRUNCATED;
        }
        if (!vlanMatches(rx.vlan, dev)) {
            if (trace != null) {
                trace.step("__netif_receive_skb_core", (rx.vlan < 0 ? "untagged" : "VLAN " + rx.vlan)
                        + " does not match " + dev.name() + " (" + (dev.vlan() < 0 ? "untagged" : "VLAN " + dev.vlan())
                        + ")");
            }
            return Reason.VLAN_MISMATCH;
        }
        if (!dev.isUp()) {
            if (trace != null) {
                trace.step("netif_running", dev.name() + " is down");
            }
            return Reason.DEVICE_DOWN;
        }
        if (rx.etherType == EtherType.ARP) {
            if (err == null) {
                arpFx.received(dev, rx.arpOp);
            }
            return arp.receive(dev, rx, err, arpFx, trace);
        }
        if (rx.etherType == EtherType.IPV4) {
            if (ArpProcessor.packetType(dev, rx.ethDst) == ArpProcessor.PACKET_OTHERHOST) {
                if (trace != null) {
                    trace.step("ip_rcv", "Ethernet destination " + MacAddress.toString(rx.ethDst)
                            + " is another host's: not for this host");
                }
                return Reason.NOT_FOR_HOST;
            }
            if (err != null) {
                if (trace != null) {
                    trace.step("ip_rcv", "malformed IPv4 (" + err + "): dropped");
                }
                return Reason.of(err);
            }
            Reason r = switch (icmp.receive(dev, rx, icmpFx)) {
                case ECHO_REPLIED -> Reason.ICMP_ECHO_REPLIED;
                case ECHO_REPLY -> Reason.ICMP_ECHO_REPLY;
                case MARTIAN_SOURCE -> Reason.IP_MARTIAN_SOURCE;
                case MARTIAN_DESTINATION -> Reason.IP_MARTIAN_DESTINATION;
                case NOT_HANDLED -> Reason.IP_NOT_HANDLED;
            };
            if (trace != null && r == Reason.IP_NOT_HANDLED) {
                trace.step("ip_rcv", "not an ICMP echo for a local address: not handled");
            }
            return r;
        }
        if (trace != null) {
            trace.step("eth_type_trans", "EtherType 0x" + Integer.toHexString(rx.etherType) + " is neither ARP nor IPv4");
        }
        return Reason.OTHER_ETHERTYPE;
    }

    /**
     * __netif_receive_skb_core(): a tag with VLAN id 0 only carries a priority; the frame belongs
     * to the untagged device (only a non-zero id without a VLAN device makes it PACKET_OTHERHOST).
     */
    private static boolean vlanMatches(int frameVlan, NetDevice dev) {
        return (frameVlan == 0 ? -1 : frameVlan) == dev.vlan();
    }
}
