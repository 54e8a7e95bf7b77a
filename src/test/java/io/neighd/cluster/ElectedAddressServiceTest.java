package io.neighd.cluster;

import io.neighd.NeighdApplication;
import io.neighd.link.MemoryLink;
import io.neighd.service.EngineRuntime;
import io.neighd.wire.ArpMessage;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.MacAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole service with elected addresses on a memory link and a real single-member etcd: the
 * address is answered once elected, the API lists, adds, hands over and removes addresses (kept
 * in the state file), bad input gets problem+json, and a frame from another MAC claiming an
 * address this node answers for is counted and defended. The same for an IPv6 elected address:
 * answered (NS → solicited NA) once elected, announced with unsolicited NAs, listed beside the
 * IPv4 one, added and removed through the API.
 */
class ElectedAddressServiceTest {
    static final MacAddress OUR_MAC = MacAddress.parse("02:aa:00:00:00:01");
    static final MacAddress OTHER = MacAddress.parse("02:bb:00:00:00:09");
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String TOKEN = "elected-address-token";
    static EtcdCluster etcd;
    static ConfigurableApplicationContext ctx;
    static Path dir;
    static URI base;
    static MemoryLink nd0;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        etcd = EtcdCluster.start(1);
        dir = Files.createTempDirectory("neighd-vip-api-");
        ctx = new SpringApplicationBuilder(NeighdApplication.class).run("--server.port=0", "--server.address=127.0.0.1",
                "--spring.main.banner-mode=off", "--logging.level.root=WARN", "--neighd.api.token=" + TOKEN,
                "--neighd.state-file=" + dir.resolve("state.json"),
                "--neighd.interfaces[0].name=nd0", "--neighd.interfaces[0].memory=true",
                "--neighd.interfaces[0].mac=" + OUR_MAC, "--neighd.interfaces[0].addresses[0]=10.0.0.1/24",
                "--neighd.interfaces[0].addresses[1]=fd77::1/64",
                "--neighd.cluster.enabled=true", "--neighd.cluster.backend=etcd", "--neighd.cluster.node-name=solo",
                "--neighd.cluster.etcd.endpoints[0]=" + etcd.clients.get(0),
                "--neighd.vips[0].address=10.0.0.100/24", "--neighd.vips[1].address=fd77::55/64");
        base = URI.create("http://127.0.0.1:" + ctx.getEnvironment().getRequiredProperty("local.server.port"));
        nd0 = (MemoryLink) ctx.getBean(EngineRuntime.class).links().get("nd0");
    }

    @AfterAll
    static void stop() {
        if (ctx != null) {
            ctx.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    HttpResponse<String> call(String method, String path, String body, boolean token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token) {
            b.header("Authorization", "Bearer " + TOKEN);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode vip(String a) throws Exception {
        return JSON.readTree(call("GET", "/api/v1/vips/" + a, null, false).body());
    }

    boolean repliesFor(String ip) {
        nd0.clearSent();
        MacAddress peer = MacAddress.parse("02:bb:00:00:00:02");
        nd0.inject(ArpMessage.request(peer, Ipv4Address.parse("10.0.0.2"), MacAddress.ZERO, Ipv4Address.parse(ip))
                .toFrame(MacAddress.BROADCAST, peer, -1));
        long deadline = System.currentTimeMillis() + 1000;
        while (System.currentTimeMillis() < deadline) {
            for (byte[] f : nd0.sent()) {
                // an ARP reply from `ip` to the asking peer (not a gratuitous one)
                if (f.length >= 42 && f[12] == 0x08 && f[13] == 0x06 && f[21] == 2
                        && Ipv4Address.parse(ip).bits() == java.nio.ByteBuffer.wrap(f, 28, 4).getInt()
                        && Ipv4Address.parse("10.0.0.2").bits() == java.nio.ByteBuffer.wrap(f, 38, 4).getInt()) {
                    return true;
                }
            }
            io.neighd.lab.Lab.sleep(10);
        }
        return false;
    }

    /** Whether an NS for {@code ip} from a peer gets a solicited NA from our MAC. */
    boolean advertisesFor(String ip) {
        nd0.clearSent();
        nd0.inject(io.neighd.testkit.Nd6.ns(PEER, "fd77::2", ip));
        long deadline = System.currentTimeMillis() + 1000;
        while (System.currentTimeMillis() < deadline) {
            if (nd0.sent().stream().map(io.neighd.testkit.Nd6::parse).anyMatch(na -> na != null
                    && na.type() == io.neighd.wire.Icmpv6.NEIGHBOUR_ADVERTISEMENT && na.target().toString().equals(ip)
                    && na.dst().toString().equals("fd77::2") && (na.flags() & io.neighd.testkit.Nd6.S) != 0
                    && na.lladdrOption() == OUR_MAC.bits())) {
                return true;
            }
            io.neighd.lab.Lab.sleep(10);
        }
        return false;
    }

    static final MacAddress PEER = MacAddress.parse("02:bb:00:00:00:02");

    @Test
    void theConfiguredIpv6AddressIsElectedAnsweredAnnouncedAndListedBesideTheIpv4One() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> vip("fd77::55").path("answering").asBoolean(false));
        assertThat(vip("fd77::55").path("family").asString()).isEqualTo("inet6");
        assertThat(vip("fd77::55").path("address").asString()).isEqualTo("fd77::55/64");
        // the path may name it in any spelling of the address
        assertThat(vip("fd77:0:0::0055").path("address").asString()).isEqualTo("fd77::55/64");
        await().atMost(Duration.ofSeconds(10)).until(() -> vip("fd77::55").path("gratuitousSent").asLong() == 3);
        assertThat(advertisesFor("fd77::55")).isTrue();
        JsonNode list = JSON.readTree(call("GET", "/api/v1/vips", null, false).body());
        assertThat(list.path("vips").valueStream().map(v -> v.path("address").asString()))
                .contains("10.0.0.100/24", "fd77::55/64");
        String metrics = call("GET", "/actuator/prometheus", null, false).body();
        assertThat(metrics).contains("neighd_vip_owner{address=\"fd77::55\"} 1");
    }

    @Test
    void ipv6AddressesAreAddedReleasedAndRemovedThroughTheApi() throws Exception {
        HttpResponse<String> r = call("POST", "/api/v1/vips", "{\"address\":\"fd77::66/64\"}", true);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(Files.readString(dir.resolve("state.json"))).contains("fd77::66/64");
        await().atMost(Duration.ofSeconds(10)).until(() -> vip("fd77::66").path("answering").asBoolean(false));
        assertThat(advertisesFor("fd77::66")).isTrue();
        assertThat(call("POST", "/api/v1/vips", "{\"address\":\"fd77::1/64\"}", true).body()).contains("vip-exists");

        r = call("POST", "/api/v1/vips/fd77::66/release", null, true);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(advertisesFor("fd77::66")).isFalse();
        assertThat(call("DELETE", "/api/v1/vips/fd77::66", null, true).statusCode()).isEqualTo(204);
        assertThat(call("DELETE", "/api/v1/vips/fd77::66", null, true).body()).contains("no-such-vip");
    }

    @Test
    void badIpv6InputGetsProblemJsonNamingTheField() throws Exception {
        for (String bad : new String[] {"fd77::77", "fd77::zz/64", "fd77::77/129", "fe80::77/64", "ff02::1/64"}) {
            HttpResponse<String> r = call("POST", "/api/v1/vips", "{\"address\":\"" + bad + "\"}", true);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(c -> assertThat(c)
                    .contains("problem+json"));
            assertThat(JSON.readTree(r.body()).path("field").asString()).as(r.body()).isEqualTo("address");
        }
        HttpResponse<String> r = call("GET", "/api/v1/vips/fd77::99", null, false);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("no-such-vip");
        assertThat(call("GET", "/api/v1/vips/fd77::zz", null, false).statusCode()).isEqualTo(400);
    }

    @Test
    void theConfiguredAddressIsElectedAnsweredAndListed() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> vip("10.0.0.100").path("answering").asBoolean(false));
        assertThat(repliesFor("10.0.0.100")).isTrue();
        JsonNode list = JSON.readTree(call("GET", "/api/v1/vips", null, false).body());
        assertThat(list.path("enabled").asBoolean()).isTrue();
        assertThat(list.path("backend").asString()).isEqualTo("etcd");
        assertThat(list.path("node").asString()).isEqualTo("solo");
        await().atMost(Duration.ofSeconds(10)).until(() -> JSON.readTree(call("GET", "/api/v1/vips", null, false).body())
                .path("watching").asBoolean(false));
        assertThat(list.path("vips").get(0).path("holder").asString()).isEqualTo("solo");
        assertThat(list.path("vips").get(0).path("role").asString()).isEqualTo("OWNER");
        String metrics = call("GET", "/actuator/prometheus", null, false).body();
        assertThat(metrics).contains("neighd_vip_owner{address=\"10.0.0.100\"} 1");
    }

    @Test
    void addHandOverAndRemoveThroughTheApiKeptInTheStateFile() throws Exception {
        HttpResponse<String> r = call("POST", "/api/v1/vips", "{\"address\":\"10.0.0.101/24\",\"interface\":\"nd0\"}", true);
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(Files.readString(dir.resolve("state.json"))).contains("10.0.0.101/24");
        await().atMost(Duration.ofSeconds(10)).until(() -> vip("10.0.0.101").path("answering").asBoolean(false));

        assertThat(call("POST", "/api/v1/vips", "{\"address\":\"10.0.0.101/24\"}", true).body()).contains("vip-exists");
        assertThat(call("POST", "/api/v1/vips", "{\"address\":\"10.0.0.1/24\"}", true).body()).contains("vip-exists");
        assertThat(call("POST", "/api/v1/vips", "{\"address\":\"10.0.0.102\"}", true).statusCode()).isEqualTo(400);
        assertThat(call("POST", "/api/v1/vips", "{\"address\":\"10.0.0.102/24\"}", false).statusCode()).isEqualTo(401);

        r = call("POST", "/api/v1/vips/10.0.0.101/release", null, true);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("answering").asBoolean(true)).isFalse();
        assertThat(repliesFor("10.0.0.101")).isFalse();
        assertThat(call("POST", "/api/v1/vips/10.0.0.101/release", null, true).body()).contains("not-owner");

        assertThat(call("DELETE", "/api/v1/vips/10.0.0.101", null, true).statusCode()).isEqualTo(204);
        assertThat(call("DELETE", "/api/v1/vips/10.0.0.101", null, true).body()).contains("no-such-vip");
        assertThat(Files.readString(dir.resolve("state.json"))).contains("\"del\"");
    }

    double conflicts() throws Exception {
        String m = call("GET", "/actuator/prometheus", null, false).body();
        java.util.regex.Matcher x = java.util.regex.Pattern
                .compile("neighd_address_conflicts_total\\{interface=\"nd0\"} (\\S+)").matcher(m);
        return x.find() ? Double.parseDouble(x.group(1)) : 0;
    }

    @Test
    void anotherMacAdvertisingOurElectedIpv6AddressIsCountedAndDefendedWithAnUnsolicitedNa() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> vip("fd77::55").path("answering").asBoolean(false));
        double before = conflicts();
        nd0.clearSent();
        nd0.inject(io.neighd.testkit.Nd6.na(OTHER, "fd77::55", "ff02::1", "fd77::55", io.neighd.testkit.Nd6.O,
                OTHER.bits(), null));
        await().atMost(Duration.ofSeconds(5)).until(() -> conflicts() > before);
        await().atMost(Duration.ofSeconds(5)).until(() -> nd0.sent().stream().map(io.neighd.testkit.Nd6::parse)
                .anyMatch(na -> na != null && na.type() == io.neighd.wire.Icmpv6.NEIGHBOUR_ADVERTISEMENT
                        && na.target().toString().equals("fd77::55") && na.dst().toString().equals("ff02::1")
                        && na.flags() == io.neighd.testkit.Nd6.O && na.lladdrOption() == OUR_MAC.bits()));
        // still ours: the store is the arbiter, not the wire
        assertThat(vip("fd77::55").path("answering").asBoolean()).isTrue();
    }

    @Test
    void anotherMacClaimingOurAddressIsCountedAndDefended() throws Exception {
        double before = conflicts();
        nd0.clearSent();
        nd0.inject(ArpMessage.request(OTHER, Ipv4Address.parse("10.0.0.1"), MacAddress.ZERO,
                Ipv4Address.parse("10.0.0.1")).toFrame(MacAddress.BROADCAST, OTHER, -1));
        await().atMost(Duration.ofSeconds(5)).until(() -> conflicts() > before);
        // the defence: one gratuitous request for 10.0.0.1 from our MAC
        assertThat(nd0.sent()).anyMatch(f -> f[21] == 1 && java.util.Arrays.equals(
                java.util.Arrays.copyOfRange(f, 28, 32), java.util.Arrays.copyOfRange(f, 38, 42))
                && f[28] == 10 && f[31] == 1);
    }
}
