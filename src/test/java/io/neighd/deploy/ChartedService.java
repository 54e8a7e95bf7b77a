package io.neighd.deploy;

import io.neighd.NeighdApplication;
import io.neighd.testkit.TlsFiles;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.neighd.deploy.Manifests.asMap;
import static io.neighd.deploy.Manifests.get;
import static io.neighd.deploy.Manifests.list;

/**
 * neighd started in this JVM the way a rendered DaemonSet starts it in a pod: the ConfigMap's
 * keys as files in the config volume, the container's args and environment (Secret references
 * resolved from the rendered Secret, or a stand-in for one managed outside the chart), each
 * volume mount a temporary directory. Only what a test cannot have is changed, and in the
 * configuration file itself (so lists are not replaced by a partial override): every interface
 * becomes an in-memory link with its name, addresses and MAC kept, and the chart's ports become
 * free ports, {@link #port} maps the container's port names to them.
 */
final class ChartedService implements AutoCloseable {
    static final String APPLICATION_YAML = "application.yaml";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path root;
    private final Map<String, Path> mounts;
    private final Map<String, Object> renderedConfig;
    private final Map<Integer, Integer> ports;
    private final Manifests manifests;
    private final Map<String, Object> container;
    private ConfigurableApplicationContext context;

    private ChartedService(Path root, Map<String, Path> mounts, Map<String, Object> renderedConfig,
                           Manifests manifests) {
        this.root = root;
        this.mounts = mounts;
        this.renderedConfig = renderedConfig;
        this.ports = new LinkedHashMap<>();
        this.manifests = manifests;
        this.container = manifests.container();
    }

    /** Lays the pod out on disk; {@link #start()} runs it. */
    static ChartedService of(Manifests m) {
        try {
            Path root = Files.createTempDirectory("neighd-pod-");
            Map<String, Object> container = m.container();
            Map<String, Path> mounts = new LinkedHashMap<>();
            Path configDir = null;
            for (Object o : list(container.get("volumeMounts"))) {
                Map<String, Object> vm = asMap(o);
                Path dir = Files.createDirectories(root.resolve((String) vm.get("name")));
                mounts.put((String) vm.get("mountPath"), dir);
                if ("config".equals(vm.get("name"))) {
                    configDir = dir;
                }
            }
            if (configDir == null) {
                throw new AssertionError("the neighd container does not mount the config volume");
            }
            for (Object o : list(m.podSpec().get("volumes"))) {
                Map<String, Object> v = asMap(o);
                if ("tls".equals(v.get("name")) && v.get("secret") != null) {
                    // a kubernetes.io/tls Secret managed outside the chart (cert-manager): a stand-in certificate
                    TlsFiles.create(root.resolve("tls"));
                }
            }
            Map<String, Object> cm = m.configMap();
            for (Map.Entry<String, Object> e : asMap(cm.get("data")).entrySet()) {
                Files.writeString(configDir.resolve(e.getKey()), (String) e.getValue(), StandardCharsets.UTF_8);
            }
            Map<String, Object> rendered = Chart.yaml().load((String) get(cm, "data", APPLICATION_YAML));
            ChartedService pod = new ChartedService(root, mounts, rendered, m);
            pod.rewriteConfig(configDir.resolve(APPLICATION_YAML));
            return pod;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The application.yaml exactly as the chart rendered it. */
    Map<String, Object> renderedConfig() {
        return renderedConfig;
    }

    /** Starts the application; a configuration it cannot bind or apply throws here (and the pod is gone). */
    ChartedService start() {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        podEnvironment(manifests)));
        try {
            context = new SpringApplicationBuilder(NeighdApplication.class).environment(env)
                    .run(args().toArray(String[]::new));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    ConfigurableApplicationContext context() {
        return context;
    }

    /** The port here of the container port named {@code name}. */
    int port(String name) {
        Object containerPort = list(container.get("ports")).stream().map(Manifests::asMap)
                .filter(p -> name.equals(p.get("name"))).map(p -> p.get("containerPort")).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + name));
        Integer here = ports.get((Integer) containerPort);
        if (here == null) {
            throw new AssertionError("container port " + name + "=" + containerPort
                    + " is not a port the rendered application.yaml listens on (" + ports.keySet() + ")");
        }
        return here;
    }

    HttpResponse<String> http(String portName, String path, String... headers) {
        return request("HTTP", portName, path, headers);
    }

    /**
     * A GET as the kubelet or Prometheus makes it: {@code scheme} HTTP or HTTPS (trusting the
     * stand-in certificate, where the kubelet would not check it at all).
     */
    HttpResponse<String> request(String scheme, String portName, String path, String... headers) {
        try {
            boolean tls = "HTTPS".equalsIgnoreCase(scheme);
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create((tls ? "https" : "http") + "://127.0.0.1:"
                    + port(portName) + path)).timeout(Duration.ofSeconds(10)).GET();
            if (headers.length > 0) {
                b.headers(headers);
            }
            HttpClient client = tls ? HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                    .sslContext(TlsFiles.trusting(root.resolve("tls"))).build() : HTTP;
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            if (context != null) {
                context.close();
            }
        } finally {
            Chart.deleteQuietly(root);
        }
    }

    // ------------------------------------------------------------------ the pod's view

    private List<String> args() {
        List<String> args = new ArrayList<>();
        for (Object a : list(container.get("args"))) {
            args.add(relocate((String) a));
        }
        return args;
    }

    private Map<String, Object> podEnvironment(Manifests m) {
        Map<String, Object> env = new LinkedHashMap<>();
        for (Object o : list(container.get("env"))) {
            Map<String, Object> e = asMap(o);
            String name = (String) e.get("name");
            if (e.get("value") != null) {
                env.put(name, relocate(String.valueOf(e.get("value"))));
            } else if (get(e, "valueFrom", "secretKeyRef") != null) {
                env.put(name, secret(m, (String) get(e, "valueFrom", "secretKeyRef", "name"),
                        (String) get(e, "valueFrom", "secretKeyRef", "key")));
            } else if ("status.hostIP".equals(get(e, "valueFrom", "fieldRef", "fieldPath"))) {
                env.put(name, "127.0.0.1"); // the node's address, here
            } else {
                throw new AssertionError("env " + name + ": only value, secretKeyRef and fieldRef status.hostIP are "
                        + "modelled here: " + e);
            }
        }
        return env;
    }

    /** The Secret's value when the chart renders it, else a stand-in for one managed outside the chart. */
    static String secret(Manifests m, String name, String key) {
        return m.find("Secret", name)
                .map(s -> new String(Base64.getDecoder().decode((String) get(s, "data", key)), StandardCharsets.UTF_8))
                .orElse(standInSecret(name, key));
    }

    static String standInSecret(String name, String key) {
        return "stand-in-for-" + name + "-" + key;
    }

    // ------------------------------------------------------------------ what a test cannot have

    @SuppressWarnings("unchecked")
    private void rewriteConfig(Path file) throws IOException {
        Map<String, Object> config = (Map<String, Object>) relocateAll(Chart.yaml().load(Files.readString(file, StandardCharsets.UTF_8)));
        List<Object> interfaces = list(get(config, "neighd", "interfaces"));
        for (int i = 0; i < interfaces.size(); i++) {
            Map<String, Object> itf = asMap(interfaces.get(i));
            itf.put("memory", true);
            itf.putIfAbsent("mac", String.format("02:00:5e:00:01:%02x", i + 1));
        }
        remapPort(config, "server");
        Object management = config.get("management");
        if (management instanceof Map<?, ?> mgmt && get(mgmt, "server", "port") != null) {
            remapPort((Map<String, Object>) mgmt, "server");
        }
        Files.writeString(file, Chart.yaml().dump(config), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private void remapPort(Map<String, Object> parent, String key) throws IOException {
        Map<String, Object> server = (Map<String, Object>) parent.get(key);
        if (server == null || !(server.get("port") instanceof Integer chartPort)) {
            throw new AssertionError(key + ".port is not an integer in the rendered application.yaml: " + parent);
        }
        try (ServerSocket s = new ServerSocket(0)) {
            ports.put(chartPort, s.getLocalPort());
            server.put("port", s.getLocalPort());
        }
    }

    private Object relocateAll(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put((String) k, relocateAll(v)));
            return out;
        }
        if (node instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(relocateAll(x)));
            return out;
        }
        return node instanceof String s ? relocate(s) : node;
    }

    /** A path inside one of the container's mounts, as it is here ({@code file:} prefixes too). */
    String relocate(String s) {
        for (Map.Entry<String, Path> mount : mounts.entrySet()) {
            String mp = mount.getKey();
            int at = s.indexOf(mp);
            if (at >= 0 && (at == 0 || s.charAt(at - 1) == ':' || s.charAt(at - 1) == '=')
                    && (s.length() == at + mp.length() || s.charAt(at + mp.length()) == '/')) {
                return s.substring(0, at) + mount.getValue() + s.substring(at + mp.length());
            }
        }
        return s;
    }
}
