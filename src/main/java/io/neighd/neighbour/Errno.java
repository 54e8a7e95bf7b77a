package io.neighd.neighbour;

/** The negative errno values the table's operations answer with, as the kernel's do. */
public final class Errno {
    public static final int EPERM = -1;
    public static final int ENOENT = -2;
    public static final int ENOBUFS = -105;
    public static final int EEXIST = -17;
    public static final int EINVAL = -22;

    private Errno() {
    }

    public static String name(int err) {
        return switch (err) {
            case 0 -> "OK";
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case ENOBUFS -> "ENOBUFS";
            case EEXIST -> "EEXIST";
            case EINVAL -> "EINVAL";
            default -> "E" + (-err);
        };
    }
}
