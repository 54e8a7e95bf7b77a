package io.neighd.link;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A batch goes out through one sendmmsg(2) as the frames it was given, in order, each whole:
 * checked on a Unix datagram socket pair (a datagram per frame, no privilege needed), whose far
 * end reads them back. A refused frame is counted and the rest still go.
 */
class TxBatchTest {
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SO_SNDBUF = 7;
    private static final int SO_SNDTIMEO = 21;
    private static final boolean REGISTERED = register();

    private final int[] pair = new int[2];

    private static native int socketpair(int domain, int type, int protocol, int[] sv);

    private static boolean register() {
        try {
            Native.register(TxBatchTest.class, "c");
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    @BeforeEach
    void open() {
        assumeTrue(REGISTERED && AfPacket.AVAILABLE, "needs the C library through JNA on 64-bit Linux");
        assertThat(socketpair(AF_UNIX, SOCK_DGRAM, 0, pair)).isZero();
        Memory opt = new Memory(16);
        // room for a whole batch waiting unread; and a send that would block fails after 2 s instead
        AfPacket.setInt(pair[0], AfPacket.SOL_SOCKET, SO_SNDBUF, 1 << 20, opt);
        opt.setLong(0, 2);
        opt.setLong(8, 0);
        AfPacket.setsockopt(pair[0], AfPacket.SOL_SOCKET, SO_SNDTIMEO, opt, 16);
    }

    @AfterEach
    void close() {
        AfPacket.close(pair[0]);
        AfPacket.close(pair[1]);
    }

    @Test
    void aBatchLeavesAsItsFramesInOrderEachWhole() {
        TxBatch batch = new TxBatch();
        SplittableRandom rnd = new SplittableRandom(12);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            // ARP-sized and MTU-sized frames, odd lengths included: packing must not bleed between them
            byte[] f = new byte[i % 5 == 0 ? 1514 - i : 42 + i];
            rnd.nextBytes(f);
            assertThat(batch.add(f)).isTrue();
            sent.add(f);
        }
        long[] refused = new long[1];

        assertThat(batch.flush(pair[0], refused)).isZero();

        assertThat(refused[0]).isZero();
        assertThat(batch.isEmpty()).isTrue();
        assertThat(receiveAll(sent.size())).containsExactlyElementsOf(sent);
    }

    @Test
    void aFullBatchRefusesTheNextFrameUntilFlushed() {
        TxBatch batch = new TxBatch();
        for (int i = 0; i < TxBatch.MAX_FRAMES; i++) {
            assertThat(batch.add(new byte[] {(byte) i})).isTrue();
        }
        assertThat(batch.add(new byte[1])).isFalse();

        batch.flush(pair[0], new long[1]);

        assertThat(batch.add(new byte[1])).isTrue();
        assertThat(receiveAll(TxBatch.MAX_FRAMES)).hasSize(TxBatch.MAX_FRAMES);
    }

    @Test
    void aLoneFrameGoesOutToo() {
        TxBatch batch = new TxBatch();
        batch.add(new byte[] {1, 2, 3});

        batch.flush(pair[0], new long[1]);

        assertThat(receiveAll(1)).singleElement().isEqualTo(new byte[] {1, 2, 3});
    }

    @Test
    void aRefusedFrameIsCountedAndTheOthersStillGo() {
        TxBatch batch = new TxBatch();
        // a Unix datagram larger than the socket's send buffer is refused (EMSGSIZE)
        AfPacket.setInt(pair[0], AfPacket.SOL_SOCKET, SO_SNDBUF, 4096, new Memory(8));
        batch.add(new byte[] {1});
        batch.add(new byte[60_000]);
        batch.add(new byte[] {3});
        long[] refused = new long[1];

        int errno = batch.flush(pair[0], refused);

        assertThat(errno).isNotZero();
        assertThat(refused[0]).isEqualTo(1);
        assertThat(receiveAll(2)).containsExactly(new byte[] {1}, new byte[] {3});
    }

    private List<byte[]> receiveAll(int n) {
        Memory buf = new Memory(65_536);
        List<byte[]> got = new ArrayList<>();
        for (int i = 0; i < n + 1; i++) {
            long len = AfPacket.recv(pair[1], Pointer.nativeValue(buf), buf.size(), AfPacket.MSG_DONTWAIT);
            if (len < 0) {
                break;
            }
            got.add(buf.getByteArray(0, (int) len));
        }
        return got;
    }
}
