package io.neighd.ipv6;

import io.neighd.ip.Scope;
import io.neighd.time.Task;
import io.neighd.wire.Ipv6Address;
import io.neighd.wire.Ipv6Cidr;

import java.util.ArrayList;
import java.util.List;

/**
 * struct inet6_ifaddr: an IPv6 address of a device, with its IFA_F_* flags and its duplicate
 * address detection state (the dad_work, probes left, nonce).
 */
public final class Inet6Ifaddr {
    /** IFA_F_* (include/uapi/linux/if_addr.h). */
    public static final int F_NODAD = 0x02;
    public static final int F_OPTIMISTIC = 0x04;
    public static final int F_DADFAILED = 0x08;
    public static final int F_DEPRECATED = 0x20;
    public static final int F_TENTATIVE = 0x40;
    public static final int F_PERMANENT = 0x80;

    /** INET6_IFADDR_STATE_*: where duplicate address detection is. */
    enum State { PREDAD, DAD, POSTDAD, ERRDAD, DEAD }

    final Inet6Dev idev;
    final long hi;
    final long lo;
    final int prefixLength;
    /** The RT_SCOPE_* netlink reports ({@link Scope}): link for fe80::/10, host for ::1, global otherwise. */
    final int scope;
    int flags;
    State state = State.PREDAD;
    int dadProbes;
    long dadNonce;
    /** The delayed dad_work; armed on the engine's wheel. */
    Task dadWork;
    /** The jiffy at which addrconf_verify removes it; {@link #FOREVER} for a permanent address. */
    long validUntil = FOREVER;

    public static final long FOREVER = Long.MAX_VALUE;

    Inet6Ifaddr(Inet6Dev idev, Ipv6Address addr, int prefixLength, int flags) {
        this.idev = idev;
        this.hi = addr.hi();
        this.lo = addr.lo();
        this.prefixLength = prefixLength;
        this.scope = Ipv6Address.isLinkLocal(hi) ? Scope.LINK : Ipv6Address.isLoopback(hi, lo) ? Scope.HOST
                : Scope.UNIVERSE;
        this.flags = flags;
    }

    public long hi() {
        return hi;
    }

    public long lo() {
        return lo;
    }

    public Ipv6Address address() {
        return new Ipv6Address(hi, lo);
    }

    public Ipv6Cidr cidr() {
        return new Ipv6Cidr(address(), prefixLength);
    }

    public int prefixLength() {
        return prefixLength;
    }

    public int scope() {
        return scope;
    }

    public int flags() {
        return flags;
    }

    public boolean isTentative() {
        return (flags & F_TENTATIVE) != 0;
    }

    /** IFA_F_PERMANENT: no lifetime. */
    public boolean isPermanent() {
        return (flags & F_PERMANENT) != 0;
    }

    /** The jiffy at which the address goes, or {@link #FOREVER}. */
    public long validUntil() {
        return validUntil;
    }

    public boolean isDadFailed() {
        return (flags & F_DADFAILED) != 0;
    }

    /** Whether a received probe's nonce is the one our DAD sent (RFC 7527 loopback detection). */
    public boolean dadNonceMatches(long nonce) {
        return dadNonce != 0 && dadNonce == nonce;
    }

    public Inet6Dev idev() {
        return idev;
    }

    /** The flags as {@code ip -6 addr} prints them, in its order (iproute2's ifa_flag_names). */
    public static List<String> flagNames(int flags) {
        List<String> out = new ArrayList<>();
        if ((flags & F_NODAD) != 0) {
            out.add("nodad");
        }
        if ((flags & F_OPTIMISTIC) != 0) {
            out.add("optimistic");
        }
        if ((flags & F_DADFAILED) != 0) {
            out.add("dadfailed");
        }
        if ((flags & F_DEPRECATED) != 0) {
            out.add("deprecated");
        }
        if ((flags & F_TENTATIVE) != 0) {
            out.add("tentative");
        }
        return out;
    }

    @Override
    public String toString() {
        return cidr() + " " + flagNames(flags);
    }
}
