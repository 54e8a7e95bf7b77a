package io.neighd.reliability;

import io.neighd.service.StateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An acknowledged write is never lost, against the jar as it ships. Admin writes (neighbour
 * replace and delete, proxy add and delete, route add and delete, sysctl) go one after another
 * while a killer sends SIGKILL at random moments; after every kill the state file must load (never
 * torn) and, once neighd is up again, every write it acknowledged (2xx) must be there, unless a
 * later acknowledged write to the same thing replaced it. A write cut off by the kill may or may
 * not have taken effect, but nothing else may differ. {@code ./mvnw verify} runs 100 writes;
 * {@code -Dneighd.durability.writes=1000} is the recorded run (docs/reliability.md).
 *
 * <p>Then the state directory runs out of space (a small tmpfs) and is remounted read-only
 * (root only): a write is applied and answered 500 {@code state-not-saved}, the file on disk
 * stays whole, and once space returns the next write saves everything applied, that one too.
 */
class DurabilityIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int WRITES = Integer.getInteger("neighd.durability.writes", 100);
    private static final String KNOB = "net.ipv4.neigh.nd0.ucast_solicit";

    @TempDir
    Path dir;

    /** What a key may read after a restart: the last acknowledged value, or a later unacknowledged one. */
    private final Map<String, Set<String>> allowed = new TreeMap<>();

    @Test
    void acknowledgedWritesSurviveKillNineAtRandomMoments() throws Exception {
        long seed = Long.getLong("neighd.durability.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        Path state = dir.resolve("state.json");
        int acked = 0;
        int kills = 0;
        int cutOff = 0;
        long startMillis = 0;
        while (acked < WRITES) {
            try (RealJar neighd = new RealJar(state, Path.of("target", "durability-it.log"))) {
                startMillis += neighd.start().toMillis();
                if (kills > 0) {
                    verify(neighd, seed, kills);
                }
                long killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(150 + random.nextInt(1000));
                Thread killer = new Thread(() -> {
                    try {
                        TimeUnit.NANOSECONDS.sleep(Math.max(0, killAt - System.nanoTime()));
                        neighd.kill();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "durability-killer");
                killer.setDaemon(true);
                killer.start();
                while (neighd.alive() && acked < WRITES) {
                    Write w = Write.next(random);
                    Outcome o = w.send(neighd);
                    if (o == Outcome.ACKNOWLEDGED) {
                        acked++;
                        allowed.put(w.key(), new LinkedHashSet<>(Set.of(w.value())));
                    } else if (o == Outcome.UNKNOWN) {
                        cutOff++;
                        allowed.computeIfAbsent(w.key(), k -> new LinkedHashSet<>(Set.of(w.absent()))).add(w.value());
                    }
                }
                killer.interrupt();
                killer.join();
                if (neighd.alive()) {
                    neighd.kill();
                }
                kills++;
                assertThat(new StateStore(state).load()).as("seed %d: the file after kill %d loads whole", seed, kills)
                        .isNotNull();
            }
        }
        try (RealJar neighd = new RealJar(state, Path.of("target", "durability-it.log"))) {
            neighd.start();
            verify(neighd, seed, kills);
        }
        System.out.printf("[durability] seed %d: %d acknowledged writes, %d cut off by %d kills, every acknowledged "
                + "one present; %d ms mean start%n", seed, acked, cutOff, kills, startMillis / Math.max(1, kills));
    }

    @Test
    void aFullOrReadOnlyStateDirectoryAnswersStateNotSavedTearsNothingAndRecovers() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        Path mnt = Files.createDirectory(dir.resolve("state"));
        run("mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "neighd-durability", mnt.toString());
        try (RealJar neighd = new RealJar(mnt.resolve("state.json"), Path.of("target", "durability-it.log"))) {
            neighd.start();
            for (int i = 1; i <= 5; i++) {
                assertThat(put(neighd, i).statusCode()).isIn(200, 201);
            }
            StateStore.State saved = new StateStore(mnt.resolve("state.json")).load();

            Path filler = mnt.resolve("filler");
            fill(filler);
            HttpResponse<String> full = put(neighd, 6);
            assertStateNotSaved(full);
            assertThat(new StateStore(mnt.resolve("state.json")).load()).as("the file is the last saved, whole")
                    .isEqualTo(saved);

            Files.delete(filler);
            assertThat(put(neighd, 7).statusCode()).as("space is back").isIn(200, 201);
            assertThat(dsts(new StateStore(mnt.resolve("state.json")).load()))
                    .as("the next write saves what was applied meanwhile").containsExactly(1, 2, 3, 4, 5, 6, 7);

            run("mount", "-o", "remount,ro", mnt.toString());
            assertStateNotSaved(put(neighd, 8));
            run("mount", "-o", "remount,rw", mnt.toString());
            assertThat(put(neighd, 9).statusCode()).isIn(200, 201);
            assertThat(dsts(new StateStore(mnt.resolve("state.json")).load())).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
            neighd.kill();
        } finally {
            run("umount", mnt.toString());
        }
    }

    // ------------------------------------------------------------------ the writes and what they change

    enum Outcome { ACKNOWLEDGED, REFUSED, UNKNOWN }

    /** One admin write: the key it changes, the value it leaves, and the request. */
    record Write(String key, String value, String absent, String method, String path, String body) {
        static Write next(SplittableRandom r) {
            int n = 1 + r.nextInt(40);
            String dst = "10.77.1." + n;
            String route = "10.100." + n + ".0/24";
            return switch (r.nextInt(8)) {
                case 0, 1, 2 -> {
                    String mac = String.format("02:cc:00:00:%02x:%02x", n, r.nextInt(256));
                    yield new Write("neighbour " + dst, mac, "absent", "PUT", "/api/v1/neighbours/nd0/" + dst,
                            "{\"lladdr\":\"" + mac + "\",\"state\":\"permanent\"}");
                }
                case 3 -> new Write("neighbour " + dst, "absent", "absent", "DELETE", "/api/v1/neighbours/nd0/" + dst,
                        null);
                case 4 -> r.nextBoolean()
                        ? new Write("proxy " + dst, "present", "absent", "POST", "/api/v1/proxy-neighbours",
                        "{\"dst\":\"" + dst + "\",\"dev\":\"nd0\"}")
                        : new Write("proxy " + dst, "absent", "absent", "DELETE", "/api/v1/proxy-neighbours/" + dst
                        + "?dev=nd0", null);
                case 5 -> r.nextBoolean()
                        ? new Write("route " + route, "present", "absent", "POST", "/api/v1/routes",
                        "{\"route\":\"" + route + " via 10.77.0.254 dev nd0\"}")
                        : new Write("route " + route, "absent", "absent", "DELETE", "/api/v1/routes?dst=" + route, null);
                default -> {
                    long v = 1 + r.nextInt(9);
                    yield new Write("sysctl " + KNOB, Long.toString(v), "3", "PATCH", "/api/v1/sysctl",
                            "{\"" + KNOB + "\":" + v + "}");
                }
            };
        }

        Outcome send(RealJar neighd) {
            try {
                int status = neighd.send(method, path, body).statusCode();
                if (status / 100 == 2) {
                    return Outcome.ACKNOWLEDGED;
                }
                return status >= 500 ? Outcome.UNKNOWN : Outcome.REFUSED;
            } catch (java.net.ConnectException e) {
                // never reached neighd (it is dead, or not listening yet): nothing was applied
                return Outcome.REFUSED;
            } catch (IOException e) {
                // sent, and cut off before the answer: applied or not
                return Outcome.UNKNOWN;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.UNKNOWN;
            }
        }
    }

    /** Every key reads a value it may have; then that value is what it has. */
    private void verify(RealJar neighd, long seed, int kills) throws Exception {
        Map<String, String> now = observe(neighd);
        List<String> lost = new ArrayList<>();
        allowed.forEach((key, values) -> {
            String v = now.getOrDefault(key, key.startsWith("sysctl") ? "3" : "absent");
            if (!values.contains(v)) {
                lost.add(key + " reads " + v + ", acknowledged " + values);
            }
        });
        assertThat(lost).as("seed %d, after kill %d: acknowledged writes lost", seed, kills).isEmpty();
        allowed.replaceAll((key, values) -> new LinkedHashSet<>(Set.of(now.getOrDefault(key,
                key.startsWith("sysctl") ? "3" : "absent"))));
    }

    private static Map<String, String> observe(RealJar neighd) throws Exception {
        Map<String, String> now = new HashMap<>();
        for (JsonNode n : json(neighd, "/api/v1/neighbours?state=permanent")) {
            now.put("neighbour " + n.path("dst").asString(), n.path("lladdr").asString());
        }
        for (JsonNode p : json(neighd, "/api/v1/proxy-neighbours")) {
            now.put("proxy " + p.path("dst").asString(), "present");
        }
        for (JsonNode r : json(neighd, "/api/v1/routes")) {
            if ("static".equals(r.path("protocol").asString())) {
                now.put("route " + r.path("dst").asString(), "present");
            }
        }
        now.put("sysctl " + KNOB, Long.toString(json(neighd, "/api/v1/sysctl?prefix=" + KNOB).path(0).path("value")
                .asLong()));
        return now;
    }

    private static JsonNode json(RealJar neighd, String path) throws Exception {
        HttpResponse<String> r = neighd.get(path);
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    // ------------------------------------------------------------------ the full and read-only directory

    private static HttpResponse<String> put(RealJar neighd, int i) throws Exception {
        return neighd.send("PUT", "/api/v1/neighbours/nd0/10.77.2." + i, "{\"lladdr\":\"02:dd:00:00:00:"
                + String.format("%02x", i) + "\",\"state\":\"permanent\"}");
    }

    private static void assertStateNotSaved(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(500);
        assertThat(JSON.readTree(r.body()).path("type").asString()).isEqualTo("https://neighd.io/problems/state-not-saved");
    }

    private static List<Integer> dsts(StateStore.State s) {
        return s.neighbours().stream().map(n -> Integer.parseInt(n.dst().substring(n.dst().lastIndexOf('.') + 1)))
                .sorted().toList();
    }

    /** Writes until the file system has no room left. */
    private static void fill(Path filler) {
        byte[] block = new byte[1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException e) {
            // full
        }
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", cmd), out).isZero();
    }
}
