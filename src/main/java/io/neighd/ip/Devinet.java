package io.neighd.ip;

import io.neighd.errno.Errno;
import io.neighd.errno.Result;
import io.neighd.time.Task;
import io.neighd.time.TimerWheel;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv4Cidr;

import java.util.ArrayList;
import java.util.List;

/**
 * net/ipv4/devinet.c: each device's in_device (attached on NETDEV_REGISTER), the
 * {@code net.ipv4.conf.all/default} knobs and how writes to them fan out, the owned addresses
 * (__inet_insert_ifa, inet_del_ifa) with the inetaddr notifier chain the FIB listens to, address
 * lifetimes (set_ifa_lifetime, check_lifetime), and the address helpers arp_process uses
 * (inet_select_addr, inet_confirm_addr, inet_addr_onlink).
 */
public final class Devinet {
    /** register_inetaddr_notifier(): NETDEV_UP / NETDEV_DOWN for an address. */
    public interface InetaddrListener {
        void inetaddrAdded(NetDevice dev, InIfAddr ifa);

        void inetaddrRemoved(NetDevice dev, InIfAddr ifa);
    }

    private final DevConf all = DevConf.defaults();
    private final DevConf dflt = DevConf.defaults();
    private final NetDevices devices;
    private final List<InetaddrListener> listeners = new ArrayList<>();
    private final TimerWheel wheel;
    /** addr_chk_work: runs check_lifetime() when the first lifetime ends. */
    private final Task addrChk = new Task("check_lifetime", this::checkLifetime);

    public Devinet(NetDevices devices, TimerWheel wheel) {
        this.devices = devices;
        this.wheel = wheel;
        devices.addListener((dev, event) -> {
            switch (event) {
                case REGISTER -> dev.attachInDevice(dflt.copyFor(all));
                case UNREGISTER -> dev.conf().detach();
                case UP, DOWN -> {
                }
            }
        });
    }

    public void addListener(InetaddrListener l) {
        listeners.add(l);
    }

    public DevConf all() {
        return all;
    }

    public DevConf defaults() {
        return dflt;
    }

    // ------------------------------------------------------------------ devconf

    /**
     * Writes net.ipv4.conf.default.KEY: devices that never set KEY follow (devinet_conf_proc →
     * devinet_copy_dflt_conf), except for forwarding (devinet_sysctl_forward) and route_localnet
     * (a DEVINET_SYSCTL_FLUSHING_ENTRY, ipv4_doint_and_flush), whose handlers copy nothing: for
     * those the default only seeds devices registered later.
     */
    public void setDefault(DevVar v, int value) {
        dflt.set(v, value);
        if (v == DevVar.FORWARDING || v == DevVar.ROUTE_LOCALNET) {
            return;
        }
        for (DevConf c : all.deviceConfs()) {
            c.copyDefault(v, value);
        }
    }

    /** Writes net.ipv4.conf.all.KEY; for forwarding, also default and every device (inet_forward_change). */
    public void setAll(DevVar v, int value) {
        all.set(v, value);
        if (v == DevVar.FORWARDING) {
            dflt.set(v, value);
            for (DevConf c : all.deviceConfs()) {
                c.set(v, value);
            }
        }
    }

    /** Writes net.ipv4.conf.DEV.KEY. */
    public void setDevice(NetDevice dev, DevVar v, int value) {
        dev.conf().set(v, value);
    }

    // ------------------------------------------------------------------ addresses

    /**
     * __inet_insert_ifa(): orders primaries by scope, marks a second address of an existing
     * subnet secondary, then NETDEV_UP on the inetaddr chain (fib_add_ifaddr adds the routes).
     */
    public Result<InIfAddr> addAddress(NetDevice dev, Ipv4Cidr cidr) {
        return addAddress(dev, InIfAddr.of(cidr));
    }

    public Result<InIfAddr> addAddress(NetDevice dev, InIfAddr ifa) {
        return addAddress(dev, ifa, InIfAddr.FOREVER, false);
    }

    /**
     * inet_rtm_newaddr() with IFA_CACHEINFO ({@code ip addr add|replace CIDR dev DEV valid_lft N}):
     * a new address goes in with its lifetime; one the device has already (find_matching_ifa: the
     * same local address and prefix) is EEXIST, or, with {@code replace} (NLM_F_REPLACE), takes
     * the new lifetime (set_ifa_lifetime) and check_lifetime is rescheduled.
     *
     * <p>Where neighd differs, on purpose: the kernel's valid_lft is whole seconds counted from
     * when the request is handled, and check_lifetime runs up to a second late (round_jiffies_up,
     * ADDRCONF_TIMER_FUZZ). Here the lifetime is the jiffy it ends at, and the address is gone by
     * the time the clock reaches it: a request that waited in a queue cannot stretch it, and no
     * frame read after the end is answered for it (elected addresses depend on both).
     *
     * @param validUntil the jiffy the address goes at, or {@link InIfAddr#FOREVER}; EINVAL unless
     *                   later than now (as valid_lft 0 is)
     */
    public Result<InIfAddr> addAddress(NetDevice dev, InIfAddr ifa, long validUntil, boolean replace) {
        if (validUntil != InIfAddr.FOREVER && validUntil <= wheel.now()) {
            return Result.error(Errno.EINVAL, "address lifetime of " + ifa.cidr() + " ended before it was added");
        }
        Ipv4Cidr cidr = ifa.cidr();
        List<InIfAddr> list = dev.mutableAddresses();
        int lastPrimary = 0;
        for (int i = 0; i < list.size(); i++) {
            InIfAddr o = list.get(i);
            if (!o.secondary && ifa.scope() <= o.scope()) {
                lastPrimary = i + 1;
            }
            if (o.mask() == ifa.mask() && ifa.matches(o.local())) {
                if (o.local() == ifa.local()) {
                    if (!replace) {
                        return Result.error(Errno.EEXIST, "address " + cidr + " already exists on " + dev.name());
                    }
                    setLifetime(o, validUntil);
                    return Result.ok(o);
                }
                ifa.secondary = true;
            }
        }
        if (ifa.secondary) {
            list.add(ifa);
        } else {
            list.add(lastPrimary, ifa);
        }
        setLifetime(ifa, validUntil);
        for (InetaddrListener l : listeners) {
            l.inetaddrAdded(dev, ifa);
        }
        return Result.ok(ifa);
    }

    /** set_ifa_lifetime(), then check_lifetime rescheduled for the first lifetime to end. */
    private void setLifetime(InIfAddr ifa, long validUntil) {
        boolean changed = ifa.validUntil != validUntil;
        ifa.validUntil = validUntil;
        if (changed) {
            scheduleLifetimeCheck();
        }
    }

    /**
     * check_lifetime(): every address whose lifetime has ended is removed (inet_del_ifa, with its
     * notifications), then the check waits for the next one to end. It runs on the engine's timer
     * wheel, before any frame of the same moment is read.
     */
    private void checkLifetime() {
        long now = wheel.now();
        for (NetDevice d : List.copyOf(devices.all())) {
            for (InIfAddr a : List.copyOf(d.addresses())) {
                // a deleted primary takes its secondaries along: they may be gone already
                if (!a.isPermanent() && now >= a.validUntil && d.addresses().contains(a)) {
                    delete(d, a);
                }
            }
        }
        scheduleLifetimeCheck();
    }

    private void scheduleLifetimeCheck() {
        long next = InIfAddr.FOREVER;
        for (NetDevice d : devices.all()) {
            for (InIfAddr a : d.addresses()) {
                next = Math.min(next, a.validUntil);
            }
        }
        if (next == InIfAddr.FOREVER) {
            wheel.cancel(addrChk);
        } else {
            // a timer armed for jiffy e runs at e + 1: the check runs when the clock reaches `next`
            addrChk.arm(wheel, next - 1);
        }
    }

    /**
     * inet_del_ifa(): removes the address, and with it the secondaries of a deleted primary
     * (promote_secondaries is 0), then NETDEV_DOWN on the inetaddr chain.
     *
     * @return the address removed, or EADDRNOTAVAIL if the device has no such address
     */
    public Result<InIfAddr> deleteAddress(NetDevice dev, int local) {
        List<InIfAddr> list = dev.mutableAddresses();
        InIfAddr victim = null;
        for (InIfAddr a : list) {
            if (a.local() == local) {
                victim = a;
                break;
            }
        }
        if (victim == null) {
            return Result.error(Errno.EADDRNOTAVAIL, Ipv4Address.toString(local) + " is not an address of " + dev.name());
        }
        delete(dev, victim);
        return Result.ok(victim);
    }

    private void delete(NetDevice dev, InIfAddr victim) {
        List<InIfAddr> list = dev.mutableAddresses();
        list.remove(victim);
        if (!victim.secondary) {
            InIfAddr primary = victim;
            list.removeIf(a -> a.secondary && a.mask() == primary.mask() && primary.matches(a.local()));
        }
        for (InetaddrListener l : listeners) {
            l.inetaddrRemoved(dev, victim);
        }
    }

    /** The device that owns {@code addr}, or null (inet_lookup_ifaddr_rcu / __ip_dev_find). */
    public NetDevice ownerOf(int addr) {
        // indexed loops: this runs for every ARP request (fib_validate_source)
        List<NetDevice> all = devices.all();
        for (int i = 0; i < all.size(); i++) {
            NetDevice d = all.get(i);
            List<InIfAddr> addrs = d.addresses();
            for (int j = 0; j < addrs.size(); j++) {
                if (addrs.get(j).local() == addr) {
                    return d;
                }
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ address selection

    /** inet_select_addr(): a source address on {@code dev} for talking to {@code dst} within {@code scope}. */
    public int selectAddr(NetDevice dev, int dst, int scope) {
        int addr = 0;
        int localnetScope = dev.inDevConf(DevVar.ROUTE_LOCALNET) != 0 ? Scope.LINK : Scope.HOST;
        for (InIfAddr ifa : dev.addresses()) {
            if (ifa.secondary) {
                continue;
            }
            if (Math.min(ifa.scope(), localnetScope) > scope) {
                continue;
            }
            if (dst == 0 || ifa.matches(dst)) {
                return ifa.local();
            }
            if (addr == 0) {
                addr = ifa.local();
            }
        }
        if (addr != 0) {
            return addr;
        }
        for (NetDevice d : devices.all()) {
            for (InIfAddr ifa : d.addresses()) {
                if (!ifa.secondary && ifa.scope() != Scope.LINK && ifa.scope() <= scope) {
                    return ifa.local();
                }
            }
        }
        return 0;
    }

    /**
     * inet_confirm_addr(): with a device, confirm_addr_indev on it; without one, the first device
     * that confirms. Returns the confirmed local address or 0.
     */
    public int confirmAddr(NetDevice inDev, int dst, int local, int scope) {
        if (inDev != null) {
            return confirmAddrIndev(inDev, dst, local, scope);
        }
        for (NetDevice d : devices.all()) {
            int a = confirmAddrIndev(d, dst, local, scope);
            if (a != 0) {
                return a;
            }
        }
        return 0;
    }

    /** confirm_addr_indev(), line for line. */
    private int confirmAddrIndev(NetDevice dev, int dst, int local, int scope) {
        int localnetScope = dev.inDevConf(DevVar.ROUTE_LOCALNET) != 0 ? Scope.LINK : Scope.HOST;
        int addr = 0;
        boolean same = false;
        for (InIfAddr ifa : dev.addresses()) {
            int minScope = Math.min(ifa.scope(), localnetScope);
            if (addr == 0 && (local == ifa.local() || local == 0) && minScope <= scope) {
                addr = ifa.local();
                if (same) {
                    break;
                }
            }
            if (!same) {
                same = (local == 0 || ifa.matches(local)) && (dst == 0 || ifa.matches(dst));
                if (same && addr != 0) {
                    if (local != 0 || dst == 0) {
                        break;
                    }
                    if (ifa.matches(addr)) {
                        break;
                    }
                    if (minScope <= scope) {
                        addr = ifa.local();
                        break;
                    }
                    same = false;
                }
            }
        }
        return same ? addr : 0;
    }

    /** inet_addr_onlink(): is {@code a} (and {@code b}, unless 0) on one of the device's subnets? */
    public boolean addrOnlink(NetDevice dev, int a, int b) {
        for (InIfAddr ifa : dev.addresses()) {
            if (ifa.matches(a) && (b == 0 || ifa.matches(b))) {
                return true;
            }
        }
        return false;
    }
}
