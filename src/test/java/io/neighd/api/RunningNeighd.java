package io.neighd.api;

import io.neighd.link.MemoryLink;
import io.neighd.service.EngineRuntime;
import io.neighd.service.StateStore;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Path;

/**
 * The whole service on a random port over a memory link {@code nd0} (02:aa:00:00:00:01,
 * 10.77.0.1/24, a static route 10.88.0.0/24 via 10.77.0.254), its state file in a temporary
 * directory, with the test playing the hosts on the link. Subclasses share the one context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "neighd.interfaces[0].name=nd0",
        "neighd.interfaces[0].memory=true",
        "neighd.interfaces[0].mac=02:aa:00:00:00:01",
        "neighd.interfaces[0].addresses[0]=10.77.0.1/24",
        "neighd.routes[0]=10.88.0.0/24 via 10.77.0.254 dev nd0",
        "neighd.api.token=" + RunningNeighd.TOKEN})
abstract class RunningNeighd {
    static final String TOKEN = "full-test-token-0123";
    static final Path STATE = TempDirs.create("neighd-api-test").resolve("state.json");

    @LocalServerPort
    int port;

    @Autowired
    EngineRuntime service;

    ApiClient api;
    Peers peers;

    @DynamicPropertySource
    static void stateFile(DynamicPropertyRegistry r) {
        r.add("neighd.state-file", STATE::toString);
    }

    @BeforeEach
    void connect() {
        api = new ApiClient(port, TOKEN);
        peers = Peers.on(link())
                .host("10.77.0.2", "02:bb:00:00:00:02")
                .host("10.77.0.254", "02:bb:00:00:00:fe");
    }

    MemoryLink link() {
        return (MemoryLink) service.links().get("nd0");
    }

    /** The state file as a restart would read it. */
    static StateStore.State stateFile() {
        return new StateStore(STATE).load();
    }
}
