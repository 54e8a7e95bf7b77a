package io.neighd.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * helm/neighd driven through helm-java (the helm that Maven Central ships): the ci cases,
 * {@code helm template}, {@code helm lint --strict} per case, and the values a case ends up with.
 */
final class Chart {
    static final Path DIR = Path.of("helm/neighd");
    static final String RELEASE = "neighd";
    static final String NAMESPACE = "neighd-system";

    /** One {@code ci/<name>-values.yaml}. */
    record Case(String name, Path valuesFile) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final Map<Path, Manifests> RENDERED = new ConcurrentHashMap<>();

    private Chart() {
    }

    /** Every ci case, discovered, so that a new file is tested without touching a test. */
    static List<Case> ciCases() {
        try (Stream<Path> files = Files.list(DIR.resolve("ci"))) {
            List<Case> cases = files.filter(p -> p.getFileName().toString().endsWith("-values.yaml"))
                    .sorted(Comparator.comparing(Path::toString))
                    .map(p -> new Case(p.getFileName().toString().replace("-values.yaml", ""), p))
                    .toList();
            if (cases.isEmpty()) {
                throw new IllegalStateException("no ci/*-values.yaml in " + DIR.toAbsolutePath());
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Case ciCase(String name) {
        return ciCases().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no ci case " + name));
    }

    /**
     * helm-java renders as {@code --dry-run=none}, where {@code lookup} asks a cluster (and fails
     * without one); {@code helm template} renders as {@code --dry-run=client}, where lookup finds
     * nothing. Turning the chart's one lookup off renders what {@code helm template} renders.
     */
    private static final String NO_CLUSTER = "api.keepGeneratedTokens";

    /** {@code helm template neighd helm/neighd -n neighd-system -f <values>}, parsed (once per file and run). */
    static Manifests template(Path valuesFile) {
        return RENDERED.computeIfAbsent(valuesFile.toAbsolutePath(), f -> Manifests.parse(
                new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE).withValuesFile(f)
                        .set(NO_CLUSTER, false).call()));
    }

    /** The same with values given as YAML text (written to a temporary file). */
    static Manifests templateWith(String valuesYaml) {
        Path f = null;
        try {
            f = Files.createTempFile("neighd-values-", ".yaml");
            Files.writeString(f, valuesYaml, StandardCharsets.UTF_8);
            return Manifests.parse(new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE)
                    .withValuesFile(f).set(NO_CLUSTER, false).call());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(f);
        }
    }

    /**
     * {@code helm lint --strict} with a case's values. helm-java 0.0.15's lint takes no values
     * file, so the chart is copied and the case's values are coalesced into the copy's
     * values.yaml the way helm coalesces {@code -f} (maps merge, lists and scalars replace,
     * null deletes).
     */
    static LintResult lint(Path valuesFile) {
        Path copy = null;
        try {
            copy = Files.createTempDirectory("neighd-chart-");
            Path chart = copy.resolve("neighd");
            copyTree(DIR, chart);
            Map<String, Object> values = effectiveValues(valuesFile);
            coalesce(values, Map.of("api", Map.of("keepGeneratedTokens", false))).forEach(values::put);
            Files.writeString(chart.resolve("values.yaml"), yaml().dump(values), StandardCharsets.UTF_8);
            return new Helm(chart).lint().strict().call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(copy);
        }
    }

    /** values.yaml coalesced with a case's file: what the templates see as {@code .Values}. */
    static Map<String, Object> effectiveValues(Path valuesFile) {
        Map<String, Object> defaults = load(DIR.resolve("values.yaml"));
        Map<String, Object> override = load(valuesFile);
        return coalesce(defaults, override);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> coalesce(Map<String, Object> base, Map<String, Object> override) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        override.forEach((k, v) -> {
            if (v == null) {
                out.remove(k);
            } else if (v instanceof Map<?, ?> m && out.get(k) instanceof Map<?, ?> b) {
                out.put(k, coalesce((Map<String, Object>) b, (Map<String, Object>) m));
            } else {
                out.put(k, v);
            }
        });
        return out;
    }

    static Map<String, Object> load(Path yamlFile) {
        try {
            Map<String, Object> m = yaml().load(Files.readString(yamlFile, StandardCharsets.UTF_8));
            return m == null ? new LinkedHashMap<>() : m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    static void deleteQuietly(Path p) {
        if (p == null || !Files.exists(p)) {
            return;
        }
        try (Stream<Path> all = Files.walk(p)) {
            List<Path> paths = new ArrayList<>(all.toList());
            paths.sort(Comparator.reverseOrder());
            for (Path q : paths) {
                Files.deleteIfExists(q);
            }
        } catch (IOException ignored) {
            // a temporary directory left behind is not worth failing a test for
        }
    }
}
