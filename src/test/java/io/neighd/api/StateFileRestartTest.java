package io.neighd.api;

import io.neighd.NeighdApplication;
import io.neighd.link.MemoryLink;
import io.neighd.service.EngineRuntime;
import io.neighd.service.NeighdStartupException;
import io.neighd.service.StartupFailures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Administrative state survives a restart: two application contexts, one after the other, on
 * the same state file. What was added through the API as PERMANENT/NOARP, proxy entries, owned
 * addresses, routes and knobs come back on top of the configuration; learned entries and what was
 * deleted do not. A corrupt file stops start-up with a message naming it.
 */
class StateFileRestartTest {
    private static final String TOKEN = "restart-token-0123456";

    @TempDir
    Path dir;

    private ConfigurableApplicationContext start(Path state) {
        return new SpringApplicationBuilder(NeighdApplication.class).run(
                "--server.port=0",
                "--spring.main.banner-mode=off",
                "--neighd.interfaces[0].name=nd0",
                "--neighd.interfaces[0].memory=true",
                "--neighd.interfaces[0].mac=02:aa:00:00:00:01",
                "--neighd.interfaces[0].addresses[0]=10.77.0.1/24",
                "--neighd.routes[0]=10.88.0.0/24 via 10.77.0.254 dev nd0",
                "--neighd.api.token=" + TOKEN,
                "--neighd.state-file=" + state);
    }

    private static ApiClient api(ConfigurableApplicationContext ctx) {
        return new ApiClient(Integer.parseInt(ctx.getEnvironment().getProperty("local.server.port")), TOKEN);
    }

    @Test
    void administrativeChangesComeBackAfterARestart() {
        Path state = dir.resolve("state.json");
        try (ConfigurableApplicationContext first = start(state)) {
            ApiClient api = api(first);
            Peers.on((MemoryLink) first.getBean(EngineRuntime.class).links().get("nd0"))
                    .host("10.77.0.2", "02:bb:00:00:00:02");
            assertThat(api.post("/api/v1/neighbours",
                    "{\"dst\":\"10.77.0.9\",\"dev\":\"nd0\",\"lladdr\":\"02:bb:00:00:00:09\",\"router\":true}").status())
                    .isEqualTo(201);
            assertThat(api.post("/api/v1/neighbours",
                    "{\"dst\":\"10.77.0.10\",\"dev\":\"nd0\",\"lladdr\":\"02:bb:00:00:00:0a\",\"state\":\"noarp\"}")
                    .status()).isEqualTo(201);
            assertThat(api.post("/api/v1/neighbours",
                    "{\"dst\":\"10.77.0.11\",\"dev\":\"nd0\",\"lladdr\":\"02:bb:00:00:00:0b\"}").status()).isEqualTo(201);
            assertThat(api.delete("/api/v1/neighbours/nd0/10.77.0.11").status()).isEqualTo(204);
            assertThat(api.post("/api/v1/neighbours/nd0/10.77.0.2/resolve", null).status()).isEqualTo(200);
            assertThat(api.post("/api/v1/proxy-neighbours", "{\"dst\":\"10.77.0.50\",\"dev\":\"nd0\"}").status())
                    .isEqualTo(201);
            assertThat(api.post("/api/v1/interfaces/nd0/addresses", "{\"address\":\"10.66.0.1/24\"}").status())
                    .isEqualTo(201);
            assertThat(api.post("/api/v1/routes", "{\"route\":\"10.99.0.0/24 via 10.66.0.254\"}").status())
                    .isEqualTo(201);
            assertThat(api.delete("/api/v1/routes?dst=10.88.0.0/24").status()).isEqualTo(200);
            assertThat(api.patch("/api/v1/sysctl", "{\"net.ipv4.conf.nd0.arp_ignore\": 1, "
                    + "\"net.ipv4.neigh.nd0.base_reachable_time_ms\": 15000}").status()).isEqualTo(200);
        }

        try (ConfigurableApplicationContext second = start(state)) {
            ApiClient api = api(second);
            JsonNode table = api.get("/api/v1/neighbours?state=all&family=inet").json();
            assertThat(table).extracting(n -> n.path("dst").asString() + " " + n.path("lladdr").asString() + " "
                    + n.path("state").path(0).asString() + " " + n.path("router").asBoolean())
                    .containsExactly("10.77.0.9 02:bb:00:00:00:09 PERMANENT true",
                            "10.77.0.10 02:bb:00:00:00:0a NOARP false");
            assertThat(api.get("/api/v1/proxy-neighbours").json()).extracting(p -> p.path("dst").asString())
                    .containsExactly("10.77.0.50");
            assertThat(api.get("/api/v1/interfaces/nd0").json().path("addresses"))
                    .filteredOn(a -> a.path("family").asString().equals("inet"))
                    .extracting(a -> a.path("local").asString()).containsExactly("10.77.0.1", "10.66.0.1");
            assertThat(api.get("/api/v1/routes").json()).extracting(r -> r.path("dst").asString())
                    .contains("10.99.0.0/24").doesNotContain("10.88.0.0/24");
            assertThat(api.get("/api/v1/sysctl?prefix=net.ipv4.conf.nd0.arp_ignore").json().path(0).path("value")
                    .asInt()).isEqualTo(1);
            assertThat(api.get("/api/v1/sysctl?prefix=net.ipv4.neigh.nd0.base_reachable_time_ms").json().path(0)
                    .path("value").asInt()).isEqualTo(15000);
        }
    }

    @Test
    void aCorruptStateFileStopsStartUpNamingTheFile() throws Exception {
        Path state = dir.resolve("corrupt.json");
        Files.writeString(state, "{\"version\":1,\"neighbours\":[{\"dev\":\"nd0\",", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> start(state).close())
                .hasCauseInstanceOf(NeighdStartupException.class)
                .satisfies(t -> assertThat(StartupFailures.oneLine(t)).contains(state.toString()).contains("corrupt"));
    }
}
