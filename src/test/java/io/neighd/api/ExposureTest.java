package io.neighd.api;

import io.neighd.testkit.TlsFiles;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a node running neighd on its host network exposes, and how to narrow it: the API bound to
 * one address ({@code server.address}) and served over TLS from PEM files as a kubernetes.io/tls
 * Secret holds them (a Spring Boot SSL bundle, reloaded when they change); the management port
 * with the probes and metrics apart, in plain HTTP for the kubelet (Spring Boot gives it the
 * API's TLS unless {@code management.server.ssl.enabled=false}, as the chart sets it).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "neighd.interfaces[0].name=nd0",
        "neighd.interfaces[0].memory=true",
        "neighd.interfaces[0].mac=02:aa:00:00:00:01",
        "neighd.interfaces[0].addresses[0]=10.77.0.1/24",
        "neighd.state-file=",
        "neighd.api.token=exposure-token-0123456",
        "server.address=127.0.0.1",
        "server.ssl.bundle=server",
        "spring.ssl.bundle.pem.server.reload-on-update=true",
        "management.server.port=0",
        "management.server.address=127.0.0.1",
        "management.server.ssl.enabled=false"})
class ExposureTest {
    static final Path TLS = TlsFiles.create(TempDirs.create("neighd-tls"));

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @DynamicPropertySource
    static void certificate(DynamicPropertyRegistry r) {
        r.add("spring.ssl.bundle.pem.server.keystore.certificate", () -> "file:" + TLS.resolve("tls.crt"));
        r.add("spring.ssl.bundle.pem.server.keystore.private-key", () -> "file:" + TLS.resolve("tls.key"));
    }

    @Test
    void theApiIsServedOverTlsWithTheSecretsCertificate() throws Exception {
        HttpClient https = HttpClient.newBuilder().sslContext(TlsFiles.trusting(TLS))
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port
                + "/api/v1/interfaces")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"name\":\"nd0\"");

        HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port
                + "/api/v1/interfaces")).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }

    @Test
    void theProbesAndMetricsStayPlainHttpOnTheManagementPort() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                + "/actuator/health/liveness")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void nothingListensOnTheNodesOtherAddresses() throws Exception {
        Optional<InetAddress> other = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (java.net.SocketException e) {
                        return false;
                    }
                })
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address).findFirst();
        assumeTrue(other.isPresent(), "this machine has no non-loopback IPv4 address to try");
        for (int p : new int[] {port, managementPort}) {
            try (Socket s = new Socket()) {
                assertThatThrownBy(() -> s.connect(new InetSocketAddress(other.get(), p), 2_000))
                        .as("port %d on %s", p, other.get()).isInstanceOf(ConnectException.class);
            }
        }
    }
}
