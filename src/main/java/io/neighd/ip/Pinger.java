package io.neighd.ip;

import io.neighd.time.Jiffies;
import io.neighd.time.Task;
import io.neighd.time.TimerWheel;
import io.neighd.wire.IcmpEcho;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv4Packet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * ICMP echo as iputils ping sends it, through the engine's outbound path: one probe per
 * interval, each waiting up to its timeout. iputils sends the probe after a reply with
 * MSG_CONFIRM, but ping_v4_sendmsg() and raw_sendmsg() (net/ipv4/ping.c, raw.c) call
 * dst_confirm_neigh() only for MSG_PROBE, so an echo never confirms the neighbour: a STALE
 * entry that pings use goes DELAY and then PROBE, as the reference kernel shows.
 */
public final class Pinger {
    public enum Status { REPLY, TIMEOUT, UNREACHABLE, NO_ROUTE, TABLE_FULL, FAILED }

    public record Probe(int seq, Status status, Long rttNanos) {
    }

    public record Result(Ipv4Address dst, Ipv4Address src, List<Probe> probes) {
        public long received() {
            return probes.stream().filter(p -> p.status() == Status.REPLY).count();
        }
    }

    private final class Session {
        final int id;
        final int dst;
        final int count;
        final long intervalJiffies;
        final long timeoutJiffies;
        final int payload;
        final Consumer<Result> done;
        final Probe[] probes;
        final long[] sentAt;
        final Task sendTask;
        final List<Task> timeouts = new ArrayList<>();
        int src;
        int sent;
        int finished;

        Session(int id, int dst, int count, long intervalJiffies, long timeoutJiffies, int payload,
                Consumer<Result> done) {
            this.id = id;
            this.dst = dst;
            this.count = count;
            this.intervalJiffies = intervalJiffies;
            this.timeoutJiffies = timeoutJiffies;
            this.payload = payload;
            this.done = done;
            this.probes = new Probe[count];
            this.sentAt = new long[count];
            this.sendTask = new Task("ping " + Ipv4Address.toString(dst), this::sendNext);
        }

        void sendNext() {
            int seq = sent + 1;
            int i = sent++;
            Route r = route.routeOutput(dst);
            if (r == null) {
                finish(i, Status.NO_ROUTE, null);
            } else {
                src = route.sourceFor(r, dst);
                byte[] data = new byte[payload];
                for (int k = 0; k < data.length; k++) {
                    data[k] = (byte) (0x10 + k);
                }
                byte[] msg = IcmpEcho.build(IcmpEcho.TYPE_ECHO_REQUEST, id, seq, data, 0, data.length);
                byte[] pkt = Ipv4Packet.build(src, dst, Ipv4Packet.PROTO_ICMP, nextIpId(), Ipv4Packet.DEFAULT_TTL, msg);
                sentAt[i] = nanos.getAsLong();
                Ipv4Output.Result res = out.send(pkt, skb -> finish(i, Status.UNREACHABLE, null), false);
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
                done.accept(new Result(new Ipv4Address(dst), new Ipv4Address(src), List.of(probes)));
            }
        }
    }

    private final IpRoute route;
    private final TimerWheel wheel;
    private final Jiffies jiffies;
    private final LongSupplier nanos;
    private final Map<Integer, Session> sessions = new HashMap<>();
    private Ipv4Output out;
    private int nextSessionId = 0x4e00;
    private int ipId;

    public Pinger(IpRoute route, TimerWheel wheel, Jiffies jiffies, LongSupplier nanos) {
        this.route = route;
        this.wheel = wheel;
        this.jiffies = jiffies;
        this.nanos = nanos;
    }

    public void setOutput(Ipv4Output out) {
        this.out = out;
    }

    /** Starts a ping; {@code done} runs on the engine thread once every probe has an outcome. */
    public void ping(int dst, int count, long intervalMs, long timeoutMs, int payloadBytes, Consumer<Result> done) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1");
        }
        int id;
        do {
            nextSessionId = (nextSessionId + 1) & 0xffff;
            id = nextSessionId;
        } while (sessions.containsKey(id));
        Session s = new Session(id, dst, count, jiffies.fromMillis(intervalMs), Math.max(1, jiffies.fromMillis(timeoutMs)),
                payloadBytes, done);
        sessions.put(id, s);
        s.sendNext();
    }

    /** An echo reply arrived. */
    void reply(int src, int id, int seq) {
        Session s = sessions.get(id);
        if (s != null && s.dst == src) {
            s.reply(seq);
        }
    }

    private int nextIpId() {
        ipId = (ipId + 1) & 0xffff;
        return ipId;
    }
}
