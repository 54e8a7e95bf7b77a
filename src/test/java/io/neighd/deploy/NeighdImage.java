package io.neighd.deploy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Image;
import io.neighd.lab.Cmd;
import io.neighd.lab.LabEnvironment;
import io.neighd.env.Requirements;
import org.junit.jupiter.api.Assertions;
import org.testcontainers.DockerClientFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The image of docker/Dockerfile, built once per test JVM from the jar {@code package} made
 * (so the tests using it are failsafe ITs) and shared by them. Without a Docker engine the
 * calling test is skipped with the reason, unless {@code CI=true}, where that is a failure.
 * The build leaves one tag, {@link #TAG}: the legacy builder's untagged stage image and the
 * image the tag pointed to before are removed.
 */
final class NeighdImage {
    static final String TAG = "neighd:test";
    /** The label docker/Dockerfile puts on its jar stage. */
    private static final String STAGE_LABEL = "io.neighd.build-stage=jar";
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);

    private static String built;
    private static String failure;
    static Duration buildTime;

    private NeighdImage() {
    }

    /** The tag of the built image; builds it on first use. */
    static synchronized String tag() {
        requireDocker();
        if (failure != null) {
            Assertions.fail(failure);
        }
        if (built == null) {
            try {
                built = build();
            } catch (AssertionError | RuntimeException e) {
                failure = "building " + TAG + " failed earlier in this run: " + e.getMessage();
                throw e;
            }
        }
        return built;
    }

    /** The engine's client, once {@link #requireDocker()} found one this user may use (else skipped or failed). */
    static DockerClient docker() {
        requireDocker();
        return DockerClientFactory.instance().client();
    }

    static void requireDocker() {
        if (DockerClientFactory.instance().isDockerAvailable()) {
            return;
        }
        Requirements.unavailable("image tests", "no Docker engine this user may use (start dockerd, as .ci/run "
                + "does, and run as root or as a member of the docker group)");
    }

    private static String build() {
        Path root = LabEnvironment.projectDir();
        requireOneJar(root);
        String before = imageId(TAG);
        long t0 = System.nanoTime();
        Cmd.Result r = Cmd.run(BUILD_TIMEOUT, List.of("docker", "build", "--force-rm", "-f",
                root.resolve("docker/Dockerfile").toString(), "-t", TAG, root.toString()));
        buildTime = Duration.ofNanos(System.nanoTime() - t0);
        writeLog(root, r);
        removeStageImages();
        if (!r.ok()) {
            Assertions.fail("docker build -f docker/Dockerfile failed (rc " + r.rc() + "), log target/docker-build.log:\n"
                    + tail(r.out() + "\n" + r.err(), 25));
        }
        String after = imageId(TAG);
        if (before != null && !before.equals(after)) {
            removeQuietly(before);
        }
        System.out.printf("[neighd-image] built %s (%s) in %d s%n", TAG, after, buildTime.toSeconds());
        return TAG;
    }

    private static void requireOneJar(Path root) {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root.resolve("target"), "neighd-*.jar")) {
            ds.forEach(jars::add);
        } catch (IOException e) {
            jars.clear();
        }
        if (jars.isEmpty()) {
            Assertions.fail("no target/neighd-*.jar: the image tests run in failsafe, after package (./mvnw verify)");
        }
    }

    /** The untagged image of the Dockerfile's jar stage, which the legacy builder keeps. */
    private static void removeStageImages() {
        List<Image> stage = docker().listImagesCmd().withDanglingFilter(true).withLabelFilter(STAGE_LABEL).exec();
        stage.forEach(i -> removeQuietly(i.getId()));
    }

    private static String imageId(String tag) {
        try {
            return docker().inspectImageCmd(tag).exec().getId();
        } catch (NotFoundException e) {
            return null;
        }
    }

    private static void removeQuietly(String id) {
        try {
            docker().removeImageCmd(id).exec();
        } catch (RuntimeException e) {
            System.out.printf("[neighd-image] could not remove image %s: %s%n", id, e.getMessage());
        }
    }

    private static void writeLog(Path root, Cmd.Result r) {
        try {
            Files.writeString(root.resolve("target/docker-build.log"), r.out() + "\n" + r.err(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(String text, int lines) {
        String[] all = text.strip().split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }
}
