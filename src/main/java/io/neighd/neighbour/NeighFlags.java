package io.neighd.neighbour;

/** Per-entry flags as {@code ip neigh} shows them (NTF_ROUTER, NTF_EXT_LEARNED, NTF_MANAGED, NTF_EXT_VALIDATED). */
public final class NeighFlags {
    public static final int ROUTER = 1;
    public static final int EXT_LEARNED = 1 << 1;
    public static final int MANAGED = 1 << 2;
    public static final int EXT_VALIDATED = 1 << 3;

    private NeighFlags() {
    }
}
