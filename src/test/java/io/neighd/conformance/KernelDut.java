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

    @Override
    public void resolve(String dev, String ip) {
        // NTF_USE: neigh_event_send(neigh, NULL), as neighd's resolve does; nud none keeps it out of the
        // GC-exempt set that iproute2's default (permanent) would put a new entry in
        lab.ip(ref.ns(), "neigh", "replace", ip, "dev", dev, "nud", "none", "use");
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
        for (Process p : pings) {
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        pings.clear();
    }
}
