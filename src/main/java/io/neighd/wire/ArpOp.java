package io.neighd.wire;

/**
 * An ARP opcode (RFC 826 ar$op). Every 16-bit value parses to an {@code ArpOp}; only
 * {@link #REQUEST} and {@link #REPLY} are understood by arp_process, which drops the rest.
 */
public record ArpOp(int code) {

    public static final ArpOp REQUEST = new ArpOp(1);
    public static final ArpOp REPLY = new ArpOp(2);

    public ArpOp {
        if (code < 0 || code > 0xffff) {
            throw new IllegalArgumentException("ARP opcode out of range: " + code + " (expected: 0-65535)");
        }
    }

    public static ArpOp of(int code) {
        return switch (code) {
            case 1 -> REQUEST;
            case 2 -> REPLY;
            default -> new ArpOp(code);
        };
    }

    public boolean isKnown() {
        return code == 1 || code == 2;
    }

    /** Lower-case label used in metrics: request, reply or unknown. */
    public String label() {
        return switch (code) {
            case 1 -> "request";
            case 2 -> "reply";
            default -> "unknown";
        };
    }

    @Override
    public String toString() {
        return switch (code) {
            case 1 -> "REQUEST";
            case 2 -> "REPLY";
            default -> "UNKNOWN(" + code + ")";
        };
    }
}
