package io.neighd.deploy;

import io.neighd.deploy.NeighdContainers.Exit;
import io.neighd.deploy.NeighdContainers.Runtime;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.neighd.deploy.Manifests.asMap;
import static io.neighd.deploy.Manifests.list;
import static io.neighd.deploy.NeighdContainers.API_PORT;
import static io.neighd.deploy.NeighdContainers.procStatus;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image of docker/Dockerfile under the securityContexts the chart renders (no interface
 * configured, so nothing is sent on the container's bridge network):
 *
 * <pre>
 * runtime                                                    | expected
 * -----------------------------------------------------------+--------------------------------------------
 * ci/default: uid 10001, drop ALL, add NET_RAW, read-only root | java (pid 1) holds exactly NET_RAW, healthy
 * ci/root-nnp: uid 0, NET_RAW, no_new_privs                    | java holds exactly NET_RAW
 * ci/default without NET_RAW                                   | exit 78, one line naming --cap-add NET_RAW
 * ci/default with no_new_privs (allowPrivilegeEscalation false)| exit 78, one line naming allowPrivilegeEscalation
 * ci/default's init container on a root-owned state volume     | the directory belongs to 10001:10001, mode 0750
 * ci/default, a bad address configured                         | exit 78, one line naming the property; the JVM
 *                                                              | said nothing about its class data sharing archive
 * </pre>
 *
 * <p>In every start that gets as far as java, java maps the image's AppCDS archive
 * ({@code /opt/neighd/app/neighd.jsa}, made at build time from a training start): a JVM that
 * cannot use it warns (unified logging, [cds]) and starts slowly without it.
 */
class ImageIT {
    private static final String CAP_NET_RAW_ONLY = "0000000000002000";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void nonRootWithOnlyNetRawOnAReadOnlyRootIsHealthyAndJavaHoldsNetRaw() throws Exception {
        try (GenericContainer<?> c = healthy(Runtime.ofCiCase("default"))) {
            assertThat(procStatus(c, "Uid")).isEqualTo("10001 10001 10001 10001");
            assertThat(procStatus(c, "Gid")).isEqualTo("10001 10001 10001 10001");
            assertThat(procStatus(c, "CapBnd")).isEqualTo(CAP_NET_RAW_ONLY);
            assertThat(procStatus(c, "CapPrm")).as("java's file capability took effect").isEqualTo(CAP_NET_RAW_ONLY);
            assertThat(procStatus(c, "CapEff")).isEqualTo(CAP_NET_RAW_ONLY);
            assertThat(procStatus(c, "NoNewPrivs")).isEqualTo("0");
            assertThat(c.execInContainer("cat", "/proc/1/cmdline").getStdout()).startsWith("java");
            assertThat(c.execInContainer("grep", "-c", "/opt/neighd/app/neighd.jsa", "/proc/1/maps").getStdout().strip())
                    .as("java mapped the AppCDS archive").isNotEqualTo("0");
            assertThat(c.getLogs()).doesNotContain("[cds").doesNotContain("shared archive");
            assertThat(c.getContainerInfo().getHostConfig().getReadonlyRootfs()).isTrue();
            assertThat(c.execInContainer("touch", "/opt/neighd/x").getStderr()).contains("Read-only file system");
        }
    }

    /**
     * The metallb-speaker shape of ci/root-nnp-values.yaml: root, only NET_RAW, no_new_privs. The
     * entrypoint lets it through and java holds NET_RAW (serving does not depend on the user: see above).
     */
    @Test
    void rootWithOnlyNetRawAndNoNewPrivilegesGivesJavaNetRaw() throws Exception {
        try (GenericContainer<?> c = started(NeighdContainers.neighd(Runtime.ofCiCase("root-nnp"))
                .waitingFor(Wait.forLogMessage(".*Starting NeighdApplication.*", 1).withStartupTimeout(START_TIMEOUT)))) {
            assertThat(procStatus(c, "Uid")).isEqualTo("0 0 0 0");
            assertThat(procStatus(c, "CapEff")).isEqualTo(CAP_NET_RAW_ONLY);
            assertThat(procStatus(c, "NoNewPrivs")).isEqualTo("1");
        }
    }

    @Test
    void withoutNetRawItExits78WithOneLineNamingTheFix() {
        Exit exit = NeighdContainers.runToExit(Runtime.ofCiCase("default").withoutCapabilities(), 60);

        assertThat(exit.status()).isEqualTo(78);
        assertThat(exit.stderr()).isEqualTo("neighd: CAP_NET_RAW is missing: run the container with --cap-add NET_RAW "
                + "(Kubernetes: securityContext.capabilities.add: [NET_RAW])\n");
        assertThat(exit.stdout()).isEmpty();
    }

    /** A configuration error still ends the start at once: one line, exit 78, and no word from CDS. */
    @Test
    void aBadAddressExits78WithOneLineNamingTheProperty() {
        Exit exit = NeighdContainers.runToExit(Runtime.ofCiCase("default"), 120,
                "--neighd.interfaces[0].name=eth0", "--neighd.interfaces[0].addresses[0]=10.77.0.1/33");

        assertThat(exit.status()).as("stdout: %s", exit.stdout()).isEqualTo(78);
        assertThat(exit.stderr()).startsWith("neighd: ").contains("neighd.interfaces[eth0].addresses: '10.77.0.1/33'")
                .endsWith("\n").hasLineCount(1);
        assertThat(exit.stdout() + exit.stderr()).doesNotContain("[cds").doesNotContain("shared archive");
    }

    /** allowPrivilegeEscalation: false on a non-root pod: the kernel ignores java's file capability. */
    @Test
    void nonRootUnderNoNewPrivilegesExits78WithOneLineNamingTheFix() {
        Exit exit = NeighdContainers.runToExit(Runtime.ofCiCase("default").withNoNewPrivileges(), 60);

        assertThat(exit.status()).isEqualTo(78);
        assertThat(exit.stderr()).startsWith("neighd: CAP_NET_RAW cannot reach java: no_new_privs is set")
                .contains("allowPrivilegeEscalation: true").endsWith("\n").hasLineCount(1);
    }

    /** The init container as rendered (command, securityContext) on a root-owned directory, as the kubelet creates it. */
    @Test
    void theChartsInitContainerHandsTheStateDirectoryToTheServiceUser() {
        Manifests m = Chart.template(Chart.ciCase("default").valuesFile());
        Map<String, Object> init = asMap(list(m.podSpec().get("initContainers")).get(0));
        List<String> command = list(init.get("command")).stream().map(String.class::cast).toList();
        assertThat(command).hasSize(3).startsWith("/bin/sh", "-c");
        Runtime runtime = Runtime.of(asMap(init.get("securityContext")),
                Map.of("/var/lib/neighd", "rw,noexec,nosuid,nodev,size=1m,mode=0755"));

        Exit exit = NeighdContainers.runToExit(runtime, 60, command.subList(0, 2),
                List.of(command.get(2) + " && stat -c %u:%g:%a /var/lib/neighd"));

        assertThat(exit.status()).as("stderr: %s", exit.stderr()).isZero();
        assertThat(exit.stdout()).isEqualTo("10001:10001:750\n");
    }

    /** Started with the API port published; returned once liveness and readiness answer UP. */
    private static GenericContainer<?> healthy(Runtime runtime) throws Exception {
        GenericContainer<?> c = started(NeighdContainers.neighd(runtime)
                .withExposedPorts(API_PORT)
                .waitingFor(Wait.forHttp("/actuator/health/readiness").forPort(API_PORT).forStatusCode(200)
                        .withStartupTimeout(START_TIMEOUT)));
        try {
            for (String group : new String[] {"liveness", "readiness"}) {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + c.getHost() + ":"
                        + c.getMappedPort(API_PORT) + "/actuator/health/" + group)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(group).isEqualTo(200);
                assertThat(r.body()).as(group).contains("\"status\":\"UP\"");
            }
            return c;
        } catch (Exception | AssertionError e) {
            c.stop();
            throw e;
        }
    }

    /** Without Ryuk nothing reaps a container whose start failed: it is stopped (and removed) here. */
    private static GenericContainer<?> started(GenericContainer<?> c) {
        try {
            long t0 = System.nanoTime();
            c.start();
            System.out.printf("[neighd-image] container ready %d ms after start%n", (System.nanoTime() - t0) / 1_000_000);
            return c;
        } catch (RuntimeException e) {
            c.stop();
            throw e;
        }
    }
}
