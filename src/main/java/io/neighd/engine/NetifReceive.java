package io.neighd.engine;

import io.neighd.arp.ArpActions;
import io.neighd.arp.ArpProcessor;
import io.neighd.arp.ArpTrace;
import io.neighd.arp.Reason;
import io.neighd.ip.Icmp;
import io.neighd.ip.IcmpActions;
import io.neighd.ip.NetDevice;
import io.neighd.ipv6.Ip6Input;
import io.neighd.ndisc.Icmpv6Actions;
import io.neighd.ndisc.Icmpv6Rcv;
import io.neighd.ndisc.NdiscActions;
import io.neighd.wire.EtherType;
import io.neighd.wire.Ipv6Address;
import io.neighd.wire.FrameDecoder;
import io.neighd.wire.FrameError;
import io.neighd.wire.MacAddress;
import io.neighd.wire.RxFrame;

/**
 * A frame's way in, as net/core/dev.c and eth_type_trans() take it: decode the Ethernet (and
 * 802.1Q) header, hand it to the device the VLAN tag says, drop it if that device is down, and
 * deliver it by EtherType to arp_rcv(), to ip_rcv() (input route, then icmp_rcv()), or to
 * ipv6_rcv() → icmpv6_rcv() → ndisc_rcv(). The same path serves the
 * receive loop (acting) and the explain endpoint (describing): only the actions and the trace
 * differ, never the checks or their order.
 */
final class NetifReceive {
    private final ArpProcessor arp;
    private final Icmp icmp;
    private final Ip6Input ip6;
    private final Icmpv6Rcv icmp6;

    NetifReceive(ArpProcessor arp, Icmp icmp, Ip6Input ip6, Icmpv6Rcv icmp6) {
        this.arp = arp;
        this.icmp = icmp;
        this.ip6 = ip6;
        this.icmp6 = icmp6;
    }

    /**
     * Decodes {@code data} into {@code rx} and decides what becomes of it.
     *
     * @param trace null on the receive path
     */
    Reason receive(NetDevice dev, byte[] data, int length, RxFrame rx, ArpActions arpFx, IcmpActions icmpFx,
                   NdiscActions ndFx, Icmpv6Actions icmp6Fx, ArpTrace trace) {
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
        if (rx.etherType == EtherType.IPV6) {
            return ipv6(dev, rx, err, ndFx, icmp6Fx, trace);
        }
        if (trace != null) {
            trace.step("eth_type_trans", "EtherType 0x" + Integer.toHexString(rx.etherType)
                    + " is neither ARP, IPv4 nor IPv6");
        }
        return Reason.OTHER_ETHERTYPE;
    }

    /** ipv6_rcv() → ip6_rcv_core, ip6_route_input, ip6_input → icmpv6_rcv. */
    private Reason ipv6(NetDevice dev, RxFrame rx, FrameError err, NdiscActions ndFx, Icmpv6Actions icmp6Fx,
                        ArpTrace trace) {
        int pktType = ArpProcessor.packetType(dev, rx.ethDst);
        if (pktType == ArpProcessor.PACKET_OTHERHOST) {
            if (trace != null) {
                trace.step("ipv6_rcv", "Ethernet destination " + MacAddress.toString(rx.ethDst)
                        + " is another host's: not for this host");
            }
            return Reason.NOT_FOR_HOST;
        }
        if (err != null) {
            if (trace != null) {
                trace.step("ip6_rcv_core", "malformed IPv6 header (" + err + "): dropped");
            }
            return Reason.of(err);
        }
        Ip6Input.Verdict v = ip6.receive(dev, rx, pktType);
        Reason r = switch (v) {
            case DELIVER, DELIVER_PROXIED -> null;
            case NOT_HANDLED -> Reason.IPV6_NOT_HANDLED;
            case DISABLED -> Reason.IPV6_DISABLED;
            case BAD_SOURCE -> Reason.IPV6_BAD_SOURCE;
            case BAD_DESTINATION -> Reason.IPV6_BAD_DESTINATION;
            case UNICAST_IN_L2_MULTICAST -> Reason.IPV6_UNICAST_IN_L2_MULTICAST;
            case TRUNCATED -> Reason.IPV6_TRUNCATED;
            case NOT_MEMBER -> Reason.IPV6_NOT_MEMBER;
            case NOT_LOCAL -> Reason.IPV6_NOT_LOCAL;
        };
        if (r != null) {
            if (trace != null) {
                trace.step("ipv6_rcv", addresses(rx) + ": " + r.description());
            }
            return r;
        }
        if (trace != null) {
            trace.step("ip6_input", addresses(rx) + (v == Ip6Input.Verdict.DELIVER_PROXIED
                    ? ": neighbour discovery for a proxied address (forwarding, proxy_ndp): delivered locally"
                    : ": delivered to icmpv6_rcv"));
        }
        return icmp6.receive(dev, rx, pktType, icmp6Fx, ndFx, trace);
    }

    private static String addresses(RxFrame rx) {
        return Ipv6Address.toString(rx.ip6SrcHi, rx.ip6SrcLo) + " > " + Ipv6Address.toString(rx.ip6DstHi, rx.ip6DstLo);
    }

    /**
     * __netif_receive_skb_core(): a tag with VLAN id 0 only carries a priority; the frame belongs
     * to the untagged device (only a non-zero id without a VLAN device makes it PACKET_OTHERHOST).
     */
    private static boolean vlanMatches(int frameVlan, NetDevice dev) {
        return (frameVlan == 0 ? -1 : frameVlan) == dev.vlan();
    }
}
