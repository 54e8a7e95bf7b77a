package io.neighd.api;

import io.neighd.config.NeighdProperties;
import io.neighd.neighbour.NeighSnapshot;
import io.neighd.service.NeighbourDumps;
import io.neighd.service.NeighbourService;
import io.neighd.service.ServiceException;
import io.neighd.wire.Ipv4Address;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user cannot easily bring about (a full table, a stalled engine, an unwritable state
 * file) with the service faked, and Spring MVC's own refusals: all problem details with a stable
 * type.
 */
@WebMvcTest(NeighbourController.class)
@Import({ApiSecurity.class, RequestLimits.class, PendingWaits.class, ProblemMappingTest.Fakes.class})
class ProblemMappingTest {
    /** What the fake service throws next. */
    static final AtomicReference<RuntimeException> FAILURE = new AtomicReference<>();

    @TestConfiguration(proxyBeanMethods = false)
    static class Fakes {
        @Bean
        NeighdProperties neighdProperties() {
            return new NeighdProperties(List.of(), List.of(), null, Map.of(), null, new NeighdProperties.Api("test-token-0123456789"), 250,
                    new NeighdProperties.Events(16));
        }

        @Bean
        NeighbourService failingNeighbourService() {
            return new NeighbourService(null) {
                @Override
                public Written add(String dev, io.neighd.wire.IpAddress dst, Spec spec) {
                    throw FAILURE.get();
                }
            };
        }

        @Bean
        NeighbourDumps failingDumps() {
            return new NeighbourDumps(null) {
                @Override
                public Page list(String dev, int stateMask, int family, Cursor cursor, int limit) {
                    throw FAILURE.get();
                }
            };
        }
    }

    @Autowired
    MockMvcTester mvc;

    private MvcTestResult add() {
        return mvc.post().uri("/api/v1/neighbours").header("Authorization", "Bearer test-token-0123456789")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"dst\":\"10.77.0.9\",\"dev\":\"nd0\",\"lladdr\":\"02:bb:00:00:00:09\"}").exchange();
    }

    @Test
    void aFullTableIsInsufficientStorage() {
        FAILURE.set(new ServiceException(ServiceException.Kind.TABLE_FULL, "the neighbour table is full"));
        assertThat(add()).hasStatus(HttpStatus.INSUFFICIENT_STORAGE).hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson().isLenientlyEqualTo("""
                        {"type":"https://neighd.io/problems/table-full","title":"Neighbour table full","status":507,
                         "detail":"the neighbour table is full","instance":"/api/v1/neighbours"}""");
    }

    @Test
    void aStalledEngineIsServiceUnavailable() {
        FAILURE.set(new ServiceException(ServiceException.Kind.ENGINE_UNAVAILABLE,
                "the engine did not answer within 5000 ms"));
        assertThat(mvc.get().uri("/api/v1/neighbours")).hasStatus(HttpStatus.SERVICE_UNAVAILABLE).bodyJson()
                .extractingPath("$.type").isEqualTo("https://neighd.io/problems/engine-unavailable");
    }

    @Test
    void anUnwritableStateFileSaysTheChangeWillNotSurviveARestart() {
        FAILURE.set(new ServiceException(ServiceException.Kind.STATE_NOT_SAVED, "the change was applied but not saved"));
        assertThat(add()).hasStatus(HttpStatus.INTERNAL_SERVER_ERROR).bodyJson().extractingPath("$.type")
                .isEqualTo("https://neighd.io/problems/state-not-saved");
    }

    /** A bug is logged under an incident id; the answer quotes the id, not the exception's class or message. */
    @Test
    void anUnexpectedFailureSaysNothingOfNeighdsInternals() {
        FAILURE.set(new IllegalStateException("index 7 out of bounds in io.neighd.Secret"));
        MvcTestResult r = add();
        assertThat(r).hasStatus(HttpStatus.INTERNAL_SERVER_ERROR).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(r).bodyJson().extractingPath("$.type").isEqualTo("https://neighd.io/problems/internal-error");
        assertThat(r).bodyJson().extractingPath("$.detail").asString().contains("incident")
                .doesNotContain("IllegalStateException", "out of bounds", "io.neighd");
    }

    @Test
    void springMvcRefusalsAreProblemsToo() {
        assertThat(mvc.get().uri("/api/v1/nothing-here")).hasStatus(HttpStatus.NOT_FOUND).bodyJson()
                .extractingPath("$.type").isEqualTo("https://neighd.io/problems/not-found");
        assertThat(mvc.put().uri("/api/v1/neighbours").header("Authorization", "Bearer test-token-0123456789"))
                .hasStatus(HttpStatus.METHOD_NOT_ALLOWED).bodyJson().extractingPath("$.type")
                .isEqualTo("https://neighd.io/problems/method-not-allowed");
        assertThat(mvc.post().uri("/api/v1/neighbours").header("Authorization", "Bearer test-token-0123456789")
                .contentType(MediaType.TEXT_PLAIN).content("dst=1")).hasStatus(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .bodyJson().extractingPath("$.type").isEqualTo("https://neighd.io/problems/unsupported-media-type");
        assertThat(mvc.post().uri("/api/v1/neighbours").header("Authorization", "Bearer test-token-0123456789")
                .contentType(MediaType.APPLICATION_JSON).content("[1,2")).hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson().extractingPath("$.type").isEqualTo("https://neighd.io/problems/invalid-request");
    }
}
