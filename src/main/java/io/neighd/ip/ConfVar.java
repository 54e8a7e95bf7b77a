package io.neighd.ip;

import java.util.Locale;

/**
 * One row of a per-interface conf table: devinet.c's {@code devinet_sysctl} ({@link DevVar},
 * {@code net.ipv4.conf.*}) or addrconf.c's {@code addrconf_sysctl} ({@code Ipv6DevVar},
 * {@code net.ipv6.conf.*}). Each table is an enum whose constants are its rows; how a row's
 * {@code all} and device values combine is the table's own business (IN_DEV_* macros for IPv4,
 * each use site for IPv6).
 */
public interface ConfVar {
    /**
     * What a row says of its knob: the value a new device starts with, the documented range, and
     * what it does.
     */
    record Row(int defaultValue, int min, int max, String description) {
    }

    /** The enum constant's name: the sysctl leaf in upper case. */
    String name();

    Row row();

    default int defaultValue() {
        return row().defaultValue();
    }

    default int min() {
        return row().min();
    }

    default int max() {
        return row().max();
    }

    default String description() {
        return row().description();
    }

    /** The sysctl leaf name (the ctl_table's procname), e.g. {@code arp_ignore}. */
    default String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The row of {@code table} whose leaf name is {@code key}, or null. */
    static <V extends Enum<V> & ConfVar> V ofKey(Class<V> table, String key) {
        for (V v : table.getEnumConstants()) {
            if (v.key().equals(key)) {
                return v;
            }
        }
        return null;
    }
}
