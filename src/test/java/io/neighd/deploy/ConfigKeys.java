package io.neighd.deploy;

import io.neighd.config.NeighdProperties;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The keys of a configuration that nothing reads. Spring binds leniently: a misspelt key is
 * silently ignored, so a chart could render {@code neighd.statefile} and the service would run
 * with its default. {@code neighd.*} is checked against the {@link NeighdProperties} records
 * (the binding target itself); every other key against the configuration metadata the Spring
 * Boot jars on the class path publish. Names compare in relaxed form (case, '-' and '_' ignored).
 */
final class ConfigKeys {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Known property names (relaxed form) to whether their type is a Map (keys below are free). */
    private static final Map<String, Boolean> SPRING = springMetadata();

    private ConfigKeys() {
    }

    /** Every key path of {@code config} that no property of the application takes. */
    static List<String> unknown(Map<String, Object> config) {
        List<String> out = new ArrayList<>();
        config.forEach((k, v) -> {
            if (relaxed(k).equals("neighd")) {
                // neighd.cluster and neighd.vips are bound by records of their own
                Map<String, Object> rest = new java.util.LinkedHashMap<>();
                if (v instanceof Map<?, ?> m) {
                    m.forEach((kk, vv) -> {
                        String key = relaxed((String) kk);
                        if (key.equals("cluster")) {
                            walkRecord(io.neighd.config.ClusterProperties.class, vv, "neighd.cluster", out);
                        } else if (key.equals("vips")) {
                            walkValue(io.neighd.config.VipProperties.class.getRecordComponents()[0].getGenericType(),
                                    vv, "neighd.vips", out);
                        } else {
                            rest.put((String) kk, vv);
                        }
                    });
                    walkRecord(NeighdProperties.class, rest, "neighd", out);
                } else {
                    walkRecord(NeighdProperties.class, v, "neighd", out);
                }
            } else {
                walkSpring(relaxed(k), v, k, out);
            }
        });
        return out;
    }

    private static void walkSpring(String name, Object value, String path, List<String> out) {
        Boolean isMap = SPRING.get(name);
        if (isMap != null) {
            return; // a leaf, a list, or a map whose keys are free (logging.level.*)
        }
        if (value instanceof Map<?, ?> m && !m.isEmpty()) {
            m.forEach((k, v) -> walkSpring(name + "." + relaxed((String) k), v, path + "." + k, out));
            return;
        }
        out.add(path);
    }

    private static void walkRecord(Class<?> type, Object value, String path, List<String> out) {
        if (!(value instanceof Map<?, ?> m)) {
            out.add(path + " (expected a mapping for " + type.getSimpleName() + ")");
            return;
        }
        m.forEach((k, v) -> {
            RecordComponent c = component(type, (String) k);
            String p = path + "." + k;
            if (c == null) {
                out.add(p);
            } else {
                walkValue(c.getGenericType(), v, p, out);
            }
        });
    }

    private static void walkValue(Type type, Object value, String path, List<String> out) {
        if (type instanceof Class<?> cls && cls.isRecord()) {
            walkRecord(cls, value, path, out);
        } else if (type instanceof ParameterizedType pt && pt.getRawType() == List.class && value instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                walkValue(pt.getActualTypeArguments()[0], l.get(i), path + "[" + i + "]", out);
            }
        }
        // scalars and Map<String, String> (neighd.sysctl.<key>) take any value and any key
    }

    private static RecordComponent component(Class<?> record, String key) {
        RecordComponent[] cs = record.getRecordComponents();
        java.lang.reflect.Parameter[] params = canonical(record, cs).getParameters();
        for (int i = 0; i < cs.length; i++) {
            // @Name("interface") renames a component that cannot be called that in Java
            var renamed = params[i].getAnnotation(org.springframework.boot.context.properties.bind.Name.class);
            String name = renamed != null ? renamed.value() : cs[i].getName();
            if (relaxed(name).equals(relaxed(key))) {
                return cs[i];
            }
        }
        return null;
    }

    private static java.lang.reflect.Constructor<?> canonical(Class<?> record, RecordComponent[] cs) {
        try {
            return record.getDeclaredConstructor(java.util.Arrays.stream(cs).map(RecordComponent::getType)
                    .toArray(Class<?>[]::new));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    static String relaxed(String name) {
        return name.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }

    private static Map<String, Boolean> springMetadata() {
        Map<String, Boolean> known = new HashMap<>();
        try {
            Enumeration<URL> files = ConfigKeys.class.getClassLoader()
                    .getResources("META-INF/spring-configuration-metadata.json");
            while (files.hasMoreElements()) {
                try (InputStream in = files.nextElement().openStream()) {
                    for (JsonNode p : JSON.readTree(in).path("properties")) {
                        String name = p.path("name").asString();
                        String type = p.path("type").asString("");
                        known.put(relaxedPath(name), type.startsWith("java.util.Map<"));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (known.isEmpty()) {
            throw new IllegalStateException("no spring-configuration-metadata.json on the class path");
        }
        return known;
    }

    private static String relaxedPath(String dotted) {
        return String.join(".", java.util.Arrays.stream(dotted.split("\\.")).map(ConfigKeys::relaxed).toList());
    }
}
