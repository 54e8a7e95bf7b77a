package io.neighd.ip;

import java.util.EnumSet;

/**
 * struct ipv4_devconf: one set of values (a device's, {@code all}'s or {@code default}'s) and
 * which keys were written explicitly, so that writes to {@code default} reach only the devices
 * that never set the key (devinet_copy_dflt_conf).
 */
public final class DevConf {
    private final int[] values = new int[DevVar.values().length];
    private final EnumSet<DevVar> set = EnumSet.noneOf(DevVar.class);

    public static DevConf defaults() {
        DevConf c = new DevConf();
        for (DevVar v : DevVar.values()) {
            c.values[v.ordinal()] = v.defaultValue();
        }
        return c;
    }

    /** A new device's configuration: a copy of {@code default}, nothing marked as set. */
    public DevConf copy() {
        DevConf c = new DevConf();
        System.arraycopy(values, 0, c.values, 0, values.length);
        return c;
    }

    public int get(DevVar v) {
        return values[v.ordinal()];
    }

    public void set(DevVar v, int value) {
        values[v.ordinal()] = value;
        set.add(v);
    }

    /** Takes {@code default}'s new value unless the key was set on this device. */
    public void copyDefault(DevVar v, int value) {
        if (!set.contains(v)) {
            values[v.ordinal()] = value;
        }
    }

    public boolean isSet(DevVar v) {
        return set.contains(v);
    }
}
