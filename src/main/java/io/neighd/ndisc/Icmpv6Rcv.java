package io.neighd.ndisc;

import io.neighd.arp.ArpTrace;
import io.neighd.arp.Reason;
import io.neighd.ip.EchoPath;
import io.neighd.ip.Ipv4Output;
import io.neighd.ip.NetDevice;
import io.neighd.ip.Pinger;
import io.neighd.ipv6.Addrconf;
import io.neighd.ipv6.Ip6Output;
import io.neighd.ipv6.Ipv6DevVar;
import io.neighd.neighbour.Skb;
import io.neighd.wire.Icmpv6;
import io.neighd.wire.IpAddress;
import io.neighd.wire.Ipv6Address;
import io.neighd.wire.Ipv6Packet;
import io.neighd.wire.NdMessage;
import io.neighd.wire.RxFrame;

/**
 * icmpv6_rcv() (net/ipv6/icmp.c) for a message delivered to this host: the checksum over the
 * pseudo-header, then echo (icmpv6_echo_reply, ping_rcv) or neighbour discovery (ndisc_rcv); the
 * ICMPv6 side of the {@link Pinger}.
 */
public final class Icmpv6Rcv {
    private final Addrconf addrconf;
    private final Ip6Output output;
    private final Pinger pinger;
    private final NdiscProcessor ndisc;
    private final NdiscStats stats;
    private final Icmpv6Actions live = new Icmpv6Actions() {
        @Override
        public void echoReply(NetDevice dev, RxFrame f) {
            reply(dev, f);
        }

        @Override
        public void pingReply(RxFrame f) {
            pinger.reply(new Ipv6Address(f.ip6SrcHi, f.ip6SrcLo), Icmpv6.identifier(f.data, f.l4),
                    Icmpv6.sequence(f.data, f.l4));
        }
    };

    public Icmpv6Rcv(Addrconf addrconf, Ip6Output output, Pinger pinger, NdiscProcessor ndisc, NdiscStats stats) {
        this.addrconf = addrconf;
        this.output = output;
        this.pinger = pinger;
        this.ndisc = ndisc;
        this.stats = stats;
        pinger.setOutput6(new EchoPath() {
            @Override
            public IpAddress source(IpAddress dst, NetDevice dev) {
                Ipv6Address d = (Ipv6Address) dst;
                io.neighd.ipv6.Ip6Route.Route r = output.route(d, dev);
                if (r == null) {
                    return null;
                }
                return r.local() ? d : addrconf.devGetSaddr(r.dev(), d.hi(), d.lo());
            }

            @Override
            public Ipv4Output.Result send(IpAddress src, IpAddress dst, NetDevice dev, int id, int seq, byte[] data,
                                          Skb.LinkFailure onFailure) {
                Ipv6Address s = (Ipv6Address) src;
                Ipv6Address d = (Ipv6Address) dst;
                io.neighd.ipv6.Ip6Route.Route r = output.route(d, dev);
                int hop = r == null || r.local() ? 64 : Addrconf.idev(r.dev()).cnf().get(Ipv6DevVar.HOP_LIMIT);
                byte[] pkt = NdMessage.echo(Icmpv6.ECHO_REQUEST, 0, hop, s.hi(), s.lo(), d.hi(), d.lo(), id, seq, data, 0,
                        data.length);
                Ipv4Output.Result res = output.send(pkt, dev, onFailure);
                if (r != null && !r.local()) {
                    stats.of(r.dev().ifindex()).countSent(Icmpv6.ECHO_REQUEST);
                }
                return res;
            }
        });
    }

    /** What the receive path does with its echo decisions. */
    public Icmpv6Actions live() {
        return live;
    }

    /**
     * icmpv6_rcv(): checksum first (skb_checksum_validate), then the 8-byte header, then by type.
     */
    public Reason receive(NetDevice dev, RxFrame f, int pktType, Icmpv6Actions fx, NdiscActions ndFx, ArpTrace trace) {
        int len = f.l4Length;
        if (Icmpv6.checksum(f.data, f.l4, len, f.ip6SrcHi, f.ip6SrcLo, f.ip6DstHi, f.ip6DstLo) != 0) {
            if (trace != null) {
                trace.step("icmpv6_rcv", "checksum over the pseudo-header does not verify: dropped");
            }
            return Reason.BAD_ICMP6;
        }
        if (len < Icmpv6.HEADER) {
            if (trace != null) {
                trace.step("icmpv6_rcv", len + " bytes: shorter than the ICMPv6 header (8)");
            }
            return Reason.BAD_ICMP6;
        }
        int type = Icmpv6.type(f.data, f.l4);
        switch (type) {
            case Icmpv6.ECHO_REQUEST -> {
                if (trace != null) {
                    trace.step("icmpv6_echo_reply", "echo request id " + Icmpv6.identifier(f.data, f.l4) + " seq "
                            + Icmpv6.sequence(f.data, f.l4) + " from " + Ipv6Address.toString(f.ip6SrcHi, f.ip6SrcLo)
                            + ": reply through the output path");
                }
                fx.echoReply(dev, f);
                return Reason.ICMP6_ECHO_REPLIED;
            }
            case Icmpv6.ECHO_REPLY -> {
                if (trace != null) {
                    trace.step("ping_rcv", "echo reply id " + Icmpv6.identifier(f.data, f.l4) + " seq "
                            + Icmpv6.sequence(f.data, f.l4) + ": handed to neighd's pinger");
                }
                fx.pingReply(f);
                return Reason.ICMP6_ECHO_REPLY;
            }
            case Icmpv6.ROUTER_SOLICITATION, Icmpv6.ROUTER_ADVERTISEMENT, Icmpv6.NEIGHBOUR_SOLICITATION,
                 Icmpv6.NEIGHBOUR_ADVERTISEMENT, Icmpv6.REDIRECT -> {
                return ndisc.receive(dev, f, pktType, ndFx, trace);
            }
            default -> {
                if (trace != null) {
                    trace.step("icmpv6_rcv", Icmpv6.typeName(type) + ": not handled");
                }
                return Reason.ICMP6_NOT_HANDLED;
            }
        }
    }

    /**
     * icmpv6_echo_reply(): from the request's destination when that is one of our unicast
     * addresses, else (multicast, anycast) from the address source selection picks; hop limit
     * of the interface, traffic class copied; through the output path towards the requester.
     */
    private void reply(NetDevice dev, RxFrame f) {
        stats.of(dev.ifindex()).countReceived(Icmpv6.ECHO_REQUEST);
        long sHi = f.ip6DstHi;
        long sLo = f.ip6DstLo;
        if (Ipv6Address.isMulticast(sHi) || addrconf.chkAcastAddr(dev, sHi, sLo)) {
            Ipv6Address s = addrconf.devGetSaddr(dev, f.ip6SrcHi, f.ip6SrcLo);
            if (s == null) {
                return;
            }
            sHi = s.hi();
            sLo = s.lo();
        }
        int hop = Addrconf.idev(dev).cnf().get(Ipv6DevVar.HOP_LIMIT);
        byte[] pkt = NdMessage.echo(Icmpv6.ECHO_REPLY, f.ip6TrafficClass, hop, sHi, sLo, f.ip6SrcHi, f.ip6SrcLo,
                Icmpv6.identifier(f.data, f.l4), Icmpv6.sequence(f.data, f.l4), f.data, f.l4 + Icmpv6.HEADER,
                f.l4Length - Icmpv6.HEADER);
        output.send(pkt, dev, null);
        stats.of(dev.ifindex()).countSent(Icmpv6.ECHO_REPLY);
    }

    /** The IPv6 source of a packet delivered through loopback (ping6 of our own address). */
    public void receiveLocal(byte[] l3) {
        int type = l3.length > Ipv6Packet.HEADER ? Icmpv6.type(l3, Ipv6Packet.HEADER) : -1;
        if (type == Icmpv6.ECHO_REQUEST) {
            pinger.reply(Ipv6Address.of(l3, Ipv6Packet.DST), Icmpv6.identifier(l3, Ipv6Packet.HEADER),
                    Icmpv6.sequence(l3, Ipv6Packet.HEADER));
        }
    }
}
