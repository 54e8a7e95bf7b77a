package io.neighd.neighbour;

import io.neighd.wire.IpAddress;

/**
 * struct pneigh_entry: an {@code ip neigh add proxy ADDR [dev DEV]} entry; {@code dev} null means
 * any device.
 */
public record Pneigh<D extends NeighDevice>(IpAddress key, D dev, boolean permanent) {
    public String devName() {
        return dev == null ? null : dev.name();
    }
}
