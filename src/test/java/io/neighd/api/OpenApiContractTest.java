package io.neighd.api;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * api-spec/openapi.yaml is the checked-in contract, generated from the running application. This
 * test fails when the served spec and the file differ (compared parsed, so key order does not
 * matter). After a deliberate API change, regenerate the file with
 *
 * <pre>./mvnw -B test -Dtest=OpenApiContractTest -Dneighd.openapi.write=true</pre>
 *
 * and review the diff. It also checks that every operation, parameter and problem type is
 * documented.
 */
class OpenApiContractTest extends RunningNeighd {
    static final Path CONTRACT = Path.of("api-spec/openapi.yaml");

    private String served() {
        ApiClient.Response r = api.withToken(null).get("/v3/api-docs.yaml");
        assertThat(r.status()).isEqualTo(200);
        return r.raw().body();
    }

    @Test
    void theServedSpecIsTheCheckedInContract() throws Exception {
        String served = served();
        if (Boolean.getBoolean("neighd.openapi.write")) {
            Files.createDirectories(CONTRACT.toAbsolutePath().getParent());
            Files.writeString(CONTRACT, "# The API contract, generated from the running application by OpenApiContractTest.\n"
                    + "# Do not edit: change the controllers, then regenerate with\n"
                    + "#   ./mvnw -B test -Dtest=OpenApiContractTest -Dneighd.openapi.write=true\n" + served,
                    StandardCharsets.UTF_8);
        }
        assertThat(CONTRACT).as("regenerate with: ./mvnw -B test -Dtest=OpenApiContractTest "
                + "-Dneighd.openapi.write=true").exists();
        Object expected = new Yaml().load(Files.readString(CONTRACT, StandardCharsets.UTF_8));
        Object actual = new Yaml().load(served);
        assertThat(actual).as("the served spec differs from %s; if the change is deliberate, "
                + "regenerate it with: ./mvnw -B test -Dtest=OpenApiContractTest -Dneighd.openapi.write=true",
                CONTRACT).isEqualTo(expected);
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyEndpointParameterAndProblemTypeIsDocumented() {
        Map<String, Object> spec = new Yaml().load(served());
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) spec.get("paths");
        List<String> operations = new ArrayList<>();
        paths.forEach((path, item) -> item.forEach((method, o) -> {
            Map<String, Object> op = (Map<String, Object>) o;
            operations.add(method.toUpperCase() + " " + path);
            assertThat((String) op.get("summary")).as(method + " " + path).isNotBlank();
            for (Object p : (List<Object>) op.getOrDefault("parameters", List.of())) {
                assertThat((String) ((Map<String, Object>) p).get("description"))
                        .as("parameter %s of %s %s", ((Map<String, Object>) p).get("name"), method, path).isNotBlank();
            }
            Map<String, Object> responses = (Map<String, Object>) op.get("responses");
            if (!method.equals("get")) {
                assertThat(responses).as(method + " " + path + " needs the token").containsKey("401");
                assertThat(op).containsKey("security");
            }
        }));
        assertThat(operations).containsExactlyInAnyOrder(
                "GET /api/v1/neighbours", "POST /api/v1/neighbours", "DELETE /api/v1/neighbours",
                "GET /api/v1/neighbours/{dev}/{ip}", "PUT /api/v1/neighbours/{dev}/{ip}",
                "PATCH /api/v1/neighbours/{dev}/{ip}", "DELETE /api/v1/neighbours/{dev}/{ip}",
                "POST /api/v1/neighbours/{dev}/{ip}/resolve", "POST /api/v1/neighbours/batch",
                "GET /api/v1/proxy-neighbours", "POST /api/v1/proxy-neighbours", "DELETE /api/v1/proxy-neighbours/{ip}",
                "GET /api/v1/interfaces", "GET /api/v1/interfaces/{dev}", "POST /api/v1/interfaces/{dev}/addresses",
                "DELETE /api/v1/interfaces/{dev}/addresses/{ip}", "POST /api/v1/interfaces/{dev}/announce",
                "GET /api/v1/routes", "POST /api/v1/routes", "DELETE /api/v1/routes",
                "GET /api/v1/sysctl", "PATCH /api/v1/sysctl", "GET /api/v1/stats", "GET /api/v1/events",
                "POST /api/v1/explain", "POST /api/v1/ping");
        String description = (String) ((Map<String, Object>) spec.get("info")).get("description");
        for (ProblemType t : ProblemType.values()) {
            assertThat(description).contains(t.uri().toString());
        }
    }
}
