package io.neighd.bench;

import io.neighd.arp.Reason;
import org.openjdk.jmh.annotations.Param;

import java.util.function.IntFunction;

/**
 * The benchmarks whose frames come from peers the table already knows, ARP's and their IPv6
 * twins alike: {@code senders} peers are learned in the set-up, then each operation hands the
 * next frame of a rotation to Engine.receive.
 */
public abstract class KnownPeersBenchmark extends EngineBenchmark {
    /** How many distinct known senders the frames cycle through (a power of two). */
    @Param("4096")
    int senders;

    private int next;

    /** Peer i's frame at i. */
    final byte[][] perPeer(IntFunction<byte[]> frame) {
        byte[][] frames = new byte[senders][];
        for (int i = 0; i < senders; i++) {
            frames[i] = frame.apply(i);
        }
        return frames;
    }

    /** Peer i's first variant at i, its second at senders + i: each visit alternates them. */
    final byte[][] alternating(IntFunction<byte[]> first, IntFunction<byte[]> second) {
        byte[][] frames = new byte[2 * senders][];
        for (int i = 0; i < senders; i++) {
            frames[i] = first.apply(i);
            frames[senders + i] = second.apply(i);
        }
        return frames;
    }

    /** Puts every peer in the table with its frame, which must end as {@code expected}. */
    final void learn(byte[][] frames, Reason expected) {
        for (int i = 0; i < frames.length; i++) {
            Reason r = rig.engine.receive(rig.nd0, frames[i], frames[i].length);
            if (r != expected) {
                throw new IllegalStateException("learning peer " + i + ": " + r);
            }
        }
    }

    /** Engine.receive of the next frame of {@code rotation}, whose length is a power of two. */
    final Reason receiveNext(byte[][] rotation) {
        byte[] f = rotation[next];
        next = (next + 1) & (rotation.length - 1);
        return rig.engine.receive(rig.nd0, f, f.length);
    }
}
