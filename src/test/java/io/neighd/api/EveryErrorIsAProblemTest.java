package io.neighd.api;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every error the service can answer is an RFC 9457 problem in the contract's format, whoever
 * raises it: Spring MVC, Spring Security's firewall, Spring Boot's error page, or Tomcat itself
 * before any servlet runs (a request line it cannot decode, headers beyond its limit). None says
 * what neighd is built of: no exception class, no stack, no server banner.
 *
 * <pre>
 * | request                                   | raised by                  | status | type               |
 * |-------------------------------------------|----------------------------|--------|--------------------|
 * | GET /api/v1/neighbours;x                  | Spring Security firewall   | 400    | invalid-request    |
 * | GET /api/v1/neighbours/nd0/..%2f..%2fetc  | Spring Security firewall   | 400    | invalid-request    |
 * | GET /api/v1/%                             | Tomcat (bad URI encoding)  | 400    | invalid-request    |
 * | GET /api/v1/neighbours with a 64 KiB header | Tomcat (header too large)| 400    | invalid-request    |
 * | GET /error                                | Spring Boot's error page   | 404    | not-found          |
 * | TRACE /api/v1/neighbours                  | Tomcat (TRACE disallowed)  | 405    | method-not-allowed |
 * | GET /api/v1/neighbours, Accept: text/html | Spring MVC                 | 406    | not-acceptable     |
 * | CONNECT /api/v1/stats (fuzzer: was 500)   | Tomcat (501)               | 405    | method-not-allowed |
 * | GET /api/v1/neighbours?state=% (fuzzer: was 500) | Tomcat's parameter decoding | 400 | invalid-request |
 * | POST multipart/form-data (fuzzer: was 500) | Spring's multipart parsing | 415   | unsupported-media-type |
 * </pre>
 */
class EveryErrorIsAProblemTest extends RunningNeighd {
    private RawHttp raw;

    @BeforeEach
    void rawClient() {
        raw = new RawHttp(port);
    }

    static Stream<Arguments> requests() {
        String big = "X-Filler: " + "a".repeat(64 * 1024) + "\r\n";
        return Stream.of(
                Arguments.of("firewall: semicolon", RawHttp.request("GET", "/api/v1/neighbours;x", null, null), 400,
                        "invalid-request"),
                Arguments.of("firewall: encoded slash", RawHttp.request("GET",
                        "/api/v1/neighbours/nd0/..%2f..%2fetc", null, null), 400, "invalid-request"),
                Arguments.of("firewall: encoded percent", RawHttp.request("GET", "/api/v1/neighbours/%25", null,
                        null), 400, "invalid-request"),
                Arguments.of("tomcat: bad encoding", RawHttp.request("GET", "/api/v1/%", null, null), 400,
                        "invalid-request"),
                Arguments.of("tomcat: header too large", RawHttp.request("GET", "/api/v1/neighbours", big, null), 400,
                        "invalid-request"),
                Arguments.of("spring boot: /error", RawHttp.request("GET", "/error", null, null), 404, "not-found"),
                Arguments.of("tomcat: TRACE", RawHttp.request("TRACE", "/api/v1/neighbours", null, null), 405,
                        "method-not-allowed"),
                Arguments.of("mvc: not acceptable", RawHttp.request("GET", "/api/v1/neighbours", "Accept: text/html",
                        null), 406, "not-acceptable"),
                Arguments.of("tomcat: CONNECT", RawHttp.request("CONNECT", "/api/v1/stats", null, null), 405,
                        "method-not-allowed"),
                Arguments.of("tomcat: undecodable query", RawHttp.request("GET", "/api/v1/neighbours?state=%", null,
                        null), 400, "invalid-request"),
                Arguments.of("multipart body", RawHttp.request("POST", "/api/v1/neighbours", "Authorization: Bearer "
                        + TOKEN + "\r\nContent-Type: multipart/form-data; boundary=x", "--x\r\n\r\n--x--"), 415,
                        "unsupported-media-type"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void isAProblemWithoutInternals(String what, String request, int status, String type) {
        RawHttp.Response r = raw.send(request);

        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).as(r.toString()).startsWith("application/problem+json");
        assertThat(r.json().path("type").asString()).isEqualTo("https://neighd.io/problems/" + type);
        assertThat(r.json().path("status").asInt()).isEqualTo(status);
        assertThat(r.json().path("title").asString()).isNotBlank();
        assertThat(r.json().path("detail").asString()).isNotBlank();
        assertThat(r.text()).as("no internals").doesNotContain("Exception", "Tomcat", "at org.", "at io.",
                "springframework", "trace");
    }
}
