package io.neighd.ipv6;

import io.neighd.ip.ConfVar;

/**
 * The {@code net.ipv6.conf.{all,default,DEV}.*} knobs neighd implements (struct ipv6_devconf),
 * with Linux's defaults and ranges. Unlike IPv4's IN_DEV_* macros there is no one rule for how
 * {@code all} and a device's value combine: each use site in addrconf.c and ndisc.c reads what it
 * reads, and {@link Ipv6DevConf} names those rules where they are used. A write to {@code default}
 * reaches only devices registered later (addrconf's handlers copy nothing), a write to
 * {@code all.forwarding} or {@code all.disable_ipv6} reaches every device.
 */
public enum Ipv6DevVar implements ConfVar {
    FORWARDING(0, 0, 0, 1, "act as a router: answer RS, all-routers and subnet-router anycast groups, the R flag"),
    PROXY_NDP(0, 0, 0, 1, "answer solicitations for proxy entries (ip -6 neigh add proxy); effective if all or the "
            + "interface is on, and forwarding is on"),
    ACCEPT_DAD(0, 1, 0, 2, "duplicate address detection: 0 off, 1 on, 2 on and disable IPv6 when the MAC-based "
            + "link-local address is a duplicate (effective: on if all or the interface is on)"),
    DAD_TRANSMITS(1, 1, 0, Integer.MAX_VALUE, "solicitations sent to detect a duplicate address"),
    ENHANCED_DAD(1, 1, 0, 1, "a nonce in duplicate address probes, so a looped-back probe is recognised (RFC 7527)"),
    NDISC_NOTIFY(0, 0, 0, 1, "unsolicited advertisements when the interface comes up, changes its address, or an "
            + "address passes DAD (effective: on if all or the interface is on)"),
    ACCEPT_UNTRACKED_NA(0, 0, 0, 2, "with forwarding: create entries from advertisements for unknown targets: "
            + "0 no, 1 yes, 2 only for senders on a local prefix"),
    DROP_UNSOLICITED_NA(0, 0, 0, 1, "drop advertisements without the solicited flag"),
    DROP_UNICAST_IN_L2_MULTICAST(0, 0, 0, 1, "drop unicast IPv6 packets sent in link-layer multicast or broadcast"),
    ACCEPT_RA(1, 1, 0, 2, "process router advertisements: 0 no, 1 unless forwarding, 2 even when forwarding"),
    ACCEPT_RA_DEFRTR(1, 1, 0, 1, "learn a default router from router advertisements"),
    ACCEPT_RA_FROM_LOCAL(0, 0, 0, 1, "accept router advertisements whose source is a local address"),
    ACCEPT_RA_MIN_LFT(0, 0, 0, Integer.MAX_VALUE, "ignore default routers with a shorter lifetime (seconds)"),
    ACCEPT_RA_MIN_HOP_LIMIT(1, 1, 0, 255, "take a router advertisement's hop limit only if at least this"),
    ACCEPT_REDIRECTS(1, 1, 0, 1, "accept redirects (as a host)"),
    FORCE_TLLAO(0, 0, 0, 1, "always include the target link-layer address in solicited advertisements"),
    HOP_LIMIT(64, 64, 1, 255, "hop limit of the packets neighd originates (echo replies, pings)"),
    NDISC_EVICT_NOCARRIER(1, 1, 0, 1, "flush the interface's entries when carrier is lost (effective: on only if all "
            + "and the interface are on)"),
    KEEP_ADDR_ON_DOWN(0, 0, -1, 1, "keep addresses when the interface goes down: 1 yes, 0 or -1 no (all wins when "
            + "not 0)"),
    ADDR_GEN_MODE(0, 0, 0, 3, "link-local address when the interface comes up: 0 EUI-64 from the MAC, 1 none, "
            + "2 stable privacy (not implemented: none), 3 random"),
    DISABLE_IPV6(0, 0, 0, 1, "IPv6 off on the interface: addresses removed, packets dropped"),
    ROUTER_SOLICITATION_DELAY(1, 1, 0, Integer.MAX_VALUE,
            "seconds; duplicate address detection starts after a random delay below this"),
    AUTOCONF(1, 1, 0, 1, "stateless address autoconfiguration from prefix options (accepted; neighd does no SLAAC)");

    private final int allDefault;
    private final Row row;

    /** @param defaultValue ipv6_devconf_dflt's initial value ({@code default}, and so a new device's) */
    Ipv6DevVar(int allDefault, int defaultValue, int min, int max, String description) {
        this.allDefault = allDefault;
        this.row = new Row(defaultValue, min, max, description);
    }

    /** ipv6_devconf's initial value ({@code all}). */
    public int allDefault() {
        return allDefault;
    }

    @Override
    public Row row() {
        return row;
    }

    public static Ipv6DevVar ofKey(String key) {
        return ConfVar.ofKey(Ipv6DevVar.class, key);
    }
}
