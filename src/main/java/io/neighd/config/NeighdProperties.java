package io.neighd.config;

import io.neighd.ip.RouteSpec;
import io.neighd.link.PacketLink;
import io.neighd.wire.Ipv4Cidr;
import io.neighd.wire.Ipv6Cidr;
import io.neighd.wire.MacAddress;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * neighd's configuration ({@code neighd.*} in application.yaml, environment or command line).
 * Every value is checked when it is bound, so a bad one stops start-up with a message that
 * quotes it and names the property to fix.
 *
 * @param interfaces the devices to attach to
 * @param routes     static routes in {@code ip route} syntax
 * @param sysctlFile a sysctl.conf-syntax file applied at start
 * @param sysctl     knobs by full Linux name, applied after the file
 * @param stateFile  where administrative changes are kept across restarts (empty to keep none)
 * @param api        the REST API
 * @param hz         the jiffy rate the engine counts time in (Debian kernels: 250)
 * @param events     the {@code ip monitor neigh} stream
 * @param busyPoll   the engine thread spins on the live captures instead of sleeping on them:
 *                   lower reply latency for a core kept busy all the time
 */
@ConfigurationProperties("neighd")
public record NeighdProperties(@DefaultValue List<InterfaceProperties> interfaces,
                               @DefaultValue List<String> routes,
                               Path sysctlFile,
                               @DefaultValue Map<String, String> sysctl,
                               @DefaultValue("neighd-state.json") Path stateFile,
                               @DefaultValue Api api,
                               @DefaultValue("250") int hz,
                               @DefaultValue Events events,
                               @DefaultValue("false") boolean busyPoll) {

    @ConstructorBinding
    public NeighdProperties {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < interfaces.size(); i++) {
            InterfaceProperties p = interfaces.get(i);
            if (!names.add(p.name())) {
                throw new IllegalArgumentException("neighd.interfaces[" + i + "].name: '" + p.name()
                        + "' is configured twice");
            }
        }
        long replay = interfaces.stream().filter(p -> p.pcapFile() != null).count();
        if (replay > 0 && replay < interfaces.size()) {
            throw new IllegalArgumentException("neighd.interfaces: replayed (pcap-file) and live interfaces cannot be "
                    + "mixed: the engine clock follows either the capture or the system");
        }
        for (int i = 0; i < routes.size(); i++) {
            try {
                RouteSpec.parse(routes.get(i));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("neighd.routes[" + i + "]: " + e.getMessage());
            }
        }
        if (hz != 100 && hz != 250 && hz != 500 && hz != 1000) {
            throw new IllegalArgumentException("neighd.hz: " + hz + " is not supported (use 100, 250, 500 or 1000)");
        }
    }

    /** Without busy-poll, as configured by default. */
    public NeighdProperties(List<InterfaceProperties> interfaces, List<String> routes, Path sysctlFile,
                            Map<String, String> sysctl, Path stateFile, Api api, int hz, Events events) {
        this(interfaces, routes, sysctlFile, sysctl, stateFile, api, hz, events, false);
    }

    public boolean replay() {
        return !interfaces.isEmpty() && interfaces.stream().allMatch(p -> p.pcapFile() != null);
    }

    /**
     * One device.
     *
     * @param name      the interface to attach to
     * @param addresses owned addresses with prefix, IPv4 (10.77.0.1/24) or IPv6 (2001:db8::1/64)
     * @param mac       optional override of the device's MAC (the capture turns promiscuous)
     * @param pcapFile  replay this capture instead of capturing live
     * @param pcapOut   with pcap-file: write what neighd sends here
     * @param netns     the network namespace the interface lives in (neighd enters it only to open the capture)
     * @param memory    an in-memory link (tests)
     * @param vlan      802.1Q VLAN id to send and receive on, if any
     * @param ifindex   ifindex to use for replayed and in-memory interfaces (live ones use the system's)
     */
    public record InterfaceProperties(String name, @DefaultValue List<String> addresses, String mac, Path pcapFile,
                                      Path pcapOut, String netns, @DefaultValue("false") boolean memory,
                                      Integer vlan, Integer ifindex, DataSize captureBuffer) {
        private static final DataSize MIN_CAPTURE_BUFFER = DataSize.ofMegabytes(1);
        private static final DataSize MAX_CAPTURE_BUFFER = DataSize.ofMegabytes(1024);

        /** IFNAMSIZ - 1: dev_valid_name() in net/core/dev.c refuses longer names. */
        private static final int MAX_NAME = 15;

        public InterfaceProperties {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("neighd.interfaces[].name is missing: name the device to attach to");
            }
            checkName(name);
            for (String a : addresses) {
                try {
                    if (!a.contains("/")) {
                        throw new IllegalArgumentException("no prefix length");
                    }
                    if (a.contains(":")) {
                        Ipv6Cidr c = Ipv6Cidr.parse(a);
                        if (c.address().isAny() || c.address().isMulticast() || c.address().isLoopback()) {
                            throw new IllegalArgumentException(c.address() + " cannot be owned");
                        }
                    } else if (Ipv4Cidr.parse(a).address().isAny()) {
                        throw new IllegalArgumentException("0.0.0.0 cannot be owned");
                    }
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("neighd.interfaces[" + name + "].addresses: '" + a
                            + "' is not an address with prefix like 10.77.0.1/24 or 2001:db8::1/64 (" + e.getMessage()
                            + ")");
                }
            }
            if (mac != null) {
                MacAddress m;
                try {
                    m = MacAddress.parse(mac);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("neighd.interfaces[" + name + "].mac: " + e.getMessage());
                }
                // is_valid_ether_addr(): eth_prepare_mac_addr_change() refuses these for any device
                if (m.isMulticast()) {
                    throw new IllegalArgumentException("neighd.interfaces[" + name + "].mac: " + m
                            + " is a multicast address, which no interface can have: clear bit 0 of the first octet "
                            + "(locally administered unicast looks like 02:xx:xx:xx:xx:xx)");
                }
                if (m.isZero()) {
                    throw new IllegalArgumentException("neighd.interfaces[" + name + "].mac: " + m
                            + " is all zeros, which no interface can have: give a unicast address like 02:00:00:00:00:01");
                }
            }
            if ((pcapFile != null || memory) && mac == null) {
                throw new IllegalArgumentException("neighd.interfaces[" + name + "].mac is required for "
                        + (memory ? "an in-memory" : "a replayed") + " interface: there is no device to read it from");
            }
            if (pcapOut != null && pcapFile == null) {
                throw new IllegalArgumentException("neighd.interfaces[" + name + "].pcap-out needs pcap-file");
            }
            if (vlan != null && vlan == 0) {
                // IEEE 802.1Q: VID 0 tags priority only; no VLAN sub-interface carries it
                throw new IllegalArgumentException("neighd.interfaces[" + name + "].vlan: 0 is the priority tag, not a "
                        + "VLAN: leave vlan out for an untagged interface, or give its VLAN id (1-4094)");
            }
            if (vlan != null && (vlan < 1 || vlan > 4094)) {
                throw new IllegalArgumentException("neighd.interfaces[" + name + "].vlan: " + vlan
                        + " is not a VLAN id (1-4094; 0 and 4095 are reserved)");
            }
            if (captureBuffer != null && (captureBuffer.compareTo(MIN_CAPTURE_BUFFER) < 0
                    || captureBuffer.compareTo(MAX_CAPTURE_BUFFER) > 0)) {
                throw new IllegalArgumentException("neighd.interfaces[" + name + "].capture-buffer: "
                        + captureBuffer.toMegabytes() + "MB (" + captureBuffer.toBytes()
                        + " bytes) is out of range: give 1MB to 1024MB, e.g. 64MB");
            }
        }

        /** The names dev_valid_name() in net/core/dev.c accepts: no interface can have another. */
        private static void checkName(String name) {
            if (name.length() > MAX_NAME) {
                throw new IllegalArgumentException("neighd.interfaces[].name: '" + name + "' has " + name.length()
                        + " characters: Linux names have at most " + MAX_NAME + " (IFNAMSIZ), so no such interface "
                        + "can exist: fix the name");
            }
            if (name.equals(".") || name.equals("..")) {
                throw new IllegalArgumentException("neighd.interfaces[].name: '" + name + "' is not a valid interface name");
            }
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c == '/' || c == ':' || Character.isWhitespace(c)) {
                    throw new IllegalArgumentException("neighd.interfaces[].name: '" + name + "' cannot contain '"
                            + c + "': Linux refuses it in interface names, so no such interface can exist");
                }
            }
        }

        /** The capture ring's size in bytes. */
        public int captureBufferBytes() {
            return captureBuffer == null ? PacketLink.DEFAULT_BUFFER_BYTES : (int) captureBuffer.toBytes();
        }

        public MacAddress macOverride() {
            return mac == null ? null : MacAddress.parse(mac);
        }
    }

    /**
     * The REST API.
     *
     * @param token           the bearer token writes need; generated and logged once if empty
     * @param readToken       if set, reads (the API, the event stream, the OpenAPI description and the
     *                        actuator but for health) need this token or {@code token}; empty: reads are open
     * @param maxRequestBody  the largest request body taken; larger ones are answered 413
     * @param maxBatch        the most entries one batch (or one sysctl write) may carry; more are answered 413
     * @param maxFullDumps    whole-table answers ({@code GET /api/v1/neighbours} without {@code limit}) served
     *                        at once; more are answered 503 {@code too-many-dumps} with Retry-After
     * @param maxPendingWaits resolves and pings waiting at once; more are answered 503 {@code too-many-waits}
     *                        with Retry-After
     */
    public record Api(String token, String readToken, @DefaultValue("16MB") DataSize maxRequestBody,
                      @DefaultValue("100000") int maxBatch, @DefaultValue("4") int maxFullDumps,
                      @DefaultValue("1024") int maxPendingWaits) {
        /** Beyond this, whole-table answers at once would hold more heap than a node's neighd has. */
        public static final int MAX_FULL_DUMPS_LIMIT = 1024;
        /** Beyond this, waits at once exceed what Tomcat's default max-connections (8192) lets in anyway. */
        public static final int MAX_PENDING_WAITS_LIMIT = 8192;
        /** Short enough to type, long enough (96+ bits as base64) not to be guessed over the network. */
        public static final int MIN_TOKEN_LENGTH = 16;
        private static final DataSize MIN_BODY = DataSize.ofKilobytes(64);

        @ConstructorBinding
        public Api {
            token = checkToken("neighd.api.token", token);
            readToken = checkToken("neighd.api.read-token", readToken);
            if (readToken != null && readToken.equals(token)) {
                throw new IllegalArgumentException("neighd.api.read-token must differ from neighd.api.token: the read "
                        + "token is meant to be handed out, and it would then allow writes");
            }
            if (maxRequestBody == null) {
                maxRequestBody = DataSize.ofMegabytes(16);
            }
            if (maxRequestBody.compareTo(MIN_BODY) < 0) {
                throw new IllegalArgumentException("neighd.api.max-request-body: " + maxRequestBody.toBytes()
                        + " bytes is too small for the API's own requests: give at least 64KB");
            }
            if (maxBatch < 1) {
                throw new IllegalArgumentException("neighd.api.max-batch: " + maxBatch + " is too small (at least 1)");
            }
            if (maxFullDumps < 1 || maxFullDumps > MAX_FULL_DUMPS_LIMIT) {
                throw new IllegalArgumentException("neighd.api.max-full-dumps: " + maxFullDumps + " is out of range: "
                        + "give 1 to " + MAX_FULL_DUMPS_LIMIT + " (whole-table answers at once; pages are not counted)");
            }
            if (maxPendingWaits < 1 || maxPendingWaits > MAX_PENDING_WAITS_LIMIT) {
                throw new IllegalArgumentException("neighd.api.max-pending-waits: " + maxPendingWaits + " is out of "
                        + "range: give 1 to " + MAX_PENDING_WAITS_LIMIT + " (resolves and pings waiting at once)");
            }
        }

        /** The token writes need, with the default limits. */
        public Api(String token) {
            this(token, null, DataSize.ofMegabytes(16), 100_000, 4, 1024);
        }

        /**
         * A token as configured, stripped; null if empty. RFC 6750's b64token is all a bearer
         * token can carry: Spring Security (and any RFC client) refuses anything else as malformed,
         * so a token outside it would make every write fail.
         */
        private static String checkToken(String property, String configured) {
            if (configured == null || configured.isBlank()) {
                return null;
            }
            String t = configured.strip();
            int i = 0;
            while (i < t.length() && isB64TokenChar(t.charAt(i))) {
                i++;
            }
            int end = i;
            while (i < t.length() && t.charAt(i) == '=') {
                i++;
            }
            if (i < t.length() || end == 0) {
                int at = i < t.length() ? i : 0;
                throw new IllegalArgumentException(property + ": '" + printable(t.charAt(at)) + "' at position " + (at + 1)
                        + " is a character a bearer token cannot carry (RFC 6750: letters, digits and -._~+/, then "
                        + "= only at the end): choose one of those, e.g. from 'head -c 24 /dev/urandom | base64'");
            }
            if (t.length() < MIN_TOKEN_LENGTH) {
                throw new IllegalArgumentException(property + ": " + t.length() + " characters is too short: use at least "
                        + MIN_TOKEN_LENGTH + ", e.g. from 'head -c 24 /dev/urandom | base64'");
            }
            return t;
        }

        private static boolean isB64TokenChar(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
        }

        private static String printable(char c) {
            return c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c);
        }
    }

    /**
     * The {@code ip monitor neigh} stream.
     *
     * @param buffer          events kept for subscribers to read (one ring shared by all); a subscriber
     *                        further behind is cut off with a final {@code lost} event
     * @param maxSubscribers  open streams at most; more are answered 503 with Retry-After
     * @param deliveryThreads threads that write events to the streams (writes never block them)
     * @param stallTimeout    a stream that accepts nothing for this long is cut off
     * @param heartbeat       an idle stream is sent a comment this often (which also finds streams whose client went)
     */
    public record Events(@DefaultValue("4096") int buffer, @DefaultValue("64") int maxSubscribers,
                         @DefaultValue("2") int deliveryThreads, @DefaultValue("60s") java.time.Duration stallTimeout,
                         @DefaultValue("15s") java.time.Duration heartbeat) {
        @ConstructorBinding
        public Events {
            if (buffer < 16) {
                throw new IllegalArgumentException("neighd.events.buffer: " + buffer + " is too small (at least 16)");
            }
            if (maxSubscribers < 1) {
                throw new IllegalArgumentException("neighd.events.max-subscribers: " + maxSubscribers
                        + " is too small (at least 1)");
            }
            if (deliveryThreads < 1 || deliveryThreads > 16) {
                throw new IllegalArgumentException("neighd.events.delivery-threads: " + deliveryThreads
                        + " is out of range (1-16)");
            }
            if (stallTimeout == null) {
                stallTimeout = java.time.Duration.ofSeconds(60);
            }
            if (stallTimeout.compareTo(java.time.Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("neighd.events.stall-timeout: " + stallTimeout
                        + " is too short (at least 1s)");
            }
            if (heartbeat == null) {
                heartbeat = java.time.Duration.ofSeconds(15);
            }
            if (heartbeat.compareTo(java.time.Duration.ofMillis(100)) < 0 || heartbeat.compareTo(stallTimeout) > 0) {
                throw new IllegalArgumentException("neighd.events.heartbeat: " + heartbeat
                        + " is out of range (100ms up to neighd.events.stall-timeout, " + stallTimeout + ")");
            }
        }

        /** A ring of {@code buffer} events, with the other defaults. */
        public Events(int buffer) {
            this(buffer, 64, 2, java.time.Duration.ofSeconds(60), java.time.Duration.ofSeconds(15));
        }
    }
}
