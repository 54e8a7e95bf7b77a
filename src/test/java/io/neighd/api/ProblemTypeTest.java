package io.neighd.api;

import io.neighd.service.ServiceException;
import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Every service failure maps to a stable problem type; only a failure of neighd itself is a 5xx of kind 500. */
class ProblemTypeTest {
    private final ProblemHandler handler = new ProblemHandler();

    @Test
    void everyKindHasAProblemTypeAndTheStatusUsersExpect() {
        for (ServiceException.Kind k : ServiceException.Kind.values()) {
            ResponseEntity<ProblemDetail> r = handler.serviceProblem(new ServiceException(k, "why", "f", "v"));
            ProblemType t = ProblemType.of(k);
            assertThat(r.getStatusCode().value()).as(k.name()).isEqualTo(t.status().value());
            assertThat(r.getBody().getType().toString()).isEqualTo("https://neighd.io/problems/" + t.slug());
            assertThat(r.getBody().getProperties()).containsEntry("field", "f").containsEntry("value", "v");
        }
        assertThat(ProblemType.of(ServiceException.Kind.ENTRY_EXISTS).status().value()).isEqualTo(409);
        assertThat(ProblemType.of(ServiceException.Kind.NO_SUCH_ENTRY).status().value()).isEqualTo(404);
        assertThat(ProblemType.of(ServiceException.Kind.UNRESOLVED).status().value()).isEqualTo(404);
        assertThat(ProblemType.of(ServiceException.Kind.RESOLVE_TIMEOUT).status().value()).isEqualTo(504);
        assertThat(ProblemType.of(ServiceException.Kind.TABLE_FULL).status().value()).isEqualTo(507);
        assertThat(ProblemType.of(ServiceException.Kind.ENGINE_UNAVAILABLE).status().value()).isEqualTo(503);
        assertThat(ProblemType.of(ServiceException.Kind.UNKNOWN_INTERFACE).status().value()).isEqualTo(404);
    }

    @Test
    void typeUrisAreDistinct() {
        assertThat(Arrays.stream(ProblemType.values()).map(ProblemType::uri)).doesNotHaveDuplicates();
    }
}
