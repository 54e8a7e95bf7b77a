package io.neighd.ip;

import io.neighd.wire.IcmpEcho;
import io.neighd.wire.Ipv4Packet;
import io.neighd.wire.RxFrame;

/**
 * ICMP for neighd's own addresses (net/ipv4/icmp.c): icmp_echo() answers echo requests through
 * the outbound path (so the reply resolves the sender like any other packet), and echo replies go
 * to the {@link Pinger}. Broadcast echo is ignored (icmp_echo_ignore_broadcasts = 1). The
 * decision is made once; what it does goes through {@link IcmpActions} ({@link #live()} on the
 * receive path).
 */
public final class Icmp {
    public enum Outcome { ECHO_REPLIED, ECHO_REPLY, NOT_HANDLED }

    private final FibFrontend fib;
    private final Ipv4Output out;
    private final Pinger pinger;
    private int ipId;
    private final IcmpActions live = new IcmpActions() {
        @Override
        public void echoReply(byte[] b, int l4, int l4Length, int src, int dst) {
            byte[] msg = IcmpEcho.build(IcmpEcho.TYPE_ECHO_REPLY, IcmpEcho.identifier(b, l4), IcmpEcho.sequence(b, l4),
                    b, l4 + IcmpEcho.HEADER, l4Length - IcmpEcho.HEADER);
            out.send(Ipv4Packet.build(dst, src, Ipv4Packet.PROTO_ICMP, nextId(), Ipv4Packet.DEFAULT_TTL, msg), null,
                    false);
        }

        @Override
        public void pingReply(int src, int id, int seq) {
            pinger.reply(new io.neighd.wire.Ipv4Address(src), id, seq);
        }
    };

    public Icmp(FibFrontend fib, Ipv4Output out, Pinger pinger) {
        this.fib = fib;
        this.out = out;
        this.pinger = pinger;
    }

    /** What the receive path does with its decisions. */
    public IcmpActions live() {
        return live;
    }

    /** ip_rcv → ip_local_deliver → icmp_rcv for a decoded IPv4 frame (checksums already verified). */
    public Outcome receive(RxFrame f, IcmpActions fx) {
        return receive(f.data, f.l3, f.ipSrc, f.ipDst, f.ipProtocol, f.l4, f.l4Length, fx);
    }

    /** The same for a packet looped back locally (whole buffer is the IP packet). */
    public Outcome receiveLocal(byte[] l3) {
        int hlen = Ipv4Packet.ihl(l3, 0) * 4;
        return receive(l3, 0, Ipv4Packet.source(l3, 0), Ipv4Packet.destination(l3, 0), Ipv4Packet.protocol(l3, 0),
                hlen, Ipv4Packet.totalLength(l3, 0) - hlen, live);
    }

    private Outcome receive(byte[] b, int ip, int src, int dst, int proto, int l4, int l4len, IcmpActions fx) {
        if (proto != Ipv4Packet.PROTO_ICMP || Ipv4Packet.isFragment(b, ip) || l4len < IcmpEcho.HEADER) {
            return Outcome.NOT_HANDLED;
        }
        if (fib.addrType(dst) != RouteType.LOCAL) {
            return Outcome.NOT_HANDLED;
        }
        int type = IcmpEcho.type(b, l4);
        if (type == IcmpEcho.TYPE_ECHO_REQUEST && IcmpEcho.code(b, l4) == 0) {
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
