package io.neighd.api;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a separate management port (where the chart serves probes and metrics) errors are problems
 * too, from the actuator's child context and from its Tomcat; the child's pages stay out of the
 * API's context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        "neighd.interfaces[0].name=nd0",
        "neighd.interfaces[0].memory=true",
        "neighd.interfaces[0].mac=02:aa:00:00:00:01",
        "neighd.interfaces[0].addresses[0]=10.77.0.1/24",
        "neighd.state-file=",
        "neighd.api.token=management-test-token-0123"})
class ManagementPortProblemsTest {
    @LocalManagementPort
    int managementPort;

    @Autowired
    ApplicationContext context;

    @Test
    void errorsOnTheManagementPortAreProblems() {
        RawHttp raw = new RawHttp(managementPort);
        assertProblem(raw.send(RawHttp.request("GET", "/actuator/nothing", null, null)), 404, "not-found");
        assertProblem(raw.send(RawHttp.request("GET", "/error", null, null)), 404, "not-found");
        assertProblem(raw.send(RawHttp.request("GET", "/actuator/%", null, null)), 400, "invalid-request");
        assertProblem(raw.send(RawHttp.request("GET", "/actuator/health;x", null, null)), 400, "invalid-request");
        assertThat(raw.send(RawHttp.request("GET", "/actuator/health/liveness", null, null)).status()).isEqualTo(200);
    }

    @Test
    void theManagementContextsPagesAreNotInTheApisContext() {
        assertThat(context.containsBean("managementProblemErrorFilter")).isFalse();
        assertThat(context.containsBean("problemErrorFilter")).isTrue();
    }

    private static void assertProblem(RawHttp.Response r, int status, String type) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).as(r.toString()).startsWith("application/problem+json");
        assertThat(r.json().path("type").asString()).as(r.toString()).isEqualTo("https://neighd.io/problems/" + type);
        assertThat(r.text()).doesNotContain("Exception", "Tomcat", "timestamp");
    }
}
