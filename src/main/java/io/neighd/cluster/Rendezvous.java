package io.neighd.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Rendezvous (highest random weight) hashing of node and address, MetalLB's
 * {@code sha256(node + "#" + ip)}: every node computes the same weight for a pair without
 * talking to any other, and for each address a different node comes out on top, so addresses
 * spread over nodes. Turned into a head start: a node waits {@code (1 - weight) × spread} before
 * it asks for a free lease, so the node with the highest weight among those standing asks first.
 */
public final class Rendezvous {
    private Rendezvous() {
    }

    /** The weight of {@code node} for {@code key}, uniform in [0, 1). */
    public static double weight(String node, String key) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((node + "#" + key).getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 7; i++) {
                v = (v << 8) | (h[i] & 0xff);
            }
            return v / (double) (1L << 56);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** How long {@code node} waits before it asks for the free lease of {@code key}. */
    public static long headStartNanos(String node, String key, long spreadNanos) {
        return (long) ((1.0 - weight(node, key)) * spreadNanos);
    }
}
