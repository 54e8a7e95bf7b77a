package io.neighd.ip;

/** Route and address scopes (RT_SCOPE_* in include/uapi/linux/rtnetlink.h): smaller is wider. */
public final class Scope {
    public static final int UNIVERSE = 0;
    public static final int SITE = 200;
    public static final int LINK = 253;
    public static final int HOST = 254;
    public static final int NOWHERE = 255;

    private Scope() {
    }

    public static String name(int scope) {
        return switch (scope) {
            case UNIVERSE -> "global";
            case SITE -> "site";
            case LINK -> "link";
            case HOST -> "host";
            case NOWHERE -> "nowhere";
            default -> Integer.toString(scope);
        };
    }

    public static int parse(String text) {
        return switch (text) {
            case "global", "universe" -> UNIVERSE;
            case "site" -> SITE;
            case "link" -> LINK;
            case "host" -> HOST;
            default -> throw new IllegalArgumentException(
                    "unknown scope '" + text + "' (expected: global, site, link or host)");
        };
    }
}
