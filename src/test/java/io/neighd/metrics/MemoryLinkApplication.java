package io.neighd.metrics;

import io.neighd.engine.ResolveOutcome;
import io.neighd.engine.Engine;
import io.neighd.link.MemoryLink;
import io.neighd.service.EngineRuntime;
import io.neighd.wire.ArpPacket;
import io.neighd.wire.EtherType;
import io.neighd.wire.FrameDecoder;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.MacAddress;
import io.neighd.wire.RxFrame;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * neighd on a memory link {@code nd0} (02:aa:00:00:00:01, 10.0.0.1/24) on a random port, with
 * peers that answer ARP on it: the common ground of the metrics integration tests.
 *
 * <p>Each test class gets its own application, closed after it: Spring's test context cache
 * pauses a context while other classes run and restarts it when it is used again, which the
 * service (one engine, built once) does not support; and one test takes a link down for good.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "neighd.interfaces[0].name=nd0",
        "neighd.interfaces[0].memory=true",
        "neighd.interfaces[0].mac=02:aa:00:00:00:01",
        "neighd.interfaces[0].addresses[0]=10.0.0.1/24"})
abstract class MemoryLinkApplication {
    static final String DEV = "nd0";
    static final MacAddress OUR_MAC = MacAddress.parse("02:aa:00:00:00:01");
    static final String OUR_IP = "10.0.0.1";
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final Path STATE_DIR = tempDir();
    /** Hosts that answer ARP requests on the link: IP bits to MAC. */
    private static final Map<Integer, MacAddress> PEERS = new ConcurrentHashMap<>();
    private static final Set<MemoryLink> ANSWERING = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;

    @Autowired
    EngineRuntime service;

    @DynamicPropertySource
    static void stateFile(DynamicPropertyRegistry registry) {
        registry.add("neighd.state-file", () -> STATE_DIR.resolve("state.json").toString());
    }

    private static Path tempDir() {
        try {
            Path d = Files.createTempDirectory("neighd-metrics-it");
            d.toFile().deleteOnExit();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    MemoryLink link() {
        return (MemoryLink) service.links().get(DEV);
    }

    HttpResponse<String> get(String path, String accept) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", accept).timeout(TIMEOUT).GET().build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    /** /actuator/prometheus in the classic text format (what promtool reads). */
    String scrapeText() throws Exception {
        HttpResponse<String> r = get("/actuator/prometheus", "text/plain;version=0.0.4");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    Scrape scrape() throws Exception {
        return Scrape.parse(scrapeText());
    }

    /** A host that answers who-has for {@code ip} from {@code mac}. */
    void peer(String ip, MacAddress mac) {
        PEERS.put(Ipv4Address.parseBits(ip), mac);
        MemoryLink l = link();
        if (ANSWERING.add(l)) {
            l.tap(frame -> answer(l, frame));
        }
    }

    /** On the engine thread, for each frame neighd sends: the peer's reply, queued like a captured frame. */
    private static void answer(MemoryLink l, byte[] frame) {
        RxFrame f = new RxFrame();
        if (FrameDecoder.decode(frame, frame.length, f) != null || f.etherType != EtherType.ARP || f.arpOp != 1) {
            return;
        }
        MacAddress mac = PEERS.get(f.tpa);
        if (mac != null) {
            l.inject(ArpPacket.frame(2, f.sha, mac.bits(), -1, mac.bits(), f.tpa, f.sha, f.spa));
        }
    }

    /** A broadcast who-has us from {@code ip}: the engine learns {@code ip} (NONE to STALE). */
    void requestFrom(String ip, MacAddress mac) {
        link().inject(ArpPacket.frame(1, MacAddress.BROADCAST.bits(), mac.bits(), -1, mac.bits(),
                Ipv4Address.parseBits(ip), 0, Ipv4Address.parseBits(OUR_IP)));
    }

    /** Resolution as outbound traffic starts it; waits for its outcome. */
    ResolveOutcome resolve(String ip) throws Exception {
        CompletableFuture<ResolveOutcome> done = new CompletableFuture<>();
        service.loop().execute(nl -> nl.resolve(DEV, Ipv4Address.parse(ip), done::complete));
        return done.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits until the engine thread has handled everything queued before this call. */
    void drainEngine() throws Exception {
        service.loop().submit(e -> null).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
