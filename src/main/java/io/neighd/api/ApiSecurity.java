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
import org.springframework.security.web.firewall.RequestRejectedHandler;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * Writes are safe by default: reads (GET, HEAD, OPTIONS: the table, the event stream, the
 * actuator's health, info and prometheus) are open; every POST, PUT, PATCH and DELETE needs
 * {@code Authorization: Bearer <neighd.api.token>}. Spring Security's bearer-token filter does the
 * work, with an introspector that compares the token in constant time; without a configured token
 * one is generated and logged once, as Spring Security does with its generated password. A refused
 * request gets a 401 problem detail and changes nothing.
 */
@Configuration(proxyBeanMethods = false)
class ApiSecurity {
    private static final Logger log = LoggerFactory.getLogger(ApiSecurity.class);

    /** The token writes need. */
    static final class ApiToken implements OpaqueTokenIntrospector {
        private final byte[] token;

        ApiToken(String token) {
            this.token = token.getBytes(StandardCharsets.UTF_8);
        }

        static ApiToken from(NeighdProperties props) {
            String configured = props.api().token();
            if (configured != null) {
                return new ApiToken(configured);
            }
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            log.warn("\n\nUsing generated API token: {}\n\nWrites (POST, PUT, PATCH, DELETE) need "
                    + "'Authorization: Bearer <token>'. This token changes at every start: set neighd.api.token "
                    + "(environment NEIGHD_API_TOKEN) to keep one.\n", generated);
            return new ApiToken(generated);
        }

        @Override
        public OAuth2AuthenticatedPrincipal introspect(String presented) {
            if (!MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8))) {
                throw new BadOpaqueTokenException("the bearer token is not neighd's API token");
            }
            return new OAuth2IntrospectionAuthenticatedPrincipal("neighd-api", Map.of("sub", "neighd-api"),
                    AuthorityUtils.createAuthorityList("ROLE_ADMIN"));
        }
    }

    @Bean
    ApiToken apiToken(NeighdProperties props) {
        return ApiToken.from(props);
    }

    @Bean
    SecurityFilterChain apiSecurityFilterChain(HttpSecurity http, ApiToken token) throws Exception {
        AuthenticationEntryPoint entryPoint = problemEntryPoint();
        DefaultBearerTokenResolver bearer = new DefaultBearerTokenResolver();
        // reads ignore the header altogether: a stale token in a dashboard must not break them
        BearerTokenResolver writesOnly = request -> isRead(request) ? null : bearer.resolve(request);
        http.csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(c -> c.disable())
                .authorizeHttpRequests(a -> a
                        .dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC).permitAll()
                        .requestMatchers(HttpMethod.GET).permitAll()
                        .requestMatchers(HttpMethod.HEAD).permitAll()
                        .requestMatchers(HttpMethod.OPTIONS).permitAll()
                        .anyRequest().authenticated())
                .oauth2ResourceServer(rs -> rs
                        .bearerTokenResolver(writesOnly)
                        .opaqueToken(o -> o.introspector(token))
                        .authenticationEntryPoint(entryPoint))
                .exceptionHandling(e -> e.authenticationEntryPoint(entryPoint));
        return http.build();
    }

    private static boolean isRead(HttpServletRequest request) {
        String m = request.getMethod();
        return "GET".equals(m) || "HEAD".equals(m) || "OPTIONS".equals(m);
    }

    /** 401 with WWW-Authenticate (RFC 6750) and an RFC 9457 body. */
    private static AuthenticationEntryPoint problemEntryPoint() {
        BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
        return (request, response, authException) -> {
            bearer.commence(request, response, authException);
            boolean presented = request.getHeader("Authorization") != null;
            ProblemJson.write(response, request.getMethod(), ProblemType.UNAUTHORIZED, presented
                    ? "the Authorization header does not carry neighd's API token: nothing was changed"
                    : request.getMethod() + " needs 'Authorization: Bearer <token>' (neighd.api.token, environment "
                    + "NEIGHD_API_TOKEN): nothing was changed", request.getRequestURI(), "Authorization");
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
