package io.neighd.service;

import io.neighd.config.NeighdProperties;
import io.neighd.config.NeighdProperties.InterfaceProperties;
import io.neighd.engine.Engine;
import io.neighd.engine.EngineLoop;
import io.neighd.engine.FrameSource;
import io.neighd.engine.NeighAdmin;
import io.neighd.engine.SysctlFile;
import io.neighd.ip.NetDevice;
import io.neighd.ip.RouteSpec;
import io.neighd.link.CapturePoller;
import io.neighd.link.InterfaceInfo;
import io.neighd.link.Link;
import io.neighd.link.LinkException;
import io.neighd.link.MemoryLink;
import io.neighd.link.PacketLink;
import io.neighd.link.PcapFile;
import io.neighd.link.PcapFileLink;
import io.neighd.link.RtnlLinkMonitor;
import io.neighd.neighbour.NeighFlags;
import io.neighd.neighbour.NudState;
import io.neighd.time.Clock;
import io.neighd.time.ManualClock;
import io.neighd.time.SystemClock;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv4Cidr;
import io.neighd.wire.MacAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The running neighd: builds the engine from the configuration, attaches it to the configured
 * links, re-applies the administrative state file, and runs the engine thread. Live interfaces
 * are watched for carrier and address changes, which reach the engine as device events.
 */
public final class NeighdService implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(NeighdService.class);
    private static final int FIRST_SYNTHETIC_IFINDEX = 1000;

    private final NeighdProperties props;
    private final StateStore state;
    private final Map<Integer, Link> linksByIfindex = new LinkedHashMap<>();
    private final Map<String, Link> linksByName = new LinkedHashMap<>();
    private final Map<String, InterfaceProperties> configByName = new LinkedHashMap<>();
    private final Clock clock;
    private final Engine engine;
    private final EngineLoop loop;
    private ScheduledExecutorService watcher;
    /** Link notifications per network namespace ("" for neighd's own). */
    private final Map<String, RtnlLinkMonitor> linkMonitors = new ConcurrentHashMap<>();
    private CapturePoller poller;
    private volatile boolean running;
    private volatile boolean started;

    public NeighdService(NeighdProperties props, StateStore state) {
        this.props = props;
        this.state = state;
        this.clock = props.replay() ? new ManualClock(replayStart(props)) : new SystemClock();
        this.engine = new Engine(clock, new SplittableRandom(new SecureRandom().nextLong()), this::transmit,
                props.hz());
        this.loop = new EngineLoop(engine, !props.replay());
    }

    /**
     * A replay's clock starts a second before the earliest capture's first frame (as a live
     * engine starts before the first frame it sees), not at 0: the timer wheel then never has to
     * walk decades of empty ticks up to the capture's time.
     */
    private static long replayStart(NeighdProperties props) {
        long first = Long.MAX_VALUE;
        for (InterfaceProperties ip : props.interfaces()) {
            long t = ip.pcapFile() == null ? -1 : PcapFile.firstTimestampNanos(ip.pcapFile());
            if (t >= 0) {
                first = Math.min(first, t);
            }
        }
        return first == Long.MAX_VALUE ? 0 : Math.max(0, first - 1_000_000_000L);
    }

    public EngineLoop loop() {
        return loop;
    }

    public StateStore state() {
        return state;
    }

    public NeighdProperties properties() {
        return props;
    }

    /** The links in configuration order. */
    public Map<String, Link> links() {
        return Collections.unmodifiableMap(linksByName);
    }

    private void transmit(NetDevice dev, byte[] frame) {
        Link l = linksByIfindex.get(dev.ifindex());
        if (l != null) {
            l.send(frame);
        }
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void start() {
        if (started) {
            throw new IllegalStateException("neighd's engine was stopped and cannot be started again in the same context");
        }
        started = true;
        try {
            build();
        } catch (LinkException e) {
            closeLinks();
            throw new NeighdStartupException(e.getMessage(), e);
        } catch (IllegalArgumentException | IllegalStateException e) {
            closeLinks();
            throw new NeighdStartupException(e.getMessage(), e);
        }
        List<Link> threaded = attachPolledCaptures();
        loop.start();
        for (Link l : threaded) {
            NetDevice dev = engine.device(l.name());
            if (props.replay()) {
                ManualClock mc = (ManualClock) clock;
                l.start((data, len, ts) -> loop.putReplayFrame(() -> mc.set(ts), dev, data, len));
            } else {
                l.start((data, len, ts) -> loop.offerFrame(dev, data, len));
            }
        }
        if (!props.replay()) {
            startLinkWatch();
        }
        running = true;
        log.info("neighd started: {} interface(s){}, state file {}", linksByName.size(),
                props.replay() ? " replaying captures" : "", state.enabled() ? state.file() : "disabled");
    }

    /**
     * Live captures are read by the engine thread itself, which sleeps on them (one wake-up per
     * frame instead of a capture thread's and then the engine's); the other links keep their own
     * threads. Answers the links left to start on their own threads.
     */
    private List<Link> attachPolledCaptures() {
        List<Link> threaded = new ArrayList<>();
        CapturePoller p = new CapturePoller();
        for (Link l : linksByName.values()) {
            if (props.replay() || !(l instanceof PacketLink pl) || !CapturePoller.supported()) {
                threaded.add(l);
                continue;
            }
            NetDevice dev = engine.device(l.name());
            try {
                // the receiver runs on the engine thread, inside FrameSource.poll
                p.add(pl, (data, len, ts) -> engine.receive(dev, data, len));
            } catch (LinkException e) {
                log.info("{}: {}; reading it on its own thread", l.name(), e.getMessage());
                threaded.add(l);
            }
        }
        if (p.isEmpty()) {
            return threaded;
        }
        p.open();
        poller = p;
        loop.attach(new FrameSource() {
            @Override
            public void await(long nanos) {
                p.await(nanos);
            }

            @Override
            public void wake() {
                p.wake();
            }

            @Override
            public int poll(int max) {
                return p.poll(max);
            }

            @Override
            public void flush() {
                p.flush();
            }
        }, props.busyPoll());
        if (props.busyPoll()) {
            log.info("busy-poll: the engine thread spins on the captures and keeps a core busy (neighd.busy-poll)");
        }
        return threaded;
    }

    /** Everything before the engine thread runs: this thread still owns the engine. */
    private void build() {
        int synthetic = FIRST_SYNTHETIC_IFINDEX;
        for (InterfaceProperties ip : props.interfaces()) {
            configByName.put(ip.name(), ip);
            Link link;
            InterfaceInfo info;
            MacAddress override = ip.macOverride();
            if (ip.pcapFile() != null) {
                int ifindex = ip.ifindex() != null ? ip.ifindex() : synthetic++;
                PcapFileLink fl = new PcapFileLink(ip.name(), ifindex, override, ip.pcapFile(), ip.pcapOut(), clock::nanos);
                fl.load();
                link = fl;
                info = fl.info();
            } else if (ip.memory()) {
                int ifindex = ip.ifindex() != null ? ip.ifindex() : synthetic++;
                link = new MemoryLink(ip.name(), ifindex, override);
                info = link.info();
            } else {
                PacketLink pl = new PacketLink(ip.name(), ip.netns(), override != null, ip.captureBufferBytes());
                info = pl.info();
                pl.open();
                link = pl;
            }
            linksByName.put(ip.name(), link);
            linksByIfindex.put(info.ifindex(), link);
            MacAddress mac = override != null ? override : info.mac();
            NetDevice dev = engine.addDevice(ip.name(), info.ifindex(), mac, info.mtu(), ip.vlan() == null ? -1 : ip.vlan());
            engine.setUp(dev, true);
            engine.setCarrier(dev, info.carrier());
            for (String a : ip.addresses()) {
                engine.addAddress(dev, Ipv4Cidr.parse(a));
            }
        }
        for (int i = 0; i < props.routes().size(); i++) {
            try {
                engine.addRoute(RouteSpec.parse(props.routes().get(i)));
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new NeighdStartupException("neighd.routes[" + i + "]: " + e.getMessage(), e);
            }
        }
        if (props.sysctlFile() != null) {
            try {
                SysctlFile.Outcome o = SysctlFile.apply(engine.sysctl(), SysctlFile.parse(props.sysctlFile()),
                        props.sysctlFile().toString());
                log.info("applied {} knob(s) from {}", o.applied().size(), props.sysctlFile());
                o.ignored().forEach(k -> log.info("ignored {} from {}", k, props.sysctlFile()));
            } catch (IOException e) {
                throw new NeighdStartupException("neighd.sysctl-file " + props.sysctlFile() + " cannot be read ("
                        + e.getMessage() + "): fix the path", e);
            } catch (IllegalArgumentException e) {
                throw new NeighdStartupException("neighd.sysctl-file: " + e.getMessage(), e);
            }
        }
        if (!props.sysctl().isEmpty()) {
            Map<String, Long> writes = new LinkedHashMap<>();
            props.sysctl().forEach((k, v) -> {
                try {
                    writes.put(k, Long.parseLong(v.strip()));
                } catch (NumberFormatException e) {
                    throw new NeighdStartupException("neighd.sysctl." + k + ": '" + v + "' is not an integer");
                }
            });
            try {
                engine.sysctl().set(writes);
            } catch (IllegalArgumentException e) {
                throw new NeighdStartupException("neighd.sysctl: " + e.getMessage(), e);
            }
        }
        applyState(state.load());
    }

    /** Re-applies the state file on top of the configuration, in dependency order. */
    private void applyState(StateStore.State s) {
        String src = "state file " + state.file();
        for (StateStore.AddressRecord a : s.addresses()) {
            NetDevice dev = requireDevice(a.dev(), src);
            Ipv4Cidr cidr = Ipv4Cidr.parse(a.address());
            if ("add".equals(a.op())) {
                if (dev.addresses().stream().noneMatch(x -> x.local() == cidr.address().bits())) {
                    engine.addAddress(dev, cidr);
                }
            } else {
                engine.deleteAddress(dev, cidr.address());
            }
        }
        for (StateStore.RouteRecord r : s.routes()) {
            if ("add".equals(r.op())) {
                try {
                    engine.addRoute(RouteSpec.parse(r.route()));
                } catch (IllegalStateException e) {
                    // already configured: the file only repeats it
                }
            } else {
                engine.deleteRoutes(Ipv4Cidr.parse(r.route()));
            }
        }
        if (!s.sysctl().isEmpty()) {
            try {
                engine.sysctl().set(s.sysctl());
            } catch (IllegalArgumentException e) {
                throw new NeighdStartupException(src + ": " + e.getMessage()
                        + " (an interface or knob it names is gone: fix or remove the file)", e);
            }
        }
        for (StateStore.ProxyRecord p : s.proxies()) {
            engine.admin().addProxy(Ipv4Address.parseBits(p.dst()), p.dev() == null ? null : requireDevice(p.dev(), src),
                    true);
        }
        for (StateStore.NeighRecord n : s.neighbours()) {
            NetDevice dev = requireDevice(n.dev(), src);
            int ntf = (n.router() ? NeighFlags.ROUTER : 0) | (n.externLearn() ? NeighFlags.EXT_LEARNED : 0);
            NeighAdmin.Result r = engine.admin().add(new NeighAdmin.Request(dev, Ipv4Address.parseBits(n.dst()),
                    MacAddress.parse(n.lladdr()).bits(), NudState.parse(n.state()).bit(), ntf, false),
                    NeighAdmin.Mode.REPLACE);
            if (!r.ok()) {
                throw new NeighdStartupException(src + ": entry " + n.dst() + " dev " + n.dev() + " cannot be restored ("
                        + r.message() + ")");
            }
        }
        if (state.enabled()) {
            log.info("restored from {}: {} neighbour(s), {} proxy entr(ies), {} address change(s), {} route change(s), "
                            + "{} knob(s)", state.file(), s.neighbours().size(), s.proxies().size(), s.addresses().size(),
                    s.routes().size(), s.sysctl().size());
        }
    }

    private NetDevice requireDevice(String name, String src) {
        NetDevice d = engine.device(name);
        if (d == null) {
            throw new NeighdStartupException(src + " names interface '" + name
                    + "', which is not configured: configure it again or remove it from the file");
        }
        return d;
    }

    /**
     * Follows the live interfaces' administrative state, carrier, MTU and MAC: through the
     * kernel's link notifications where they can be had (one {@link RtnlLinkMonitor} per network
     * namespace), otherwise by polling every second.
     */
    private void startLinkWatch() {
        Map<String, List<Link>> byNetns = new LinkedHashMap<>();
        for (Link l : linksByName.values()) {
            if (l instanceof PacketLink pl) {
                byNetns.computeIfAbsent(pl.netns() == null ? "" : pl.netns(), k -> new ArrayList<>()).add(l);
            }
        }
        for (Map.Entry<String, List<Link>> ns : byNetns.entrySet()) {
            String netns = ns.getKey().isEmpty() ? null : ns.getKey();
            List<Link> links = ns.getValue();
            try {
                RtnlLinkMonitor m = RtnlLinkMonitor.open(netns, info -> {
                    Link l = linksByName.get(info.name());
                    if (links.contains(l)) {
                        applyLinkInfo(l, info);
                    }
                }, () -> links.forEach(this::pollLink));
                linkMonitors.put(ns.getKey(), m);
                // what changed between opening the capture and subscribing
                links.forEach(this::pollLink);
            } catch (LinkException | UnsatisfiedLinkError e) {
                log.warn("link notifications unavailable{} ({}): polling the interfaces every second",
                        netns == null ? "" : " in netns " + netns, e.getMessage());
            }
        }
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "neighd-link-watch");
            t.setDaemon(true);
            return t;
        });
        watcher.scheduleWithFixedDelay(this::watchLinks, 1, 1, TimeUnit.SECONDS);
    }

    /** Polls the links that no link notifications cover. */
    private void watchLinks() {
        for (Link l : linksByName.values()) {
            if (l instanceof PacketLink pl) {
                RtnlLinkMonitor m = linkMonitors.get(pl.netns() == null ? "" : pl.netns());
                if (m == null || !m.isListening()) {
                    pollLink(l);
                }
            }
        }
    }

    private void pollLink(Link l) {
        try {
            applyLinkInfo(l, l.info());
        } catch (LinkException e) {
            // gone for now; the next notification or poll tells
        }
    }

    /** Turns what the system says of a link into the device events the kernel would raise. */
    private void applyLinkInfo(Link l, InterfaceInfo info) {
        InterfaceProperties cfg = configByName.get(l.name());
        loop.execute(e -> {
            NetDevice dev = e.device(l.name());
            if (dev == null) {
                return;
            }
            // ip link set down: NETDEV_DOWN (arp_ifdown) comes before the carrier change that
            // linkwatch reports later; up: the carrier is on before NETDEV_UP's arp_notify
            if (dev.isUp() && !info.up()) {
                e.setUp(dev, false);
                log.info("{}: down: all entries and proxies flushed (neigh_ifdown)", dev.name());
            }
            if (dev.hasCarrier() != info.carrier()) {
                int evicted = e.setCarrier(dev, info.carrier());
                log.info("{}: carrier {}{}", dev.name(), info.carrier() ? "up" : "down",
                        evicted > 0 ? ", " + evicted + " entries evicted (arp_evict_nocarrier)" : "");
            }
            if (!dev.isUp() && info.up()) {
                e.setUp(dev, true);
                log.info("{}: up", dev.name());
            }
            if (dev.mtu() != info.mtu()) {
                dev.setMtu(info.mtu());
            }
            if (cfg.macOverride() == null && dev.hwAddr() != info.mac().bits()) {
                log.info("{}: address changed to {}", dev.name(), info.mac());
                e.setHwAddr(dev, info.mac());
            }
        });
    }

    @Override
    public void stop() {
        running = false;
        if (watcher != null) {
            watcher.shutdownNow();
        }
        linkMonitors.values().forEach(RtnlLinkMonitor::close);
        linkMonitors.clear();
        // the engine thread first: it may be reading the polled captures
        loop.close();
        closeLinks();
        if (poller != null) {
            poller.close();
        }
    }

    private void closeLinks() {
        List<Link> all = new ArrayList<>(linksByName.values());
        for (Link l : all) {
            try {
                l.close();
            } catch (RuntimeException e) {
                log.warn("closing {}: {}", l.name(), e.getMessage());
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Not stopped when a context is paused (Spring 7 pauses cached test contexts): the engine
     * thread and the captures cannot be restarted, and an idle engine costs nothing.
     */
    @Override
    public boolean isPauseable() {
        return false;
    }

    /** Start before the web server takes requests, stop after it stopped taking them. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }
}
