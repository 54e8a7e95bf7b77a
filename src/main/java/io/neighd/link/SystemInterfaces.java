package io.neighd.link;

import io.neighd.wire.MacAddress;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads what the system knows about an interface: ifindex, MAC, MTU and carrier from
 * /sys/class/net, or, for an interface inside a network namespace, from {@code ip -n NS -j link}.
 */
public final class SystemInterfaces {
    /** IFF_UP in /sys/class/net/DEV/flags (include/uapi/linux/if.h). */
    private static final int IFF_UP = 0x1;
    private SystemInterfaces() {
    }

    public static InterfaceInfo read(String name, String netns) {
        return netns == null ? readSys(name) : readNetns(name, netns);
    }

    /** Names of the interfaces that exist (in the namespace, if given). */
    public static List<String> names(String netns) {
        if (netns == null) {
            try (Stream<Path> s = Files.list(Path.of("/sys/class/net"))) {
                return s.map(p -> p.getFileName().toString()).sorted().toList();
            } catch (IOException e) {
                return List.of();
            }
        }
        String out = ip("-n", netns, "-o", "link", "show");
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("^\\d+: ([^:@]+)[:@]", Pattern.MULTILINE).matcher(out == null ? "" : out);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static InterfaceInfo readSys(String name) {
        Path dir = Path.of("/sys/class/net", name);
        if (!Files.isDirectory(dir)) {
            throw new LinkException("interface '" + name + "' does not exist (available: "
                    + String.join(", ", names(null)) + "): fix neighd.interfaces[].name");
        }
        int ifindex = Integer.parseInt(readFile(dir.resolve("ifindex"), "0"));
        String mac = readFile(dir.resolve("address"), "00:00:00:00:00:00");
        int mtu = Integer.parseInt(readFile(dir.resolve("mtu"), "1500"));
        // reading 'carrier' fails while the interface is down: that is no carrier
        boolean carrier = "1".equals(readFile(dir.resolve("carrier"), "0"));
        boolean up = (Integer.decode(readFile(dir.resolve("flags"), "0x1")) & IFF_UP) != 0;
        return new InterfaceInfo(name, ifindex, parseMac(mac, name), mtu, up, carrier);
    }

    private static InterfaceInfo readNetns(String name, String netns) {
        if (!Netns.exists(netns)) {
            throw new LinkException("network namespace '" + netns + "' does not exist (see 'ip netns list'): "
                    + "fix neighd.interfaces[].netns");
        }
        String json = ip("-n", netns, "-j", "link", "show", "dev", name);
        if (json == null || !json.contains("\"ifindex\"")) {
            throw new LinkException("interface '" + name + "' does not exist in network namespace '" + netns
                    + "' (available: " + String.join(", ", names(netns)) + "): fix neighd.interfaces[].name");
        }
        int ifindex = Integer.parseInt(field(json, "\"ifindex\":(\\d+)", "0"));
        int mtu = Integer.parseInt(field(json, "\"mtu\":(\\d+)", "1500"));
        String mac = field(json, "\"address\":\"([0-9a-f:]{17})\"", "00:00:00:00:00:00");
        boolean carrier = json.contains("\"LOWER_UP\"");
        boolean up = json.contains("\"UP\"");
        return new InterfaceInfo(name, ifindex, parseMac(mac, name), mtu, up, carrier);
    }

    private static MacAddress parseMac(String mac, String name) {
        try {
            return MacAddress.parse(mac);
        } catch (IllegalArgumentException e) {
            throw new LinkException("interface '" + name + "' has no Ethernet address ('" + mac
                    + "'): neighd attaches to Ethernet interfaces only");
        }
    }

    private static String field(String json, String regex, String dflt) {
        Matcher m = Pattern.compile(regex).matcher(json);
        return m.find() ? m.group(1) : dflt;
    }

    private static String readFile(Path p, String dflt) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return dflt;
        }
    }

    static String ip(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("ip");
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            throw new LinkException("cannot run 'ip' to inspect a network namespace: install iproute2");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
