package io.neighd.neighbour;

import io.neighd.wire.IpAddress;
import io.neighd.wire.MacAddress;

/**
 * An immutable copy of an entry for readers off the engine thread, with the cacheinfo ages
 * (used / confirmed / updated) in jiffies before the moment it was taken, as NDA_CACHEINFO
 * carries them; {@code lladdr} is null unless the state is VALID (NDA_LLADDR only then).
 */
public record NeighSnapshot(String dev, int ifindex, IpAddress dst, MacAddress lladdr, NudState state,
                            int flags, int probes, long usedAgo, long confirmedAgo, long updatedAgo,
                            int refcnt, int queueLenBytes, int queueLenPackets) {

    public boolean router() {
        return (flags & NeighFlags.ROUTER) != 0;
    }

    public boolean externLearn() {
        return (flags & NeighFlags.EXT_LEARNED) != 0;
    }

    public boolean managed() {
        return (flags & NeighFlags.MANAGED) != 0;
    }

    public boolean externValid() {
        return (flags & NeighFlags.EXT_VALIDATED) != 0;
    }
}
