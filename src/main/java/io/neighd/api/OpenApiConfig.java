package io.neighd.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI description springdoc serves at /v3/api-docs (Swagger UI at /swagger-ui.html), and
 * whose YAML is checked in as api-spec/openapi.yaml. Every 4xx/5xx response is an RFC 9457
 * problem; every write carries the bearer requirement and its 401.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfig {
    static final String BEARER = "bearer";
    private static final String PROBLEM = "Problem";

    @Bean
    OpenAPI neighdOpenApi() {
        return new OpenAPI()
                .info(new Info().title("neighd API").version("v1")
                        .description("""
                                The Linux IPv4 neighbour subsystem (ARP, NUD, proxy ARP, GC) in user space. Field \
                                names follow `ip -j -s neigh` and sysctl. Reads are open; every POST, PUT, PATCH and \
                                DELETE needs `Authorization: Bearer <token>` (neighd.api.token, environment \
                                NEIGHD_API_TOKEN; generated and logged at start when not set).

                                Errors are RFC 9457 problem details (`application/problem+json`) with a stable \
                                `type`; bad input names the `field` and the `value` at fault:

                                """ + ProblemType.DOC))
                .servers(List.of(new Server().url("/").description("this neighd")))
                .components(new Components()
                        .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("bearer").description("neighd.api.token"))
                        .addSchemas(PROBLEM, problemSchema()));
    }

    private static Schema<?> problemSchema() {
        ObjectSchema s = new ObjectSchema();
        s.setDescription("RFC 9457 problem detail");
        s.addProperty("type", new StringSchema().format("uri").example(ProblemType.BASE + "invalid-ip")
                .description("stable identifier of the problem; see the API description for the list"));
        s.addProperty("title", new StringSchema().example("Invalid IPv4 address"));
        s.addProperty("status", new IntegerSchema().example(400));
        s.addProperty("detail", new StringSchema()
                .example("dst: invalid IPv4 address '10.0.0.256' (expected: dotted quad like 10.0.0.1)"));
        s.addProperty("instance", new StringSchema().format("uri-reference").example("/api/v1/neighbours"));
        s.addProperty("field", new StringSchema().example("dst")
                .description("the request field, path or query parameter at fault, for bad input"));
        s.addProperty("value", new Schema<>().example("10.0.0.256").description("the rejected value, when given"));
        return s;
    }

    @Bean
    OpenApiCustomizer problemsAndSecurity() {
        return api -> {
            if (api.getTags() != null) {
                // controller registration order is not part of the contract
                api.getTags().sort(Comparator.comparing(io.swagger.v3.oas.models.tags.Tag::getName));
            }
            if (api.getPaths() == null) {
                return;
            }
            api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
                ApiResponses responses = op.getResponses() == null ? new ApiResponses() : op.getResponses();
                op.setResponses(responses);
                if (method != PathItem.HttpMethod.GET && method != PathItem.HttpMethod.HEAD
                        && method != PathItem.HttpMethod.OPTIONS) {
                    op.addSecurityItem(new SecurityRequirement().addList(BEARER));
                    responses.putIfAbsent("401", new ApiResponse().description("`unauthorized`: no or a wrong "
                            + "bearer token; nothing was changed"));
                }
                if (op.getRequestBody() != null) {
                    responses.putIfAbsent("413", new ApiResponse().description("`payload-too-large`: the body is "
                            + "beyond neighd.api.max-request-body (default 16MB); nothing was changed"));
                }
                responses.putIfAbsent("503", new ApiResponse().description("`engine-unavailable`: the engine "
                        + "thread did not answer in time"));
                responses.forEach((code, r) -> {
                    if (isError(code)) {
                        r.setContent(new Content().addMediaType(
                                org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
                    }
                });
                sortResponses(op);
            }));
        };
    }

    private static boolean isError(String code) {
        return code.length() == 3 && (code.charAt(0) == '4' || code.charAt(0) == '5');
    }

    private static void sortResponses(Operation op) {
        ApiResponses sorted = new ApiResponses();
        op.getResponses().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> sorted.addApiResponse(e.getKey(), e.getValue()));
        op.setResponses(sorted);
    }
}
