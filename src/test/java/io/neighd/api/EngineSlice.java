package io.neighd.api;

import io.neighd.neighbour.NudState;
import io.neighd.config.NeighdProperties;
import io.neighd.link.MemoryLink;
import io.neighd.service.DiagnosticsService;
import io.neighd.service.EngineAccess;
import io.neighd.service.EventHub;
import io.neighd.service.NeighbourDumps;
import io.neighd.service.NeighbourService;
import io.neighd.service.EngineRuntime;
import io.neighd.service.NetworkService;
import io.neighd.service.ScanService;
import io.neighd.service.ServiceConfiguration;
import io.neighd.service.StateStore;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a controller slice runs on: the real service layer and a real engine over a memory link
 * {@code nd0} (02:aa:00:00:00:01, 10.77.0.1/24), the API's security, and a state file in a
 * temporary directory. Only what a user cannot bring about (a full table, a stalled engine) is
 * faked, in the tests that need it.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import({ServiceConfiguration.class, EngineAccess.class, NeighbourService.class, NeighbourDumps.class, NetworkService.class,
        DiagnosticsService.class, EventHub.class, ScanService.class,
        RequestLimits.class, PendingWaits.class,
        ApiSecurity.class})
class EngineSlice {
    static final String TOKEN = "slice-token-0123456789";
    static final String BEARER = "Bearer " + TOKEN;

    @Bean
    NeighdProperties neighdProperties() {
        return new NeighdProperties(
                List.of(new NeighdProperties.InterfaceProperties("nd0", List.of("10.77.0.1/24"), "02:aa:00:00:00:01",
                        null, null, null, true, null, 7, null)),
                List.of("10.88.0.0/24 via 10.77.0.254 dev nd0"), null, Map.of(),
                TempDirs.create("neighd-slice").resolve("state.json"), new NeighdProperties.Api(TOKEN), 250,
                new NeighdProperties.Events(16));
    }

    /** No entries and an empty state file: what each test of the table starts from. */
    static void emptyTable(EngineRuntime service) throws Exception {
        service.loop().submit(nl -> nl.neighFlush(null, NudState.MASK_ALL)).get(5, TimeUnit.SECONDS);
        service.state().update(s -> StateStore.State.empty());
    }

    static MemoryLink link(EngineRuntime service) {
        return (MemoryLink) service.links().get("nd0");
    }
}
