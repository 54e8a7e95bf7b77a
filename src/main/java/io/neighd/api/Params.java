package io.neighd.api;

import io.neighd.neighbour.NudState;
import io.neighd.service.NeighbourService;
import io.neighd.wire.IpAddress;
import io.neighd.wire.IpCidr;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv4Cidr;
import io.neighd.wire.Ipv6Cidr;
import io.neighd.wire.MacAddress;

import java.util.HexFormat;
import java.util.List;

/** Parsing of request values into engine values; every failure names the field and quotes the value. */
final class Params {
    private Params() {
    }

    /** An address of either family: IPv6 when it has a colon, a dotted quad otherwise. */
    static IpAddress ip(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new ApiProblem(ProblemType.INVALID_IP, field + " is required (an IP address like 10.0.0.1 or "
                    + "2001:db8::1)", field, null);
        }
        try {
            return IpAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(ProblemType.INVALID_IP, field + ": " + e.getMessage(), field, text);
        }
    }

    static IpAddress optionalIp(String field, String text) {
        return text == null ? null : ip(field, text);
    }

    /** {@code -4} / {@code -6} as {@code family=inet|inet6} (also 4 and 6); absent: both (0). */
    static int family(String field, String text) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "inet", "4", "ipv4" -> IpAddress.AF_INET;
            case "inet6", "6", "ipv6" -> IpAddress.AF_INET6;
            default -> throw new ApiProblem(ProblemType.INVALID_REQUEST, field + ": '" + text
                    + "' is not a family (expected: inet or inet6)", field, text);
        };
    }

    /** An IPv6 address with prefix, as {@code ip -6 addr add} takes it. */
    static Ipv6Cidr cidr6(String field, String text) {
        if (!text.contains("/")) {
            throw new ApiProblem(ProblemType.INVALID_ADDRESS, field + ": '" + text
                    + "' has no prefix length (expected: like 2001:db8::1/64)", field, text);
        }
        try {
            return Ipv6Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(ProblemType.INVALID_ADDRESS, field + ": " + e.getMessage(), field, text);
        }
    }

    static MacAddress mac(String field, String text) {
        if (text == null) {
            return null;
        }
        try {
            return MacAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(ProblemType.INVALID_MAC, field + ": " + e.getMessage(), field, text);
        }
    }

    static NudState state(String field, String text) {
        if (text == null) {
            return null;
        }
        try {
            return NudState.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(ProblemType.INVALID_STATE, field + ": " + e.getMessage(), field, text);
        }
    }

    /**
     * {@code nud STATE...}: names (repeated or comma-separated, any case) or {@code all}, as a
     * state mask with 0x100 for NONE; {@code dflt} when none is given.
     */
    static int states(String field, List<String> values, int dflt) {
        if (values == null || values.isEmpty()) {
            return dflt;
        }
        int mask = 0;
        for (String v : values) {
            for (String s : v.split(",")) {
                String t = s.trim();
                if (t.isEmpty()) {
                    continue;
                }
                if (t.equalsIgnoreCase("all")) {
                    mask |= NudState.MASK_ALL;
                } else {
                    NudState st = state(field, t);
                    mask |= st == NudState.NONE ? NudState.MASK_NONE : st.bit();
                }
            }
        }
        return mask == 0 ? dflt : mask;
    }

    /** An address of either family with its prefix, required ({@code 10.77.0.100/24}, {@code fd77::55/64}). */
    static IpCidr ipCidr(String field, String text) {
        if (text != null && text.indexOf(':') >= 0) {
            return cidr6(field, text);
        }
        return cidr(field, text, true);
    }

    static Ipv4Cidr cidr(String field, String text, boolean prefixRequired) {
        if (text == null || text.isBlank()) {
            throw new ApiProblem(ProblemType.INVALID_ADDRESS, field + " is required (like 10.0.0.1/24 or "
                    + "2001:db8::1/64)", field, null);
        }
        if (prefixRequired && !text.contains("/")) {
            throw new ApiProblem(ProblemType.INVALID_ADDRESS, field + ": '" + text
                    + "' has no prefix length (expected: like 10.0.0.1/24)", field, text);
        }
        try {
            return Ipv4Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(ProblemType.INVALID_ADDRESS, field + ": " + e.getMessage(), field, text);
        }
    }

    /** A route destination as {@code ip route del} takes it: {@code default} or a prefix (a bare address is a /32). */
    static Ipv4Cidr destination(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new ApiProblem(ProblemType.INVALID_ROUTE, field + " is required (like 10.88.0.0/24 or default)",
                    field, null);
        }
        if (text.trim().equals("default")) {
            return new Ipv4Cidr(Ipv4Address.ANY, 0);
        }
        try {
            return Ipv4Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(ProblemType.INVALID_ROUTE, field + ": " + e.getMessage(), field, text);
        }
    }

    static long range(String field, Long value, long dflt, long min, long max) {
        long v = value == null ? dflt : value;
        if (v < min || v > max) {
            throw new ApiProblem(ProblemType.INVALID_REQUEST, field + ": " + v + " is out of range (allowed: " + min
                    + ".." + max + ")", field, v);
        }
        return v;
    }

    /** A frame as hex digits; spaces, colons and dashes between bytes are allowed. */
    static byte[] hex(String field, String text) {
        String h = text.replaceAll("[\\s:.-]", "");
        if (h.startsWith("0x") || h.startsWith("0X")) {
            h = h.substring(2);
        }
        try {
            byte[] b = HexFormat.of().parseHex(h);
            if (b.length < 14) {
                throw new ApiProblem(ProblemType.INVALID_FRAME, field + ": " + b.length
                        + " bytes is shorter than an Ethernet header (expected: 14+, 42 for ARP)", field, text);
            }
            return b;
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(ProblemType.INVALID_FRAME, field + ": not hex digits (" + e.getMessage() + ")", field,
                    text);
        }
    }

    /** An ARP opcode: request, reply, or a number 0-65535. */
    static Integer op(String field, String text) {
        if (text == null) {
            return null;
        }
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "request" -> 1;
            case "reply" -> 2;
            default -> {
                try {
                    int v = Integer.parseInt(text.trim());
                    if (v < 0 || v > 0xffff) {
                        throw new NumberFormatException();
                    }
                    yield v;
                } catch (NumberFormatException e) {
                    throw new ApiProblem(ProblemType.INVALID_REQUEST, field + ": '" + text
                            + "' is not request, reply or a number 0-65535", field, text);
                }
            }
        };
    }
}
