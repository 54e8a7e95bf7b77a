package io.neighd.link;

import com.sun.jna.Library;
import com.sun.jna.Native;
import io.neighd.wire.MacAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Listens to the kernel's link notifications (an rtnetlink socket bound to RTMGRP_LINK, what
 * {@code ip monitor link} reads) in one network namespace and hands each RTM_NEWLINK on as the
 * {@link InterfaceInfo} it describes, in the kernel's order. {@code ip link set down} and {@code
 * up} thereby reach the engine as the kernel's NETDEV_DOWN/NETDEV_UP reach arp_netdev_event and
 * inetdev_event: at once, and each one even when the two follow each other within a
 * millisecond, which a poll of /sys would miss.
 */
public final class RtnlLinkMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RtnlLinkMonitor.class);

    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int NETLINK_ROUTE = 0;
    private static final int RTMGRP_LINK = 1;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int SO_RCVBUF = 8;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final int ENOBUFS = 105;

    static final int RTM_NEWLINK = 16;
    static final int RTM_DELLINK = 17;
    static final int NLMSG_HDRLEN = 16;
    static final int IFINFOMSG_LEN = 16;
    static final int IFLA_ADDRESS = 1;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_MTU = 4;
    static final int IFF_UP = 0x1;
    static final int IFF_LOWER_UP = 0x10000;

    private interface LibC extends Library {
        int socket(int domain, int type, int protocol);

        int bind(int fd, byte[] addr, int len);

        int setsockopt(int fd, int level, int name, byte[] value, int len);

        long recv(int fd, byte[] buf, long len, int flags);

        int close(int fd);
    }

    private final LibC libc;
    private final int fd;
    private final String where;
    private final Thread reader;
    private volatile boolean running = true;

    private RtnlLinkMonitor(LibC libc, int fd, String netns, Consumer<InterfaceInfo> listener, Runnable lost) {
        this.libc = libc;
        this.fd = fd;
        this.where = netns == null ? "host" : "netns " + netns;
        this.reader = new Thread(() -> read(listener, lost), "neighd-rtnl-" + (netns == null ? "host" : netns));
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Subscribes to link notifications in {@code netns} (null: neighd's own namespace). {@code
     * lost} runs when the kernel dropped notifications (ENOBUFS) and when an interface was deleted
     * (RTM_DELLINK, which names an interface that is no more), so that the caller can read the
     * interfaces afresh.
     */
    public static RtnlLinkMonitor open(String netns, Consumer<InterfaceInfo> listener, Runnable lost) {
        LibC libc = Native.load("c", LibC.class);
        int fd;
        try {
            fd = netns == null ? openSocket(libc) : Netns.run(netns, () -> openSocket(libc));
        } catch (LinkException e) {
            throw e;
        } catch (Exception e) {
            throw new LinkException("cannot listen to link notifications: " + e.getMessage(), e);
        }
        return new RtnlLinkMonitor(libc, fd, netns, listener, lost);
    }

    private static int openSocket(LibC libc) {
        int fd = libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        if (fd < 0) {
            throw new LinkException("cannot open an rtnetlink socket: errno " + Native.getLastError());
        }
        ByteBuffer sa = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder());
        sa.putShort((short) AF_NETLINK).putShort((short) 0).putInt(0).putInt(RTMGRP_LINK);
        ByteBuffer tv = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
        tv.putLong(0).putLong(200_000); // wake every 200 ms to notice close()
        ByteBuffer rcvbuf = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(1 << 20);
        if (libc.bind(fd, sa.array(), 12) != 0
                || libc.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv.array(), 16) != 0
                || libc.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, rcvbuf.array(), 4) != 0) {
            int errno = Native.getLastError();
            libc.close(fd);
            throw new LinkException("cannot subscribe to link notifications: errno " + errno);
        }
        return fd;
    }

    private void read(Consumer<InterfaceInfo> listener, Runnable lost) {
        byte[] buf = new byte[64 << 10];
        try {
            while (running) {
                long n = libc.recv(fd, buf, buf.length, 0);
                if (n < 0) {
                    int errno = Native.getLastError();
                    if (errno == EAGAIN || errno == EINTR) {
                        continue;
                    }
                    if (errno == ENOBUFS) {
                        log.warn("link notifications overflowed in {}: reading the interfaces afresh", where);
                        lost.run();
                        continue;
                    }
                    log.warn("link notifications in {} stopped: errno {}; the 1 s poll goes on", where, errno);
                    return;
                }
                ByteBuffer datagram = ByteBuffer.wrap(buf, 0, (int) n);
                for (InterfaceInfo info : parse(datagram)) {
                    listener.accept(info);
                }
                if (deletes(datagram)) {
                    lost.run();
                }
            }
        } catch (RuntimeException e) {
            log.warn("link notifications in {} stopped: {}; the 1 s poll goes on", where, e.toString());
        } finally {
            libc.close(fd);
        }
    }

    /**
     * The RTM_NEWLINK messages of one netlink datagram (struct nlmsghdr, struct ifinfomsg, then
     * IFLA_* attributes), as interfaces: IFF_UP is the administrative state, IFF_LOWER_UP the
     * carrier (dev_get_flags reports it only while the device runs). Other messages and truncated
     * ones are skipped.
     */
    static List<InterfaceInfo> parse(ByteBuffer b) {
        b = b.slice().order(ByteOrder.nativeOrder());
        List<InterfaceInfo> out = new ArrayList<>(1);
        int off = 0;
        while (off + NLMSG_HDRLEN <= b.limit()) {
            int len = b.getInt(off);
            int type = b.getShort(off + 4) & 0xffff;
            if (len < NLMSG_HDRLEN || off + len > b.limit()) {
                break;
            }
            if (type == RTM_NEWLINK && len >= NLMSG_HDRLEN + IFINFOMSG_LEN) {
                InterfaceInfo info = link(b, off + NLMSG_HDRLEN, off + len);
                if (info != null) {
                    out.add(info);
                }
            }
            off += align(len);
        }
        return out;
    }

    /** Whether one netlink datagram holds an RTM_DELLINK. */
    static boolean deletes(ByteBuffer b) {
        b = b.slice().order(ByteOrder.nativeOrder());
        int off = 0;
        while (off + NLMSG_HDRLEN <= b.limit()) {
            int len = b.getInt(off);
            if (len < NLMSG_HDRLEN || off + len > b.limit()) {
                return false;
            }
            if ((b.getShort(off + 4) & 0xffff) == RTM_DELLINK) {
                return true;
            }
            off += align(len);
        }
        return false;
    }

    private static InterfaceInfo link(ByteBuffer b, int start, int end) {
        int ifindex = b.getInt(start + 4);
        int flags = b.getInt(start + 8);
        String name = null;
        MacAddress mac = null;
        int mtu = 0;
        int a = start + IFINFOMSG_LEN;
        while (a + 4 <= end) {
            int alen = b.getShort(a) & 0xffff;
            int atype = b.getShort(a + 2) & 0x3fff;
            if (alen < 4 || a + alen > end) {
                break;
            }
            int plen = alen - 4;
            if (atype == IFLA_IFNAME && plen > 0) {
                byte[] s = new byte[plen];
                b.get(a + 4, s);
                int z = 0;
                while (z < s.length && s[z] != 0) {
                    z++;
                }
                name = new String(s, 0, z, StandardCharsets.US_ASCII);
            } else if (atype == IFLA_ADDRESS && plen == 6) {
                byte[] m = new byte[6];
                b.get(a + 4, m);
                mac = MacAddress.of(m, 0);
            } else if (atype == IFLA_MTU && plen == 4) {
                mtu = b.getInt(a + 4);
            }
            a += align(alen);
        }
        if (name == null || mac == null || mtu == 0) {
            return null;
        }
        return new InterfaceInfo(name, ifindex, mac, mtu, (flags & IFF_UP) != 0, (flags & IFF_LOWER_UP) != 0);
    }

    private static int align(int len) {
        return (len + 3) & ~3;
    }

    /** Whether notifications still arrive (false once the socket failed). */
    public boolean isListening() {
        return running && reader.isAlive();
    }

    @Override
    public void close() {
        running = false;
        try {
            reader.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
