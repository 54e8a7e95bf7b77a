package io.neighd.deploy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.FrameConsumerResultCallback;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.output.ToStringConsumer;
import org.testcontainers.utility.DockerImageName;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.neighd.deploy.Manifests.asMap;
import static io.neighd.deploy.Manifests.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Containers of the neighd image run the way the chart runs the pod: the rendered
 * securityContext (for the default values: {@code --cap-drop ALL --cap-add NET_RAW
 * --read-only --user 10001:10001}), /tmp and /var/lib/neighd on tmpfs (noexec /tmp, stricter
 * than an emptyDir; /var/lib/neighd owned by the service user, as the init container leaves it).
 */
final class NeighdContainers {
    static final int API_PORT = 9797;
    static final int UID = 10001;
    static final Map<String, String> TMPFS = Map.of(
            "/tmp", "rw,noexec,nosuid,nodev,size=64m",
            "/var/lib/neighd", "rw,noexec,nosuid,nodev,size=16m,uid=" + UID + ",gid=" + UID + ",mode=0750");

    /**
     * How a container is started, from a Kubernetes securityContext as the chart renders it:
     * drop ALL and add its capabilities, its user, no_new_privs unless privilege escalation is
     * allowed, its read-only root; plus the tmpfs mounts standing in for the pod's volumes.
     */
    record Runtime(List<Capability> capAdd, String user, List<String> securityOpts, boolean readOnlyRoot,
                   Map<String, String> tmpfs) {

        @SuppressWarnings("unchecked")
        static Runtime of(Map<String, Object> securityContext, Map<String, String> tmpfs) {
            assertThat(get(securityContext, "capabilities", "drop")).isEqualTo(List.of("ALL"));
            List<Capability> add = ((List<String>) get(securityContext, "capabilities", "add")).stream()
                    .map(Capability::valueOf).toList();
            Object uid = securityContext.get("runAsUser");
            Object gid = securityContext.get("runAsGroup");
            String user = uid == null ? null : uid + (gid == null ? "" : ":" + gid);
            List<String> opts = Boolean.FALSE.equals(securityContext.get("allowPrivilegeEscalation"))
                    ? List.of("no-new-privileges") : List.of();
            return new Runtime(add, user, opts, Boolean.TRUE.equals(securityContext.get("readOnlyRootFilesystem")),
                    tmpfs);
        }

        /** The neighd container of a ci case's DaemonSet. */
        static Runtime ofCiCase(String ciCase) {
            Manifests m = Chart.template(Chart.ciCase(ciCase).valuesFile());
            return of(asMap(m.container().get("securityContext")), TMPFS);
        }

        Runtime withoutCapabilities() {
            return new Runtime(List.of(), user, securityOpts, readOnlyRoot, tmpfs);
        }

        Runtime withNoNewPrivileges() {
            return new Runtime(capAdd, user, List.of("no-new-privileges"), readOnlyRoot, tmpfs);
        }

        void applyTo(CreateContainerCmd cmd) {
            HostConfig hc = cmd.getHostConfig();
            hc.withCapDrop(Capability.ALL).withCapAdd(capAdd.toArray(Capability[]::new)).withReadonlyRootfs(readOnlyRoot)
                    .withTmpFs(tmpfs).withSecurityOpts(securityOpts);
            if (user != null) {
                cmd.withUser(user);
            }
        }
    }

    /** What a container that ran to its end left: exit status and its two streams. */
    record Exit(int status, String stdout, String stderr) {
    }

    private NeighdContainers() {
    }

    /** A container of the image, not started. */
    @SuppressWarnings("resource")
    static GenericContainer<?> neighd(Runtime runtime, String... args) {
        return new GenericContainer<>(DockerImageName.parse(NeighdImage.tag()))
                .withCreateContainerCmdModifier(runtime::applyTo)
                .withCommand(args);
    }

    /** Runs the image to its end (at most {@code seconds}) and removes the container, whatever happened. */
    static Exit runToExit(Runtime runtime, int seconds, String... args) {
        return runToExit(runtime, seconds, null, List.of(args));
    }

    /** The same with the image's entrypoint replaced (a Kubernetes {@code command}). */
    static Exit runToExit(Runtime runtime, int seconds, List<String> entrypoint, List<String> args) {
        DockerClient docker = NeighdImage.docker();
        CreateContainerCmd create = docker.createContainerCmd(NeighdImage.tag()).withHostConfig(new HostConfig())
                .withCmd(args);
        if (entrypoint != null) {
            create.withEntrypoint(entrypoint);
        }
        runtime.applyTo(create);
        String id = create.exec().getId();
        try {
            docker.startContainerCmd(id).exec();
            int status = docker.waitContainerCmd(id).start().awaitStatusCode(seconds, TimeUnit.SECONDS);
            ToStringConsumer out = new ToStringConsumer();
            ToStringConsumer err = new ToStringConsumer();
            try (FrameConsumerResultCallback cb = new FrameConsumerResultCallback()) {
                cb.addConsumer(OutputFrame.OutputType.STDOUT, out);
                cb.addConsumer(OutputFrame.OutputType.STDERR, err);
                docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(false).exec(cb)
                        .awaitCompletion(30, TimeUnit.SECONDS);
            }
            return new Exit(status, out.toUtf8String(), err.toUtf8String());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        }
    }

    /** Field of /proc/1/status (the JVM: the entrypoint execs it) inside a running container. */
    static String procStatus(GenericContainer<?> c, String field) throws Exception {
        String status = c.execInContainer("cat", "/proc/1/status").getStdout();
        for (String line : status.split("\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).strip().replaceAll("\\s+", " ");
            }
        }
        throw new AssertionError("no " + field + " in /proc/1/status:\n" + status);
    }
}
