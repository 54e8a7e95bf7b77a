package io.neighd.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lines in sysctl.conf(5) syntax ({@code net.ipv4.conf.nd0.arp_ignore = 1}, also
 * {@code net/ipv4/conf/nd0/arp_ignore=1}, comments with # or ;), so people can reuse the files
 * they already have. Keys outside neighd's business (net.core.*, knobs of interfaces neighd does
 * not manage, Linux devconf knobs neighd does not implement) are reported as ignored; a key that
 * is not a Linux knob at all, or a bad value, is an error naming the line.
 */
public final class SysctlFile {
    /** Linux net.ipv4.conf knobs that have nothing to do with ARP and that neighd accepts and ignores. */
    private static final Set<String> LINUX_CONF_NOT_IMPLEMENTED = Set.of("accept_redirects",
            "accept_source_route", "bc_forwarding", "bootp_relay", "disable_policy", "disable_xfrm",
            "drop_unicast_in_l2_multicast", "drop_host_unsolicited_na", "force_igmp_version",
            "igmpv2_unsolicited_report_interval", "igmpv3_unsolicited_report_interval",
            "ignore_routes_with_linkdown", "log_martians", "mc_forwarding", "promote_secondaries",
            "secure_redirects", "send_redirects", "shared_media", "src_valid_mark", "tag", "arp_ndisc_evict_nocarrier");

    /** Linux net.ipv6.conf knobs that have nothing to do with neighbour discovery, accepted and ignored. */
    private static final Set<String> LINUX_CONF6_NOT_IMPLEMENTED = Set.of("accept_ra_mtu", "accept_ra_pinfo",
            "accept_ra_rt_info_max_plen", "accept_ra_rt_info_min_plen", "accept_ra_rtr_pref", "accept_source_route",
            "disable_policy", "force_forwarding", "force_mld_version", "ignore_routes_with_linkdown", "ioam6_enabled",
            "ioam6_id", "ioam6_id_wide", "max_addresses", "max_desync_factor", "mc_forwarding",
            "mldv1_unsolicited_report_interval", "mldv2_unsolicited_report_interval", "mtu", "ndisc_tclass",
            "optimistic_dad", "ra_defrtr_metric", "ra_honor_pio_life", "ra_honor_pio_pflag", "regen_max_retry",
            "regen_min_advance", "router_probe_interval", "router_solicitation_interval",
            "router_solicitation_max_interval", "router_solicitations", "rpl_seg_enabled", "seg6_enabled",
            "seg6_require_hmac", "stable_secret", "suppress_frag_ndisc", "temp_prefered_lft", "temp_valid_lft",
            "use_oif_addrs_only", "use_optimistic", "use_tempaddr");

    /** A parsed line. */
    public record Line(int number, String key, long value) {
    }

    /** What applying a file did; {@code warnings}: values Linux stores otherwise than written (see {@link Sysctl}). */
    public record Outcome(List<String> applied, List<String> ignored, List<String> warnings) {
    }

    private SysctlFile() {
    }

    public static List<Line> parse(Path file) throws IOException {
        return parse(Files.readAllLines(file), file.toString());
    }

    /** Parses; throws IllegalArgumentException naming the source and line for malformed lines. */
    public static List<Line> parse(List<String> lines, String source) {
        List<Line> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i).strip();
            if (raw.isEmpty() || raw.startsWith("#") || raw.startsWith(";")) {
                continue;
            }
            if (raw.startsWith("-")) {
                raw = raw.substring(1).strip(); // "-key = value": ignore errors, as sysctl -p does
            }
            int eq = raw.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + ": '" + raw
                        + "' is not 'key = value' (like net.ipv4.conf.eth0.arp_ignore = 1)");
            }
            String key = raw.substring(0, eq).strip().replace('/', '.');
            String value = raw.substring(eq + 1).strip();
            long v;
            try {
                v = Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + ": value '" + value + "' of " + key
                        + " is not an integer");
            }
            out.add(new Line(i + 1, key, v));
        }
        return out;
    }

    /**
     * Applies the lines neighd implements, all or nothing, and lists what it ignored and why.
     *
     * @throws IllegalArgumentException naming the line of an unknown key or an out-of-range value
     */
    public static Outcome apply(Sysctl sysctl, List<Line> lines, String source) {
        Map<String, Long> writes = new LinkedHashMap<>();
        Map<String, Integer> lineOf = new LinkedHashMap<>();
        List<String> ignored = new ArrayList<>();
        for (Line l : lines) {
            String why;
            try {
                why = ignoreReason(sysctl, l.key());
            } catch (Sysctl.SysctlException e) {
                throw new IllegalArgumentException(source + " line " + l.number() + ": " + e.getMessage(), e);
            }
            if (why != null) {
                ignored.add(l.key() + " (" + why + ")");
                continue;
            }
            writes.put(l.key(), l.value());
            lineOf.put(l.key(), l.number());
        }
        List<String> warnings = new ArrayList<>();
        try {
            for (Sysctl.Knob k : sysctl.set(writes)) {
                if (k.warning() != null) {
                    warnings.add(source + " line " + lineOf.get(k.name()) + ": " + k.warning());
                }
            }
        } catch (Sysctl.SysctlException e) {
            throw new IllegalArgumentException(source + " line " + lineOf.get(e.key()) + ": " + e.getMessage(), e);
        }
        return new Outcome(List.copyOf(writes.keySet()), ignored, warnings);
    }

    private static String ignoreReason(Sysctl sysctl, String key) {
        if (!key.startsWith("net.ipv4.conf.") && !key.startsWith("net.ipv4.neigh.")
                && !key.startsWith("net.ipv6.conf.") && !key.startsWith("net.ipv6.neigh.")) {
            return "not a neighbour-subsystem knob";
        }
        try {
            sysctl.knob(key);
            return null;
        } catch (Sysctl.SysctlException e) {
            String[] parts = key.split("\\.");
            if (parts.length == 5) {
                String scope = parts[3];
                String leaf = parts[4];
                if (key.startsWith("net.ipv4.conf.") && LINUX_CONF_NOT_IMPLEMENTED.contains(leaf)) {
                    return "Linux knob that does not affect ARP";
                }
                if (key.startsWith("net.ipv6.conf.") && LINUX_CONF6_NOT_IMPLEMENTED.contains(leaf)) {
                    return "Linux knob that does not affect neighbour discovery";
                }
                String family = key.startsWith("net.ipv6.") ? "net.ipv6." : "net.ipv4.";
                boolean knownLeafElsewhere = !sysctl.list(family).stream()
                        .filter(k -> k.name().endsWith("." + leaf)).toList().isEmpty();
                if (knownLeafElsewhere && !scope.equals("all") && !scope.equals("default")) {
                    return "interface " + scope + " is not managed by neighd";
                }
            }
            throw e;
        }
    }
}
