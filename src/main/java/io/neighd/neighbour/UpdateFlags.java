package io.neighd.neighbour;

/** Flags of {@code __neigh_update()} (include/net/neighbour.h, NEIGH_UPDATE_F_*). */
public final class UpdateFlags {
    /** Replace a cached link-layer address that differs. */
    public static final int OVERRIDE = 1;
    /** Keep a differing cached address but go STALE if the entry was CONNECTED. */
    public static final int WEAK_OVERRIDE = 1 << 1;
    /** Apply {@link #ISROUTER} to the router flag. */
    public static final int OVERRIDE_ISROUTER = 1 << 2;
    /** User-triggered resolution ({@code ip neigh add ... use}). */
    public static final int USE = 1 << 3;
    /** Managed entry, re-resolved every interval_probe_time_ms. */
    public static final int MANAGED = 1 << 4;
    /** Externally learned: exempt from GC. */
    public static final int EXT_LEARNED = 1 << 5;
    /** The neighbour is a router. */
    public static final int ISROUTER = 1 << 6;
    /** Administrative change (netlink / REST), may touch PERMANENT and NOARP entries. */
    public static final int ADMIN = 1 << 7;
    /** Externally validated: never removed or invalidated by GC or carrier loss. */
    public static final int EXT_VALIDATED = 1 << 8;

    private UpdateFlags() {
    }
}
