package io.neighd.ip;

import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv4Cidr;

/**
 * struct in_ifaddr: an address owned by a device, as {@code ip addr add 10.77.0.1/24 dev nd0}
 * creates it: local address, prefix length, broadcast, scope, whether it is a secondary
 * (another address of an existing primary's subnet), and how long it is valid (forever —
 * IFA_F_PERMANENT — unless added with a lifetime).
 */
public final class InIfAddr {
    private final int local;
    private final int prefixLength;
    private final int mask;
    private final int broadcast;
    private final int scope;
    boolean secondary;
    /** The jiffy at which check_lifetime removes it; {@link #FOREVER} for a permanent address. */
    long validUntil = FOREVER;

    /** INFINITY_LIFE_TIME: the address never expires (IFA_F_PERMANENT). */
    public static final long FOREVER = Long.MAX_VALUE;

    public InIfAddr(int local, int prefixLength, int broadcast, int scope) {
        this.local = local;
        this.prefixLength = prefixLength;
        this.mask = Ipv4Address.mask(prefixLength);
        this.broadcast = broadcast;
        this.scope = scope;
    }

    /**
     * What {@code ip addr add ADDR/LEN} gives: no explicit broadcast address (iproute2 sets one only
     * with {@code brd}; the subnet broadcast is a broadcast route all the same), scope host for
     * 127/8 and global otherwise.
     */
    public static InIfAddr of(Ipv4Cidr cidr) {
        return of(cidr, Ipv4Address.isLoopback(cidr.address().bits()) ? Scope.HOST : Scope.UNIVERSE);
    }

    /** {@code ip addr add ADDR/LEN scope SCOPE} */
    public static InIfAddr of(Ipv4Cidr cidr, int scope) {
        return new InIfAddr(cidr.address().bits(), cidr.prefixLength(), 0, scope);
    }

    /** {@code ip addr add ADDR/LEN brd +}: the broadcast address at the top of the subnet. */
    public static InIfAddr withBroadcast(Ipv4Cidr cidr) {
        int a = cidr.address().bits();
        int plen = cidr.prefixLength();
        int brd = plen < 31 ? (a | ~Ipv4Address.mask(plen)) : 0;
        return new InIfAddr(a, plen, brd, Ipv4Address.isLoopback(a) ? Scope.HOST : Scope.UNIVERSE);
    }

    public int local() {
        return local;
    }

    public int prefixLength() {
        return prefixLength;
    }

    public int mask() {
        return mask;
    }

    public int prefix() {
        return local & mask;
    }

    public int broadcast() {
        return broadcast;
    }

    public int scope() {
        return scope;
    }

    public boolean isSecondary() {
        return secondary;
    }

    /** IFA_F_PERMANENT: no lifetime ({@code valid_lft forever}); {@code ip addr} prints others "dynamic". */
    public boolean isPermanent() {
        return validUntil == FOREVER;
    }

    /** The jiffy at which the address goes, or {@link #FOREVER}. */
    public long validUntil() {
        return validUntil;
    }

    /** inet_ifa_match(): is {@code addr} in this address's subnet? */
    public boolean matches(int addr) {
        return ((addr ^ local) & mask) == 0;
    }

    public Ipv4Cidr cidr() {
        return new Ipv4Cidr(new Ipv4Address(local), prefixLength);
    }

    @Override
    public String toString() {
        return Ipv4Address.toString(local) + "/" + prefixLength
                + (broadcast != 0 ? " brd " + Ipv4Address.toString(broadcast) : "")
                + " scope " + Scope.name(scope) + (secondary ? " secondary" : "") + (isPermanent() ? "" : " dynamic");
    }
}
