package io.neighd.conformance;

import io.neighd.lab.Lab;
import io.neighd.lab.ReferenceKernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The reference kernel as a {@link Dut}: iproute2, sysctl and iputils ping in {@code <prefix>-ref}. */
final class KernelDut implements Dut {
    private final Lab lab;
    private final ReferenceKernel ref;
    private final List<Process> pings = new ArrayList<>();
    private final Map<String, Long> harness = new java.util.HashMap<>();

    KernelDut(Lab lab, ReferenceKernel ref) {
        this.lab = lab;
        this.ref = ref;
    }

    @Override
    public Lab.Side side() {
        return Lab.Side.REF;
    }

    @Override
    public void knobs(Map<String, ?> values) {
        // IPv6 knobs through the lab's journal (restored by Lab.reset before the next scenario):
        // ReferenceKernel snapshots and restores the IPv4 ones
        Map<String, Object> v4 = new java.util.LinkedHashMap<>();
        Map<String, Object> v6 = new java.util.LinkedHashMap<>();
        values.forEach((k, v) -> (k.startsWith("net.ipv6.") ? v6 : v4).put(k, v));
        ref.sysctl(v4);
        lab.sysctl(ref.ns(), v6);
    }

    /**
     * NTF_USE: neigh_event_send(neigh, NULL), as neighd's resolve does; nud none keeps it out of the
     * GC-exempt set that iproute2's default (permanent) would put a new entry in. neigh_add() finds
     * the entry with neigh_lookup(), which counts a lookup (and a hit if it existed); outbound
     * traffic, which neighd's resolve stands for, uses __ipv4_neigh_lookup_noref(), which counts
     * neither: the harness keeps that difference out of the comparison ({@link #harness()}).
     */
    @Override
    public void resolve(String dev, String ip) {
        // a dump counts nothing (neigh_dump_table), unlike `ip neigh get`
        boolean existed = !Lab.parseNeigh(lab.ip(ref.ns(), "-j", "neigh", "show", "to", ip, "dev", dev, "nud", "all"))
                .isEmpty();
        lab.ip(ref.ns(), "neigh", "replace", ip, "dev", dev, "nud", "none", "use");
        harness.merge("lookups", 1L, Long::sum);
        if (existed) {
            harness.merge("hits", 1L, Long::sum);
        }
    }

    /** The arp_cache counts the harness's own iproute2 calls added, that neighd's REST equivalents do not. */
    @Override
    public Map<String, Long> harness() {
        return Map.copyOf(harness);
    }

    @Override
    public void ping(String dst, int count, int intervalMs) {
        pings.add(lab.background(ref.ns(), "ping", "-n", "-q", "-c", String.valueOf(count), "-i",
                String.format(Locale.ROOT, "%.3f", intervalMs / 1000.0), "-W", "1", dst));
    }

    @Override
    public void neighbour(String dev, String dst, String lladdr, String state) {
        lab.ip(ref.ns(), "neigh", "replace", dst, "lladdr", lladdr, "dev", dev, "nud", state.toLowerCase(Locale.ROOT));
    }

    @Override
    public void proxy(String dst, String dev) {
        lab.ip(ref.ns(), "neigh", "add", "proxy", dst, "dev", dev);
    }

    @Override
    public void address(String dev, String cidr, String scope) {
        if (scope == null) {
            lab.ip(ref.ns(), "addr", "add", cidr, "dev", dev);
        } else {
            lab.ip(ref.ns(), "addr", "add", cidr, "dev", dev, "scope", scope);
        }
    }

    @Override
    public void carrier(int seg, boolean up) {
        lab.ip(lab.sw(), "link", "set", Lab.dutPort(Lab.Side.REF, seg), up ? "up" : "down");
    }

    @Override
    public void bounce(int seg) {
        lab.ip(ref.ns(), "link", "set", Lab.dev(seg), "down");
        lab.ip(ref.ns(), "link", "set", Lab.dev(seg), "up");
    }

    @Override
    public List<Lab.KernelNeighbour> table() {
        return lab.neigh(ref.ns(), null);
    }

    @Override
    public void settle() {
        List<String> failed = new ArrayList<>();
        for (Process p : pings) {
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    failed.add("a ping did not finish within 30 s");
                } else if (p.exitValue() != 0 && p.exitValue() != 1) {
                    // 0 answered, 1 not answered; anything else is ping failing to send (no route, no device)
                    failed.add("ping exited " + p.exitValue() + ": " + String.join(" ", p.info().arguments().orElse(new String[0])));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        pings.clear();
        if (!failed.isEmpty()) {
            throw new AssertionError("the reference kernel's pings did not run: " + failed);
        }
    }
}
