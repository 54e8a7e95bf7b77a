package io.neighd.neighbour;

import java.util.List;

/**
 * Neighbour Unreachability Detection states, with the kernel's bit values
 * (include/uapi/linux/neighbour.h) and groupings (include/net/neighbour.h).
 */
public enum NudState {
    NONE(0x00),
    INCOMPLETE(0x01),
    REACHABLE(0x02),
    STALE(0x04),
    DELAY(0x08),
    PROBE(0x10),
    FAILED(0x20),
    NOARP(0x40),
    PERMANENT(0x80);

    public static final int NUD_NONE = 0x00;
    public static final int NUD_INCOMPLETE = 0x01;
    public static final int NUD_REACHABLE = 0x02;
    public static final int NUD_STALE = 0x04;
    public static final int NUD_DELAY = 0x08;
    public static final int NUD_PROBE = 0x10;
    public static final int NUD_FAILED = 0x20;
    public static final int NUD_NOARP = 0x40;
    public static final int NUD_PERMANENT = 0x80;

    /** States in which the entry's timer runs. */
    public static final int NUD_IN_TIMER = NUD_INCOMPLETE | NUD_REACHABLE | NUD_DELAY | NUD_PROBE;
    /** States in which the link-layer address may be used. */
    public static final int NUD_VALID = NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE | NUD_PROBE | NUD_STALE | NUD_DELAY;
    /** States in which the address is used without further checks. */
    public static final int NUD_CONNECTED = NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE;

    /**
     * The bit a state mask (iproute2's {@code nud} filter) uses for NONE, whose own value is 0:
     * iproute2's filter keeps it in bit 8 ({@code nud none}).
     */
    public static final int MASK_NONE = 0x100;
    /** {@code nud all}: every state, NONE included. */
    public static final int MASK_ALL = 0xff | MASK_NONE;
    /** What {@code ip neigh show} lists without {@code nud}: everything but NOARP and NONE. */
    public static final int MASK_SHOWN_BY_DEFAULT = 0xff & ~NUD_NOARP;
    /** What {@code ip neigh flush} removes without {@code nud}: everything but PERMANENT and NOARP. */
    public static final int MASK_FLUSHED_BY_DEFAULT = MASK_ALL & ~(NUD_PERMANENT | NUD_NOARP);

    private static final NudState[] BY_INDEX = values();
    public static final List<NudState> ALL = List.of(BY_INDEX);

    private final int bit;

    NudState(int bit) {
        this.bit = bit;
    }

    public int bit() {
        return bit;
    }

    /** Index 0..8, for arrays of per-state counters. */
    public static int index(int bit) {
        return bit == 0 ? 0 : Integer.numberOfTrailingZeros(bit) + 1;
    }

    public static NudState ofBit(int bit) {
        if (bit != 0 && Integer.bitCount(bit) != 1 || bit > 0x80) {
            throw new IllegalArgumentException("not a single NUD state: 0x" + Integer.toHexString(bit));
        }
        return BY_INDEX[index(bit)];
    }

    /** Parses a state name as {@code ip neigh} spells it, case-insensitively. */
    public static NudState parse(String text) {
        if (text != null) {
            for (NudState s : BY_INDEX) {
                if (s.name().equalsIgnoreCase(text.trim())) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException("unknown neighbour state '" + text
                + "' (expected one of: none, incomplete, reachable, stale, delay, probe, failed, noarp, permanent)");
    }
}
