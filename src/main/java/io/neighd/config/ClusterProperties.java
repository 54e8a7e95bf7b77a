package io.neighd.config;

import io.neighd.cluster.Announce;
import io.neighd.cluster.ElectionTiming;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Elected addresses ({@code neighd.vips}): who may answer for them is decided through a
 * distributed store. Off by default. The durations and their defaults are explained in
 * docs/operations.md ("Elected addresses") and {@link ElectionTiming}.
 *
 * @param enabled          stand for the addresses of neighd.vips
 * @param backend          {@code kubernetes} (a Lease per address) or {@code etcd} (a key per address)
 * @param nodeName         this node's identity in the store; empty: $NODE_NAME, else the host name
 * @param leaseDuration    how long a lease lasts without renewal before others may take it
 * @param renewDeadline    how long an owner keeps answering without a successful renewal
 * @param retryPeriod      how often an owner renews (and a standby retries after an error)
 * @param preferenceSpread the largest head start the rendezvous preference gives on a free lease
 * @param requestTimeout   the bound of every call to the store
 * @param announceGap      the least time between two gratuitous ARP frames on one interface
 * @param announce         the default announcement of every elected address
 */
@ConfigurationProperties("neighd.cluster")
public record ClusterProperties(@DefaultValue("false") boolean enabled,
                                @DefaultValue("kubernetes") String backend,
                                String nodeName,
                                @DefaultValue("1500ms") Duration leaseDuration,
                                @DefaultValue("1000ms") Duration renewDeadline,
                                @DefaultValue("250ms") Duration retryPeriod,
                                @DefaultValue("20ms") Duration preferenceSpread,
                                @DefaultValue("500ms") Duration requestTimeout,
                                @DefaultValue("2ms") Duration announceGap,
                                @DefaultValue AnnounceProperties announce,
                                @DefaultValue Kubernetes kubernetes,
                                @DefaultValue Etcd etcd) {

    public ClusterProperties {
        if (!backend.equals("kubernetes") && !backend.equals("etcd")) {
            throw new IllegalArgumentException("neighd.cluster.backend: '" + backend
                    + "' is not a backend (use kubernetes or etcd)");
        }
        if (enabled) {
            ElectionTiming t = timing(leaseDuration, renewDeadline, retryPeriod, preferenceSpread);
            if (requestTimeout.compareTo(t.renewDeadline()) >= 0 || requestTimeout.toMillis() < 10) {
                throw new IllegalArgumentException("neighd.cluster.request-timeout: " + requestTimeout.toMillis()
                        + "ms must be between 10ms and renew-deadline (" + renewDeadline.toMillis() + "ms)");
            }
            if (backend.equals("etcd") && etcd.endpoints().isEmpty()) {
                throw new IllegalArgumentException("neighd.cluster.etcd.endpoints is empty: name at least one, "
                        + "e.g. http://127.0.0.1:2379");
            }
        }
        if (announceGap.isNegative() || announceGap.toMillis() > 1000) {
            throw new IllegalArgumentException("neighd.cluster.announce-gap: " + announceGap.toMillis()
                    + "ms is out of range (0-1000ms)");
        }
        announce.resolve(Announce.DEFAULT, "neighd.cluster.announce");
    }

    private static ElectionTiming timing(Duration lease, Duration deadline, Duration retry, Duration spread) {
        return new ElectionTiming(lease, deadline, retry, spread);
    }

    public ElectionTiming timing() {
        return timing(leaseDuration, renewDeadline, retryPeriod, preferenceSpread);
    }

    /** The identity to write into leases. */
    public String identity() {
        if (nodeName != null && !nodeName.isBlank()) {
            return nodeName.strip();
        }
        String env = System.getenv("NODE_NAME");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("neighd.cluster.node-name is empty, NODE_NAME is unset and the host "
                    + "name cannot be read: set neighd.cluster.node-name");
        }
    }

    /**
     * An announcement policy; unset parts come from the one it refines.
     *
     * @param count    rounds of gratuitous ARP on takeover
     * @param interval time between rounds
     * @param form     request, reply or both
     * @param refresh  one round every this long while owner; 0 = off
     */
    public record AnnounceProperties(Integer count, Duration interval, String form, Duration refresh) {
        public Announce resolve(Announce base, String field) {
            try {
                return new Announce(count == null ? base.count() : count,
                        interval == null ? base.interval() : interval,
                        form == null ? base.form() : Announce.Form.parse(form, field + ".form"),
                        refresh == null ? base.refresh() : refresh);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().startsWith(field) ? e.getMessage()
                        : field + "." + e.getMessage().replaceFirst("^announce\\.", ""));
            }
        }
    }

    /**
     * @param namespace   where the Leases live; empty: the pod's own (service account), else "default"
     * @param masterUrl   the API server; empty: in-cluster configuration (or ~/.kube/config)
     * @param leasePrefix Lease names are this plus the address: an IPv4 one with dashes for dots,
     *                    an IPv6 one as its 32 hexadecimal digits (io.neighd.cluster.LeaseNames)
     */
    public record Kubernetes(String namespace, String masterUrl, @DefaultValue("neighd-vip-") String leasePrefix) {
    }

    /**
     * @param endpoints the etcd members' client URLs
     * @param prefix    keys are this plus the address
     */
    public record Etcd(@DefaultValue List<URI> endpoints, @DefaultValue("/neighd/vips/") String prefix) {
    }
}
