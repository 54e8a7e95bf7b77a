package io.neighd.api;

import io.neighd.service.StateStore;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API fuzzed from its contract: every operation of api-spec/openapi.yaml, every parameter and
 * body field it declares, each given bad values (wrong types, out of range, empty and huge,
 * broken encodings, injection and control characters) while the rest of the request stays valid;
 * and every body made bad as a whole (not JSON, too deep, too large, the wrong content type, not
 * UTF-8). Whatever is sent: never a 5xx (but a resolve's documented 504), every error a problem in
 * the contract's format, and a refused call changes nothing (the table, proxies, routes,
 * addresses, knobs and the state file read back the same).
 *
 * <p>{@code ./mvnw verify} runs a sample (a few bad values per parameter, chosen with a seed it
 * prints); {@code -Dneighd.fuzz.api=full} runs every value, then
 * {@code -Dneighd.fuzz.api.iterations} requests with two bad values at once. Reproduce a run with
 * {@code -Dneighd.fuzz.api.seed}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "neighd.interfaces[0].name=nd0",
        "neighd.interfaces[0].memory=true",
        "neighd.interfaces[0].mac=02:aa:00:00:00:01",
        "neighd.interfaces[0].addresses[0]=10.77.0.1/24",
        "neighd.routes[0]=10.88.0.0/24 via 10.77.0.254 dev nd0",
        "neighd.api.token=" + ApiContractFuzzTest.TOKEN,
        "neighd.events.heartbeat=1s"})
class ApiContractFuzzTest {
    static final String TOKEN = "contract-fuzz-token-0123";
    static final Path STATE = TempDirs.create("neighd-fuzz").resolve("state.json");
    private static final boolean FULL = "full".equals(System.getProperty("neighd.fuzz.api"));
    private static final int SAMPLE = 5;

    @LocalServerPort
    int port;

    /**
     * No duplicate address detection: an IPv6 address going from tentative to valid a second
     * later is a change no request made, and would read as one a refused request caused.
     */
    static final Path SYSCTL = sysctlFile();

    private static Path sysctlFile() {
        Path f = STATE.resolveSibling("sysctl.conf");
        try {
            Files.writeString(f, "net.ipv6.conf.all.accept_dad = 0\nnet.ipv6.conf.default.accept_dad = 0\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return f;
    }

    @DynamicPropertySource
    static void stateFile(DynamicPropertyRegistry r) {
        r.add("neighd.state-file", STATE::toString);
        r.add("neighd.sysctl-file", SYSCTL::toString);
    }

    /** One request to send. */
    record Call(String what, String method, String target, String contentType, byte[] body) {
    }

    /** What was sent and what came back, for the report. */
    private final Map<Integer, Integer> statuses = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    private int sent;

    @Test
    void noBadInputGetsA5xxOrAnythingButAProblemOrChangesAnything() throws Exception {
        long seed = Long.getLong("neighd.fuzz.api.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Object> spec = new Yaml().load(Files.readString(OpenApiContractTest.CONTRACT));
        List<Call> calls = Contract.of(spec).calls(random, FULL ? Integer.MAX_VALUE : SAMPLE);
        int iterations = FULL ? Integer.getInteger("neighd.fuzz.api.iterations", 20_000) : 0;
        long t0 = System.nanoTime();

        RawHttp raw = new RawHttp(port);
        String before = snapshot(raw);
        for (Call c : calls) {
            before = check(raw, c, before);
        }
        Contract contract = Contract.of(spec);
        for (int i = 0; i < iterations; i++) {
            before = check(raw, contract.twoAtOnce(random), before);
        }
        System.out.printf("[api-fuzz] seed %d: %d requests (%s) in %d s; statuses %s%n", seed, sent,
                FULL ? "full" : "sample", (System.nanoTime() - t0) / 1_000_000_000L, statuses);
        assertThat(failures).as("seed %d: %d of %d requests failed (first 20)", seed, failures.size(), sent)
                .isEmpty();
    }

    private String check(RawHttp raw, Call c, String before) {
        String headers = "Authorization: Bearer " + TOKEN + (c.contentType() == null ? ""
                : "\r\nContent-Type: " + c.contentType());
        RawHttp.Response r;
        try {
            r = c.body() == null ? raw.send(RawHttp.request(c.method(), c.target(), headers, (String) null))
                    : raw.send(RawHttp.requestBytes(c.method(), c.target(), headers, c.body()));
        } catch (RuntimeException e) {
            fail(c, "no answer: " + e);
            return snapshot(raw);
        }
        sent++;
        statuses.merge(r.status(), 1, Integer::sum);
        String after = snapshot(raw);
        boolean documented504 = r.status() == 504 && c.target().contains("/resolve");
        if (r.status() >= 500 && !documented504) {
            fail(c, "answered " + r);
        }
        if (r.status() >= 400) {
            String problem = problemDefect(c, r);
            if (problem != null) {
                fail(c, problem + ": " + r);
            }
            if (!documented504 && !after.equals(before)) {
                fail(c, "refused with " + r.status() + " but changed the state:\n  before " + before + "\n  after  "
                        + after);
            }
        }
        return after;
    }

    private static String problemDefect(Call c, RawHttp.Response r) {
        if (r.contentType() == null || !r.contentType().startsWith("application/problem+json")) {
            return "not a problem";
        }
        if ("HEAD".equals(c.method())) {
            return null;
        }
        JsonNode p;
        try {
            p = r.json();
        } catch (RuntimeException e) {
            return "a problem that is not JSON";
        }
        if (!p.path("type").asString().startsWith(ProblemType.BASE) || p.path("status").asInt() != r.status()
                || p.path("title").asString().isBlank() || p.path("detail").asString().isBlank()) {
            return "a problem without type, title, status or detail";
        }
        String text = r.text();
        if (text.contains("Exception") || text.contains("io.neighd.") || text.contains("\tat ")) {
            return "a problem that shows internals";
        }
        return null;
    }

    private void fail(Call c, String why) {
        if (failures.size() < 20) {
            String target = c.target().length() > 200 ? c.target().substring(0, 200) + "..." : c.target();
            failures.add(c.what() + ": " + c.method() + " " + target + " -> " + why);
        } else {
            failures.add("...");
        }
    }

    /**
     * What a refused call must leave as it was; entries' ages and a dynamic entry's state move on
     * their own. NONE entries are left out: Linux's neigh_add creates the entry before
     * __neigh_update refuses a PERMANENT one without an address ("No link layer address given"),
     * so a refused {@code ip neigh add} leaves one in NONE (which {@code ip neigh show} hides), and
     * neighd does as Linux does.
     */
    private String snapshot(RawHttp raw) {
        StringBuilder b = new StringBuilder();
        for (JsonNode n : get(raw, "/api/v1/neighbours?state=all")) {
            String state = n.path("state").path(0).asString();
            if (state.equals("NONE")) {
                continue;
            }
            b.append(n.path("dev").asString()).append(' ').append(n.path("dst").asString());
            if (state.equals("PERMANENT") || state.equals("NOARP")) {
                b.append(' ').append(state).append(' ').append(n.path("lladdr").asString()).append(' ')
                        .append(n.path("router").asBoolean()).append(n.path("extern_learn").asBoolean())
                        .append(n.path("managed").asBoolean());
            }
            b.append(';');
        }
        b.append(" proxies ").append(get(raw, "/api/v1/proxy-neighbours"));
        b.append(" routes ").append(get(raw, "/api/v1/routes"));
        for (JsonNode i : get(raw, "/api/v1/interfaces")) {
            b.append(" addresses ").append(i.path("addresses"));
        }
        for (JsonNode k : get(raw, "/api/v1/sysctl")) {
            b.append(' ').append(k.path("name").asString()).append('=').append(k.path("value").asLong());
        }
        b.append(" file ").append(new StateStore(STATE).load());
        return b.toString();
    }

    private static JsonNode get(RawHttp raw, String path) {
        RawHttp.Response r = raw.send(RawHttp.request("GET", path, null, null));
        assertThat(r.status()).as("GET %s: %s", path, r).isEqualTo(200);
        return r.json();
    }

    // ------------------------------------------------------------------ the contract and its bad values

    /** The operations of the contract, valid requests for each, and the ways to make them bad. */
    static final class Contract {
        /** A valid value for each parameter, by name; the rest of a request stays valid while one part is bad. */
        private static final Map<String, String> VALID = Map.of("dev", "nd0", "ip", "10.77.0.99", "state", "permanent",
                "timeout_ms", "1", "dst", "10.99.0.0/24", "prefix", "net.ipv4.conf.nd0.arp_ignore", "address", "10.77.0.100");
        /** A valid body for each schema: each is refused (exists) or idempotent once applied, so a run stays small. */
        private static final Map<String, String> BODIES = Map.of(
                "ExplainRequest", "{\"dev\":\"nd0\",\"op\":\"request\",\"sender_mac\":\"02:bb:00:00:00:02\","
                        + "\"sender_ip\":\"10.77.0.2\",\"target_ip\":\"10.77.0.1\"}",
                "AddressRequest", "{\"address\":\"10.77.0.1/24\"}",
                "NeighbourRequest", "{\"dst\":\"10.77.0.98\",\"dev\":\"nd0\",\"lladdr\":\"02:bb:00:00:00:98\"}",
                "NeighbourUpdate", "{\"lladdr\":\"02:bb:00:00:00:97\",\"state\":\"permanent\"}",
                "PingRequest", "{\"dst\":\"10.77.0.2\",\"count\":1,\"timeout_ms\":1}",
                "ProxyRequest", "{\"dst\":\"10.77.0.97\",\"dev\":\"nd0\"}",
                "RouteRequest", "{\"route\":\"10.88.0.0/24 via 10.77.0.254 dev nd0\"}",
                // silent addresses, no retry: a scan that ends at once and creates no entry
                "ScanRequest", "{\"cidr\":\"10.77.0.96/30\",\"rate\":0,\"retries\":0,\"timeout_ms\":1}",
                // elected addresses are off here: every write is refused (cluster-disabled), as a problem
                "VipRequest", "{\"address\":\"10.77.0.100/24\",\"interface\":\"nd0\"}");
        private static final String SYSCTL = "{\"net.ipv4.conf.nd0.arp_ignore\":0}";

        /** Bad values for a path or query parameter; "RAW:" ones are sent as they are, not percent-encoded. */
        static final List<String> BAD_PARAMS = List.of("", " ", "-1", "0", "4294967296", "99999999999999999999999",
                "1e309", "NaN", "true", "null", "[]", "{}", "x".repeat(300), "y".repeat(9000), "10.77.0.1/33",
                "256.1.1.1", "10.77.0.", "::1", "0x0a.0.0.1", "010.077.000.001", "10.77.0.1 ", "nd0\n", "\u202enothing",
                "\uD83D\uDE00", "é", "'; DROP TABLE x; --", "<script>alert(1)</script>", "../../etc/passwd", "%00",
                "RAW:%", "RAW:%zz", "RAW:%00", "RAW:%ff%fe", "RAW:%c0%af", "RAW:..%2f..%2f", "RAW:%2e%2e",
                "RAW:a%0d%0aX-Injected: 1", "RAW:a;b", "RAW:a\\b", "RAW:a//b", "RAW:\u0000");
        /** Bad JSON values for a body field. */
        static final List<String> BAD_JSON = List.of("null", "true", "false", "0", "-1", "1.5", "2147483648",
                "9223372036854775808", "-9223372036854775809", "1e309", "\"\"", "\" \"", "[]", "{}", "[1,2]",
                "{\"a\":1}", "\"" + "x".repeat(100_000) + "\"", "\"\\u0000\"", "\"\\ud800\"", "\"10.77.0.1/33\"",
                "\"256.1.1.1\"", "\"02:bb:00:00:00\"", "\"zz:zz:zz:zz:zz:zz\"", "\"ff:ff:ff:ff:ff:ff\"",
                "\"permanentx\"", "\"ALL\"", "\"nd0\\n\"", "\"\\u202e\"", "\"\uD83D\uDE00\"", "\"default via\"",
                "\"10.0.0.0/8 via 10.77.0.254 dev nd0 metric -1\"", "\"blackhole\"", "\"x\"");
        /** Bodies bad as a whole, with the content type sent. */
        static final List<String[]> BAD_BODIES = List.of(
                new String[] {"application/json", ""},
                new String[] {"application/json", "null"},
                new String[] {"application/json", "{"},
                new String[] {"application/json", "{\"a\":}"},
                new String[] {"application/json", "[]"},
                new String[] {"application/json", "\"text\""},
                new String[] {"application/json", "{\"dst\":1,\"dst\":2}"},
                new String[] {"application/json", "[".repeat(5000) + "]".repeat(5000)},
                new String[] {"application/json", "{\"a\":".repeat(3000) + "1" + "}".repeat(3000)},
                new String[] {"application/json", "{\"k\":" + "9".repeat(5000) + "}"},
                new String[] {"text/plain", "dst=10.77.0.9"},
                new String[] {"application/xml", "<neighbour/>"},
                new String[] {"application/x-www-form-urlencoded", "dst=10.77.0.9&dev=nd0"},
                new String[] {"multipart/form-data; boundary=x", "--x\r\n\r\n--x--"},
                new String[] {"application/json; charset=UTF-16", "{}"},
                new String[] {"application/json; charset=nonsense", "{}"},
                new String[] {"application/json-seq", "{}"},
                new String[] {"*/*", "{}"},
                new String[] {"", "{}"},
                new String[] {"NOT_UTF8", "{\"dst\":\"\u00ff\u00fe\"}"},
                new String[] {"HUGE", ""});

        private final List<Operation> operations = new ArrayList<>();

        /** One operation, with the parts that can be made bad. */
        record Operation(String method, String path, List<Map<String, Object>> params, String body) {
        }

        @SuppressWarnings("unchecked")
        static Contract of(Map<String, Object> spec) {
            Contract c = new Contract();
            Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) spec.get("paths");
            paths.forEach((path, item) -> item.forEach((method, o) -> {
                Map<String, Object> op = (Map<String, Object>) o;
                List<Map<String, Object>> params = (List<Map<String, Object>>) op.getOrDefault("parameters", List.of());
                String body = null;
                Map<String, Object> rb = (Map<String, Object>) op.get("requestBody");
                if (rb != null) {
                    Map<String, Object> schema = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                            rb.get("content")).values().iterator().next()).get("schema");
                    Object ref = schema.get("$ref");
                    body = ref != null ? ((String) ref).substring(((String) ref).lastIndexOf('/') + 1)
                            : "array".equals(schema.get("type")) ? "[NeighbourRequest]" : "sysctl";
                }
                c.operations.add(new Operation(method.toUpperCase(), path, params, body));
            }));
            return c;
        }

        /** Each bad value of each part of each operation ({@code perPart} of them at most, chosen at random). */
        List<Call> calls(SplittableRandom random, int perPart) {
            List<Call> calls = new ArrayList<>();
            for (Operation op : operations) {
                for (Map<String, Object> p : op.params()) {
                    String name = (String) p.get("name");
                    for (String bad : pick(BAD_PARAMS, perPart, random)) {
                        Map<String, String> params = valid(op);
                        params.put(name, bad);
                        calls.add(new Call(op.method() + " " + op.path() + " " + p.get("in") + " " + name, op.method(),
                                target(op, params), op.body() == null ? null : "application/json",
                                op.body() == null ? null : validBody(op).getBytes(StandardCharsets.UTF_8)));
                    }
                }
                if (op.body() != null) {
                    for (String field : fields(op)) {
                        for (String bad : pick(BAD_JSON, perPart, random)) {
                            calls.add(bodyCall(op, field, withField(validBody(op), field, bad)));
                        }
                        calls.add(bodyCall(op, field + " missing", withField(validBody(op), field, null)));
                    }
                    calls.add(bodyCall(op, "unknown field", withField(validBody(op), "no_such_field", "1")));
                    for (String[] bad : pick(BAD_BODIES, FULL ? Integer.MAX_VALUE : perPart * 2, random)) {
                        calls.add(wholeBody(op, bad));
                    }
                }
                for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE", "TRACE", "CONNECT", "FOO")) {
                    if (operations.stream().noneMatch(o -> o.path().equals(op.path()) && o.method().equals(method))) {
                        calls.add(new Call("method " + method, method, target(op, valid(op)), null, null));
                    }
                }
            }
            return calls;
        }

        /** Two bad parts of one operation at once. */
        Call twoAtOnce(SplittableRandom random) {
            Operation op = operations.get(random.nextInt(operations.size()));
            Map<String, String> params = valid(op);
            for (Map<String, Object> p : op.params()) {
                if (random.nextBoolean()) {
                    params.put((String) p.get("name"), BAD_PARAMS.get(random.nextInt(BAD_PARAMS.size())));
                }
            }
            if (op.body() == null) {
                return new Call("combined", op.method(), target(op, params), null, null);
            }
            String body = validBody(op);
            List<String> fields = fields(op);
            for (int i = 0; i < 2 && !fields.isEmpty(); i++) {
                body = withField(body, fields.get(random.nextInt(fields.size())), BAD_JSON.get(
                        random.nextInt(BAD_JSON.size())));
            }
            return new Call("combined", op.method(), target(op, params), "application/json",
                    body.getBytes(StandardCharsets.UTF_8));
        }

        private static <T> List<T> pick(List<T> all, int n, SplittableRandom random) {
            if (n >= all.size()) {
                return all;
            }
            List<T> copy = new ArrayList<>(all);
            for (int i = copy.size() - 1; i > 0; i--) {
                java.util.Collections.swap(copy, i, random.nextInt(i + 1));
            }
            return copy.subList(0, n);
        }

        private static Map<String, String> valid(Operation op) {
            Map<String, String> params = new LinkedHashMap<>();
            for (Map<String, Object> p : op.params()) {
                String name = (String) p.get("name");
                params.put(name, VALID.getOrDefault(name, "x"));
            }
            return params;
        }

        private static String validBody(Operation op) {
            if (op.body().equals("sysctl")) {
                return SYSCTL;
            }
            if (op.body().startsWith("[")) {
                return "[" + BODIES.get("NeighbourRequest") + "]";
            }
            return BODIES.get(op.body());
        }

        /** The top-level fields of the valid body (of its first element for a batch). */
        private static List<String> fields(Operation op) {
            String body = validBody(op);
            JsonNode n = ApiClient.JSON.readTree(body);
            JsonNode obj = n.isArray() ? n.get(0) : n;
            List<String> names = new ArrayList<>(obj.propertyNames());
            if (op.body().equals("sysctl")) {
                names.add("net.ipv4.conf.nd0.arp_ignor"); // a misspelt knob as a field of its own
            }
            return names;
        }

        /** {@code body} with {@code field} set to the JSON {@code value}, or removed if null (in the first element of an array). */
        private static String withField(String body, String field, String value) {
            boolean array = body.startsWith("[");
            String obj = array ? body.substring(1, body.length() - 1) : body;
            Map<String, String> members = new LinkedHashMap<>();
            JsonNode n = ApiClient.JSON.readTree(obj);
            for (String name : n.propertyNames()) {
                members.put(name, n.get(name).toString());
            }
            if (value == null) {
                members.remove(field);
            } else {
                members.put(field, value);
            }
            StringBuilder b = new StringBuilder("{");
            members.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append(ApiClient.JSON.writeValueAsString(k))
                    .append(':').append(v));
            String out = b.append('}').toString();
            return array ? "[" + out + "]" : out;
        }

        private static Call bodyCall(Operation op, String what, String body) {
            return new Call(op.method() + " " + op.path() + " body " + what, op.method(), target(op, valid(op)),
                    "application/json", body.getBytes(StandardCharsets.UTF_8));
        }

        private static Call wholeBody(Operation op, String[] bad) {
            String type = bad[0];
            byte[] body;
            if (type.equals("NOT_UTF8")) {
                type = "application/json";
                body = bad[1].getBytes(StandardCharsets.ISO_8859_1);
            } else if (type.equals("HUGE")) {
                type = "application/json";
                body = ("[" + (validBody(op) + ",").repeat(17 * 1024 * 1024 / validBody(op).length())
                        + validBody(op) + "]").getBytes(StandardCharsets.UTF_8);
            } else {
                body = bad[1].getBytes(StandardCharsets.UTF_8);
            }
            return new Call(op.method() + " " + op.path() + " whole body " + bad[0], op.method(), target(op, valid(op)),
                    type.isEmpty() ? null : type, body);
        }

        /** The request target: path parameters in place, query parameters after, each percent-encoded unless RAW. */
        static String target(Operation op, Map<String, String> params) {
            String path = op.path();
            StringBuilder query = new StringBuilder();
            for (Map<String, Object> p : op.params()) {
                String name = (String) p.get("name");
                String v = encode(params.get(name));
                if ("path".equals(p.get("in"))) {
                    path = path.replace("{" + name + "}", v);
                } else {
                    query.append(query.isEmpty() ? "?" : "&").append(name).append('=').append(v);
                }
            }
            return path + query;
        }

        private static String encode(String v) {
            if (v.startsWith("RAW:")) {
                return v.substring(4);
            }
            StringBuilder b = new StringBuilder();
            for (byte x : v.getBytes(StandardCharsets.UTF_8)) {
                int c = x & 0xff;
                if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                        || c == '_' || c == '~') {
                    b.append((char) c);
                } else {
                    b.append('%').append(String.format("%02X", c));
                }
            }
            return b.toString();
        }
    }
}
