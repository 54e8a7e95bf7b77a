package io.neighd.service;

import io.neighd.cluster.AddressPort;
import io.neighd.engine.EngineLoop;
import io.neighd.engine.Views;
import io.neighd.errno.Errno;
import io.neighd.errno.Result;
import io.neighd.link.Link;
import io.neighd.wire.ArpOp;
import io.neighd.wire.IpAddress;
import io.neighd.wire.IpCidr;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv4Cidr;
import io.neighd.wire.Ipv6Address;
import io.neighd.wire.Ipv6Cidr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The election's one way into the engine, in Netlink requests: an elected address is added as
 * an address with a lifetime ({@code ip addr replace CIDR dev DEV valid_lft ...}), so the engine
 * answers ARP and ICMP echo for it exactly as for a configured one, and removes it itself on its
 * own timer wheel when the lifetime ends, whatever the cluster thread does; renewals move the
 * end, a handover deletes it ({@code ip addr del}), announcements are single gratuitous frames
 * ({@code arping -c 1 -U|-A}), refused by the engine once the address is gone. An IPv6 one is
 * added as {@code ip -6 addr replace CIDR dev DEV valid_lft ... nodad} — valid at once, no DAD
 * (the address is moving from another node, which would answer the probes until its lease
 * ends; kube-vip adds it nodad too), its solicited-node group joined as addrconf joins it — and
 * announced by single unsolicited NAs (ndisc_send_unsol_na's form). Only the removal
 * is waited for (a lease is released only once the engine answers no more for it); the rest is
 * queued, in order, so the cluster thread never waits for the engine on a takeover.
 */
final class EngineAddressPort implements AddressPort {
    private static final Logger log = LoggerFactory.getLogger(EngineAddressPort.class);
    private static final Duration WAIT = Duration.ofSeconds(2);

    private final EngineLoop loop;
    private final Supplier<Map<String, Link>> links;

    EngineAddressPort(EngineLoop loop, Supplier<Map<String, Link>> links) {
        this.loop = loop;
        this.links = links;
    }

    @Override
    public CompletableFuture<List<Device>> devices() {
        Map<String, Link> l = links.get();
        return loop.submit(nl -> {
            List<Views.Device> out = new ArrayList<>();
            for (String name : l.keySet()) {
                Views.Device d = nl.link(name);
                if (d != null) {
                    out.add(d);
                }
            }
            return out;
        }).thenApply(views -> {
            List<Device> out = new ArrayList<>(views.size());
            for (Views.Device d : views) {
                List<IpCidr> subnets = new ArrayList<>();
                d.addresses().stream().filter(Views.Address::permanent).map(Views.Address::cidr).forEach(subnets::add);
                d.addresses6().stream().filter(Views.Address6::permanent).map(Views.Address6::cidr)
                        .forEach(subnets::add);
                out.add(new Device(d.name(), d.up() && d.carrier() && l.get(d.name()).capturing(), subnets));
            }
            return out;
        });
    }

    @Override
    public void claim(String dev, IpCidr vip, long validUntilNanos) {
        add(dev, vip, validUntilNanos, "not added on");
    }

    @Override
    public void extend(String dev, IpCidr vip, long validUntilNanos) {
        add(dev, vip, validUntilNanos, "lifetime not extended on");
    }

    private void add(String dev, IpCidr vip, long validUntilNanos, String failure) {
        loop.submit(nl -> vip instanceof Ipv6Cidr v6
                ? (Result<?>) nl.addAddress6(dev, v6, true, validUntilNanos, true)
                : nl.addAddress(dev, (Ipv4Cidr) vip, validUntilNanos, true)).thenAccept(r -> {
            if (!r.ok()) {
                log.warn("{}: {} {}: {} {}", vip, failure, dev, Errno.name(r.errno()), r.message());
            }
        });
    }

    @Override
    public void unclaim(String dev, IpAddress vip) {
        Result<?> r = EngineAccess.await(loop.submit(nl -> vip instanceof Ipv6Address v6
                ? (Result<?>) nl.deleteAddress6(dev, v6) : nl.deleteAddress(dev, (Ipv4Address) vip)), WAIT);
        // gone already: its lifetime ended in the engine, or the interface went
        if (!r.ok() && r.errno() != Errno.EADDRNOTAVAIL && r.errno() != Errno.ENODEV) {
            log.warn("{}: not removed from {}: {} {}", vip, dev, Errno.name(r.errno()), r.message());
        }
    }

    @Override
    public void gratuitous(String dev, Ipv4Address vip, boolean reply) {
        loop.submit(nl -> nl.garp(dev, vip, reply ? ArpOp.OP_REPLY : ArpOp.OP_REQUEST));
    }

    @Override
    public void unsolicitedNa(String dev, Ipv6Address vip) {
        loop.submit(nl -> nl.unsolicitedNa(dev, vip));
    }
}
