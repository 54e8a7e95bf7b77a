package io.neighd.ipv6;

import io.neighd.errno.Errno;
import io.neighd.errno.Result;
import io.neighd.ip.NetDevice;
import io.neighd.ip.NetDevices;
import io.neighd.ip.Scope;
import io.neighd.neighbour.NeighVar;
import io.neighd.time.Jiffies;
import io.neighd.time.Task;
import io.neighd.time.TimerWheel;
import io.neighd.wire.Ipv6Address;
import io.neighd.wire.Ipv6Cidr;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.random.RandomGenerator;

import static io.neighd.ipv6.Inet6Ifaddr.F_DADFAILED;
import static io.neighd.ipv6.Inet6Ifaddr.F_NODAD;
import static io.neighd.ipv6.Inet6Ifaddr.F_OPTIMISTIC;
import static io.neighd.ipv6.Inet6Ifaddr.F_PERMANENT;
import static io.neighd.ipv6.Inet6Ifaddr.F_TENTATIVE;

/**
 * net/ipv6/addrconf.c as far as the neighbour subsystem needs it: each device's inet6_dev
 * (ipv6_add_dev on NETDEV_REGISTER), its addresses (inet6_addr_add / ipv6_del_addr), the
 * link-local address addr_gen_mode gives when the link becomes ready, duplicate address detection
 * (addrconf_dad_start / _work / _kick / _completed / _failure / _stop), the solicited-node,
 * all-nodes, all-routers and subnet-router anycast memberships, the device events
 * (addrconf_notify: NETDEV_UP, CHANGE, DOWN, UNREGISTER; dev_forward_change; disable_ipv6), and
 * the lookups ndisc makes (ipv6_get_ifaddr, ipv6_chk_addr, ipv6_chk_prefix, ipv6_chk_mcast_addr,
 * ipv6_chk_acast_addr, ipv6_get_lladdr, ipv6_dev_get_saddr).
 *
 * <p>Works that the kernel queues without delay (addrconf_mod_dad_work(ifp, 0)) run on the next
 * jiffy here: the wheel fires a timer armed for now one tick later.
 */
public final class Addrconf {
    /** What addrconf asks of ndisc.c, which sits above it. */
    public interface Ndisc {
        /** ndisc_send_ns() with a given source ({@code ::} for DAD). */
        void sendNs(NetDevice dev, Ipv6Address target, Ipv6Address dst, Ipv6Address src, long nonce);

        /** ndisc_send_na() */
        void sendNa(NetDevice dev, Ipv6Address dst, Ipv6Address target, boolean router, boolean solicited,
                    boolean override, boolean incOpt);
    }

    /** RTM_NEWADDR / RTM_DELADDR and DAD outcomes, for the events and metrics outside. */
    public interface Listener {
        /** An address was added, or its flags changed (tentative, dadfailed, valid). */
        default void addressChanged(NetDevice dev, Inet6Ifaddr ifa) {
        }

        default void addressRemoved(NetDevice dev, Inet6Ifaddr ifa) {
        }

        /** addrconf_dad_failure(): another node uses {@code ifa}; {@code from} is the MAC that said so. */
        default void dadFailed(NetDevice dev, Inet6Ifaddr ifa, long from) {
        }
    }

    private final NetDevices devices;
    private final TimerWheel wheel;
    /** addr_chk_work: runs addrconf_verify() when the first finite lifetime ends. */
    private final Task verifyWork = new Task("addrconf_verify", this::verify);
    private final Jiffies jiffies;
    private final RandomGenerator rnd;
    private final Ipv6DevConf all = Ipv6DevConf.all();
    private final Ipv6DevConf dflt = Ipv6DevConf.defaults();
    private final List<Listener> listeners = new ArrayList<>();
    private Ndisc ndisc;
    private McastFilter mcastFilter = McastFilter.NONE;
    private Function<NetDevice, io.neighd.neighbour.NeighParms> ndParms;

    public Addrconf(NetDevices devices, TimerWheel wheel, Jiffies jiffies, RandomGenerator rnd) {
        this.devices = devices;
        this.wheel = wheel;
        this.jiffies = jiffies;
        this.rnd = rnd;
    }

    /**
     * @param ndParms neigh_parms_alloc(&nd_tbl) for a new device
     */
    public void wire(Ndisc ndisc, Function<NetDevice, io.neighd.neighbour.NeighParms> ndParms, McastFilter filter) {
        this.ndisc = ndisc;
        this.ndParms = ndParms;
        this.mcastFilter = filter;
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    public Ipv6DevConf all() {
        return all;
    }

    public Ipv6DevConf defaults() {
        return dflt;
    }

    /** __in6_dev_get(): the device's inet6_dev, or null. */
    public static Inet6Dev idev(NetDevice dev) {
        return (Inet6Dev) dev.ip6Ptr();
    }

    // ------------------------------------------------------------------ devices

    /** NETDEV_REGISTER: ipv6_add_dev() for devices with an MTU of at least 1280. */
    public Inet6Dev register(NetDevice dev) {
        if (dev.mtu() < io.neighd.wire.Ipv6Packet.MIN_MTU) {
            return null;
        }
        Inet6Dev idev = new Inet6Dev(dev, dflt.copy(), ndParms.apply(dev));
        dev.setIp6Ptr(idev);
        // ipv6_add_dev(): ff01::1 and ff02::1, and ff02::2 & co. if the new device forwards
        mcInc(idev, Ipv6Address.ALL_NODES_INTERFACE);
        mcInc(idev, Ipv6Address.ALL_NODES);
        if (idev.cnf.get(Ipv6DevVar.FORWARDING) != 0) {
            joinRouterGroups(idev);
        }
        if (dev.isLoopback()) {
            // init_loopback(): ::1/128, host scope, no DAD
            addAddress(dev, new Ipv6Cidr(Ipv6Address.LOOPBACK, 128), F_PERMANENT | F_NODAD);
        }
        return idev;
    }

    /** NETDEV_UNREGISTER: addrconf_ifdown(dev, 1). The caller then releases nd_parms and flushes nd_tbl. */
    public void unregister(NetDevice dev) {
        Inet6Dev idev = idev(dev);
        if (idev == null) {
            return;
        }
        ifdown(idev, true);
        for (Ipv6Address g : List.copyOf(idev.mcList.keySet())) {
            mcastFilter.leave(dev.id(), g);
        }
        idev.mcList.clear();
        idev.acList.clear();
        idev.reindex();
        dev.setIp6Ptr(null);
    }

    /**
     * addrconf_notify(NETDEV_UP): addresses kept across a NETDEV_DOWN (keep_addr_on_down) start
     * DAD again (addrconf_permanent_addr → fixup_permanent_addr), then as {@link #linkChanged}.
     */
    public void up(NetDevice dev) {
        Inet6Dev idev = idev(dev);
        if (idev == null || idev.cnf.get(Ipv6DevVar.DISABLE_IPV6) != 0) {
            return;
        }
        for (Inet6Ifaddr ifa : List.copyOf(idev.addrList)) {
            if ((ifa.flags & F_PERMANENT) != 0 && ifa.state == Inet6Ifaddr.State.PREDAD) {
                dadStart(ifa);
            }
        }
        linkChanged(dev);
    }

    /**
     * addrconf_notify() for NETDEV_UP and NETDEV_CHANGE: once the link is up with carrier
     * (addrconf_link_ready), the device is IF_READY, gets its link-local address
     * (addrconf_dev_config) and restarts DAD on its tentative addresses (addrconf_dad_run). A
     * device that was ready already only renews its memberships.
     */
    public void linkChanged(NetDevice dev) {
        Inet6Dev idev = idev(dev);
        if (idev == null || idev.cnf.get(Ipv6DevVar.DISABLE_IPV6) != 0 || !dev.isUp() || !dev.hasCarrier()) {
            return;
        }
        if (idev.ready) {
            return;
        }
        idev.ready = true;
        devConfig(idev);
        dadRun(idev);
    }

    /** NETDEV_DOWN: addrconf_ifdown(dev, 0). */
    public void down(NetDevice dev) {
        Inet6Dev idev = idev(dev);
        if (idev != null) {
            ifdown(idev, false);
        }
    }

    /** addrconf_dev_config() → addrconf_addr_gen(): the link-local address addr_gen_mode calls for. */
    private void devConfig(Inet6Dev idev) {
        NetDevice dev = idev.dev;
        if (dev.isLoopback()) {
            return;
        }
        Ipv6Address ll = switch (idev.cnf.get(Ipv6DevVar.ADDR_GEN_MODE)) {
            case 0 -> Ipv6Address.linkLocal(dev.hwAddr());
            // IN6_ADDR_GEN_MODE_RANDOM: a random interface identifier, U/L bit clear
            case 3 -> new Ipv6Address(0xfe80_0000_0000_0000L, rnd.nextLong() & ~0x0200_0000_0000_0000L);
            default -> null;
        };
        if (ll != null && getIfaddr(ll.hi(), ll.lo(), dev, true) == null) {
            addAddress(dev, new Ipv6Cidr(ll, 64), F_PERMANENT);
        }
    }

    /**
     * addrconf_ifdown(): every address goes, unless keep_addr_on_down keeps the permanent global
     * ones across a NETDEV_DOWN (as tentative, to be checked again when the link comes back).
     */
    private void ifdown(Inet6Dev idev, boolean unregister) {
        int keepOnDown = all.get(Ipv6DevVar.KEEP_ADDR_ON_DOWN);
        if (keepOnDown == 0) {
            keepOnDown = idev.cnf.get(Ipv6DevVar.KEEP_ADDR_ON_DOWN);
        }
        boolean keepAddr = !unregister && keepOnDown > 0 && idev.cnf.get(Ipv6DevVar.DISABLE_IPV6) == 0;
        if (!unregister) {
            idev.ready = false;
        }
        for (Inet6Ifaddr ifa : List.copyOf(idev.addrList)) {
            delDadWork(ifa);
            boolean keep = keepAddr && (ifa.flags & F_PERMANENT) != 0 && ifa.scope != Scope.LINK
                    && ifa.scope != Scope.HOST;
            if (keep) {
                ifa.state = Inet6Ifaddr.State.PREDAD;
                if ((ifa.flags & F_NODAD) == 0) {
                    ifa.flags |= F_TENTATIVE;
                }
                if (idev.cnf.get(Ipv6DevVar.FORWARDING) != 0) {
                    leaveAnycast(ifa);
                }
                leaveSolicit(idev, ifa.hi, ifa.lo);
                notifyChanged(ifa);
            } else {
                Inet6Ifaddr.State was = ifa.state;
                ifa.state = Inet6Ifaddr.State.DEAD;
                idev.addrList.remove(ifa);
                if (was != Inet6Ifaddr.State.DEAD) {
                    ifaNotifyDel(ifa);
                }
            }
        }
    }

    // ------------------------------------------------------------------ addresses

    /**
     * inet6_addr_add() → ipv6_add_addr(): a new address, tentative unless {@code F_NODAD}, then
     * addrconf_dad_start().
     *
     * @return the address; ENODEV (no IPv6 on the device), EACCES (disable_ipv6), EEXIST, or
     *         EADDRNOTAVAIL (::, multicast, or ::1 off the loopback device)
     */
    public Result<Inet6Ifaddr> addAddress(NetDevice dev, Ipv6Cidr cidr, int ifaFlags) {
        return addAddress(dev, cidr, ifaFlags, Inet6Ifaddr.FOREVER, false);
    }

    /**
     * inet6_rtm_newaddr() with IFA_CACHEINFO ({@code ip -6 addr add|replace CIDR dev DEV valid_lft
     * N [nodad]}): a new address with a finite lifetime is not IFA_F_PERMANENT (inet6_addr_add),
     * and addrconf_verify removes it (ipv6_del_addr) when the lifetime ends; one the device has
     * already is EEXIST, or, with {@code replace} (NLM_F_REPLACE → inet6_addr_modify), takes the
     * new lifetime and flags.
     *
     * <p>Where neighd differs, on purpose, as {@link io.neighd.ip.Devinet} does for IPv4: the
     * kernel's valid_lft is whole seconds and addrconf_verify runs up to ADDRCONF_TIMER_FUZZ late;
     * here the lifetime is the jiffy it ends at, and the address is gone by the time the clock
     * reaches it (elected addresses depend on that). Preferred lifetimes are not modelled.
     *
     * @param validUntil the jiffy the address goes at, or {@link Inet6Ifaddr#FOREVER}; EINVAL
     *                   unless later than now
     */
    public Result<Inet6Ifaddr> addAddress(NetDevice dev, Ipv6Cidr cidr, int ifaFlags, long validUntil,
                                          boolean replace) {
        if (validUntil != Inet6Ifaddr.FOREVER && validUntil <= wheel.now()) {
            return Result.error(Errno.EINVAL, "address lifetime of " + cidr + " ended before it was added");
        }
        Inet6Dev idev = idev(dev);
        if (idev == null) {
            return Result.error(Errno.ENODEV, dev.name() + " has no IPv6 (MTU below 1280)");
        }
        if (idev.cnf.get(Ipv6DevVar.DISABLE_IPV6) != 0) {
            return Result.error(Errno.EACCES, "IPv6 is disabled on " + dev.name() + " (disable_ipv6)");
        }
        Ipv6Address a = cidr.address();
        if (a.isAny() || a.isMulticast() || a.isLoopback() && !dev.isLoopback()) {
            return Result.error(Errno.EADDRNOTAVAIL, a + " cannot be an address of " + dev.name());
        }
        Inet6Ifaddr old = getIfaddr(a.hi(), a.lo(), dev, true);
        if (old != null) {
            if (!replace || old.idev != idev) {
                return Result.error(Errno.EEXIST, "address " + cidr + " already exists on " + dev.name());
            }
            modifyAddr(old, ifaFlags, validUntil);
            return Result.ok(old);
        }
        int flags = ifaFlags | (validUntil == Inet6Ifaddr.FOREVER ? F_PERMANENT : 0);
        if ((flags & F_NODAD) == 0) {
            flags |= F_TENTATIVE;
        }
        Inet6Ifaddr ifa = new Inet6Ifaddr(idev, a, cidr.prefixLength(), flags);
        ifa.dadWork = new Task("dad " + a, () -> dadWork(ifa));
        ifa.validUntil = validUntil;
        linkDevAddr(idev, ifa);
        if (validUntil != Inet6Ifaddr.FOREVER) {
            scheduleVerify();
        }
        if ((ifa.flags & (F_OPTIMISTIC | F_NODAD)) == 0) {
            notifyChanged(ifa);
        }
        dadStart(ifa);
        return Result.ok(ifa);
    }

    /**
     * inet6_addr_modify(): the lifetime and the IFA_F_NODAD / IFA_F_PERMANENT flags are the
     * request's; DAD state is left as it is.
     */
    private void modifyAddr(Inet6Ifaddr ifa, int ifaFlags, long validUntil) {
        ifa.flags &= ~(F_PERMANENT | F_NODAD);
        ifa.flags |= (ifaFlags & F_NODAD) | (validUntil == Inet6Ifaddr.FOREVER ? F_PERMANENT : 0);
        if (ifa.validUntil != validUntil) {
            ifa.validUntil = validUntil;
            scheduleVerify();
        }
    }

    /**
     * addrconf_verify_rtnl(): every address whose valid lifetime has ended is removed
     * (ipv6_del_addr, which leaves its solicited-node group and notifies RTM_DELADDR), then the
     * check waits for the next one to end. On the engine's wheel, before any frame of the same
     * moment is read.
     */
    private void verify() {
        long now = wheel.now();
        for (NetDevice d : List.copyOf(devices.all())) {
            Inet6Dev idev = idev(d);
            if (idev == null) {
                continue;
            }
            for (Inet6Ifaddr a : List.copyOf(idev.addrList)) {
                if (!a.isPermanent() && now >= a.validUntil) {
                    delAddr(a);
                }
            }
        }
        scheduleVerify();
    }

    private void scheduleVerify() {
        long next = Inet6Ifaddr.FOREVER;
        for (NetDevice d : devices.all()) {
            Inet6Dev idev = idev(d);
            if (idev != null) {
                for (Inet6Ifaddr a : idev.addrList) {
                    next = Math.min(next, a.validUntil);
                }
            }
        }
        if (next == Inet6Ifaddr.FOREVER) {
            wheel.cancel(verifyWork);
        } else {
            // a timer armed for jiffy e runs at e + 1: the check runs when the clock reaches `next`
            verifyWork.arm(wheel, next - 1);
        }
    }

    /**
     * ipv6_link_dev_addr(): the list is ordered by scope as the kernel orders it (the wider scope
     * value first: link-local before global), a new address ahead of those of its scope.
     */
    private static void linkDevAddr(Inet6Dev idev, Inet6Ifaddr ifa) {
        int rank = scopeRank(ifa.scope);
        int i = 0;
        while (i < idev.addrList.size() && rank < scopeRank(idev.addrList.get(i).scope)) {
            i++;
        }
        idev.addrList.add(i, ifa);
    }

    /** The IFA_* scope the list is sorted by: IFA_HOST 0x10, IFA_LINK 0x20, global 0. */
    private static int scopeRank(int rtScope) {
        return rtScope == Scope.LINK ? 0x20 : rtScope == Scope.HOST ? 0x10 : 0;
    }

    /** inet6_addr_del() → ipv6_del_addr(): EADDRNOTAVAIL if the device has no such address. */
    public Result<Inet6Ifaddr> deleteAddress(NetDevice dev, Ipv6Address addr) {
        Inet6Ifaddr ifa = getIfaddr(addr.hi(), addr.lo(), dev, true);
        if (ifa == null || ifa.idev.dev != dev) {
            return Result.error(Errno.EADDRNOTAVAIL, addr + " is not an address of " + dev.name());
        }
        delAddr(ifa);
        return Result.ok(ifa);
    }

    /** ipv6_del_addr() */
    private void delAddr(Inet6Ifaddr ifa) {
        if (ifa.state == Inet6Ifaddr.State.DEAD) {
            return;
        }
        ifa.state = Inet6Ifaddr.State.DEAD;
        delDadWork(ifa);
        ifa.idev.addrList.remove(ifa);
        ifaNotifyDel(ifa);
    }

    /** __ipv6_ifa_notify(RTM_DELADDR): the address's anycast and solicited-node groups are left. */
    private void ifaNotifyDel(Inet6Ifaddr ifa) {
        Inet6Dev idev = ifa.idev;
        if (idev.cnf.get(Ipv6DevVar.FORWARDING) != 0 && !ifa.isTentative()) {
            leaveAnycast(ifa);
        }
        leaveSolicit(idev, ifa.hi, ifa.lo);
        for (Listener l : listeners) {
            l.addressRemoved(idev.dev, ifa);
        }
    }

    private void notifyChanged(Inet6Ifaddr ifa) {
        for (Listener l : listeners) {
            l.addressChanged(ifa.idev.dev, ifa);
        }
    }

    // ------------------------------------------------------------------ duplicate address detection

    /** addrconf_dad_start(): PREDAD, and the dad_work queued at once. */
    private void dadStart(Inet6Ifaddr ifa) {
        if (ifa.state != Inet6Ifaddr.State.DEAD) {
            ifa.state = Inet6Ifaddr.State.PREDAD;
            modDadWork(ifa, 0);
        }
    }

    private void modDadWork(Inet6Ifaddr ifa, long delay) {
        ifa.dadWork.arm(wheel, wheel.now() + delay);
    }

    private void delDadWork(Inet6Ifaddr ifa) {
        if (ifa.dadWork != null) {
            wheel.cancel(ifa.dadWork);
        }
    }

    /** addrconf_dad_work() */
    void dadWork(Inet6Ifaddr ifa) {
        Inet6Dev idev = ifa.idev;
        if (ifa.state == Inet6Ifaddr.State.PREDAD) {
            ifa.state = Inet6Ifaddr.State.DAD;
            dadBegin(ifa);
            return;
        }
        if (ifa.state == Inet6Ifaddr.State.ERRDAD) {
            ifa.state = Inet6Ifaddr.State.POSTDAD;
            boolean disable = (all.get(Ipv6DevVar.ACCEPT_DAD) > 1 || idev.cnf.get(Ipv6DevVar.ACCEPT_DAD) > 1)
                    && idev.cnf.get(Ipv6DevVar.DISABLE_IPV6) == 0
                    && ifa.hi == 0xfe80_0000_0000_0000L && ifa.lo == Ipv6Address.eui64(idev.dev.hwAddr());
            dadStop(ifa, true);
            if (disable) {
                // accept_dad 2: the MAC-based link-local address is a duplicate, so the MAC is
                idev.cnf.set(Ipv6DevVar.DISABLE_IPV6, 1);
                ifdown(idev, false);
            }
            return;
        }
        if (ifa.dadProbes == 0 && !dadEnd(ifa)) {
            return;
        }
        if (idev.dead || !idev.ready || ifa.state == Inet6Ifaddr.State.DEAD) {
            return;
        }
        if (ifa.dadProbes == 0) {
            boolean sendNa = (ifa.flags & F_TENTATIVE) != 0 && (ifa.flags & F_OPTIMISTIC) == 0;
            ifa.flags &= ~(F_TENTATIVE | F_OPTIMISTIC | F_DADFAILED);
            dadCompleted(ifa, sendNa);
            return;
        }
        ifa.dadProbes--;
        modDadWork(ifa, idev.ndParms.get(NeighVar.RETRANS_TIME));
        ndisc.sendNs(idev.dev, ifa.address(), Ipv6Address.solicitedNode(ifa.lo), Ipv6Address.ANY, ifa.dadNonce);
    }

    /** addrconf_dad_begin() */
    private void dadBegin(Inet6Ifaddr ifa) {
        Inet6Dev idev = ifa.idev;
        NetDevice dev = idev.dev;
        joinSolicit(idev, ifa.hi, ifa.lo);
        if (ifa.state == Inet6Ifaddr.State.DEAD) {
            return;
        }
        if (dev.isNoarp() || dev.isLoopback()
                || all.get(Ipv6DevVar.ACCEPT_DAD) < 1 && idev.cnf.get(Ipv6DevVar.ACCEPT_DAD) < 1
                || (ifa.flags & F_TENTATIVE) == 0 || (ifa.flags & F_NODAD) != 0) {
            boolean sendNa = (ifa.flags & F_TENTATIVE) != 0 && (ifa.flags & F_OPTIMISTIC) == 0;
            ifa.flags &= ~(F_TENTATIVE | F_OPTIMISTIC | F_DADFAILED);
            dadCompleted(ifa, sendNa);
            return;
        }
        if (!idev.ready) {
            // a permanent address stays tentative until the link is ready
            dadStop(ifa, false);
            return;
        }
        dadKick(ifa);
    }

    /** addrconf_dad_kick(): a random delay below rtr_solicit_delay, the nonce, dad_transmits probes. */
    private void dadKick(Inet6Ifaddr ifa) {
        Inet6Dev idev = ifa.idev;
        long maxDelay = jiffies.fromSeconds(idev.cnf.get(Ipv6DevVar.ROUTER_SOLICITATION_DELAY));
        long delay = (ifa.flags & F_OPTIMISTIC) != 0 ? 0 : rnd.nextLong(maxDelay != 0 ? maxDelay : 1);
        long nonce = 0;
        if (idev.cnf.get(Ipv6DevVar.ENHANCED_DAD) != 0 || all.get(Ipv6DevVar.ENHANCED_DAD) != 0) {
            do {
                nonce = rnd.nextLong() & 0xffff_ffff_ffffL;
            } while (nonce == 0);
        }
        ifa.dadNonce = nonce;
        ifa.dadProbes = idev.cnf.get(Ipv6DevVar.DAD_TRANSMITS);
        modDadWork(ifa, delay);
    }

    /** addrconf_dad_run(): kicks the addresses that waited for the link. */
    private void dadRun(Inet6Dev idev) {
        for (Inet6Ifaddr ifa : List.copyOf(idev.addrList)) {
            if ((ifa.flags & F_TENTATIVE) != 0 && ifa.state == Inet6Ifaddr.State.DAD) {
                dadKick(ifa);
            }
        }
    }

    /** addrconf_dad_end(): DAD → POSTDAD; false if DAD was not running. */
    private static boolean dadEnd(Inet6Ifaddr ifa) {
        if (ifa.state == Inet6Ifaddr.State.DAD) {
            ifa.state = Inet6Ifaddr.State.POSTDAD;
            return true;
        }
        return false;
    }

    /**
     * addrconf_dad_stop(): a failed permanent address stays, tentative and dadfailed (as
     * {@code ip addr} shows it); one that only waited for the link stays tentative.
     */
    private void dadStop(Inet6Ifaddr ifa, boolean failed) {
        if (failed) {
            ifa.flags |= F_DADFAILED;
        }
        if ((ifa.flags & F_PERMANENT) != 0 || !failed) {
            delDadWork(ifa);
            ifa.flags |= F_TENTATIVE;
            if (failed) {
                ifa.flags &= ~F_OPTIMISTIC;
                notifyChanged(ifa);
            }
        } else {
            delAddr(ifa);
        }
    }

    /**
     * addrconf_dad_completed(): the address is valid (RTM_NEWADDR, local from now on); an
     * unsolicited NA to all nodes if ndisc_notify is on; with forwarding, its subnet-router
     * anycast address is joined.
     */
    private void dadCompleted(Inet6Ifaddr ifa, boolean sendNa) {
        delDadWork(ifa);
        Inet6Dev idev = ifa.idev;
        notifyChanged(ifa);
        if (idev.cnf.get(Ipv6DevVar.FORWARDING) != 0) {
            joinAnycast(ifa);
        }
        if (sendNa && ndiscNotify(idev)) {
            ndisc.sendNa(idev.dev, Ipv6Address.ALL_NODES, ifa.address(), idev.cnf.get(Ipv6DevVar.FORWARDING) != 0,
                    false, true, true);
        }
    }

    /**
     * addrconf_dad_failure(): called by ndisc when an NS from :: or an NA claims a tentative
     * address; nothing happens unless DAD is running on it.
     */
    public void dadFailure(Inet6Ifaddr ifa, long fromMac) {
        if (!dadEnd(ifa)) {
            return;
        }
        for (Listener l : listeners) {
            l.dadFailed(ifa.idev.dev, ifa, fromMac);
        }
        ifa.state = Inet6Ifaddr.State.ERRDAD;
        modDadWork(ifa, 0);
    }

    /** ndisc_notify on the interface or all. */
    public boolean ndiscNotify(Inet6Dev idev) {
        return idev.cnf.get(Ipv6DevVar.NDISC_NOTIFY) != 0 || all.get(Ipv6DevVar.NDISC_NOTIFY) != 0;
    }

    // ------------------------------------------------------------------ knobs with side effects

    /** Writes net.ipv6.conf.all.KEY: forwarding and disable_ipv6 reach every device and default. */
    public void setAll(Ipv6DevVar v, int value) {
        all.set(v, value);
        if (v == Ipv6DevVar.FORWARDING || v == Ipv6DevVar.DISABLE_IPV6) {
            dflt.set(v, value);
            for (NetDevice d : devices.all()) {
                Inet6Dev idev = idev(d);
                if (idev != null) {
                    setDevice(d, v, value);
                }
            }
        }
    }

    /** Writes net.ipv6.conf.default.KEY: only devices registered later take it. */
    public void setDefault(Ipv6DevVar v, int value) {
        dflt.set(v, value);
    }

    /** Writes net.ipv6.conf.DEV.KEY, with the side effects of forwarding and disable_ipv6. */
    public void setDevice(NetDevice dev, Ipv6DevVar v, int value) {
        Inet6Dev idev = idev(dev);
        int old = idev.cnf.get(v);
        idev.cnf.set(v, value);
        if (v == Ipv6DevVar.FORWARDING && (old != 0) != (value != 0)) {
            devForwardChange(idev);
        } else if (v == Ipv6DevVar.DISABLE_IPV6 && (old != 0) != (value != 0)) {
            if (value != 0) {
                ifdown(idev, false);
            } else {
                linkChanged(dev);
            }
        }
    }

    /** dev_forward_change(): all-routers groups and subnet-router anycast addresses follow forwarding. */
    private void devForwardChange(Inet6Dev idev) {
        boolean on = idev.cnf.get(Ipv6DevVar.FORWARDING) != 0;
        if (!idev.dev.isLoopback()) {
            if (on) {
                joinRouterGroups(idev);
            } else {
                mcDec(idev, Ipv6Address.ALL_ROUTERS);
                mcDec(idev, new Ipv6Address(0xff01_0000_0000_0000L, 2));
                mcDec(idev, new Ipv6Address(0xff05_0000_0000_0000L, 2));
            }
        }
        for (Inet6Ifaddr ifa : idev.addrList) {
            if (ifa.isTentative()) {
                continue;
            }
            if (on) {
                joinAnycast(ifa);
            } else {
                leaveAnycast(ifa);
            }
        }
    }

    private void joinRouterGroups(Inet6Dev idev) {
        mcInc(idev, Ipv6Address.ALL_ROUTERS);
        mcInc(idev, new Ipv6Address(0xff01_0000_0000_0000L, 2));
        mcInc(idev, new Ipv6Address(0xff05_0000_0000_0000L, 2));
    }

    // ------------------------------------------------------------------ multicast and anycast

    /** addrconf_join_solict(): not on NOARP or loopback devices. */
    private void joinSolicit(Inet6Dev idev, long hi, long lo) {
        if (!idev.dev.isNoarp() && !idev.dev.isLoopback()) {
            mcInc(idev, Ipv6Address.solicitedNode(lo));
        }
    }

    private void leaveSolicit(Inet6Dev idev, long hi, long lo) {
        if (!idev.dev.isNoarp() && !idev.dev.isLoopback()) {
            mcDec(idev, Ipv6Address.solicitedNode(lo));
        }
    }

    /** ipv6_dev_mc_inc(): the first user of a group joins it on the device. */
    public void mcInc(Inet6Dev idev, Ipv6Address group) {
        int users = idev.mcList.merge(group, 1, Integer::sum);
        if (users == 1) {
            idev.reindex();
            mcastFilter.join(idev.dev.id(), group);
        }
    }

    /** ipv6_dev_mc_dec(): the last user leaves it. */
    public void mcDec(Inet6Dev idev, Ipv6Address group) {
        Integer users = idev.mcList.get(group);
        if (users == null) {
            return;
        }
        if (users > 1) {
            idev.mcList.put(group, users - 1);
        } else {
            idev.mcList.remove(group);
            idev.reindex();
            mcastFilter.leave(idev.dev.id(), group);
        }
    }

    /** addrconf_join_anycast(): the subnet-router anycast address of the address's prefix (RFC 4291 2.6.1). */
    private void joinAnycast(Inet6Ifaddr ifa) {
        Ipv6Address prefix = ifa.address().prefix(ifa.prefixLength);
        if (ifa.prefixLength >= 127 || prefix.isAny()) {
            return;
        }
        if (ifa.idev.acList.merge(prefix, 1, Integer::sum) == 1) {
            ifa.idev.reindex();
        }
        joinSolicit(ifa.idev, prefix.hi(), prefix.lo());
    }

    private void leaveAnycast(Inet6Ifaddr ifa) {
        Ipv6Address prefix = ifa.address().prefix(ifa.prefixLength);
        if (ifa.prefixLength >= 127 || prefix.isAny()) {
            return;
        }
        Integer users = ifa.idev.acList.get(prefix);
        if (users == null) {
            return;
        }
        if (users > 1) {
            ifa.idev.acList.put(prefix, users - 1);
        } else {
            ifa.idev.acList.remove(prefix);
            ifa.idev.reindex();
        }
        leaveSolicit(ifa.idev, prefix.hi(), prefix.lo());
    }

    // ------------------------------------------------------------------ lookups

    /**
     * ipv6_get_ifaddr(): the address {@code hi:lo} of {@code dev} (strict), or of any device when
     * it is global; tentative and dadfailed ones included.
     */
    public Inet6Ifaddr getIfaddr(long hi, long lo, NetDevice dev, boolean strict) {
        List<NetDevice> all = devices.all();
        for (int i = 0; i < all.size(); i++) {
            Inet6Dev idev = idev(all.get(i));
            if (idev == null) {
                continue;
            }
            List<Inet6Ifaddr> list = idev.addrList;
            for (int j = 0; j < list.size(); j++) {
                Inet6Ifaddr ifa = list.get(j);
                if (ifa.lo == lo && ifa.hi == hi && (dev == null || idev.dev == dev
                        || !(ifa.scope == Scope.LINK || ifa.scope == Scope.HOST || strict))) {
                    return ifa;
                }
            }
        }
        return null;
    }

    /**
     * ipv6_chk_addr(): is {@code hi:lo} a usable (not tentative) address; of {@code dev} when
     * given, else of any device (a link-local one only on its own device).
     */
    public boolean chkAddr(long hi, long lo, NetDevice dev) {
        List<NetDevice> all = devices.all();
        for (int i = 0; i < all.size(); i++) {
            Inet6Dev idev = idev(all.get(i));
            if (idev == null) {
                continue;
            }
            List<Inet6Ifaddr> list = idev.addrList;
            for (int j = 0; j < list.size(); j++) {
                Inet6Ifaddr ifa = list.get(j);
                if (ifa.lo == lo && ifa.hi == hi && (ifa.flags & F_TENTATIVE) == 0
                        && (dev == null || idev.dev == dev || ifa.scope != Scope.LINK && ifa.scope != Scope.HOST)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** ipv6_chk_prefix(): is {@code hi:lo} on the prefix of one of the device's addresses? */
    public boolean chkPrefix(long hi, long lo, NetDevice dev) {
        Inet6Dev idev = idev(dev);
        if (idev != null) {
            for (Inet6Ifaddr ifa : idev.addrList) {
                if (Ipv6Address.prefixEqual(hi, lo, ifa.hi, ifa.lo, ifa.prefixLength)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** ipv6_chk_mcast_addr(): has the device joined the group? */
    public boolean chkMcastAddr(NetDevice dev, long hi, long lo) {
        Inet6Dev idev = idev(dev);
        return idev != null && idev.joined(hi, lo);
    }

    /** ipv6_chk_acast_addr(): is {@code hi:lo} an anycast address of the device? */
    public boolean chkAcastAddr(NetDevice dev, long hi, long lo) {
        Inet6Dev idev = idev(dev);
        return idev != null && idev.anycast(hi, lo);
    }

    /** ipv6_get_lladdr(): the device's first link-local address without any of {@code bannedFlags}, or null. */
    public Inet6Ifaddr getLladdr(NetDevice dev, int bannedFlags) {
        Inet6Dev idev = idev(dev);
        if (idev != null) {
            for (Inet6Ifaddr ifa : idev.addrList) {
                if (ifa.scope == Scope.LINK && (ifa.flags & bannedFlags) == 0) {
                    return ifa;
                }
            }
        }
        return null;
    }

    /**
     * ipv6_dev_get_saddr(), by the rules of RFC 6724 section 5 that matter on one link: a usable
     * (not tentative, not deprecated) address of the device, of the destination's scope (link-local
     * for link-local and link-scope multicast destinations), preferring the longest matching
     * prefix; then any usable address of the device. Null if there is none.
     */
    public Ipv6Address devGetSaddr(NetDevice dev, long dstHi, long dstLo) {
        Inet6Dev idev = idev(dev);
        if (idev == null) {
            return null;
        }
        boolean linkScope = Ipv6Address.isLinkLocal(dstHi)
                || Ipv6Address.isMulticast(dstHi) && Ipv6Address.multicastScope(dstHi) <= 2;
        Inet6Ifaddr best = null;
        int bestMatch = -1;
        for (Inet6Ifaddr ifa : idev.addrList) {
            if ((ifa.flags & (F_TENTATIVE | Inet6Ifaddr.F_DEPRECATED)) != 0 || ifa.scope == Scope.HOST) {
                continue;
            }
            boolean sameScope = (ifa.scope == Scope.LINK) == linkScope;
            int match = (sameScope ? 256 : 0) + commonPrefix(ifa.hi, ifa.lo, dstHi, dstLo);
            if (match > bestMatch) {
                best = ifa;
                bestMatch = match;
            }
        }
        return best == null ? null : best.address();
    }

    private static int commonPrefix(long aHi, long aLo, long bHi, long bLo) {
        long x = aHi ^ bHi;
        if (x != 0) {
            return Long.numberOfLeadingZeros(x);
        }
        return 64 + Long.numberOfLeadingZeros(aLo ^ bLo);
    }

    /** Every device's addresses, for the tools (engine thread). */
    public List<Inet6Ifaddr> addresses(NetDevice dev) {
        Inet6Dev idev = idev(dev);
        return idev == null ? List.of() : List.copyOf(idev.addrList);
    }
}
