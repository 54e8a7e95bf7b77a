package io.neighd.wire;

/**
 * An ARP opcode (RFC 826 ar$op). Every 16-bit value parses to an {@code ArpOp}; only
 * {@link #REQUEST} and {@link #REPLY} are understood by arp_process, which drops the rest.
 */
public record ArpOp(int code) {

    /** ARPOP_REQUEST */
    public static final int OP_REQUEST = 1;
    /** ARPOP_REPLY */
    public static final int OP_REPLY = 2;

    public static final ArpOp REQUEST = new ArpOp(OP_REQUEST);
    public static final ArpOp REPLY = new ArpOp(OP_REPLY);

    public ArpOp {
        if (code < 0 || code > 0xffff) {
            throw new IllegalArgumentException("ARP opcode out of range: " + code + " (expected: 0-65535)");
        }
    }

    public static ArpOp of(int code) {
        return switch (code) {
            case OP_REQUEST -> REQUEST;
            case OP_REPLY -> REPLY;
            default -> new ArpOp(code);
        };
    }

    public boolean isKnown() {
        return isKnown(code);
    }

    /** Whether arp_process() understands the opcode: request or reply. */
    public static boolean isKnown(int code) {
        return code == OP_REQUEST || code == OP_REPLY;
    }

    /** Lower-case label used in metrics: request, reply or unknown. */
    public String label() {
        return switch (code) {
            case OP_REQUEST -> "request";
            case OP_REPLY -> "reply";
            default -> "unknown";
        };
    }

    @Override
    public String toString() {
        return switch (code) {
            case OP_REQUEST -> "REQUEST";
            case OP_REPLY -> "REPLY";
            default -> "UNKNOWN(" + code + ")";
        };
    }
}
