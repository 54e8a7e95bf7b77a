package io.neighd.service;

import io.neighd.config.NeighdProperties;
import io.neighd.config.NeighdProperties.InterfaceProperties;
import io.neighd.engine.EngineLoop;
import io.neighd.engine.FrameSource;
import io.neighd.engine.Netlink;
import io.neighd.engine.RxPort;
import io.neighd.ip.DeviceId;
import io.neighd.link.CapturePoller;
import io.neighd.link.InterfaceInfo;
import io.neighd.link.Link;
import io.neighd.link.LinkException;
import io.neighd.link.MemoryLink;
import io.neighd.link.PacketLink;
import io.neighd.link.PcapFileLink;
import io.neighd.time.Clock;
import io.neighd.time.ManualClock;
import io.neighd.ipv6.McastFilter;
import io.neighd.link.Ipv6Membership;
import io.neighd.wire.Ipv4Cidr;
import io.neighd.wire.Ipv6Address;
import io.neighd.wire.Ipv6Cidr;
import io.neighd.wire.MacAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The configured interfaces as neighd attaches to them: the {@link Link} of each (a live capture,
 * a replayed capture or an in-memory link), registered with the engine as its device with the
 * owned addresses the configuration gives; the way frames come in (read by the engine thread
 * itself for live captures, handed over by a link thread otherwise) and go out.
 */
public final class Links implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Links.class);
    private static final int FIRST_SYNTHETIC_IFINDEX = 1000;

    private final NeighdProperties props;
    private final Clock clock;
    private final Map<String, Link> byName = new LinkedHashMap<>();
    private final Map<Integer, Link> byIfindex = new ConcurrentHashMap<>();
    private final Map<String, RxPort> ports = new LinkedHashMap<>();
    /** The real IPv6 memberships of live interfaces, by name (engine thread once running). */
    private final Map<String, Ipv6Membership> memberships = new ConcurrentHashMap<>();
    private CapturePoller poller;

    public Links(NeighdProperties props, Clock clock) {
        this.props = props;
        this.clock = clock;
    }

    /** The links in configuration order. */
    public Map<String, Link> byName() {
        return Collections.unmodifiableMap(byName);
    }

    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /** The names of the configured interfaces, for messages. */
    public String names() {
        return String.join(", ", byName.keySet());
    }

    /** dev_queue_xmit's end: the engine's frame to the device's link (engine thread). */
    public void transmit(DeviceId dev, byte[] frame) {
        Link l = byIfindex.get(dev.ifindex());
        if (l != null) {
            l.send(frame);
        }
    }

    /**
     * Where the engine's IPv6 group memberships go: a live interface joins and leaves them for
     * real (an IPv6 socket's IPV6_ADD_MEMBERSHIP), so the NIC accepts the groups' frames and the
     * kernel reports them to snooping switches; replayed and in-memory links need nothing.
     */
    public McastFilter mcastFilter() {
        return new McastFilter() {
            @Override
            public void join(DeviceId dev, Ipv6Address group) {
                Ipv6Membership m = memberships.get(dev.name());
                if (m != null) {
                    m.join(group);
                }
            }

            @Override
            public void leave(DeviceId dev, Ipv6Address group) {
                Ipv6Membership m = memberships.get(dev.name());
                if (m != null) {
                    m.leave(group);
                }
            }
        };
    }

    /** The capture of {@code name} was reopened on interface index {@code ifindex}: its memberships follow. */
    void reopened(String name, int ifindex) {
        Ipv6Membership m = memberships.get(name);
        if (m != null) {
            m.follow(ifindex);
        }
    }

    /** The groups a live interface has joined for neighd (empty for others). */
    public java.util.List<Ipv6Address> joinedGroups(String name) {
        Ipv6Membership m = memberships.get(name);
        return m == null ? java.util.List.of() : m.groups();
    }

    /**
     * Opens every configured link and registers its device with the engine (up, with the
     * carrier the system reports and the configured addresses), before the engine thread runs.
     */
    void open(Netlink nl) {
        int synthetic = FIRST_SYNTHETIC_IFINDEX;
        for (InterfaceProperties ip : props.interfaces()) {
            Link link;
            InterfaceInfo info;
            MacAddress override = ip.macOverride();
            if (ip.pcapFile() != null) {
                int ifindex = ip.ifindex() != null ? ip.ifindex() : synthetic++;
                PcapFileLink fl = new PcapFileLink(ip.name(), ifindex, override, ip.pcapFile(), ip.pcapOut(),
                        clock::nanos);
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
                memberships.put(ip.name(), Ipv6Membership.open(ip.name(), info.ifindex(), ip.netns()));
            }
            byName.put(ip.name(), link);
            byIfindex.put(info.ifindex(), link);
            MacAddress mac = override != null ? override : info.mac();
            RxPort port = nl.addDevice(ip.name(), info.ifindex(), mac, info.mtu(), ip.vlan() == null ? -1 : ip.vlan());
            ports.put(ip.name(), port);
            nl.setUp(ip.name(), true);
            nl.setCarrier(ip.name(), info.carrier());
            for (String a : ip.addresses()) {
                var r = a.contains(":") ? nl.addAddress6(ip.name(), Ipv6Cidr.parse(a), false)
                        : nl.addAddress(ip.name(), Ipv4Cidr.parse(a), null);
                if (!r.ok()) {
                    throw new NeighdStartupException("neighd.interfaces[" + ip.name() + "].addresses: " + r.message());
                }
            }
        }
    }

    /**
     * Starts delivering frames: live captures are read by the engine thread itself, which sleeps
     * on them (one wake-up per frame instead of a capture thread's and then the engine's); the
     * other links get their own threads. Call before {@link EngineLoop#start()}; then
     * {@link #startThreaded} after it.
     */
    List<Link> attachPolledCaptures(EngineLoop loop) {
        List<Link> threaded = new ArrayList<>();
        CapturePoller p = new CapturePoller();
        for (Link l : byName.values()) {
            if (props.replay() || !(l instanceof PacketLink pl) || !CapturePoller.supported()) {
                threaded.add(l);
                continue;
            }
            RxPort port = ports.get(l.name());
            try {
                // the receiver runs on the engine thread, inside FrameSource.poll
                p.add(pl, (data, len, ts) -> port.receive(data, len));
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

    /** The links that read frames on their own threads, handing them to the engine loop. */
    void startThreaded(List<Link> threaded, EngineLoop loop) {
        for (Link l : threaded) {
            RxPort port = ports.get(l.name());
            if (props.replay()) {
                ManualClock mc = (ManualClock) clock;
                l.start((data, len, ts) -> loop.putReplayFrame(() -> mc.set(ts), port, data, len));
            } else {
                l.start((data, len, ts) -> loop.offerFrame(port, data, len));
            }
        }
    }

    @Override
    public void close() {
        for (Link l : List.copyOf(byName.values())) {
            try {
                l.close();
            } catch (RuntimeException e) {
                log.warn("closing {}: {}", l.name(), e.getMessage());
            }
        }
        if (poller != null) {
            poller.close();
        }
        memberships.values().forEach(Ipv6Membership::close);
        memberships.clear();
    }
}
