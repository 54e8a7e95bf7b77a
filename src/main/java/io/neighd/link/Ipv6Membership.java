package io.neighd.link;

import com.sun.jna.Library;
import com.sun.jna.Native;
import io.neighd.wire.Ipv6Address;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The IPv6 multicast groups neighd's engine joins on a live interface, joined for real: one
 * AF_INET6 datagram socket per interface, opened in the interface's namespace, whose
 * IPV6_ADD_MEMBERSHIP / IPV6_DROP_MEMBERSHIP (as mdlayher/ndp's JoinGroup does) make the kernel
 * program the NIC's multicast filter (dev_mc_add) and send MLD reports for snooping switches.
 * Without it a solicitation to one of neighd's solicited-node groups may never reach the capture
 * on a real NIC. Closing the socket leaves every group. The kernel keeps a membership by interface
 * index, so when the interface is deleted and re-created under its name (a new index) the groups
 * are joined again on the new one ({@link #follow}).
 *
 * <p>Failures are logged, not thrown: a capture in promiscuous mode still hears the groups, and
 * the kernel refuses memberships only where IPv6 is off altogether.
 */
public final class Ipv6Membership implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Ipv6Membership.class);
    private static final int AF_INET6 = 10;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int IPPROTO_IPV6 = 41;
    /** IPV6_ADD_MEMBERSHIP (IPV6_JOIN_GROUP) and IPV6_DROP_MEMBERSHIP (IPV6_LEAVE_GROUP), include/uapi/linux/in6.h. */
    private static final int IPV6_ADD_MEMBERSHIP = 20;
    private static final int IPV6_DROP_MEMBERSHIP = 21;

    private interface LibC extends Library {
        int socket(int domain, int type, int protocol);

        int setsockopt(int fd, int level, int optname, byte[] optval, int optlen);

        int close(int fd);
    }

    private static volatile LibC libc;

    private final String dev;
    private final String netns;
    private int ifindex;
    private int fd;
    private final Set<Ipv6Address> groups = new LinkedHashSet<>();
    private boolean closed;

    private Ipv6Membership(String dev, String netns, int ifindex, int fd) {
        this.dev = dev;
        this.netns = netns;
        this.ifindex = ifindex;
        this.fd = fd;
    }

    private static LibC libc() {
        LibC l = libc;
        if (l == null) {
            l = Native.load("c", LibC.class);
            libc = l;
        }
        return l;
    }

    /** Opens the socket, inside {@code netns} when one is named (the lab's way of attaching). */
    public static Ipv6Membership open(String dev, int ifindex, String netns) {
        return new Ipv6Membership(dev, netns, ifindex, openSocket(dev, netns));
    }

    private static int openSocket(String dev, String netns) {
        try {
            return netns == null ? socket() : Netns.run(netns, Ipv6Membership::socket);
        } catch (Exception e) {
            log.warn("{}: no IPv6 socket for multicast memberships ({}); groups are heard only in promiscuous mode",
                    dev, e.getMessage());
            return -1;
        }
    }

    /**
     * The interface by this name now has index {@code newIfindex} (deleted and re-created, and the
     * capture reopened on it). The old memberships went with the old device (the socket still
     * names its index, so a join there fails with ENODEV): a fresh socket joins every group again.
     */
    public synchronized void follow(int newIfindex) {
        if (closed || newIfindex == ifindex) {
            return;
        }
        if (fd >= 0) {
            libc().close(fd);
        }
        fd = openSocket(dev, netns);
        ifindex = newIfindex;
        List<Ipv6Address> again = new ArrayList<>(groups);
        groups.clear();
        again.forEach(this::join);
        log.info("{}: {} IPv6 group(s) joined again on ifindex {}", dev, groups.size(), newIfindex);
    }

    private static int socket() {
        int fd = libc().socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new LinkException("socket(AF_INET6) failed, errno " + Native.getLastError());
        }
        return fd;
    }

    /** ipv6_sock_mc_join() on the interface; once per group. */
    public synchronized void join(Ipv6Address group) {
        if (closed || fd < 0 || !groups.add(group)) {
            return;
        }
        if (libc().setsockopt(fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, mreq(group), 20) != 0) {
            groups.remove(group);
            log.warn("{}: cannot join {} (errno {}): solicitations to it may not reach neighd", dev, group,
                    Native.getLastError());
        }
    }

    /** ipv6_sock_mc_drop() */
    public synchronized void leave(Ipv6Address group) {
        if (closed || fd < 0 || !groups.remove(group)) {
            return;
        }
        if (libc().setsockopt(fd, IPPROTO_IPV6, IPV6_DROP_MEMBERSHIP, mreq(group), 20) != 0) {
            log.debug("{}: leaving {} failed (errno {})", dev, group, Native.getLastError());
        }
    }

    /** struct ipv6_mreq { struct in6_addr ipv6mr_multiaddr; int ipv6mr_interface; } */
    private byte[] mreq(Ipv6Address group) {
        ByteBuffer b = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder());
        b.put(group.toBytes());
        b.putInt(ifindex);
        return b.array();
    }

    /** The groups joined, in order. */
    public synchronized List<Ipv6Address> groups() {
        return new ArrayList<>(groups);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        groups.clear();
        if (fd >= 0) {
            libc().close(fd);
        }
    }
}
