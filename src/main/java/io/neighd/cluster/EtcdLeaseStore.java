package io.neighd.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Ownership through etcd v3, for hosts outside Kubernetes: one etcd lease per node (granted with
 * a TTL of the lease duration rounded up to whole seconds, and at least etcd's own minimum), kept
 * alive by each renewal; one key per address, {@code prefix + address}, whose value is the
 * holder, attached to the holder's lease. A key is taken with a transaction that succeeds only if
 * it does not exist (create revision 0) or is still at the revision this node saw; it goes away
 * when its holder releases it (a transaction on the same revision) or when etcd expires the
 * holder's lease. Standbys learn of both through one watch on the prefix; expiry is etcd's
 * judgement (its leader's clock), so records carry no duration of their own here.
 *
 * <p>Spoken over etcd's JSON gateway ({@code /v3/kv/txn}, {@code /v3/lease/grant},
 * {@code /v3/lease/keepalive}, {@code /v3/watch}: the same RPCs as gRPC) with java.net.http.
 * jetcd 0.8.5 needs Vert.x 4 and the Kubernetes client Vert.x 5: they cannot share a class path.
 * Calls go to the first endpoint that answers, starting with the one that answered last.
 */
public final class EtcdLeaseStore implements OwnershipStore {
    private static final Logger log = LoggerFactory.getLogger(EtcdLeaseStore.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** etcd expires keys itself: a standby never judges a present record expired. */
    private static final long NEVER_MILLIS = Long.MAX_VALUE / 4_000_000L;

    private final List<URI> endpoints;
    private final String identity;
    private final String prefix;
    private final long ttlSeconds;
    private final Duration timeout;
    private final Duration retry;
    private final HttpClient http;
    private final ExecutorService io;
    private final AtomicInteger current = new AtomicInteger();
    private final Map<String, BiConsumer<String, LeaseRecord>> observers = new ConcurrentHashMap<>();
    private volatile long leaseId;
    private volatile long leaseConfirmedAt;
    private volatile boolean closed;
    private volatile InputStream watchStream;
    private Thread watcher;

    public EtcdLeaseStore(List<URI> endpoints, String identity, String prefix, Duration lease, Duration timeout,
                          Duration retry) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("neighd.cluster.etcd.endpoints is empty: name at least one, e.g. "
                    + "http://127.0.0.1:2379");
        }
        this.endpoints = List.copyOf(endpoints);
        this.identity = identity;
        this.prefix = prefix;
        this.ttlSeconds = Math.max(1, (lease.toMillis() + 999) / 1000);
        this.timeout = timeout;
        this.retry = retry;
        this.io = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "neighd-etcd");
            t.setDaemon(true);
            return t;
        });
        // not on `io`: its threads block in send(), which needs the client's own threads to finish
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public String backend() {
        return "etcd";
    }

    @Override
    public String identity() {
        return identity;
    }

    // ------------------------------------------------------------------ requests

    /** A unary gateway call: tries every endpoint once, starting with the last that answered. */
    private JsonNode call(String path, ObjectNode body) {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        int start = current.get();
        for (int i = 0; i < endpoints.size(); i++) {
            int idx = (start + i) % endpoints.size();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoints.get(idx).resolve(path))
                        .timeout(Duration.ofNanos(left)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode json = JSON.readTree(r.body());
                if (r.statusCode() != 200) {
                    // a member cut off from its quorum answers 503-ish errors: another may do better
                    last = new IOException(endpoints.get(idx) + path + ": HTTP " + r.statusCode() + " "
                            + json.path("message").asString(json.path("error").asString("")));
                    continue;
                }
                current.set(idx);
                return json;
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new IllegalStateException("etcd: no endpoint answered " + path + " within " + timeout.toMillis() + " ms"
                + (last == null ? "" : " (" + last.getMessage() + ")"), last);
    }

    private CompletableFuture<Claim> async(java.util.function.Supplier<Claim> op) {
        return CompletableFuture.supplyAsync(op, io);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String unb64(String s) {
        return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }

    private String keyOf(String key) {
        return LeaseNames.etcd(prefix, key);
    }

    /**
     * This node's etcd lease, granted when first needed and again after it expired: a standby
     * holds no key and so renews nothing, and its lease runs out; it is checked (one keep-alive)
     * before it is used if it was last confirmed more than half a TTL ago.
     */
    private long lease() {
        long id = leaseId;
        if (id != 0 && System.nanoTime() - leaseConfirmedAt < ttlSeconds * 500_000_000L) {
            return id;
        }
        if (id != 0) {
            keepAlive(id);
        }
        synchronized (this) {
            if (leaseId == 0) {
                ObjectNode b = JSON.createObjectNode();
                b.put("TTL", ttlSeconds);
                JsonNode r = call("/v3/lease/grant", b);
                leaseId = Long.parseLong(r.path("ID").asString());
                leaseConfirmedAt = System.nanoTime();
                log.info("etcd lease {} granted, TTL {} s", Long.toHexString(leaseId), r.path("TTL").asString());
            }
            return leaseId;
        }
    }

    @Override
    public CompletableFuture<Claim> acquire(String key, LeaseRecord seen) {
        return async(() -> {
            long lease = lease();
            ObjectNode b = JSON.createObjectNode();
            ObjectNode cmp = b.putArray("compare").addObject();
            cmp.put("key", b64(keyOf(key)));
            if (seen.isAbsent()) {
                cmp.put("target", "CREATE");
                cmp.put("create_revision", "0");
            } else {
                cmp.put("target", "MOD");
                cmp.put("mod_revision", seen.version());
            }
            ObjectNode put = b.putArray("success").addObject().putObject("request_put");
            put.put("key", b64(keyOf(key)));
            put.put("value", b64(identity));
            put.put("lease", Long.toString(lease));
            b.putArray("failure").addObject().putObject("request_range").put("key", b64(keyOf(key)));
            JsonNode r = call("/v3/kv/txn", b);
            if (r.path("succeeded").asBoolean(false)) {
                String rev = r.path("header").path("revision").asString();
                // the key's version as etcd counts it: 1 when created, one more than the compared one
                long version = seen.isAbsent() ? 1 : seen.transitions() + 1;
                return new Claim(true, new LeaseRecord(identity, rev, NEVER_MILLIS, version));
            }
            JsonNode kvs = r.path("responses").path(0).path("response_range").path("kvs");
            return new Claim(false, kvs.isEmpty() ? LeaseRecord.ABSENT : record(kvs.path(0)));
        });
    }

    /**
     * One keep-alive of this node's lease. Its key cannot have moved while the lease lived: only
     * this node writes it, and expiry deletes it. A lease etcd no longer knows (TTL 0) is gone
     * with every key on it.
     */
    @Override
    public CompletableFuture<Claim> renew(String key, LeaseRecord held) {
        return async(() -> {
            long lease = leaseId;
            if (lease == 0 || !keepAlive(lease)) {
                return new Claim(false, range(key));
            }
            return new Claim(true, held);
        });
    }

    /** One keep-alive; false (and the lease forgotten) if etcd no longer knows it. */
    private boolean keepAlive(long lease) {
        long sent = System.nanoTime();
        ObjectNode b = JSON.createObjectNode();
        b.put("ID", Long.toString(lease));
        JsonNode r = call("/v3/lease/keepalive", b);
        if (r.path("result").path("TTL").asLong(0) <= 0) {
            synchronized (this) {
                if (leaseId == lease) {
                    leaseId = 0;
                }
            }
            return false;
        }
        leaseConfirmedAt = sent;
        return true;
    }

    @Override
    public CompletableFuture<Void> release(String key, LeaseRecord held) {
        return CompletableFuture.runAsync(() -> {
            ObjectNode b = JSON.createObjectNode();
            ObjectNode cmp = b.putArray("compare").addObject();
            cmp.put("key", b64(keyOf(key)));
            cmp.put("target", "VALUE");
            cmp.put("value", b64(identity));
            b.putArray("success").addObject().putObject("request_delete_range").put("key", b64(keyOf(key)));
            call("/v3/kv/txn", b);
        }, io);
    }

    @Override
    public CompletableFuture<LeaseRecord> read(String key) {
        return CompletableFuture.supplyAsync(() -> range(key), io);
    }

    @Override
    public boolean watching() {
        return watchStream != null;
    }

    private LeaseRecord range(String key) {
        ObjectNode b = JSON.createObjectNode();
        b.put("key", b64(keyOf(key)));
        JsonNode kvs = call("/v3/kv/range", b).path("kvs");
        return kvs.isEmpty() ? LeaseRecord.ABSENT : record(kvs.path(0));
    }

    private static LeaseRecord record(JsonNode kv) {
        return new LeaseRecord(unb64(kv.path("value").asString("")), kv.path("mod_revision").asString(), NEVER_MILLIS,
                kv.path("version").asLong(0));
    }

    // ------------------------------------------------------------------ watch

    @Override
    public void watch(String key, BiConsumer<String, LeaseRecord> observer) {
        observers.put(keyOf(key), (k, r) -> observer.accept(key, r));
        synchronized (this) {
            if (watcher == null && !closed) {
                watcher = new Thread(this::watchLoop, "neighd-etcd-watch");
                watcher.setDaemon(true);
                watcher.start();
            }
        }
        io.execute(() -> {
            try {
                observer.accept(key, range(key));
            } catch (RuntimeException e) {
                log.warn("reading {}: {}", keyOf(key), e.getMessage());
            }
        });
    }

    @Override
    public void unwatch(String key) {
        observers.remove(keyOf(key));
    }

    /**
     * One watch on the prefix, from the revision of a fresh read of every watched key, so that
     * nothing between the read and the watch is missed; set up again, on the next endpoint,
     * whenever the stream ends.
     */
    private void watchLoop() {
        while (!closed) {
            try {
                ObjectNode rb = JSON.createObjectNode();
                rb.put("key", b64(prefix));
                rb.put("range_end", b64(prefixEnd(prefix)));
                JsonNode range = call("/v3/kv/range", rb);
                long rev = range.path("header").path("revision").asLong();
                Map<String, LeaseRecord> now = new java.util.HashMap<>();
                for (JsonNode kv : range.path("kvs")) {
                    now.put(unb64(kv.path("key").asString()), record(kv));
                }
                observers.forEach((k, o) -> o.accept(k, now.getOrDefault(k, LeaseRecord.ABSENT)));
                stream(rev + 1);
            } catch (RuntimeException | IOException e) {
                if (!closed) {
                    log.debug("etcd watch: {}; again in {} ms", e.getMessage(), retry.toMillis());
                }
            }
            if (!closed) {
                current.set((current.get() + 1) % endpoints.size());
                try {
                    Thread.sleep(retry.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void stream(long fromRevision) throws IOException {
        ObjectNode b = JSON.createObjectNode();
        ObjectNode c = b.putObject("create_request");
        c.put("key", b64(prefix));
        c.put("range_end", b64(prefixEnd(prefix)));
        c.put("start_revision", Long.toString(fromRevision));
        URI uri = endpoints.get(current.get()).resolve("/v3/watch");
        HttpResponse<InputStream> r;
        try {
            r = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(b.toString())).build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try (InputStream in = r.body();
             BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            watchStream = in;
            String line;
            while (!closed && (line = lines.readLine()) != null) {
                JsonNode res = JSON.readTree(line).path("result");
                if (res.path("canceled").asBoolean(false) || res.has("compact_revision")
                        && res.path("compact_revision").asLong() > 0) {
                    return;
                }
                for (JsonNode ev : res.path("events")) {
                    JsonNode kv = ev.path("kv");
                    String k = unb64(kv.path("key").asString());
                    BiConsumer<String, LeaseRecord> o = observers.get(k);
                    if (o != null) {
                        o.accept(k, "DELETE".equals(ev.path("type").asString()) ? LeaseRecord.ABSENT : record(kv));
                    }
                }
            }
        } finally {
            watchStream = null;
        }
    }

    private static String prefixEnd(String p) {
        byte[] b = p.getBytes(StandardCharsets.UTF_8);
        b[b.length - 1]++;
        return new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        closed = true;
        InputStream s = watchStream;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        Thread w = watcher;
        if (w != null) {
            w.interrupt();
        }
        io.shutdownNow();
    }
}
