package io.neighd.service;

import io.neighd.config.NeighdProperties;
import io.neighd.config.NeighdProperties.InterfaceProperties;
import io.neighd.engine.EngineLoop;
import io.neighd.engine.Views;
import io.neighd.link.InterfaceInfo;
import io.neighd.link.Link;
import io.neighd.link.LinkException;
import io.neighd.link.PacketLink;
import io.neighd.link.RtnlLinkMonitor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Follows the live interfaces' administrative state, carrier, MTU and MAC, and tells the engine
 * what the kernel would raise (NETDEV_DOWN, NETDEV_CHANGE, NETDEV_UP, NETDEV_CHANGEADDR): through
 * the kernel's link notifications where they can be had (one {@link RtnlLinkMonitor} per network
 * namespace), otherwise by polling every second.
 *
 * <p>An interface is followed by its configured name. When no interface has that name any more
 * (deleted, or renamed away) its capture is closed (readiness goes DOWN) and the engine is told
 * NETDEV_DOWN, which flushes what a deletion's NETDEV_UNREGISTER flushes (neigh_ifdown). When a
 * capture has stopped (the interface went away or down) it is reopened, once an interface by that
 * name is up again, without a restart: the device the engine knows then comes up with it
 * (NETDEV_UP: arp_notify) and takes over its MAC (NETDEV_CHANGEADDR) and carrier. Checked every
 * second, and at every link notification.
 */
final class LinkWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LinkWatch.class);

    private final Links links;
    private final EngineLoop loop;
    private final Map<String, InterfaceProperties> config = new LinkedHashMap<>();
    /** Link notifications per network namespace ("" for neighd's own). */
    private final Map<String, RtnlLinkMonitor> monitors = new ConcurrentHashMap<>();
    /** The configured names no interface has now. */
    private final java.util.Set<String> gone = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService poller;

    LinkWatch(NeighdProperties props, Links links, EngineLoop loop) {
        this.links = links;
        this.loop = loop;
        props.interfaces().forEach(ip -> config.put(ip.name(), ip));
    }

    void start() {
        Map<String, List<Link>> byNetns = new LinkedHashMap<>();
        for (Link l : links.byName().values()) {
            if (l instanceof PacketLink pl) {
                byNetns.computeIfAbsent(pl.netns() == null ? "" : pl.netns(), k -> new ArrayList<>()).add(l);
            }
        }
        for (Map.Entry<String, List<Link>> ns : byNetns.entrySet()) {
            String netns = ns.getKey().isEmpty() ? null : ns.getKey();
            List<Link> watched = ns.getValue();
            try {
                RtnlLinkMonitor m = RtnlLinkMonitor.open(netns, info -> {
                    Link l = links.byName().get(info.name());
                    if (watched.contains(l)) {
                        follow(l, info);
                    } else {
                        renamedAway(watched, info);
                    }
                }, () -> watched.forEach(this::poll));
                monitors.put(ns.getKey(), m);
                // what changed between opening the capture and subscribing
                watched.forEach(this::poll);
            } catch (LinkException | UnsatisfiedLinkError e) {
                log.warn("link notifications unavailable{} ({}): polling the interfaces every second",
                        netns == null ? "" : " in netns " + netns, e.getMessage());
            }
        }
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "neighd-link-watch");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::pollUnmonitored, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * An interface by another name than ours has the index one of our captures is bound to: it was
     * renamed away (the socket, bound by index, would go on capturing it under its new name).
     */
    private void renamedAway(List<Link> watched, InterfaceInfo info) {
        for (Link l : watched) {
            if (l instanceof PacketLink pl && pl.boundIfindex() == info.ifindex()) {
                poll(l);
            }
        }
    }

    /** Polls the links that no link notifications cover, and those whose capture stopped. */
    private void pollUnmonitored() {
        for (Link l : links.byName().values()) {
            if (l instanceof PacketLink pl) {
                RtnlLinkMonitor m = monitors.get(pl.netns() == null ? "" : pl.netns());
                if (m == null || !m.isListening() || !pl.capturing()) {
                    poll(l);
                }
            }
        }
    }

    /** What the system says of the interface by this name now, acted on. */
    private void poll(Link l) {
        InterfaceInfo info;
        try {
            info = l.info();
        } catch (LinkException e) {
            if (l instanceof PacketLink pl) {
                gone(pl, e.getMessage());
            }
            return;
        }
        follow(l, info);
    }

    /**
     * From a poll or a notification: a stopped capture is reopened once the interface is up, and
     * so is one bound to an interface that is no longer the one by this name (deleted and
     * re-created between two looks: the old socket hears nothing, yet reports no error).
     */
    private synchronized void follow(Link l, InterfaceInfo info) {
        gone.remove(l.name());
        if (l instanceof PacketLink pl && info.up() && (!pl.capturing() || pl.boundIfindex() != info.ifindex())) {
            try {
                pl.reopen();
                links.reopened(l.name(), pl.boundIfindex());
                log.info("{}: capturing again (ifindex {})", l.name(), info.ifindex());
            } catch (LinkException e) {
                log.debug("{}: cannot capture yet: {}", l.name(), e.getMessage());
            }
        }
        apply(l, info);
    }

    /** No interface has the configured name: its capture closes, and the engine's device goes down. */
    private synchronized void gone(PacketLink l, String why) {
        if (!gone.add(l.name())) {
            return;
        }
        l.suspend("interface '" + l.name() + "' is gone (" + why + ")");
        String name = l.name();
        loop.execute(nl -> {
            Views.Device dev = nl.link(name);
            if (dev != null && dev.up()) {
                nl.setUp(name, false);
            }
            if (dev != null && dev.carrier()) {
                nl.setCarrier(name, false);
            }
        });
        log.warn("{}: no interface has this name any more (deleted or renamed): capture closed, entries flushed "
                + "(neigh_ifdown); it resumes when an interface by this name is up again", name);
    }

    /** Turns what the system says of a link into the device events the kernel would raise. */
    private void apply(Link l, InterfaceInfo info) {
        InterfaceProperties cfg = config.get(l.name());
        String name = l.name();
        loop.execute(nl -> {
            Views.Device dev = nl.link(name);
            if (dev == null) {
                return;
            }
            // ip link set down: NETDEV_DOWN (arp_ifdown) comes before the carrier change that
            // linkwatch reports later; up: the carrier is on before NETDEV_UP's arp_notify
            if (dev.up() && !info.up()) {
                nl.setUp(name, false);
                log.info("{}: down: all entries and proxies flushed (neigh_ifdown)", name);
            }
            if (dev.carrier() != info.carrier()) {
                int evicted = nl.setCarrier(name, info.carrier()).value();
                log.info("{}: carrier {}{}", name, info.carrier() ? "up" : "down",
                        evicted > 0 ? ", " + evicted + " entries evicted (arp_evict_nocarrier)" : "");
            }
            if (!dev.up() && info.up()) {
                nl.setUp(name, true);
                log.info("{}: up", name);
            }
            if (dev.mtu() != info.mtu()) {
                nl.setMtu(name, info.mtu());
            }
            if (cfg.macOverride() == null && !dev.lladdr().equals(info.mac())) {
                log.info("{}: address changed to {}", name, info.mac());
                nl.setHwAddr(name, info.mac());
            }
        });
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
        monitors.values().forEach(RtnlLinkMonitor::close);
        monitors.clear();
    }
}
