package io.neighd.conformance;

import io.neighd.lab.Lab;
import io.neighd.lab.Neighd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** neighd as a {@link Dut}, through its REST API only. */
final class NeighdDut implements Dut {
    private final Lab lab;
    private final Neighd neighd;
    private static final ExecutorService PINGERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "conformance-ping");
        t.setDaemon(true);
        return t;
    });
    private final List<CompletableFuture<?>> pings = new ArrayList<>();

    NeighdDut(Lab lab, Neighd neighd) {
        this.lab = lab;
        this.neighd = neighd;
    }

    @Override
    public Lab.Side side() {
        return Lab.Side.ND;
    }

    @Override
    public void knobs(Map<String, ?> values) {
        neighd.sysctl(values);
    }

    @Override
    public void resolve(String dev, String ip) {
        // a 1 ms wait: the request starts resolution and answers 504 at once; the engine carries on
        int status = neighd.resolve(dev, ip, 1).status();
        if (status != 200 && status != 504 && status != 404) {
            throw new AssertionError("resolve " + ip + " dev " + dev + ": HTTP " + status);
        }
    }

    @Override
    public void ping(String dst, int count, int intervalMs) {
        pings.add(CompletableFuture.runAsync(() -> neighd.ping(dst, count, intervalMs, 1000), PINGERS));
    }

    @Override
    public void neighbour(String dev, String dst, String lladdr, String state) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("lladdr", lladdr);
        body.put("state", state);
        int status = neighd.put("/api/v1/neighbours/" + dev + "/" + dst, body).status();
        if (status != 200 && status != 201) {
            throw new AssertionError("replace " + dst + ": HTTP " + status);
        }
    }

    @Override
    public void proxy(String dst, String dev) {
        neighd.addProxy(dst, dev);
    }

    @Override
    public void address(String dev, String cidr, String scope) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("address", cidr);
        if (scope != null) {
            body.put("scope", scope);
        }
        neighd.post("/api/v1/interfaces/" + dev + "/addresses", body).expect(201);
    }

    /**
     * The switch side of the port goes down, so the kernel reports NO-CARRIER on neighd's port;
     * waits until neighd has seen the link notification, which Linux does not need to.
     */
    @Override
    public void carrier(int seg, boolean up) {
        lab.ip(lab.sw(), "link", "set", Lab.dutPort(Lab.Side.ND, seg), up ? "up" : "down");
        awaitCarrier(seg, up);
    }

    /**
     * The port in {@code <prefix>-nd} goes administratively down and up, as Linux's does in
     * {@code <prefix>-ref}; neighd sees NETDEV_DOWN and NETDEV_UP in the link notifications.
     */
    @Override
    public void bounce(int seg) {
        lab.ip(lab.ndNs(), "link", "set", Lab.dev(seg), "down");
        awaitCarrier(seg, false);
        lab.ip(lab.ndNs(), "link", "set", Lab.dev(seg), "up");
        awaitCarrier(seg, true);
    }

    private void awaitCarrier(int seg, boolean up) {
        long end = System.nanoTime() + 4_000_000_000L;
        while (neighd.getOk("/api/v1/interfaces/" + Lab.dev(seg)).path("carrier").asBoolean() != up) {
            if (System.nanoTime() > end) {
                throw new AssertionError("neighd did not see " + Lab.dev(seg) + "'s carrier " + (up ? "return" : "go"));
            }
            Lab.sleep(20);
        }
    }

    @Override
    public List<Lab.KernelNeighbour> table() {
        return neighd.neighbours();
    }

    @Override
    public void settle() {
        for (CompletableFuture<?> f : pings) {
            try {
                f.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("REST ping failed: " + e, e);
            }
        }
        pings.clear();
    }
}
