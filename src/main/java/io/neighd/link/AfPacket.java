package io.neighd.link;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The C library calls and constants an AF_PACKET socket with memory-mapped rings needs
 * (include/uapi/linux/if_packet.h, linux/socket.h, asm-generic/errno.h; LP64 layouts), called
 * through JNA's direct mapping. Nothing here allocates per call.
 */
final class AfPacket {
    static final int AF_PACKET = 17;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    /** htons(ETH_P_ALL): every protocol, outgoing included (PACKET_IGNORE_OUTGOING drops those). */
    static final int ETH_P_ALL_BE = 0x0300;

    static final int SOL_SOCKET = 1;
    static final int SO_RCVBUF = 8;
    static final int SO_ERROR = 4;
    static final int SO_ATTACH_FILTER = 26;

    static final int SOL_PACKET = 263;
    static final int PACKET_ADD_MEMBERSHIP = 1;
    static final int PACKET_MR_PROMISC = 1;
    static final int PACKET_RX_RING = 5;
    static final int PACKET_STATISTICS = 6;
    static final int PACKET_COPY_THRESH = 7;
    static final int PACKET_VERSION = 10;
    static final int PACKET_IGNORE_OUTGOING = 23;
    static final int TPACKET_V2 = 1;

    static final int TP_STATUS_KERNEL = 0;
    static final int TP_STATUS_USER = 0x1;
    static final int TP_STATUS_COPY = 0x2;
    static final int TP_STATUS_VLAN_VALID = 0x10;
    static final int TP_STATUS_VLAN_TPID_VALID = 0x40;
    static final int PACKET_OUTGOING = 4;

    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 1;
    static final int MSG_DONTWAIT = 0x40;

    static final short POLLIN = 0x1;
    static final short POLLERR = 0x8;
    static final short POLLHUP = 0x10;
    static final short POLLNVAL = 0x20;

    static final int EPERM = 1;
    static final int EINTR = 4;
    static final int ENXIO = 6;
    static final int EAGAIN = 11;
    static final int ENOMEM = 12;
    static final int EACCES = 13;
    static final int ENODEV = 19;
    static final int ENETDOWN = 100;
    static final int ENOBUFS = 105;

    /** struct mmsghdr is a struct msghdr (56 bytes on LP64) and an unsigned int, padded to 64. */
    static final int MMSGHDR_SIZE = 64;
    static final int MSGHDR_IOV = 16;
    static final int MSGHDR_IOVLEN = 24;
    static final int IOVEC_SIZE = 16;

    static final boolean AVAILABLE = register();

    private AfPacket() {
    }

    static native int socket(int domain, int type, int protocol);

    static native int bind(int fd, Pointer addr, int len);

    static native int setsockopt(int fd, int level, int name, Pointer value, int len);

    static native int getsockopt(int fd, int level, int name, Pointer value, Pointer len);

    static native int getsockname(int fd, Pointer addr, Pointer len);

    static native Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

    static native int munmap(Pointer addr, long length);

    /** Hot-path calls take addresses as longs: no Pointer object per call. */
    static native long recv(int fd, long buf, long len, int flags);

    static native long send(int fd, long buf, long len, int flags);

    static native int sendmmsg(int fd, long msgvec, int vlen, int flags);

    static native int poll(Pointer fds, long nfds, int timeout);

    static native int getpagesize();

    static native int close(int fd);

    static native String strerror(int errnum);

    static int errno() {
        return Native.getLastError();
    }

    /** An int socket option from a scratch buffer of at least 4 bytes. */
    static int setInt(int fd, int level, int name, int value, Memory scratch) {
        scratch.setInt(0, value);
        return setsockopt(fd, level, name, scratch, 4);
    }

    private static boolean register() {
        if (Native.POINTER_SIZE != 8) {
            return false;
        }
        try {
            Native.register(AfPacket.class, "c");
            return true;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }
}
