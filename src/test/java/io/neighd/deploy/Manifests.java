package io.neighd.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The objects {@code helm template} rendered, as parsed YAML, with lookups by kind and name. */
record Manifests(List<Map<String, Object>> objects) {

    static Manifests parse(String multiDocumentYaml) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object doc : Chart.yaml().loadAll(multiDocumentYaml)) {
            if (doc != null) {
                objects.add(asMap(doc));
            }
        }
        return new Manifests(List.copyOf(objects));
    }

    List<String> kinds() {
        return objects.stream().map(o -> (String) o.get("kind")).sorted().toList();
    }

    List<Map<String, Object>> all(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    Optional<Map<String, Object>> find(String kind, String name) {
        return all(kind).stream().filter(o -> name.equals(get(o, "metadata", "name"))).findFirst();
    }

    Map<String, Object> one(String kind) {
        List<Map<String, Object>> found = all(kind);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + ", rendered " + found.size() + ": " + kinds());
        }
        return found.get(0);
    }

    Map<String, Object> daemonSet() {
        return one("DaemonSet");
    }

    Map<String, Object> podSpec() {
        return asMap(get(daemonSet(), "spec", "template", "spec"));
    }

    /** The neighd container of the DaemonSet. */
    Map<String, Object> container() {
        return list(podSpec().get("containers")).stream().map(Manifests::asMap)
                .filter(c -> "neighd".equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no container named neighd"));
    }

    /** The ConfigMap the neighd container mounts (volume {@code config}). */
    Map<String, Object> configMap() {
        String name = list(podSpec().get("volumes")).stream().map(Manifests::asMap)
                .filter(v -> "config".equals(v.get("name")))
                .map(v -> (String) get(v, "configMap", "name")).filter(Objects::nonNull).findFirst()
                .orElseThrow(() -> new AssertionError("no configMap volume named config"));
        return find("ConfigMap", name).orElseThrow(() -> new AssertionError("ConfigMap " + name + " not rendered"));
    }

    /** Navigates nested maps; null when a step is missing. */
    static Object get(Object node, String... path) {
        Object n = node;
        for (String p : path) {
            if (!(n instanceof Map<?, ?> m)) {
                return null;
            }
            n = m.get(p);
        }
        return n;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object o) {
        if (o == null) {
            return Map.of();
        }
        if (!(o instanceof Map<?, ?>)) {
            throw new AssertionError("expected a mapping, got " + o);
        }
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        if (o == null) {
            return List.of();
        }
        if (!(o instanceof List<?>)) {
            throw new AssertionError("expected a sequence, got " + o);
        }
        return (List<Object>) o;
    }
}
