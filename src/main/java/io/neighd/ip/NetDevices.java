package io.neighd.ip;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * The network namespace's devices (net/core/dev.c): register_netdevice, unregister_netdevice,
 * dev_get_by_name, dev_get_by_index, for_each_netdev, and the netdev notifier chain that tells
 * the FIB (fib_netdev_event) about devices going up, down or away.
 */
public final class NetDevices {
    /** A netdev notifier event (include/linux/netdevice.h: NETDEV_REGISTER, NETDEV_UP, ...). */
    public enum Event { REGISTER, UP, DOWN, UNREGISTER }

    /** register_netdevice_notifier() */
    public interface Listener {
        void netdevEvent(NetDevice dev, Event event);
    }

    private final List<NetDevice> devices = new ArrayList<>();
    /** The read-only view {@link #all()} answers: one for the namespace's life, so the receive path allocates none. */
    private final List<NetDevice> view = Collections.unmodifiableList(devices);
    private final List<Listener> listeners = new ArrayList<>();

    public void addListener(Listener l) {
        listeners.add(l);
    }

    /** for_each_netdev order: by ifindex, so the loopback device (1) comes first. */
    public List<NetDevice> all() {
        return view;
    }

    /** dev_get_by_name() */
    public NetDevice byName(String name) {
        for (int i = 0; i < devices.size(); i++) {
            NetDevice d = devices.get(i);
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    /** dev_get_by_index() */
    public NetDevice byIndex(int ifindex) {
        for (int i = 0; i < devices.size(); i++) {
            NetDevice d = devices.get(i);
            if (d.ifindex() == ifindex) {
                return d;
            }
        }
        return null;
    }

    /**
     * register_netdevice(): the new device is down and without carrier; NETDEV_REGISTER lets the
     * protocols attach their per-device state (devinet's inetdev_init).
     */
    public NetDevice register(String name, int ifindex, long mac, int mtu, boolean loopback, int vlan) {
        if (byName(name) != null) {
            throw new IllegalArgumentException("device " + name + " already exists");
        }
        if (byIndex(ifindex) != null) {
            throw new IllegalArgumentException("ifindex " + ifindex + " is already used by " + byIndex(ifindex).name());
        }
        NetDevice d = new NetDevice(name, ifindex, mac, mtu, loopback, vlan);
        devices.add(d);
        devices.sort(Comparator.comparingInt(NetDevice::ifindex));
        fire(d, Event.REGISTER);
        return d;
    }

    /** unregister_netdevice(): NETDEV_UNREGISTER, then the device is gone. */
    public void unregister(NetDevice d) {
        devices.remove(d);
        fire(d, Event.UNREGISTER);
    }

    /** dev_open() / dev_close(): IFF_UP, then NETDEV_UP or NETDEV_DOWN. */
    public void setUp(NetDevice dev, boolean up) {
        dev.setUp(up);
        fire(dev, up ? Event.UP : Event.DOWN);
    }

    /** netif_carrier_on() / netif_carrier_off() */
    public void setCarrier(NetDevice dev, boolean carrier) {
        dev.setCarrier(carrier);
    }

    /** dev_change_flags(IFF_NOARP) */
    public void setNoarp(NetDevice dev, boolean noarp) {
        dev.setNoarp(noarp);
    }

    /** dev_set_mac_address() */
    public void setHwAddr(NetDevice dev, long mac) {
        dev.setHwAddr(mac);
    }

    public String names() {
        return String.join(", ", devices.stream().map(NetDevice::name).toList());
    }

    private void fire(NetDevice dev, Event e) {
        for (Listener l : listeners) {
            l.netdevEvent(dev, e);
        }
    }
}
