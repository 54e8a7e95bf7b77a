package io.neighd.ip;

import io.neighd.neighbour.NeighDevice;
import io.neighd.neighbour.NeighParms;
import io.neighd.wire.MacAddress;

import java.util.ArrayList;
import java.util.List;

/**
 * A network device as arp_process sees it: struct net_device (name, ifindex, address, MTU,
 * flags) and its struct in_device (owned addresses in kernel order, devconf, ARP parms).
 *
 * <p>The flags are neighd's own: a device neighd attaches to typically has the kernel's ARP
 * turned off ({@code ip link set nd0 arp off}) precisely so that neighd answers alone, and that
 * kernel flag says nothing about whether neighd should treat it as NOARP.
 */
public final class NetDevice implements NeighDevice {
    private final String name;
    private final int ifindex;
    private long hwAddr;
    private int mtu;
    private boolean up;
    private boolean carrier;
    private boolean noarp;
    private final boolean loopback;
    private final int vlan;
    private final DeviceId id;
    /** in_dev->cnf, attached by inetdev_init() on NETDEV_REGISTER. */
    private DevConf conf;
    private NeighParms arpParms;
    /** dev->ip6_ptr: the inet6_dev of the ipv6 package, opaque here (IPv4 knows nothing of IPv6). */
    private Object ip6Ptr;
    private final List<InIfAddr> addrs = new ArrayList<>();

    public NetDevice(String name, int ifindex, long hwAddr, int mtu, boolean loopback, int vlan) {
        this.name = name;
        this.ifindex = ifindex;
        this.hwAddr = hwAddr;
        this.mtu = mtu;
        this.loopback = loopback;
        this.vlan = vlan;
        this.id = new DeviceId(ifindex, name, loopback);
    }

    public DeviceId id() {
        return id;
    }

    /** inetdev_init(): the device's IPv4 configuration. */
    void attachInDevice(DevConf conf) {
        if (this.conf != null) {
            throw new IllegalStateException(name + " already has its in_device");
        }
        this.conf = conf;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int ifindex() {
        return ifindex;
    }

    @Override
    public long hwAddr() {
        return hwAddr;
    }

    void setHwAddr(long mac) {
        this.hwAddr = mac;
    }

    public MacAddress mac() {
        return new MacAddress(hwAddr);
    }

    /** dev->broadcast for Ethernet. */
    public long broadcastHw() {
        return MacAddress.BROADCAST.bits();
    }

    public int mtu() {
        return mtu;
    }

    public void setMtu(int mtu) {
        this.mtu = mtu;
    }

    @Override
    public boolean isUp() {
        return up;
    }

    void setUp(boolean up) {
        this.up = up;
    }

    /** netif_carrier_ok() */
    public boolean hasCarrier() {
        return carrier;
    }

    void setCarrier(boolean carrier) {
        this.carrier = carrier;
    }

    /**
     * Whether dev_queue_xmit() would pass a frame on: a down device, or one whose carrier is lost
     * (linkwatch_do_dev → dev_deactivate), has noop_qdisc, which drops everything.
     */
    public boolean canTransmit() {
        return up && carrier;
    }

    /** IFF_NOARP */
    public boolean isNoarp() {
        return noarp;
    }

    void setNoarp(boolean noarp) {
        this.noarp = noarp;
    }

    @Override
    public boolean isLoopback() {
        return loopback;
    }

    /** The 802.1Q VLAN this device sends and receives on, or -1. */
    public int vlan() {
        return vlan;
    }

    public DevConf conf() {
        return conf;
    }

    /** IN_DEV_*(in_dev, KNOB): the effective value of an IPv4 knob, {@code all} combined per its rule. */
    public int inDevConf(DevVar v) {
        return conf.effective(v);
    }

    /** in_dev->arp_parms */
    public NeighParms arpParms() {
        return arpParms;
    }

    public void setArpParms(NeighParms p) {
        this.arpParms = p;
    }

    /** dev->ip6_ptr, or null without IPv6 (MTU below 1280, unregistered). */
    public Object ip6Ptr() {
        return ip6Ptr;
    }

    public void setIp6Ptr(Object idev) {
        this.ip6Ptr = idev;
    }

    /** in_dev->ifa_list, primaries first in the kernel's order, secondaries after. */
    public List<InIfAddr> addresses() {
        return addrs;
    }

    List<InIfAddr> mutableAddresses() {
        return addrs;
    }

    @Override
    public String toString() {
        return name + "(" + ifindex + ")";
    }
}
