package io.neighd.errno;

/** The negative errno values the engine's operations answer with, as the kernel's do. */
public final class Errno {
    public static final int EPERM = -1;
    public static final int ENOENT = -2;
    public static final int EACCES = -13;
    public static final int EEXIST = -17;
    public static final int EBUSY = -16;
    public static final int ENODEV = -19;
    public static final int EINVAL = -22;
    public static final int ENETDOWN = -100;
    public static final int ENETUNREACH = -101;
    public static final int ENOBUFS = -105;
    public static final int EADDRNOTAVAIL = -99;

    private Errno() {
    }

    public static String name(int err) {
        return switch (err) {
            case 0 -> "OK";
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case EACCES -> "EACCES";
            case EEXIST -> "EEXIST";
            case EBUSY -> "EBUSY";
            case ENODEV -> "ENODEV";
            case EINVAL -> "EINVAL";
            case ENETDOWN -> "ENETDOWN";
            case ENETUNREACH -> "ENETUNREACH";
            case ENOBUFS -> "ENOBUFS";
            case EADDRNOTAVAIL -> "EADDRNOTAVAIL";
            default -> "E" + (-err);
        };
    }
}
