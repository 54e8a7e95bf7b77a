package io.neighd.service;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.neighd.cluster.Announce;
import io.neighd.cluster.Cluster;
import io.neighd.cluster.ClusterListener;
import io.neighd.cluster.ClusterThread;
import io.neighd.cluster.EtcdLeaseStore;
import io.neighd.cluster.KubernetesLeaseStore;
import io.neighd.cluster.OwnershipStore;
import io.neighd.cluster.VipSpec;
import io.neighd.cluster.VipStatus;
import io.neighd.config.ClusterProperties;
import io.neighd.config.NeighdProperties;
import io.neighd.config.VipProperties;
import io.neighd.service.ServiceException.Kind;
import io.neighd.time.Clock;
import io.neighd.wire.IpAddress;
import io.neighd.wire.IpCidr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Elected addresses on this node: builds the ownership store and the {@link Cluster} from
 * {@code neighd.cluster} and {@code neighd.vips} (plus the state file's additions and removals),
 * runs it on its own thread, and gives every lease up when the service stops (SIGTERM, the
 * chart's preStop) before the web server and the engine stop, so a standby takes over at once.
 */
@Service
public class ClusterService implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(ClusterService.class);
    private static final Duration CALL = Duration.ofSeconds(5);
    /** How long a stopping node waits for its releases to reach the store. */
    private static final Duration RELEASE_WAIT = Duration.ofSeconds(2);
    private static final String SA_NAMESPACE = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    private final EngineRuntime service;
    private final ClusterProperties props;
    private final VipProperties vips;
    private final NeighdProperties neighd;
    private final EventHub events;
    private final ClusterMetrics metrics;
    private OwnershipStore store;
    private Clock clock;
    private ClusterThread thread;
    private volatile boolean running;
    private volatile boolean stopping;

    public ClusterService(EngineRuntime service, ClusterProperties props, VipProperties vips, NeighdProperties neighd,
                          EventHub events, MeterRegistry registry) {
        this.service = service;
        this.props = props;
        this.vips = vips;
        this.neighd = neighd;
        this.events = events;
        this.metrics = new ClusterMetrics(registry);
    }

    public boolean enabled() {
        return props.enabled();
    }

    public ClusterProperties properties() {
        return props;
    }

    /** The elected addresses to stand for: configuration, then the state file's changes. */
    private List<VipSpec> configured() {
        Announce base = props.announce().resolve(Announce.DEFAULT, "neighd.cluster.announce");
        Map<String, VipSpec> out = new LinkedHashMap<>();
        for (int i = 0; i < vips.vips().size(); i++) {
            VipSpec s = vips.vips().get(i).spec(base, i);
            out.put(s.key(), s);
        }
        for (StateStore.VipRecord r : service.state().current().vips()) {
            // the canonical text is the key: a record written as fd77:0::55 still names fd77::55
            String key = IpCidr.parse(r.address()).address().toString();
            if ("add".equals(r.op())) {
                out.put(key, new VipSpec(IpCidr.parse(r.address()), r.device(), base));
            } else {
                out.remove(key);
            }
        }
        for (VipSpec s : out.values()) {
            for (NeighdProperties.InterfaceProperties ip : neighd.interfaces()) {
                for (String a : ip.addresses()) {
                    if (IpCidr.parse(a).address().equals(s.cidr().address())) {
                        throw new NeighdStartupException("neighd.vips: " + s.key() + " is also an owned address of "
                                + ip.name() + " (neighd.interfaces[].addresses): an address is owned or elected, not both");
                    }
                }
            }
        }
        return new ArrayList<>(out.values());
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void start() {
        List<VipSpec> specs;
        try {
            specs = configured();
        } catch (IllegalArgumentException e) {
            throw new NeighdStartupException(e.getMessage(), e);
        }
        if (!props.enabled()) {
            if (!specs.isEmpty()) {
                throw new NeighdStartupException("neighd.vips names " + specs.size() + " elected address(es) but "
                        + "neighd.cluster.enabled is false: enable the cluster (and pick a backend) or remove them");
            }
            running = true;
            return;
        }
        Clock clock = service.clock();
        String identity = props.identity();
        store = openStore(identity);
        thread = new ClusterThread(clock);
        EngineAddressPort port = new EngineAddressPort(service.loop(), service::links);
        this.clock = clock;
        Cluster cluster = new Cluster(store, port, clock, props.timing(), thread, listener(clock),
                props.announceGap().toNanos());
        specs.forEach(s -> metrics.add(s.key(), clock));
        thread.start(cluster);
        thread.call(c -> {
            specs.forEach(c::add);
            return null;
        }, CALL);
        running = true;
        log.info("cluster: node {} on {}, {} elected address(es), lease {} ms / renew deadline {} ms / retry {} ms",
                identity, store.backend(), specs.size(), props.leaseDuration().toMillis(),
                props.renewDeadline().toMillis(), props.retryPeriod().toMillis());
    }

    private OwnershipStore openStore(String identity) {
        if (props.backend().equals("etcd")) {
            return new EtcdLeaseStore(props.etcd().endpoints(), identity, props.etcd().prefix(), props.leaseDuration(),
                    props.requestTimeout(), props.retryPeriod());
        }
        ClusterProperties.Kubernetes k = props.kubernetes();
        ConfigBuilder cb = new ConfigBuilder(k.masterUrl() == null || k.masterUrl().isBlank()
                ? Config.autoConfigure(null) : Config.empty());
        if (k.masterUrl() != null && !k.masterUrl().isBlank()) {
            cb.withMasterUrl(k.masterUrl());
        }
        Config cfg = cb.withRequestTimeout((int) props.requestTimeout().toMillis())
                .withConnectionTimeout((int) props.requestTimeout().toMillis())
                .withRequestRetryBackoffLimit(0)
                // a standby whose watch broke sees no release: it would wait for expiry instead
                .withWatchReconnectInterval((int) props.retryPeriod().toMillis()).withWatchReconnectLimit(-1).build();
        String ns = k.namespace();
        if (ns == null || ns.isBlank()) {
            ns = readNamespace(cfg);
        }
        KubernetesClient client = new KubernetesClientBuilder().withConfig(cfg).build();
        return new KubernetesLeaseStore(client, ns, identity, k.leasePrefix(), props.leaseDuration(),
                props.retryPeriod());
    }

    private static String readNamespace(Config cfg) {
        try {
            Path p = Path.of(SA_NAMESPACE);
            if (Files.isReadable(p)) {
                return Files.readString(p).strip();
            }
        } catch (java.io.IOException e) {
            // fall through
        }
        return cfg.getNamespace() == null ? "default" : cfg.getNamespace();
    }

    private ClusterListener listener(Clock clock) {
        return new ClusterListener() {
            @Override
            public void ownership(String key, String dev, boolean owner, String why) {
                metrics.ownership(key, owner);
                events.publish(new EventHub.Notice("VIP", dev, new VipEvent(key, dev, owner ? "owner" : "released",
                        store.identity(), why)));
            }

            @Override
            public void gratuitousSent(String key, String dev) {
                metrics.gratuitous(key);
            }

            @Override
            public void renewed(String key, long nanos) {
                metrics.renewed(key, nanos, clock.nanos());
            }

            @Override
            public void renewFailed(String key, String why) {
                metrics.renewFailed(key);
            }
        };
    }

    /** The payload of a {@code VIP} event. */
    public record VipEvent(String address, String dev, String change, String node, String reason) {
    }

    /** Gives every lease up at once; the standbys take over without waiting for expiry. */
    @Override
    public void stop() {
        running = false;
        stopping = true;
        if (thread == null) {
            return;
        }
        try {
            var done = thread.call(c -> c.releaseAll("neighd is stopping"), CALL);
            done.get(RELEASE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            log.info("cluster: every elected address released");
        } catch (Exception e) {
            log.warn("cluster: releasing on stop did not finish ({}); the leases expire instead", e.toString());
        } finally {
            thread.close();
            store.close();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public boolean isPauseable() {
        return false;
    }

    /** Starts last and stops first: leases go before the web server and the engine stop. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000;
    }

    // ------------------------------------------------------------------ API

    private ClusterThread cluster() {
        if (thread == null) {
            throw new ServiceException(Kind.CLUSTER_DISABLED, "elected addresses need neighd.cluster.enabled=true");
        }
        if (stopping) {
            throw new ServiceException(Kind.ENGINE_UNAVAILABLE, "neighd is stopping: its elected addresses are released");
        }
        return thread;
    }

    public List<VipStatus> list() {
        return thread == null ? List.of() : cluster().call(Cluster::status, CALL);
    }

    public VipStatus get(IpAddress address) {
        VipStatus s = cluster().call(c -> c.status(address.toString()), CALL);
        if (s == null) {
            throw new ServiceException(Kind.NO_SUCH_VIP, address + " is not an elected address", "address",
                    address.toString());
        }
        return s;
    }

    public String identity() {
        return store == null ? null : store.identity();
    }

    /** Whether the store's watch is established (changes reach this node as they happen). */
    public boolean watching() {
        return store != null && store.watching();
    }

    public String backend() {
        return props.backend();
    }

    /** Adds an elected address and keeps it in the state file. */
    public synchronized VipStatus add(IpCidr cidr, String device) {
        ClusterThread t = cluster();
        Announce base = props.announce().resolve(Announce.DEFAULT, "neighd.cluster.announce");
        VipSpec spec;
        try {
            spec = new VipSpec(cidr, device, base);
        } catch (IllegalArgumentException e) {
            throw new ServiceException(Kind.INVALID_ADDRESS, e.getMessage(), "address", cidr.toString());
        }
        if (device != null && !service.links().containsKey(device)) {
            throw new ServiceException(Kind.UNKNOWN_INTERFACE, "no interface named '" + device + "' (known: "
                    + String.join(", ", service.links().keySet()) + ")", "interface", device);
        }
        boolean owned = isAddressHere(cidr.address());
        if (!owned) {
            metrics.add(spec.key(), clock);
        }
        boolean added = !owned && t.call(c -> c.add(spec), CALL);
        if (!added) {
            throw new ServiceException(Kind.VIP_EXISTS, cidr.address() + " is already "
                    + (owned ? "an address of this node" : "elected"), "address", cidr.toString());
        }
        save(new StateStore.VipRecord(cidr.toString(), device, "add"));
        metrics.add(spec.key(), clock);
        return get(cidr.address());
    }

    /** Whether one of the interfaces has {@code address} now ({@code ip -j addr show}, both families). */
    private boolean isAddressHere(IpAddress address) {
        List<String> names = List.copyOf(service.links().keySet());
        return EngineAccess.await(service.loop().submit(nl -> names.stream().map(nl::link)
                .filter(java.util.Objects::nonNull).anyMatch(d -> d.addresses().stream()
                        .anyMatch(a -> a.cidr().address().equals(address))
                        || d.addresses6().stream().anyMatch(a -> a.cidr().address().equals(address)))), CALL);
    }

    /** Stops standing for an elected address (releasing it first if owned), kept in the state file. */
    public synchronized void remove(IpAddress address) {
        if (!cluster().call(c -> c.remove(address.toString()), CALL)) {
            throw new ServiceException(Kind.NO_SUCH_VIP, address + " is not an elected address", "address",
                    address.toString());
        }
        save(new StateStore.VipRecord(address.toString(), null, "del"));
        metrics.remove(address.toString());
    }

    /** Hands an owned address over to a standby. */
    public void release(IpAddress address) {
        get(address);
        if (!cluster().call(c -> c.release(address.toString()), CALL)) {
            throw new ServiceException(Kind.NOT_OWNER, "this node does not own " + address, "address",
                    address.toString());
        }
    }

    /** Hands every owned address over (the chart's preStop); how many. */
    public int releaseAll() {
        ClusterThread t = cluster();
        return t.call(c -> {
            int n = 0;
            for (VipStatus s : c.status()) {
                if (c.release(s.spec().key())) {
                    n++;
                }
            }
            return n;
        }, CALL);
    }

    private void save(StateStore.VipRecord r) {
        try {
            service.state().update(s -> s.withVip(r));
        } catch (IllegalStateException e) {
            throw new ServiceException(Kind.STATE_NOT_SAVED, "the change was applied but not saved: " + e.getMessage()
                    + "; it will not survive a restart");
        }
    }
}
