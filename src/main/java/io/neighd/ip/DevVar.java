package io.neighd.ip;

/**
 * The IPv4 per-interface knobs neighd implements ({@code net.ipv4.conf.{all,default,DEV}.*}),
 * with their defaults, documented ranges and how {@code all} and the device's value combine
 * (include/linux/inetdevice.h: IN_DEV_MAXCONF / IN_DEV_ORCONF / IN_DEV_ANDCONF / IN_DEV_CONF_GET).
 */
public enum DevVar implements ConfVar {
    FORWARDING(Combine.DEVICE, 0, 0, 1,
            "forward packets between interfaces; proxy ARP needs it on the receiving interface"),
    PROXY_ARP(Combine.OR, 0, 0, 1, "answer for addresses routed out of another interface"),
    PROXY_ARP_PVLAN(Combine.DEVICE, 0, 0, 1, "RFC 3069 private VLAN proxy ARP: answer back out of the same interface"),
    MEDIUM_ID(Combine.DEVICE, 0, -1, Integer.MAX_VALUE,
            "proxy ARP medium: 0 always proxy, -1 never, N only towards interfaces of another medium"),
    ARP_FILTER(Combine.OR, 0, 0, 1, "reply only if the route back to the sender leaves through this interface"),
    ARP_ANNOUNCE(Combine.MAX, 0, 0, 2,
            "source address of requests: 0 any local, 1 only on the target's subnet, 2 the best local address"),
    ARP_IGNORE(Combine.MAX, 0, 0, 8,
            "reply for: 0 any local address, 1 addresses on this interface, 2 and on the sender's subnet, "
                    + "3 not scope host, 8 never"),
    ARP_ACCEPT(Combine.MAX, 0, 0, 2,
            "create entries from unsolicited ARP: 0 no, 1 yes, 2 only for senders on a local subnet"),
    ARP_NOTIFY(Combine.MAX, 0, 0, 1, "send gratuitous ARP when the interface comes up or changes its address"),
    ARP_EVICT_NOCARRIER(Combine.AND, 1, 0, 1, "flush the interface's entries when carrier is lost"),
    DROP_GRATUITOUS_ARP(Combine.OR, 0, 0, 1, "drop every ARP whose sender and target address are equal"),
    ROUTE_LOCALNET(Combine.OR, 0, 0, 1, "accept 127/8 addresses on this interface"),
    ACCEPT_LOCAL(Combine.OR, 0, 0, 1, "accept packets whose source is a local address"),
    RP_FILTER(Combine.MAX, 0, 0, 2, "reverse path filter: 0 off, 1 strict, 2 loose");

    public enum Combine { MAX, OR, AND, DEVICE }

    private final Combine combine;
    private final Row row;

    DevVar(Combine combine, int defaultValue, int min, int max, String description) {
        this.combine = combine;
        this.row = new Row(defaultValue, min, max, description);
    }

    public Combine combine() {
        return combine;
    }

    @Override
    public Row row() {
        return row;
    }

    public static DevVar ofKey(String key) {
        return ConfVar.ofKey(DevVar.class, key);
    }

    /** Combines the {@code all} value with the device's, as the IN_DEV_* macro for this knob does. */
    public int combine(int all, int dev) {
        return switch (combine) {
            case MAX -> Math.max(all, dev);
            case OR -> (all != 0 || dev != 0) ? 1 : 0;
            case AND -> (all != 0 && dev != 0) ? 1 : 0;
            case DEVICE -> dev;
        };
    }
}
