package io.neighd.ip;

import io.neighd.time.Jiffies;
import io.neighd.time.Task;
import io.neighd.time.TimerWheel;
import io.neighd.wire.IcmpEcho;
import io.neighd.wire.IpAddress;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv4Packet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * ICMP and ICMPv6 echo as iputils ping sends them, through the engine's outbound path of the
 * destination's family ({@link EchoPath}): one probe per interval, each waiting up to its timeout. iputils sends the probe after a reply with
 * MSG_CONFIRM, but ping_v4_sendmsg() and raw_sendmsg() (net/ipv4/ping.c, raw.c) call
 * dst_confirm_neigh() only for MSG_PROBE, so an echo never confirms the neighbour: a STALE
 * entry that pings use goes DELAY and then PROBE, as the reference kernel shows.
 */
public final class Pinger {
    public enum Status { REPLY, TIMEOUT, UNREACHABLE, NO_ROUTE, TABLE_FULL, FAILED }

    public record Probe(int seq, Status status, Long rttNanos) {
    }

    /** @param src the source the route chose; the unspecified address of the family without a route */
    public record Result(IpAddress dst, IpAddress src, List<Probe> probes) {
        public long received() {
            return probes.stream().filter(p -> p.status() == Status.REPLY).count();
        }
    }

    private final class Session {
        final int id;
        final IpAddress dst;
        final NetDevice dev;
        final EchoPath path;
        final int count;
        final long intervalJiffies;
        final long timeoutJiffies;
        final int payload;
        final Consumer<Result> done;
        final Probe[] probes;
        final long[] sentAt;
        final Task sendTask;
        final List<Task> timeouts = new ArrayList<>();
        IpAddress src;
        int sent;
        int finished;

        Session(int id, IpAddress dst, NetDevice dev, EchoPath path, int count, long intervalJiffies,
                long timeoutJiffies, int payload, Consumer<Result> done) {
            this.id = id;
            this.dst = dst;
            this.dev = dev;
            this.path = path;
            this.src = dst.family() == IpAddress.AF_INET6 ? io.neighd.wire.Ipv6Address.ANY : Ipv4Address.ANY;
            this.count = count;
            this.intervalJiffies = intervalJiffies;
            this.timeoutJiffies = timeoutJiffies;
            this.payload = payload;
            this.done = done;
            this.probes = new Probe[count];
            this.sentAt = new long[count];
            this.sendTask = new Task("ping " + dst, this::sendNext);
        }

        void sendNext() {
            int seq = sent + 1;
            int i = sent++;
            IpAddress from = path.source(dst, dev);
            if (from == null) {
                finish(i, Status.NO_ROUTE, null);
            } else {
                src = from;
                byte[] data = new byte[payload];
                for (int k = 0; k < data.length; k++) {
                    data[k] = (byte) (0x10 + k);
                }
                sentAt[i] = nanos.getAsLong();
                Ipv4Output.Result res = path.send(src, dst, dev, id, seq, data, skb -> finish(i, Status.UNREACHABLE, null));
                switch (res) {
                    case NO_ROUTE -> finish(i, Status.NO_ROUTE, null);
                    case TABLE_FULL -> finish(i, Status.TABLE_FULL, null);
                    case DROPPED -> finish(i, Status.FAILED, null);
                    default -> {
                        Task t = new Task("ping timeout", () -> finish(i, Status.TIMEOUT, null));
                        timeouts.add(t);
                        t.arm(wheel, wheel.now() + timeoutJiffies);
                    }
                }
            }
            if (sent < count) {
                sendTask.arm(wheel, wheel.now() + intervalJiffies);
            }
        }

        void reply(int seq) {
            int i = seq - 1;
            if (i < 0 || i >= sent || probes[i] != null) {
                return;
            }
            finish(i, Status.REPLY, nanos.getAsLong() - sentAt[i]);
        }

        void finish(int i, Status status, Long rtt) {
            if (probes[i] != null) {
                return;
            }
            probes[i] = new Probe(i + 1, status, rtt);
            finished++;
            if (finished == count) {
                wheel.cancel(sendTask);
                timeouts.forEach(wheel::cancel);
                sessions.remove(id);
                done.accept(new Result(dst, src, List.of(probes)));
            }
        }
    }

    private final TimerWheel wheel;
    private final Jiffies jiffies;
    private final LongSupplier nanos;
    private final Map<Integer, Session> sessions = new HashMap<>();
    private EchoPath inet;
    private EchoPath inet6;
    private int nextSessionId = 0x4e00;

    public Pinger(TimerWheel wheel, Jiffies jiffies, LongSupplier nanos) {
        this.wheel = wheel;
        this.jiffies = jiffies;
        this.nanos = nanos;
    }

    /** The IPv4 path: ip_route_output, inet_select_addr, ip_output. */
    public void setOutput(IpRoute route, Ipv4Output out) {
        this.inet = new EchoPath() {
            private int ipId;

            @Override
            public IpAddress source(IpAddress dst, NetDevice dev) {
                int d = ((Ipv4Address) dst).bits();
                Route r = route.routeOutput(d);
                return r == null ? null : new Ipv4Address(route.sourceFor(r, d));
            }

            @Override
            public Ipv4Output.Result send(IpAddress src, IpAddress dst, NetDevice dev, int id, int seq, byte[] data,
                                          io.neighd.neighbour.Skb.LinkFailure onFailure) {
                byte[] msg = IcmpEcho.build(IcmpEcho.TYPE_ECHO_REQUEST, id, seq, data, 0, data.length);
                ipId = (ipId + 1) & 0xffff;
                byte[] pkt = Ipv4Packet.build(((Ipv4Address) src).bits(), ((Ipv4Address) dst).bits(),
                        Ipv4Packet.PROTO_ICMP, ipId, Ipv4Packet.DEFAULT_TTL, msg);
                return out.send(pkt, onFailure, false);
            }
        };
    }

    /** The IPv6 path (the engine's, from the ipv6 package). */
    public void setOutput6(EchoPath path) {
        this.inet6 = path;
    }

    /**
     * Starts a ping; {@code done} runs on the engine thread once every probe has an outcome.
     *
     * @param dev the interface for a link-local or multicast IPv6 destination ({@code ping -I}), or null
     */
    public void ping(IpAddress dst, NetDevice dev, int count, long intervalMs, long timeoutMs, int payloadBytes,
                     Consumer<Result> done) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1");
        }
        int id;
        do {
            nextSessionId = (nextSessionId + 1) & 0xffff;
            id = nextSessionId;
        } while (sessions.containsKey(id));
        EchoPath path = dst.family() == IpAddress.AF_INET6 ? inet6 : inet;
        Session s = new Session(id, dst, dev, path, count, jiffies.fromMillis(intervalMs),
                Math.max(1, jiffies.fromMillis(timeoutMs)), payloadBytes, done);
        sessions.put(id, s);
        s.sendNext();
    }

    /** An echo reply arrived (ping_rcv). */
    public void reply(IpAddress src, int id, int seq) {
        Session s = sessions.get(id);
        if (s != null && s.dst.equals(src)) {
            s.reply(seq);
        }
    }
}
