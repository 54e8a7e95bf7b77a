package io.neighd.config;

import io.neighd.ip.RouteSpec;
import io.neighd.link.PcapLink;
import io.neighd.wire.Ipv4Cidr;
import io.neighd.wire.Ipv6Cidr;
import io.neighd.wire.MacAddress;
import org.springframework.boot.context.properties.ConfigurationProperties;
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
 */
@ConfigurationProperties("neighd")
public record NeighdProperties(@DefaultValue List<InterfaceProperties> interfaces,
                               @DefaultValue List<String> routes,
                               Path sysctlFile,
                               @DefaultValue Map<String, String> sysctl,
                               @DefaultValue("neighd-state.json") Path stateFile,
                               @DefaultValue Api api,
                               @DefaultValue("250") int hz,
                               @DefaultValue Events events) {

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

        public InterfaceProperties {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("neighd.interfaces[].name is missing: name the device to attach to");
            }
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
                try {
                    MacAddress.parse(mac);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("neighd.interfaces[" + name + "].mac: " + e.getMessage());
                }
            }
            if ((pcapFile != null || memory) && mac == null) {
                throw new IllegalArgumentException("neighd.interfaces[" + name + "].mac is required for "
                        + (memory ? "an in-memory" : "a replayed") + " interface: there is no device to read it from");
            }
            if (pcapOut != null && pcapFile == null) {
                throw new IllegalArgumentException("neighd.interfaces[" + name + "].pcap-out needs pcap-file");
            }
            if (vlan != null && (vlan < 0 || vlan > 4094)) {
                throw new IllegalArgumentException("neighd.interfaces[" + name + "].vlan: " + vlan
                        + " is out of range (0-4094)");
            }
            if (captureBuffer != null && (captureBuffer.compareTo(MIN_CAPTURE_BUFFER) < 0
                    || captureBuffer.compareTo(MAX_CAPTURE_BUFFER) > 0)) {
                throw new IllegalArgumentException("neighd.interfaces[" + name + "].capture-buffer: "
                        + captureBuffer.toMegabytes() + "MB (" + captureBuffer.toBytes()
                        + " bytes) is out of range: give 1MB to 1024MB, e.g. 64MB");
            }
        }

        /** The capture ring's size in bytes. */
        public int captureBufferBytes() {
            return captureBuffer == null ? PcapLink.DEFAULT_BUFFER_BYTES : (int) captureBuffer.toBytes();
        }

        public MacAddress macOverride() {
            return mac == null ? null : MacAddress.parse(mac);
        }
    }

    /** @param token the bearer token writes need; generated and logged once if empty */
    public record Api(String token) {
    }

    /** @param buffer events held per subscriber before the oldest are dropped */
    public record Events(@DefaultValue("1024") int buffer) {
    }
}
