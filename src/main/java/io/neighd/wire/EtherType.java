package io.neighd.wire;

/** EtherType values neighd deals with (IEEE 802 numbers, include/uapi/linux/if_ether.h). */
public final class EtherType {
    public static final int IPV4 = 0x0800;
    public static final int ARP = 0x0806;
    public static final int IPV6 = 0x86DD;
    public static final int VLAN = 0x8100;
    public static final int QINQ = 0x88a8;

    private EtherType() {
    }
}
