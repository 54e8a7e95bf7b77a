package io.neighd.deploy;

import io.neighd.deploy.NeighdContainers.Runtime;
import io.neighd.lab.Cmd;
import io.neighd.lab.Lab;
import io.neighd.lab.LabEnvironment;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import static io.neighd.deploy.NeighdContainers.API_PORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The image on a lab segment, as a host-network pod sees its node. Docker 20.10 cannot join a
 * named network namespace, so the pod sandbox is built the way Kubernetes builds one: a
 * {@code debian:bookworm-slim} "pause" container with {@code --network none}, whose namespace
 * is named {@code <prefix>-ct} ({@code ip netns attach}, so the lab's {@code down} removes it too)
 * and receives the lab's {@code nd0} (moved out of {@code <prefix>-nd}); neighd's container joins
 * it with {@code --network container:}. The namespace holds only {@code lo} and {@code nd0},
 * whose other end is the lab's bridge: neighd can transmit nowhere else. The API is reached from
 * inside the sandbox (bash's /dev/tcp on 127.0.0.1), as the kubelet reaches a host-network pod.
 * JAVA_OPTS is the chart's javaOpts of ci/full, which replaces the image's whole: JNA's native
 * stub (the capture and the link watch need it; /tmp is noexec) must still be found in the image.
 */
class ImageLabIT {
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void answersAKernelPeersArpingWithItsMacAndListsThePeer() throws Exception {
        LabEnvironment.require();
        String image = NeighdImage.tag();
        try (Lab lab = new Lab(1, 1)) {
            lab.up();
            String podNs = lab.ns("ct");
            try (GenericContainer<?> sandbox = sandbox()) {
                startOrRemove(sandbox);
                plugNd0Into(lab, podNs, sandbox);
                try (GenericContainer<?> neighd = NeighdContainers.neighd(Runtime.ofCiCase("default"),
                                "--neighd.interfaces[0].name=" + Lab.dev(0),
                                "--neighd.interfaces[0].addresses[0]=" + Lab.ownIp(0) + "/24")
                        .withNetworkMode("container:" + sandbox.getContainerId())
                        .withEnv("JAVA_OPTS", chartJavaOpts())
                        .waitingFor(Wait.forLogMessage(".*Started NeighdApplication.*", 1)
                                .withStartupTimeout(START_TIMEOUT))) {
                    long t0 = System.nanoTime();
                    startOrRemove(neighd);
                    System.out.printf("[neighd-image] %s started on the lab in %d ms%n", image,
                            (System.nanoTime() - t0) / 1_000_000);
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                            assertThat(http(sandbox, "/actuator/health/readiness")).contains("\"status\":\"UP\""));

                    String peer = lab.peerNs(Lab.Side.ND, 0, 1);
                    Cmd.Result arping = lab.exec(peer, "arping", "-c", "2", "-w", "5", "-I", "eth0", Lab.ownIp(0));

                    assertThat(arping.rc()).as("arping from the peer:%n%s", arping.out()).isZero();
                    assertThat(arping.out().toLowerCase(Locale.ROOT))
                            .contains("reply from " + Lab.ownIp(0) + " [" + Lab.portMac(0) + "]");
                    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                            assertThat(neighbours(sandbox)).anySatisfy(n -> {
                                assertThat(n.path("dst").asString()).isEqualTo(Lab.peerIp(0, 1));
                                assertThat(n.path("dev").asString()).isEqualTo(Lab.dev(0));
                                assertThat(n.path("lladdr").asString()).isEqualTo(Lab.peerMac(0, 1));
                            }));
                }
            }
        }
    }

    /** JAVA_OPTS as the chart sets it from ci/full-values.yaml's javaOpts. */
    private static String chartJavaOpts() {
        Manifests m = Chart.template(Chart.ciCase("full").valuesFile());
        return Manifests.list(m.container().get("env")).stream().map(Manifests::asMap)
                .filter(e -> "JAVA_OPTS".equals(e.get("name"))).map(e -> String.valueOf(e.get("value")))
                .findFirst().orElseThrow(() -> new AssertionError("ci/full sets no JAVA_OPTS"));
    }

    /** The pod sandbox: no network of its own, no capabilities, asleep. */
    @SuppressWarnings("resource")
    private static GenericContainer<?> sandbox() {
        return new GenericContainer<>(DockerImageName.parse("debian:bookworm-slim"))
                .withCommand("sleep", "infinity")
                .withNetworkMode("none")
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                        .withCapDrop(com.github.dockerjava.api.model.Capability.ALL).withReadonlyRootfs(true));
    }

    /** Names the sandbox's namespace in the lab and moves nd0 (ARP off, IPv6 off) into it. */
    private static void plugNd0Into(Lab lab, String podNs, GenericContainer<?> sandbox) {
        long pid = sandbox.getContainerInfo().getState().getPidLong();
        Cmd.run(Lab.CMD_TIMEOUT, List.of("ip", "netns", "attach", podNs, String.valueOf(pid))).orFail();
        lab.exec(podNs, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1",
                "net.ipv6.conf.default.disable_ipv6=1").orFail();
        lab.ip(lab.ndNs(), "link", "set", Lab.dev(0), "netns", podNs);
        lab.ip(podNs, "link", "set", Lab.dev(0), "arp", "off", "up");
        assertThat(lab.ip(podNs, "-br", "link", "show")).containsPattern("(?m)^" + Lab.dev(0) + "@")
                .doesNotContainPattern("(?m)^(?!lo |" + Lab.dev(0) + "@)\\S");
    }

    /** Without Ryuk nothing reaps a container whose start failed: remove it here. */
    private static void startOrRemove(GenericContainer<?> c) {
        try {
            c.start();
        } catch (RuntimeException e) {
            c.stop();
            throw e;
        }
    }

    private static List<JsonNode> neighbours(GenericContainer<?> sandbox) throws Exception {
        JsonNode body = JSON.readTree(http(sandbox, "/api/v1/neighbours"));
        assertThat(body.isArray()).as("GET /api/v1/neighbours: %s", body).isTrue();
        List<JsonNode> out = new java.util.ArrayList<>();
        body.forEach(out::add);
        return out;
    }

    /** GET on the pod's API port from inside the sandbox; the body of a 200, else an AssertionError. */
    private static String http(GenericContainer<?> sandbox, String path) throws Exception {
        ExecResult r = sandbox.execInContainer("bash", "-c",
                "exec 3<>/dev/tcp/127.0.0.1/" + API_PORT + " || exit 7; "
                        + "printf 'GET %s HTTP/1.0\\r\\nHost: localhost\\r\\nAccept: application/json\\r\\n\\r\\n' \"$0\" >&3; "
                        + "cat <&3", path);
        String reply = r.getStdout();
        int body = reply.indexOf("\r\n\r\n");
        if (r.getExitCode() != 0 || !reply.startsWith("HTTP/1.1 200") || body < 0) {
            throw new AssertionError("GET " + path + " in the pod: rc " + r.getExitCode() + " " + r.getStderr().strip()
                    + "\n" + reply);
        }
        return reply.substring(body + 4);
    }
}
