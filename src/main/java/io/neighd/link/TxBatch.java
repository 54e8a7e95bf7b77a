package io.neighd.link;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The frames the engine sends on one socket during one turn of its loop, handed to the kernel
 * together with one sendmmsg(2): under a flood that is one system call (and one call into native
 * code) for up to {@value #MAX_FRAMES} replies instead of one each. Frames are packed back to back
 * in native memory through a direct buffer, so queueing one is a copy, not a native call.
 *
 * <p>Not thread-safe: the engine thread owns it.
 */
final class TxBatch {
    static final int MAX_FRAMES = 256;
    private static final int DATA_BYTES = 128 << 10;

    private final Memory msgs = new Memory((long) MAX_FRAMES * AfPacket.MMSGHDR_SIZE);
    private final Memory iovs = new Memory((long) MAX_FRAMES * AfPacket.IOVEC_SIZE);
    private final Memory data = new Memory(DATA_BYTES);
    private final ByteBuffer iovView = iovs.getByteBuffer(0, iovs.size()).order(ByteOrder.nativeOrder());
    private final ByteBuffer dataView = data.getByteBuffer(0, DATA_BYTES);
    private final ByteBuffer msgView = msgs.getByteBuffer(0, msgs.size()).order(ByteOrder.nativeOrder());
    private final long dataAddress = Pointer.nativeValue(data);
    private final long msgsAddress = Pointer.nativeValue(msgs);
    private int count;
    private int used;

    TxBatch() {
        msgs.clear();
        long iovAddress = Pointer.nativeValue(iovs);
        for (int i = 0; i < MAX_FRAMES; i++) {
            msgView.putLong(i * AfPacket.MMSGHDR_SIZE + AfPacket.MSGHDR_IOV, iovAddress + (long) i * AfPacket.IOVEC_SIZE);
            msgView.putLong(i * AfPacket.MMSGHDR_SIZE + AfPacket.MSGHDR_IOVLEN, 1);
        }
    }

    /** Queues {@code frame}; false if it does not fit (flush, then try again, or send it alone). */
    boolean add(byte[] frame) {
        int aligned = (frame.length + 15) & ~15;
        if (count == MAX_FRAMES || used + aligned > DATA_BYTES) {
            return false;
        }
        dataView.put(used, frame, 0, frame.length);
        iovView.putLong(count * AfPacket.IOVEC_SIZE, dataAddress + used);
        iovView.putLong(count * AfPacket.IOVEC_SIZE + 8, frame.length);
        used += aligned;
        count++;
        return true;
    }

    /** Drops the queued frames unsent. */
    void clear() {
        count = 0;
        used = 0;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /**
     * Sends every queued frame on {@code fd} and empties the batch. A frame the kernel refuses
     * (the interface went down, no buffer) is dropped and counted, and the rest still go.
     *
     * @return the errno of the last refusal, or 0
     */
    int flush(int fd, long[] refused) {
        int lastError = 0;
        int sent = 0;
        while (sent < count) {
            int n = count - sent == 1
                    ? (int) Math.min(1, AfPacket.send(fd, iovView.getLong(sent * AfPacket.IOVEC_SIZE),
                            iovView.getLong(sent * AfPacket.IOVEC_SIZE + 8), 0))
                    : AfPacket.sendmmsg(fd, msgsAddress + (long) sent * AfPacket.MMSGHDR_SIZE, count - sent, 0);
            if (n > 0) {
                sent += n;
                continue;
            }
            int errno = AfPacket.errno();
            if (n < 0 && errno == AfPacket.EINTR) {
                continue;
            }
            // the message at `sent` was refused: sendmmsg reports an error only for the first one
            lastError = n < 0 ? errno : AfPacket.ENOBUFS;
            refused[0]++;
            sent++;
        }
        count = 0;
        used = 0;
        return lastError;
    }
}
