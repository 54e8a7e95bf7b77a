package io.neighd.lab;

import io.neighd.NeighdApplication;
import io.neighd.service.EngineRuntime;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * neighd itself, started in this JVM as a Spring Boot application on a random port, attached to
 * the lab's nd0 (10.77.0.1/24, fd77::1/64) and nd1 (10.78.0.1/24, fd78::1/64) inside
 * {@code <prefix>-nd}, and driven
 * through its REST API exactly as a user would drive it. {@link #reset()} brings it back to the
 * state it started in: no entries (PERMANENT included), no proxy entries, every knob as it was.
 */
public final class Neighd implements AutoCloseable {
    /** The routes neighd is configured with; the reference kernel gets the same ones. */
    public static final List<String> ROUTES = List.of(
            "default via 10.77.0.254 dev nd0",
            "10.88.0.0/24 via 10.77.0.254 dev nd0",
            "10.89.0.0/24 via 10.78.0.254 dev nd1");
    /** Knob names that alias another knob in other units; restoring them would round the original. */
    private static final List<String> ALIASES = List.of(".retrans_time", ".base_reachable_time", ".unres_qlen");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** An HTTP answer: the status and the JSON body (null if there was none). */
    public record Response(int status, JsonNode body, String text) {
        public Response expect(int wanted) {
            if (status != wanted) {
                throw new AssertionError("expected HTTP " + wanted + ", got " + status + ": " + text);
            }
            return this;
        }
    }

    private final ConfigurableApplicationContext ctx;
    private final Path stateDir;
    private final String token;
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Long> initialKnobs;
    private final List<String> initialAddresses;
    /** The configured global addresses with their prefix, "dev cidr": put back if a link down took them. */
    private final List<String> initialCidrs;

    private Neighd(ConfigurableApplicationContext ctx, Path stateDir, String token, int port) {
        this.ctx = ctx;
        this.stateDir = stateDir;
        this.token = token;
        this.base = URI.create("http://127.0.0.1:" + port);
        this.initialKnobs = knobs();
        this.initialAddresses = addresses();
        this.initialCidrs = cidrs();
    }

    /** "dev address/prefix" for every owned global address. */
    private List<String> cidrs() {
        List<String> out = new ArrayList<>();
        for (JsonNode i : getOk("/api/v1/interfaces")) {
            for (JsonNode a : i.path("addresses")) {
                if (a.path("scope").asString().equals("global")) {
                    out.add(i.path("name").asString() + " " + a.path("local").asString() + "/"
                            + a.path("prefixlen").asInt());
                }
            }
        }
        return out;
    }

    /** "dev address" for every owned address. */
    private List<String> addresses() {
        List<String> out = new ArrayList<>();
        for (JsonNode i : getOk("/api/v1/interfaces")) {
            for (JsonNode a : i.path("addresses")) {
                out.add(i.path("name").asString() + " " + a.path("local").asString());
            }
        }
        return out;
    }

    /** Starts neighd on the lab's nd0 and nd1. */
    public static Neighd start(Lab lab) {
        return start(lab, Map.of());
    }

    /** Starts neighd on the lab's interfaces with {@code extra} properties on top of the usual ones. */
    public static Neighd start(Lab lab, Map<String, Object> extra) {
        Path dir;
        try {
            dir = Files.createTempDirectory("neighd-it-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String token = UUID.randomUUID().toString();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("server.port", 0);
        p.put("server.address", "127.0.0.1");
        p.put("spring.main.banner-mode", "off");
        p.put("logging.level.root", "WARN");
        p.put("logging.level.io.neighd", "INFO");
        p.put("neighd.state-file", dir.resolve("state.json").toString());
        p.put("neighd.api.token", token);
        // Linux does not defend its addresses (RFC 5227 §2.4): the frames compared with it must not either
        p.put("neighd.conflicts.defend", false);
        for (int k = 0; k < lab.segments; k++) {
            p.put("neighd.interfaces[" + k + "].name", Lab.dev(k));
            p.put("neighd.interfaces[" + k + "].netns", lab.ndNs());
            p.put("neighd.interfaces[" + k + "].addresses[0]", Lab.ownIp(k) + "/24");
            p.put("neighd.interfaces[" + k + "].addresses[1]", Lab.ownIp6(k) + "/64");
        }
        // the routes over the lab's segments (a one-segment lab has no nd1)
        List<String> routes = ROUTES.stream()
                .filter(r -> Integer.parseInt(r.substring(r.lastIndexOf("nd") + 2)) < lab.segments).toList();
        for (int i = 0; i < routes.size(); i++) {
            p.put("neighd.routes[" + i + "]", routes.get(i));
        }
        p.putAll(extra);
        // as command-line arguments: they win over application.yaml (port 9797, NEIGHD_API_TOKEN)
        String[] args = p.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        ConfigurableApplicationContext ctx = new SpringApplicationBuilder(NeighdApplication.class).run(args);
        int port = Integer.parseInt(ctx.getEnvironment().getRequiredProperty("local.server.port"));
        return new Neighd(ctx, dir, token, port);
    }

    public EngineRuntime service() {
        return ctx.getBean(EngineRuntime.class);
    }

    public URI uri(String path) {
        return base.resolve(path);
    }

    // ------------------------------------------------------------------ HTTP

    public Response get(String path) {
        return send("GET", path, null);
    }

    public JsonNode getOk(String path) {
        return get(path).expect(200).body();
    }

    public Response post(String path, Object body) {
        return send("POST", path, body);
    }

    public Response patch(String path, Object body) {
        return send("PATCH", path, body);
    }

    public Response put(String path, Object body) {
        return send("PUT", path, body);
    }

    public Response delete(String path) {
        return send("DELETE", path, null);
    }

    public Response send(String method, String path, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(90))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json, application/problem+json");
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            String text = r.body();
            if (text != null && !text.isBlank() && (text.startsWith("{") || text.startsWith("["))) {
                json = JSON.readTree(text);
            }
            return new Response(r.statusCode(), json, text);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ the API as the tests use it

    /** GET /api/v1/neighbours (NOARP hidden, as ip shows it). */
    public List<Lab.KernelNeighbour> neighbours() {
        return Lab.parseNeigh(get("/api/v1/neighbours").expect(200).text());
    }

    /** One entry, or null. */
    public Lab.KernelNeighbour neighbour(String dev, String ip) {
        Response r = get("/api/v1/neighbours/" + dev + "/" + ip);
        if (r.status() == 404) {
            return null;
        }
        r.expect(200);
        return Lab.parseNeigh("[" + r.text() + "]").get(0);
    }

    /** PATCH /api/v1/sysctl with full Linux names. */
    public void sysctl(Map<String, ?> values) {
        if (!values.isEmpty()) {
            patch("/api/v1/sysctl", values).expect(200);
        }
    }

    public void sysctl(String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(key, value);
        sysctl(m);
    }

    public long knob(String name) {
        JsonNode list = getOk("/api/v1/sysctl?prefix=" + enc(name));
        for (JsonNode k : list) {
            if (k.path("name").asString().equals(name)) {
                return k.path("value").asLong();
            }
        }
        throw new AssertionError("no knob " + name);
    }

    /** Every knob's value. */
    public Map<String, Long> knobs() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (JsonNode k : getOk("/api/v1/sysctl")) {
            m.put(k.path("name").asString(), k.path("value").asLong());
        }
        return m;
    }

    /** POST resolve; the HTTP answer as is (200 valid, 504 timeout, 404 failed). */
    public Response resolve(String dev, String ip, long timeoutMs) {
        return post("/api/v1/neighbours/" + dev + "/" + ip + "/resolve?timeout_ms=" + timeoutMs, null);
    }

    /** POST /api/v1/ping. */
    public JsonNode ping(String dst, int count, long intervalMs, long timeoutMs) {
        ObjectNode b = JSON.createObjectNode();
        b.put("dst", dst);
        b.put("count", count);
        b.put("interval_ms", intervalMs);
        b.put("timeout_ms", timeoutMs);
        return post("/api/v1/ping", b).expect(200).body();
    }

    /** POST /api/v1/ping with {@code dev} (needed for link-local IPv6 destinations). */
    public JsonNode ping(String dst, String dev, int count, long intervalMs, long timeoutMs) {
        ObjectNode b = JSON.createObjectNode();
        b.put("dst", dst);
        b.put("dev", dev);
        b.put("count", count);
        b.put("interval_ms", intervalMs);
        b.put("timeout_ms", timeoutMs);
        return post("/api/v1/ping", b).expect(200).body();
    }

    /** POST /api/v1/interfaces/DEV/addresses: {@code ip -6 addr add CIDR dev DEV [nodad]}. */
    public void addAddress6(String dev, String cidr, boolean nodad) {
        ObjectNode b = JSON.createObjectNode();
        b.put("address", cidr);
        if (nodad) {
            b.put("nodad", true);
        }
        post("/api/v1/interfaces/" + dev + "/addresses", b).expect(201);
    }

    /** POST /api/v1/interfaces/DEV/announce: how many unsolicited NAs were sent. */
    public int announceNa(String dev) {
        return post("/api/v1/interfaces/" + dev + "/announce", null).expect(200).body().path("na").asInt();
    }

    /** Waits until {@code dev}'s IPv6 addresses include {@code entry} (as {@link #addresses6} prints it). */
    public List<String> awaitAddress6(String dev, String entry, long timeoutMs) {
        long end = System.nanoTime() + timeoutMs * 1_000_000L;
        List<String> now;
        do {
            now = addresses6(dev);
            if (now.contains(entry)) {
                return now;
            }
            Lab.sleep(50);
        } while (System.nanoTime() < end);
        throw new AssertionError(dev + " has no " + entry + " within " + timeoutMs + " ms: " + now);
    }

    public void addProxy(String dst, String dev) {
        ObjectNode b = JSON.createObjectNode();
        b.put("dst", dst);
        if (dev != null) {
            b.put("dev", dev);
        }
        post("/api/v1/proxy-neighbours", b).expect(201);
    }

    /** {@code ip neigh add DST lladdr MAC dev DEV nud STATE}. */
    public void addNeighbour(String dev, String dst, String lladdr, String state) {
        ObjectNode b = JSON.createObjectNode();
        b.put("dst", dst);
        b.put("dev", dev);
        if (lladdr != null) {
            b.put("lladdr", lladdr);
        }
        b.put("state", state);
        post("/api/v1/neighbours", b).expect(201);
    }

    public JsonNode stats() {
        return getOk("/api/v1/stats");
    }

    /** A column of ndisc_cache, e.g. {@code rcv_probes_mcast}. */
    public long ndiscCache(String column) {
        return stats().path("ndisc_cache").path(column).asLong();
    }

    /** How many IPv6 frames received on {@code dev} ended with reason {@code reason}. */
    public long reasonCount6(String dev, String reason) {
        for (JsonNode i : stats().path("interfaces")) {
            if (i.path("dev").asString().equals(dev)) {
                return i.path("ndisc").path("reasons").path(reason).path("count").asLong(0);
            }
        }
        throw new AssertionError("no interface " + dev + " in /api/v1/stats");
    }

    /** The IPv6 addresses of {@code dev} with their flags, as "fd77::1/64 []". */
    public List<String> addresses6(String dev) {
        List<String> out = new ArrayList<>();
        for (JsonNode a : getOk("/api/v1/interfaces/" + dev).path("addresses")) {
            if (a.path("family").asString().equals("inet6")) {
                List<String> flags = new ArrayList<>();
                a.path("flags").forEach(f -> flags.add(f.asString()));
                out.add(a.path("local").asString() + "/" + a.path("prefixlen").asInt() + " " + flags);
            }
        }
        return out;
    }

    /** A column of arp_cache, e.g. {@code res_failed}. */
    public long arpCache(String column) {
        return stats().path("arp_cache").path(column).asLong();
    }

    /** How many frames received on {@code dev} ended with reason {@code reason} (e.g. PROXY_QUEUE_FULL). */
    public long reasonCount(String dev, String reason) {
        for (JsonNode i : stats().path("interfaces")) {
            if (i.path("dev").asString().equals(dev)) {
                return i.path("reasons").path(reason).path("count").asLong(0);
            }
        }
        throw new AssertionError("no interface " + dev + " in /api/v1/stats");
    }

    /**
     * Every frame the engine took in on {@code dev}, whatever became of it: the sum of its reason
     * counts (each received frame ends with exactly one reason).
     */
    public long received(String dev) {
        for (JsonNode i : stats().path("interfaces")) {
            if (i.path("dev").asString().equals(dev)) {
                long n = 0;
                for (JsonNode r : i.path("reasons")) {
                    n += r.path("count").asLong();
                }
                // IPv6 frames end with a reason of the ndisc side
                for (JsonNode r : i.path("ndisc").path("reasons")) {
                    n += r.path("count").asLong();
                }
                return n;
            }
        }
        throw new AssertionError("no interface " + dev + " in /api/v1/stats");
    }

    /** Waits for the entry to reach {@code state}; answers it, or fails with what it was instead. */
    public Lab.KernelNeighbour awaitState(String dev, String ip, String state, long timeoutMs) {
        long end = System.nanoTime() + timeoutMs * 1_000_000L;
        Lab.KernelNeighbour n;
        do {
            n = neighbour(dev, ip);
            if (n != null && n.state().equals(state)) {
                return n;
            }
            Lab.sleep(20);
        } while (System.nanoTime() < end);
        throw new AssertionError(ip + " dev " + dev + " did not become " + state + " within " + timeoutMs + " ms: " + n);
    }

    /**
     * Exercises the REST paths the tests time (resolve, ping, sysctl, the table) once, so that the
     * first timed call does not pay for class loading and the JIT: on a 2-core machine that is
     * over 100 ms, more than the conformance suite's time slack.
     */
    public void warmUp() {
        for (int i = 0; i < 3; i++) {
            ping(Lab.ownIp(1), 1, 10, 200);
            resolve("nd0", Lab.peerIp(0, 1), 2000);
            neighbours();
            knobs();
            delete("/api/v1/neighbours?state=all").expect(200);
        }
    }

    /** Back to the starting state: no entries, no proxies, only the configured addresses, the knobs as they were. */
    public void reset() {
        for (JsonNode i : getOk("/api/v1/interfaces")) {
            String dev = i.path("name").asString();
            for (JsonNode a : i.path("addresses")) {
                String local = a.path("local").asString();
                if (!initialAddresses.contains(dev + " " + local)) {
                    delete("/api/v1/interfaces/" + dev + "/addresses/" + local).expect(204);
                }
            }
        }
        // an IPv6 address goes with NETDEV_DOWN (keep_addr_on_down 0), as in Linux: put it back, valid at once
        List<String> now6 = cidrs();
        for (String c : initialCidrs) {
            if (!now6.contains(c)) {
                String[] dc = c.split(" ");
                ObjectNode b = JSON.createObjectNode();
                b.put("address", dc[1]);
                if (dc[1].contains(":")) {
                    b.put("nodad", true);
                }
                post("/api/v1/interfaces/" + dc[0] + "/addresses", b).expect(201);
            }
        }
        delete("/api/v1/neighbours?state=all").expect(200);
        for (JsonNode p : getOk("/api/v1/proxy-neighbours")) {
            String dev = p.hasNonNull("dev") ? "?dev=" + enc(p.get("dev").asString()) : "";
            delete("/api/v1/proxy-neighbours/" + p.path("dst").asString() + dev);
        }
        Map<String, Long> now = knobs();
        Map<String, Long> back = new LinkedHashMap<>();
        initialKnobs.forEach((k, v) -> {
            if (!v.equals(now.get(k)) && ALIASES.stream().noneMatch(k::endsWith)) {
                back.put(k, v);
            }
        });
        // `default` and `all` first: writing them reaches devices, whose own values come after
        List<String> order = new ArrayList<>(back.keySet());
        order.sort((a, b) -> Integer.compare(scopeRank(a), scopeRank(b)));
        Map<String, Long> ordered = new LinkedHashMap<>();
        order.forEach(k -> ordered.put(k, back.get(k)));
        sysctl(ordered);
    }

    private static int scopeRank(String key) {
        return key.contains(".all.") ? 0 : key.contains(".default.") ? 1 : 2;
    }

    @Override
    public void close() {
        ctx.close();
        try (var s = Files.list(stateDir)) {
            for (Path f : s.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(stateDir);
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }
}
