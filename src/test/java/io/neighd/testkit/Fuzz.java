package io.neighd.testkit;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded, structure-aware generator for the parser fuzzers: they build a document from its
 * grammar with values chosen from the edges (empty, zero, the limits and one past them, huge,
 * negative, not numbers, other scripts' digits, control characters) and then mutate its text at
 * random (characters inserted, deleted, replaced or repeated; the text cut short). The seed is
 * printed and taken back with {@code -Dneighd.fuzz.seed}; {@code -Dneighd.fuzz.iterations} sets
 * the number of documents per target (the short run of {@code ./mvnw verify} makes a few
 * thousand).
 */
public final class Fuzz {
    /** Documents per target in {@code ./mvnw verify}. */
    public static final int SHORT = 3000;

    public static final List<String> NUMBERS = List.of("0", "1", "-1", "2", "3", "7", "8", "9", "100", "255", "256",
            "1000", "65535", "65536", "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967295",
            "4294967296", "858993459", "858993460", "9223372036854775807", "9223372036854775808",
            "-9223372036854775808", "-9223372036854775809", "99999999999999999999999", "1e3", "0x10", "010", " 5 ",
            "+5", "--5", "5.0", "NaN", "", " ", "abc", "\u0661\u0662", "\uff11", "1\u0000", "\t1");
    public static final List<String> WORDS = List.of("", " ", "nd0", "eth0", "all", "default", "lo", "x",
            "nd0:1", "a/b", "..", "-", "=", "==", "#", ";", "\\", "\"", "'", "{", "}", "[", "]", ",", ":", "\u0000", "\r",
            "\n", "\t", "\u202e", "\uD83D\uDE00", "\uD800", "é", "x".repeat(300), "permanent", "PERMANENT", "noarp",
            "none", "failed", "add", "del", "10.77.0.1", "10.77.0.1/24", "10.77.0.1/33", "256.0.0.1", "0.0.0.0",
            "255.255.255.255", "02:bb:00:00:00:01", "ff:ff:ff:ff:ff:ff", "01:00:5e:00:00:01", "02:bb:00:00:00",
            "default via 10.77.0.254", "10.88.0.0/24 via 10.77.0.254 dev nd0", "blackhole 10.9.0.0/16", "null", "true");

    private Fuzz() {
    }

    public static long seed() {
        return Long.getLong("neighd.fuzz.seed", System.nanoTime());
    }

    public static int iterations() {
        return iterations(SHORT);
    }

    /** For a target whose documents cost more (a whole engine each): {@code shortRun} in verify. */
    public static int iterations(int shortRun) {
        return Integer.getInteger("neighd.fuzz.iterations", shortRun);
    }

    public static <T> T pick(SplittableRandom r, List<T> from) {
        return from.get(r.nextInt(from.size()));
    }

    /** A number from the edges, or a random one. */
    public static String number(SplittableRandom r) {
        return r.nextInt(4) == 0 ? Long.toString(r.nextLong()) : pick(r, NUMBERS);
    }

    /** A few random edits of {@code s}, or {@code s} itself half of the time. */
    public static String mutate(SplittableRandom r, String s) {
        if (r.nextBoolean()) {
            return s;
        }
        StringBuilder b = new StringBuilder(s);
        int edits = 1 + r.nextInt(4);
        for (int i = 0; i < edits; i++) {
            int at = b.isEmpty() ? 0 : r.nextInt(b.length() + 1);
            switch (r.nextInt(6)) {
                case 0 -> b.insert(at, pick(r, WORDS));
                case 1 -> {
                    if (at < b.length()) {
                        b.deleteCharAt(at);
                    }
                }
                case 2 -> {
                    if (at < b.length()) {
                        b.setCharAt(at, (char) r.nextInt(0x80));
                    }
                }
                case 3 -> b.insert(at, (char) r.nextInt(0x3000));
                case 4 -> b.setLength(at);
                default -> {
                    int end = Math.min(b.length(), at + 1 + r.nextInt(8));
                    b.insert(at, b.substring(at, end));
                }
            }
        }
        return b.toString();
    }

    /** The first line of a message, to check that a refusal is one line. */
    public static boolean oneLine(String message) {
        return message != null && !message.isBlank() && message.indexOf('\n') < 0;
    }
}
