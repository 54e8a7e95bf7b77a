package io.neighd.service;

import io.neighd.cluster.AddressPort;
import io.neighd.engine.Engine;
import io.neighd.engine.EngineLoop;
import io.neighd.ip.InIfAddr;
import io.neighd.ip.NetDevice;
import io.neighd.link.Link;
import io.neighd.time.Task;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv4Cidr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The election's one way into the engine: elected addresses are added to and removed from
 * their device as owned addresses are ({@code ip addr add/del}), so the engine answers ARP and
 * ICMP echo for them exactly as for configured ones; each carries a deadline, armed on the
 * engine's own timer wheel, at which the engine removes it whatever the cluster thread does.
 * The wheel runs before the engine reads frames (EngineLoop syncs the clock first), so a frame
 * read after the deadline is never answered for the address.
 */
final class EngineAddressPort implements AddressPort {
    private static final Logger log = LoggerFactory.getLogger(EngineAddressPort.class);
    private static final Duration WAIT = Duration.ofSeconds(2);

    private final EngineLoop loop;
    private final Supplier<Map<String, Link>> links;
    /** Engine thread only: the elected addresses in the engine, with their deadline timers. */
    private final Map<Integer, Task> deadlines = new HashMap<>();

    EngineAddressPort(EngineLoop loop, Supplier<Map<String, Link>> links) {
        this.loop = loop;
        this.links = links;
    }

    @Override
    public List<Device> devices() {
        Map<String, Link> l = links.get();
        List<Device> engineView = EngineAccess.await(loop.submit(e -> {
            List<Device> out = new ArrayList<>();
            for (String name : l.keySet()) {
                NetDevice d = e.device(name);
                if (d == null) {
                    continue;
                }
                List<Ipv4Cidr> subnets = new ArrayList<>();
                for (InIfAddr a : d.addresses()) {
                    if (!deadlines.containsKey(a.local())) {
                        subnets.add(a.cidr());
                    }
                }
                out.add(new Device(name, d.isUp() && d.hasCarrier(), subnets));
            }
            return out;
        }), WAIT);
        List<Device> out = new ArrayList<>(engineView.size());
        for (Device d : engineView) {
            out.add(new Device(d.name(), d.serving() && l.get(d.name()).capturing(), d.subnets()));
        }
        return out;
    }

    @Override
    public void claim(String dev, Ipv4Cidr vip, long validUntilNanos) {
        EngineAccess.await(loop.execute(e -> {
            NetDevice d = e.device(dev);
            int addr = vip.address().bits();
            if (d.addresses().stream().noneMatch(a -> a.local() == addr)) {
                e.addAddress(d, vip);
            }
            arm(e, d, vip.address(), validUntilNanos);
        }), WAIT);
    }

    @Override
    public void extend(String dev, Ipv4Address vip, long validUntilNanos) {
        loop.execute(e -> {
            NetDevice d = e.device(dev);
            if (deadlines.containsKey(vip.bits())) {
                arm(e, d, vip, validUntilNanos);
            }
        });
    }

    /**
     * A wheel task armed for jiffy J fires when the clock reaches J + 1 (as the kernel's timers
     * fire one jiffy late), so arming one jiffy before the deadline's removes the address at or
     * before the deadline, never after.
     */
    private void arm(Engine e, NetDevice d, Ipv4Address vip, long until) {
        Task t = deadlines.computeIfAbsent(vip.bits(), k -> new Task("elected " + vip, () -> {
            deadlines.remove(vip.bits());
            e.deleteAddress(d, vip);
            log.warn("{}: renewal deadline passed in the engine: no longer answering on {}", vip, d.name());
        }));
        t.arm(e.wheel(), e.jiffies().fromNanos(until) - 1);
    }

    @Override
    public void unclaim(String dev, Ipv4Address vip) {
        EngineAccess.await(loop.execute(e -> {
            Task t = deadlines.remove(vip.bits());
            if (t != null) {
                e.wheel().cancel(t);
            }
            NetDevice d = e.device(dev);
            if (d != null) {
                e.deleteAddress(d, vip);
            }
        }), WAIT);
    }

    @Override
    public void gratuitous(String dev, Ipv4Address vip, boolean reply) {
        loop.execute(e -> {
            NetDevice d = e.device(dev);
            // only while the engine still answers for it: a frame queued behind a removal stays unsent
            if (d != null && deadlines.containsKey(vip.bits())) {
                e.sendGratuitous(d, vip, reply);
            }
        });
    }
}
