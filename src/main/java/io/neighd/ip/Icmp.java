package io.neighd.ip;

import io.neighd.wire.IcmpEcho;
import io.neighd.wire.Ipv4Packet;
import io.neighd.wire.RxFrame;

/**
 * IPv4 input for neighd's own addresses: ip_rcv_finish()'s input route (ip_route_input_noref(),
 * which drops martian sources and destinations as rp_filter and accept_local say), then
 * ip_local_deliver() → icmp_rcv() (net/ipv4/icmp.c): icmp_echo() answers echo requests through
 * the outbound path (so the reply resolves the sender like any other packet), and echo replies go
 * to the {@link Pinger}. Broadcast and multicast echo is ignored (icmp_echo_ignore_broadcasts =
 * 1). The decision is made once; what it does goes through {@link IcmpActions} ({@link #live()}
 * on the receive path).
 */
public final class Icmp {
    public enum Outcome { ECHO_REPLIED, ECHO_REPLY, MARTIAN_SOURCE, MARTIAN_DESTINATION, NOT_HANDLED }

    private final IpRoute route;
    private final Ipv4Output out;
    private final Pinger pinger;
    private int ipId;
    private final IcmpActions live = new IcmpActions() {
        @Override
        public void echoReply(byte[] b, int l4, int l4Length, int src, int dst) {
            byte[] msg = IcmpEcho.build(IcmpEcho.TYPE_ECHO_REPLY, IcmpEcho.code(b, l4), IcmpEcho.identifier(b, l4),
                    IcmpEcho.sequence(b, l4), b, l4 + IcmpEcho.HEADER, l4Length - IcmpEcho.HEADER);
            out.send(Ipv4Packet.build(dst, src, Ipv4Packet.PROTO_ICMP, nextId(), Ipv4Packet.DEFAULT_TTL, msg), null,
                    false);
        }

        @Override
        public void pingReply(int src, int id, int seq) {
            pinger.reply(new io.neighd.wire.Ipv4Address(src), id, seq);
        }
    };

    public Icmp(IpRoute route, Ipv4Output out, Pinger pinger) {
        this.route = route;
        this.out = out;
        this.pinger = pinger;
    }

    /** What the receive path does with its decisions. */
    public IcmpActions live() {
        return live;
    }

    /**
     * ip_rcv_finish() → ip_route_input_noref() → ip_local_deliver() → icmp_rcv() for a decoded
     * IPv4 frame received on {@code dev} (checksums already verified): the input route comes
     * first, for every protocol, so a martian is dropped whatever it carries.
     */
    public Outcome receive(NetDevice dev, RxFrame f, IcmpActions fx) {
        IpRoute.InputRoute rt = route.routeInputIp(f.ipDst, f.ipSrc, dev);
        if (!rt.ok()) {
            fx.dropped("ip_route_input", rt.why() + ": dropped");
            return switch (rt.failure()) {
                case MARTIAN_SOURCE -> Outcome.MARTIAN_SOURCE;
                case MARTIAN_DESTINATION -> Outcome.MARTIAN_DESTINATION;
                case NONE, REFUSED -> Outcome.NOT_HANDLED;
            };
        }
        if (rt.type() != RouteType.LOCAL) {
            // broadcast and multicast input: icmp_rcv() ignores echo there; the rest is not for this host
            return Outcome.NOT_HANDLED;
        }
        return deliver(f.data, f.l3, f.ipSrc, f.ipDst, f.ipProtocol, f.l4, f.l4Length, fx);
    }

    /** A packet looped back locally (the whole buffer is the IP packet): its route was the output one, LOCAL. */
    public Outcome receiveLocal(byte[] l3) {
        int hlen = Ipv4Packet.ihl(l3, 0) * 4;
        return deliver(l3, 0, Ipv4Packet.source(l3, 0), Ipv4Packet.destination(l3, 0), Ipv4Packet.protocol(l3, 0),
                hlen, Ipv4Packet.totalLength(l3, 0) - hlen, live);
    }

    /** ip_local_deliver() → icmp_rcv(): echo requests are answered, echo replies go to the pinger. */
    private Outcome deliver(byte[] b, int ip, int src, int dst, int proto, int l4, int l4len, IcmpActions fx) {
        if (proto != Ipv4Packet.PROTO_ICMP || Ipv4Packet.isFragment(b, ip) || l4len < IcmpEcho.HEADER) {
            return Outcome.NOT_HANDLED;
        }
        int type = IcmpEcho.type(b, l4);
        // icmp_echo() looks at the type only: any code is answered, and the reply keeps it
        if (type == IcmpEcho.TYPE_ECHO_REQUEST) {
            fx.echoReply(b, l4, l4len, src, dst);
            return Outcome.ECHO_REPLIED;
        }
        if (type == IcmpEcho.TYPE_ECHO_REPLY) {
            fx.pingReply(src, IcmpEcho.identifier(b, l4), IcmpEcho.sequence(b, l4));
            return Outcome.ECHO_REPLY;
        }
        return Outcome.NOT_HANDLED;
    }

    int nextId() {
        ipId = (ipId + 1) & 0xffff;
        return ipId;
    }
}
