package io.neighd.ipv6;

/**
 * struct ipv6_devconf: one set of {@link Ipv6DevVar} values, a device's, {@code all}'s or
 * {@code default}'s. A device's set starts as a copy of {@code default} (ipv6_add_dev) and never
 * follows later writes to it.
 */
public final class Ipv6DevConf {
    private final int[] values = new int[Ipv6DevVar.values().length];

    private Ipv6DevConf() {
    }

    /** {@code all}'s initial values. */
    public static Ipv6DevConf all() {
        Ipv6DevConf c = new Ipv6DevConf();
        for (Ipv6DevVar v : Ipv6DevVar.values()) {
            c.values[v.ordinal()] = v.allDefault();
        }
        return c;
    }

    /** {@code default}'s initial values. */
    public static Ipv6DevConf defaults() {
        Ipv6DevConf c = new Ipv6DevConf();
        for (Ipv6DevVar v : Ipv6DevVar.values()) {
            c.values[v.ordinal()] = v.defaultValue();
        }
        return c;
    }

    /** A new device's set: a copy of this one. */
    public Ipv6DevConf copy() {
        Ipv6DevConf c = new Ipv6DevConf();
        System.arraycopy(values, 0, c.values, 0, values.length);
        return c;
    }

    public int get(Ipv6DevVar v) {
        return values[v.ordinal()];
    }

    void set(Ipv6DevVar v, int value) {
        values[v.ordinal()] = value;
    }
}
