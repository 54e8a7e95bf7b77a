package io.neighd.api;

import io.neighd.config.NeighdProperties;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionAuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * Writes are safe by default: every POST, PUT, PATCH and DELETE needs
 * {@code Authorization: Bearer <neighd.api.token>}. Reads (GET, HEAD: the table, the event
 * stream, the OpenAPI description, the actuator) are open, unless {@code neighd.api.read-token}
 * is set: then they need that read-only token or the write token, and only the kubelet's health
 * probes stay open. Spring Security's bearer-token filter does the work, with an introspector
 * that compares tokens in constant time; without a configured write token one is generated and
 * logged once, as Spring Security does with its generated password. A refused request gets a 401
 * (no or a wrong token) or 403 (the read token on a write) problem and changes nothing.
 */
@Configuration(proxyBeanMethods = false)
class ApiSecurity {
    private static final Logger log = LoggerFactory.getLogger(ApiSecurity.class);

    /** The token writes need and, if reads need one, the read-only token. */
    static final class ApiToken implements OpaqueTokenIntrospector {
        private final byte[] token;
        private final byte[] readToken;

        ApiToken(String token, String readToken) {
            this.token = token.getBytes(StandardCharsets.UTF_8);
            this.readToken = readToken == null ? null : readToken.getBytes(StandardCharsets.UTF_8);
        }

        ApiToken(String token) {
            this(token, null);
        }

        /** Whether reads need a token. */
        boolean readsNeedToken() {
            return readToken != null;
        }

        static ApiToken from(NeighdProperties props) {
            String configured = props.api().token();
            String read = props.api().readToken();
            if (configured != null) {
                return new ApiToken(configured, read);
            }
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            log.warn("\n\nUsing generated API token: {}\n\nWrites (POST, PUT, PATCH, DELETE) need "
                    + "'Authorization: Bearer <token>'. This token changes at every start: set neighd.api.token "
                    + "(environment NEIGHD_API_TOKEN) to keep one.\n", generated);
            return new ApiToken(generated, read);
        }

        @Override
        public OAuth2AuthenticatedPrincipal introspect(String presented) {
            byte[] p = presented.getBytes(StandardCharsets.UTF_8);
            // both compared, in constant time, whichever matches
            boolean write = MessageDigest.isEqual(token, p);
            boolean read = readToken != null && MessageDigest.isEqual(readToken, p);
            if (write) {
                return new OAuth2IntrospectionAuthenticatedPrincipal("neighd-api", Map.of("sub", "neighd-api"),
                        AuthorityUtils.createAuthorityList(ROLE_WRITE, ROLE_READ));
            }
            if (read) {
                return new OAuth2IntrospectionAuthenticatedPrincipal("neighd-api-read", Map.of("sub", "neighd-api-read"),
                        AuthorityUtils.createAuthorityList(ROLE_READ));
            }
            throw new BadOpaqueTokenException("the bearer token is not one of neighd's API tokens");
        }
    }

    static final String ROLE_WRITE = "ROLE_ADMIN";
    static final String ROLE_READ = "ROLE_READ";
    /** The kubelet's probes carry no token: open whatever reads need. */
    private static final String[] PROBES = {"/actuator/health", "/actuator/health/**"};

    @Bean
    ApiToken apiToken(NeighdProperties props) {
        return ApiToken.from(props);
    }

    @Bean
    SecurityFilterChain apiSecurityFilterChain(HttpSecurity http, ApiToken token) throws Exception {
        AuthenticationEntryPoint entryPoint = problemEntryPoint(token.readsNeedToken());
        DefaultBearerTokenResolver bearer = new DefaultBearerTokenResolver();
        // with open reads, reads ignore the header altogether: a stale token in a dashboard must not break them
        BearerTokenResolver resolver = token.readsNeedToken() ? bearer
                : request -> isRead(request) ? null : bearer.resolve(request);
        http.csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(c -> c.disable())
                .authorizeHttpRequests(a -> {
                    a.dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC).permitAll()
                            .requestMatchers(HttpMethod.OPTIONS).permitAll();
                    if (token.readsNeedToken()) {
                        a.requestMatchers(HttpMethod.GET, PROBES).permitAll()
                                .requestMatchers(HttpMethod.HEAD, PROBES).permitAll()
                                .requestMatchers(HttpMethod.GET).hasAuthority(ROLE_READ)
                                .requestMatchers(HttpMethod.HEAD).hasAuthority(ROLE_READ);
                    } else {
                        a.requestMatchers(HttpMethod.GET).permitAll()
                                .requestMatchers(HttpMethod.HEAD).permitAll();
                    }
                    a.anyRequest().hasAuthority(ROLE_WRITE);
                })
                .oauth2ResourceServer(rs -> rs
                        .bearerTokenResolver(resolver)
                        .opaqueToken(o -> o.introspector(token))
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(problemAccessDenied()))
                .exceptionHandling(e -> e.authenticationEntryPoint(entryPoint).accessDeniedHandler(problemAccessDenied()));
        return http.build();
    }

    /** 403: a valid token that may not do this (the read token on a write). */
    private static AccessDeniedHandler problemAccessDenied() {
        return (request, response, denied) -> ProblemJson.write(response, request.getMethod(), ProblemType.FORBIDDEN,
                request.getMethod() + " needs the write token (neighd.api.token); the token presented is the read-only "
                + "one: nothing was changed", request.getRequestURI(), "Authorization");
    }

    private static boolean isRead(HttpServletRequest request) {
        String m = request.getMethod();
        return "GET".equals(m) || "HEAD".equals(m) || "OPTIONS".equals(m);
    }

    /** 401 with WWW-Authenticate (RFC 6750) and an RFC 9457 body. */
    private static AuthenticationEntryPoint problemEntryPoint(boolean readsNeedToken) {
        BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
        return (request, response, authException) -> {
            bearer.commence(request, response, authException);
            boolean presented = request.getHeader("Authorization") != null;
            String tokens = isRead(request) && readsNeedToken
                    ? "neighd.api.read-token or neighd.api.token, environment NEIGHD_API_READ_TOKEN or NEIGHD_API_TOKEN"
                    : "neighd.api.token, environment NEIGHD_API_TOKEN";
            ProblemJson.write(response, request.getMethod(), ProblemType.UNAUTHORIZED, presented
                    ? "the Authorization header does not carry one of neighd's API tokens: nothing was done"
                    : request.getMethod() + " needs 'Authorization: Bearer <token>' (" + tokens + "): nothing was done",
                    request.getRequestURI(), "Authorization");
        };
    }

    /**
     * A request StrictHttpFirewall refuses (a ';', an encoded '/', '\', '%' or '.', '//',
     * a non-printable character in the path, an unknown method): 400 as a problem, where Spring
     * Security would send a bare error status to the container's error page.
     */
    @Bean
    RequestRejectedHandler problemRequestRejectedHandler() {
        return (request, response, e) -> {
            log.debug("request refused by the firewall: {}", e.getMessage());
            ProblemJson.write(response, request.getMethod(), ProblemType.INVALID_REQUEST, "the request's path or "
                    + "method is one neighd refuses (a ';', an encoded '/', '\\', '%' or '.', an empty segment, a "
                    + "character that is not printable ASCII, or a method HTTP does not define): nothing was done",
                    null, null);
        };
    }
}
