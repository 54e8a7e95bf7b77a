package io.neighd.neighbour;

import io.neighd.wire.Ipv4Address;

/** struct pneigh_entry: an {@code ip neigh add proxy ADDR [dev DEV]} entry; {@code dev} null means any device. */
public record Pneigh(Ipv4Address key, NeighDevice dev, boolean permanent) {
    public String devName() {
        return dev == null ? null : dev.name();
    }
}
