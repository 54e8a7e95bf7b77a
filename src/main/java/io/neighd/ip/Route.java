package io.neighd.ip;

import io.neighd.wire.Ipv4Address;

/**
 * One FIB entry. {@code gateway} is 0 for a directly connected destination; {@code prefsrc} 0
 * when the source address is left to inet_select_addr; {@code kernel} marks the routes the
 * kernel adds for owned addresses (proto kernel), as opposed to static ones.
 */
public record Route(int dst, int prefixLength, RouteType type, NetDevice dev, int gateway, int prefsrc,
                    int scope, int metric, boolean kernel) {

    public int mask() {
        return Ipv4Address.mask(prefixLength);
    }

    public boolean matches(int addr) {
        return ((addr ^ dst) & mask()) == 0;
    }

    /** The route in {@code ip route} syntax, e.g. {@code default via 10.77.0.254 dev nd0}. */
    public String spec() {
        StringBuilder b = new StringBuilder();
        if (type != RouteType.UNICAST) {
            b.append(type.name().toLowerCase()).append(' ');
        }
        b.append(prefixLength == 0 && dst == 0 ? "default" : Ipv4Address.toString(dst) + "/" + prefixLength);
        if (gateway != 0) {
            b.append(" via ").append(Ipv4Address.toString(gateway));
        }
        if (dev != null) {
            b.append(" dev ").append(dev.name());
        }
        if (kernel) {
            b.append(" proto kernel");
        }
        if (scope != Scope.UNIVERSE) {
            b.append(" scope ").append(Scope.name(scope));
        }
        if (prefsrc != 0) {
            b.append(" src ").append(Ipv4Address.toString(prefsrc));
        }
        if (metric != 0) {
            b.append(" metric ").append(metric);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return spec();
    }
}
