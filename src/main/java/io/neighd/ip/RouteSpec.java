package io.neighd.ip;

import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv4Cidr;

import java.util.Locale;

/**
 * A static route as {@code ip route} writes it:
 * {@code [unicast|blackhole|unreachable|prohibit] PREFIX|default [via GW] [dev DEV] [src ADDR]
 * [metric N] [scope SCOPE]}. Parsing is strict and every error quotes the route.
 */
public record RouteSpec(RouteType type, Ipv4Cidr dst, Ipv4Address via, String dev, Ipv4Address src, int metric,
                        Integer scope) {

    public static RouteSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("route is empty (expected: like 'default via 10.77.0.254 dev eth0')");
        }
        String[] t = text.trim().split("\\s+");
        int i = 0;
        RouteType type = RouteType.UNICAST;
        switch (t[0].toLowerCase(Locale.ROOT)) {
            case "unicast" -> i++;
            case "blackhole" -> { type = RouteType.BLACKHOLE; i++; }
            case "unreachable" -> { type = RouteType.UNREACHABLE; i++; }
            case "prohibit" -> { type = RouteType.PROHIBIT; i++; }
            default -> { }
        }
        if (i >= t.length) {
            throw bad(text, "the destination is missing");
        }
        Ipv4Cidr dst;
        String d = t[i++];
        if (d.equals("default")) {
            dst = new Ipv4Cidr(Ipv4Address.ANY, 0);
        } else {
            try {
                dst = Ipv4Cidr.parse(d);
            } catch (IllegalArgumentException e) {
                throw bad(text, e.getMessage());
            }
            if ((dst.address().bits() & ~dst.mask()) != 0) {
                throw bad(text, "'" + d + "' has host bits set (did you mean " + dst.network() + "/"
                        + dst.prefixLength() + "?)");
            }
        }
        Ipv4Address via = null;
        String dev = null;
        Ipv4Address src = null;
        int metric = 0;
        Integer scope = null;
        while (i < t.length) {
            String k = t[i++];
            if (i >= t.length) {
                throw bad(text, "'" + k + "' needs a value");
            }
            String v = t[i++];
            try {
                switch (k) {
                    case "via" -> via = Ipv4Address.parse(v);
                    case "dev" -> dev = v;
                    case "src" -> src = Ipv4Address.parse(v);
                    case "metric", "preference", "priority" -> metric = Integer.parseUnsignedInt(v);
                    case "scope" -> scope = Scope.parse(v);
                    case "proto" -> { }
                    default -> throw bad(text, "unknown keyword '" + k
                            + "' (known: via, dev, src, metric, scope, proto)");
                }
            } catch (NumberFormatException e) {
                throw bad(text, "'" + v + "' is not a number");
            } catch (IllegalArgumentException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("invalid route")) {
                    throw e;
                }
                throw bad(text, e.getMessage());
            }
        }
        if (type == RouteType.UNICAST && via == null && dev == null) {
            throw bad(text, "a unicast route needs 'via GATEWAY' or 'dev DEVICE'");
        }
        if (type != RouteType.UNICAST && via != null) {
            throw bad(text, type.name().toLowerCase(Locale.ROOT) + " routes take no gateway");
        }
        return new RouteSpec(type, dst, via, dev, src, metric, scope);
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("invalid route '" + text + "': " + why);
    }

    /** The canonical text, which parses back to an equal spec. */
    public String text() {
        StringBuilder b = new StringBuilder();
        if (type != RouteType.UNICAST) {
            b.append(type.name().toLowerCase(Locale.ROOT)).append(' ');
        }
        b.append(dst.prefixLength() == 0 && dst.address().isAny() ? "default" : dst.toString());
        if (via != null) {
            b.append(" via ").append(via);
        }
        if (dev != null) {
            b.append(" dev ").append(dev);
        }
        if (src != null) {
            b.append(" src ").append(src);
        }
        if (metric != 0) {
            b.append(" metric ").append(metric);
        }
        if (scope != null) {
            b.append(" scope ").append(Scope.name(scope));
        }
        return b.toString();
    }
}
