package io.neighd.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reference kernel: the {@code <prefix>-ref} namespace, whose nd0/nd1 have neighd's MACs and
 * addresses and, once {@link #configure()} ran, neighd's routes too. {@link #reset()} flushes its
 * table (PERMANENT and proxies included) and puts back every knob it started with.
 *
 * <p>The table-wide {@code net.ipv4.neigh.default.gc_*} knobs are never touched: in Linux they
 * belong to the one global {@code arp_tbl} (neigh_sysctl_register points them at
 * {@code tbl->gc_thresh*}), shared by every namespace and the host itself.
 */
public final class ReferenceKernel {
    private static final Set<String> SKIPPED = Set.of("gc_interval", "gc_thresh1", "gc_thresh2", "gc_thresh3",
            "retrans_time", "base_reachable_time", "unres_qlen");

    private final Lab lab;
    private final String ns;
    private Map<String, String> initial;
    private final List<String> aligned = new ArrayList<>();

    public ReferenceKernel(Lab lab) {
        this.lab = lab;
        this.ns = lab.refNs();
    }

    public String ns() {
        return ns;
    }

    /**
     * Gives the reference neighd's routes and neighd's knob values, then snapshots its knobs. The
     * values differ only where a new namespace inherits the host's: IPv4 copies init_net's
     * conf/all and conf/default into every new namespace (devconf_inherit_init_net 0), so e.g. a
     * host with ip_forward=1 (Docker) starts the reference with forwarding on, where neighd
     * starts, like a freshly booted kernel, with Linux's compiled-in 0.
     *
     * @param neighdKnobs every knob of neighd by full name (GET /api/v1/sysctl)
     */
    public void configure(Map<String, Long> neighdKnobs) {
        routes();
        Map<String, String> mine = knobs();
        List<String> keys = new ArrayList<>();
        mine.forEach((k, v) -> {
            Long want = neighdKnobs.get(k);
            if (want != null && !v.equals(String.valueOf(want))) {
                keys.add(k);
            }
        });
        keys.sort((a, b) -> Integer.compare(rank(a), rank(b)));
        for (String k : keys) {
            String now = lab.sysctlGet(ns, k);
            String want = String.valueOf(neighdKnobs.get(k));
            if (!now.equals(want)) {
                aligned.add(k + " " + now + " -> " + want);
                lab.exec(ns, "sysctl", "-q", "-w", k + "=" + want).orFail();
            }
        }
        initial = knobs();
        List<String> still = new ArrayList<>();
        initial.forEach((k, v) -> {
            Long want = neighdKnobs.get(k);
            if (want != null && !v.equals(String.valueOf(want))) {
                still.add(k + ": reference " + v + ", neighd " + want);
            }
        });
        if (!still.isEmpty()) {
            throw new IllegalStateException("the reference kernel cannot start from neighd's knob values: " + still);
        }
    }

    /** The knobs {@link #configure} had to change, "name old -> new". */
    public List<String> aligned() {
        return List.copyOf(aligned);
    }

    /** neighd's routes (see Neighd.ROUTES); idempotent, and needed again after a device went down. */
    private void routes() {
        for (int k = 0; k < lab.segments; k++) {
            lab.ip(ns, "link", "set", Lab.dev(k), "up");
            lab.tryIp(ns, "addr", "add", Lab.ownIp(k) + "/24", "dev", Lab.dev(k));
            // NETDEV_DOWN removed it (keep_addr_on_down 0) if a scenario bounced the link
            lab.tryIp(ns, "-6", "addr", "add", Lab.ownIp6(k) + "/64", "dev", Lab.dev(k), "nodad");
            lab.ip(ns, "route", "replace", "10." + (88 + k) + ".0.0/24", "via", Lab.gwIp(k), "dev", Lab.dev(k));
        }
        lab.ip(ns, "route", "replace", "default", "via", Lab.gwIp(0), "dev", Lab.dev(0));
    }

    /** Removes addresses other than 10.(77+k).0.1/24. */
    private void addresses() {
        for (int k = 0; k < lab.segments; k++) {
            String out = lab.ip(ns, "-4", "-o", "addr", "show", "dev", Lab.dev(k));
            for (String line : out.split("\n")) {
                String[] f = line.trim().split("\\s+");
                for (int i = 0; i + 1 < f.length; i++) {
                    if (f[i].equals("inet") && !f[i + 1].equals(Lab.ownIp(k) + "/24")) {
                        lab.ip(ns, "addr", "del", f[i + 1], "dev", Lab.dev(k));
                    }
                }
            }
        }
    }

    /** Removes global IPv6 addresses other than fd(77+k)::1/64 (the link-local ones stay). */
    private void addresses6() {
        for (int k = 0; k < lab.segments; k++) {
            String out = lab.ip(ns, "-6", "-o", "addr", "show", "dev", Lab.dev(k), "scope", "global");
            for (String line : out.split("\n")) {
                String[] f = line.trim().split("\\s+");
                for (int i = 0; i + 1 < f.length; i++) {
                    if (f[i].equals("inet6") && !f[i + 1].equals(Lab.ownIp6(k) + "/64")) {
                        lab.ip(ns, "-6", "addr", "del", f[i + 1], "dev", Lab.dev(k));
                    }
                }
            }
        }
    }

    /** The knobs neighd also has, as {@code sysctl -a} prints them in the namespace. */
    public Map<String, String> knobs() {
        Map<String, String> m = new LinkedHashMap<>();
        List<String> scopes = new ArrayList<>(List.of("all", "default"));
        for (int k = 0; k < lab.segments; k++) {
            scopes.add(Lab.dev(k));
        }
        String out = lab.exec(ns, "sysctl", "-a").orFail();
        for (String line : out.split("\n")) {
            int eq = line.indexOf(" = ");
            if (eq < 0) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            String[] parts = key.split("\\.");
            if (parts.length != 5 || !parts[0].equals("net") || !parts[1].equals("ipv4")
                    || !(parts[2].equals("conf") || parts[2].equals("neigh")) || !scopes.contains(parts[3])
                    || SKIPPED.contains(parts[4])) {
                continue;
            }
            m.put(key, line.substring(eq + 3).strip());
        }
        return m;
    }

    /** sysctl -w in the reference namespace (journaled by the lab too, but {@link #reset()} is what restores). */
    public void sysctl(Map<String, ?> values) {
        for (Map.Entry<String, ?> e : values.entrySet()) {
            lab.exec(ns, "sysctl", "-q", "-w", e.getKey() + "=" + e.getValue()).orFail();
        }
    }

    /** Flushes the table and proxies; restores every knob that differs from the start. */
    public void reset() {
        addresses();
        addresses6();
        routes();
        lab.flushNeigh(ns);
        Map<String, String> now = knobs();
        List<String> keys = new ArrayList<>();
        initial.forEach((k, v) -> {
            if (!v.equals(now.get(k))) {
                keys.add(k);
            }
        });
        keys.sort((a, b) -> Integer.compare(rank(a), rank(b)));
        for (String k : keys) {
            lab.exec(ns, "sysctl", "-q", "-w", k + "=" + initial.get(k)).orFail();
        }
    }

    private static int rank(String key) {
        return key.contains(".all.") ? 0 : key.contains(".default.") ? 1 : 2;
    }
}
