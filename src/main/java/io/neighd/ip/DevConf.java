package io.neighd.ip;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * struct ipv4_devconf: one set of values (a device's, {@code all}'s or {@code default}'s) and
 * which keys were written explicitly, so that writes to {@code default} reach only the devices
 * that never set the key (devinet_copy_dflt_conf).
 *
 * <p>A device's set also keeps each knob's effective value, {@code all} combined with the
 * device's per the knob's IN_DEV_* rule, recomputed on every write to either: arp_process reads
 * half a dozen knobs per frame, a knob changes a few times a day.
 */
public final class DevConf {
    private static final DevVar[] VARS = DevVar.values();

    private final int[] values = new int[VARS.length];
    private final EnumSet<DevVar> set = EnumSet.noneOf(DevVar.class);
    /** {@code all}'s set for a device's, else null. */
    private final DevConf all;
    /** For a device's set: the IN_DEV_* values. */
    private final int[] effective;
    /** For {@code all}'s set: the devices' sets that combine with it. */
    private final List<DevConf> devices = new ArrayList<>();

    private DevConf(DevConf all) {
        this.all = all;
        this.effective = all == null ? null : new int[VARS.length];
    }

    public static DevConf defaults() {
        DevConf c = new DevConf(null);
        for (DevVar v : VARS) {
            c.values[v.ordinal()] = v.defaultValue();
        }
        return c;
    }

    /**
     * A new device's configuration: a copy of this ({@code default}'s) values, nothing marked as
     * set, combined with {@code all} until {@link #detach()}.
     */
    public DevConf copyFor(DevConf all) {
        DevConf c = new DevConf(all);
        System.arraycopy(values, 0, c.values, 0, values.length);
        all.devices.add(c);
        for (DevVar v : VARS) {
            c.recompute(v);
        }
        return c;
    }

    /** The device is gone: {@code all} no longer updates this set. */
    public void detach() {
        if (all != null) {
            all.devices.remove(this);
        }
    }

    public int get(DevVar v) {
        return values[v.ordinal()];
    }

    /** IN_DEV_*: {@code all}'s value combined with this device's; only for a device's set. */
    public int effective(DevVar v) {
        return effective[v.ordinal()];
    }

    public void set(DevVar v, int value) {
        values[v.ordinal()] = value;
        set.add(v);
        changed(v);
    }

    /** Takes {@code default}'s new value unless the key was set on this device. */
    public void copyDefault(DevVar v, int value) {
        if (!set.contains(v)) {
            values[v.ordinal()] = value;
            changed(v);
        }
    }

    /** For {@code all}'s set: every device's set that combines with it. */
    public List<DevConf> deviceConfs() {
        return List.copyOf(devices);
    }

    public boolean isSet(DevVar v) {
        return set.contains(v);
    }

    private void changed(DevVar v) {
        if (effective != null) {
            recompute(v);
        }
        for (DevConf d : devices) {
            d.recompute(v);
        }
    }

    private void recompute(DevVar v) {
        int i = v.ordinal();
        effective[i] = v.combine(all.values[i], values[i]);
    }
}
