package io.neighd.neighbour;

import io.neighd.wire.IpAddress;

/**
 * struct pneigh_entry: an {@code ip neigh add proxy ADDR [dev DEV] [router]} entry; {@code dev}
 * null means any device; {@code router} is its NTF_ROUTER flag (pndisc_is_router).
 */
public record Pneigh<D extends NeighDevice>(IpAddress key, D dev, boolean permanent, boolean router) {
    public Pneigh(IpAddress key, D dev, boolean permanent) {
        this(key, dev, permanent, false);
    }

    public String devName() {
        return dev == null ? null : dev.name();
    }
}
