package io.neighd.engine;

import io.neighd.ip.NetDevice;
import io.neighd.errno.Errno;
import io.neighd.errno.Result;
import io.neighd.neighbour.NeighFlags;
import io.neighd.neighbour.Neighbour;
import io.neighd.neighbour.NeighbourTable;
import io.neighd.neighbour.NudState;
import io.neighd.neighbour.Pneigh;
import io.neighd.neighbour.UpdateFlags;
import io.neighd.wire.IpAddress;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The administrative operations of {@code ip neigh} on one table (arp_tbl or nd_tbl): neigh_add()
 * with the netlink flags that add (CREATE|EXCL), change (REPLACE) and replace (CREATE|REPLACE)
 * send, neigh_delete(), the flush iproute2 performs, proxy entries, and arp_invalidate().
 */
public final class NeighAdmin {
    /** Which {@code ip neigh} verb: the netlink flags it sends. */
    public enum Mode {
        /** NLM_F_CREATE | NLM_F_EXCL */
        ADD(true, true, false),
        /** NLM_F_REPLACE */
        CHANGE(false, false, true),
        /** NLM_F_CREATE | NLM_F_REPLACE */
        REPLACE(true, false, true);

        final boolean create;
        final boolean excl;
        final boolean replace;

        Mode(boolean create, boolean excl, boolean replace) {
            this.create = create;
            this.excl = excl;
            this.replace = replace;
        }
    }

    /**
     * An {@code ip neigh add|change|replace} request. {@code lladdr} is {@link Neighbour#NO_LLADDR}
     * when not given; {@code ntfFlags} are {@link NeighFlags}; {@code use} asks for resolution.
     */
    public record Request(NetDevice dev, IpAddress dst, long lladdr, int state, int ntfFlags, boolean use) {
        /** An arp_tbl request for the IPv4 address {@code dst}. */
        public Request(NetDevice dev, int dst, long lladdr, int state, int ntfFlags, boolean use) {
            this(dev, new io.neighd.wire.Ipv4Address(dst), lladdr, state, ntfFlags, use);
        }
    }

    private final NeighbourTable<NetDevice> tbl;
    /** tbl->allow_add (ndisc_allow_add): null to allow, else why not. */
    private final Function<NetDevice, String> allowAdd;

    NeighAdmin(NeighbourTable<NetDevice> tbl) {
        this(tbl, dev -> null);
    }

    NeighAdmin(NeighbourTable<NetDevice> tbl, Function<NetDevice, String> allowAdd) {
        this.tbl = tbl;
        this.allowAdd = allowAdd;
    }

    /** neigh_add() */
    public Result<Void> add(Request r, Mode mode) {
        String refused = allowAdd.apply(r.dev());
        if (refused != null) {
            return Result.error(Errno.EPERM, refused);
        }
        int flags = UpdateFlags.ADMIN | UpdateFlags.OVERRIDE | UpdateFlags.OVERRIDE_ISROUTER;
        int ntf = r.ntfFlags();
        Neighbour<NetDevice> n = tbl.lookup(r.dev(), r.dst().hi(), r.dst().lo());
        if (n == null) {
            boolean permanent = (r.state() & NudState.NUD_PERMANENT) != 0;
            boolean exempt = permanent || (ntf & (NeighFlags.EXT_LEARNED | NeighFlags.EXT_VALIDATED)) != 0;
            if (!mode.create) {
                return Result.error(Errno.ENOENT, "no entry to change");
            }
            if (permanent && (ntf & NeighFlags.MANAGED) != 0) {
                return Result.error(Errno.EINVAL, "Invalid NTF_* flag for permanent entry", "flags");
            }
            if ((ntf & NeighFlags.EXT_VALIDATED) != 0) {
                int st = (r.use() || (ntf & NeighFlags.MANAGED) != 0) ? NudState.NUD_NONE : r.state();
                if ((st & NudState.NUD_VALID) == 0) {
                    return Result.error(Errno.EINVAL, "Cannot create externally validated neighbor with an invalid state",
                            "state");
                }
            }
            n = tbl.create(r.dev(), r.dst().hi(), r.dst().lo(),
                    ntf & (NeighFlags.EXT_LEARNED | NeighFlags.MANAGED | NeighFlags.EXT_VALIDATED), exempt);
            if (n == null) {
                return Result.error(Errno.ENOBUFS, "neighbour table overflow");
            }
        } else {
            if (mode.excl) {
                return Result.error(Errno.EEXIST, "entry exists");
            }
            if ((ntf & NeighFlags.EXT_VALIDATED) != 0) {
                int st = (r.use() || (ntf & NeighFlags.MANAGED) != 0) ? n.state() & ~NudState.NUD_PERMANENT : r.state();
                if ((st & NudState.NUD_VALID) == 0) {
                    return Result.error(Errno.EINVAL,
                            "Cannot mark neighbor as externally validated with an invalid state", "state");
                }
            }
            if (!mode.replace) {
                flags &= ~(UpdateFlags.OVERRIDE | UpdateFlags.OVERRIDE_ISROUTER);
            }
        }
        if ((ntf & NeighFlags.EXT_LEARNED) != 0) {
            flags |= UpdateFlags.EXT_LEARNED;
        }
        if ((ntf & NeighFlags.ROUTER) != 0) {
            flags |= UpdateFlags.ISROUTER;
        }
        if ((ntf & NeighFlags.MANAGED) != 0) {
            flags |= UpdateFlags.MANAGED;
        }
        if (r.use()) {
            flags |= UpdateFlags.USE;
        }
        if ((ntf & NeighFlags.EXT_VALIDATED) != 0) {
            flags |= UpdateFlags.EXT_VALIDATED;
        }
        int err = tbl.update(n, r.lladdr(), r.state(), flags);
        if (err == 0 && (flags & (UpdateFlags.USE | UpdateFlags.MANAGED)) != 0) {
            tbl.eventSend(n, null);
        }
        if (err == Errno.EINVAL) {
            return Result.error(err, "No link layer address given", "lladdr");
        }
        return err == 0 ? Result.ok(null) : Result.error(err, null);
    }

    /** neigh_delete() */
    public Result<Void> delete(NetDevice dev, IpAddress dst) {
        Neighbour<NetDevice> n = tbl.lookup(dev, dst.hi(), dst.lo());
        if (n == null) {
            return Result.error(Errno.ENOENT, "no such entry");
        }
        int err = tbl.delete(n);
        return err == 0 ? Result.ok(null) : Result.error(err, null);
    }

    /**
     * {@code ip neigh flush [dev DEV] [nud STATE...]} as iproute2 does it: dump, then delete each
     * match. The default set is everything but PERMANENT and NOARP (iproute2 only stops retrying
     * FAILED entries after its first round, and neighd's delete never leaves one behind);
     * extern_learn entries match whatever their state, as iproute2's filter lets them through.
     *
     * @param stateMask NUD bits, 0x100 for NONE; 0 for the default set
     */
    public int flush(NetDevice dev, int stateMask) {
        int mask = stateMask != 0 ? stateMask : NudState.MASK_FLUSHED_BY_DEFAULT;
        List<Neighbour<NetDevice>> victims = new ArrayList<>();
        tbl.forEach(n -> {
            if ((dev == null || n.dev() == dev) && matches(n, mask)) {
                victims.add(n);
            }
        });
        int flushed = 0;
        for (Neighbour<NetDevice> n : victims) {
            tbl.delete(n);
            flushed++;
        }
        return flushed;
    }

    /** iproute2's print_neigh filter: the state is in the mask (0x100 for NONE), or the entry is extern_learn. */
    public static boolean matches(Neighbour<NetDevice> n, int stateMask) {
        int st = n.state();
        return (st & stateMask) != 0 || (st == 0 && (stateMask & NudState.MASK_NONE) != 0)
                || (n.flags() & NeighFlags.EXT_LEARNED) != 0;
    }

    /** arp_invalidate(dev, ip, force): unresolved (or any, with force) entries for {@code ip} go. */
    public int arpInvalidate(NetDevice dev, int ip) {
        Neighbour<NetDevice> n = tbl.lookup(dev, ip);
        if (n == null) {
            return Errno.ENOENT;
        }
        if ((n.state() & NudState.NUD_VALID) != 0) {
            return 0;
        }
        int err = Errno.ENOENT;
        if ((n.state() & ~NudState.NUD_NOARP) != 0) {
            err = tbl.update(n, Neighbour.NO_LLADDR, NudState.NUD_FAILED, UpdateFlags.OVERRIDE | UpdateFlags.ADMIN);
        }
        tbl.removeOne(n);
        return err;
    }

    /** ip neigh add proxy ADDR [dev DEV] [router] */
    public Pneigh<NetDevice> addProxy(IpAddress ip, NetDevice dev, boolean permanent, boolean router) {
        return tbl.pneighCreate(ip, dev, permanent, router);
    }

    /** ip neigh add proxy ADDR [dev DEV] for an IPv4 address. */
    public Pneigh<NetDevice> addProxy(int ip, NetDevice dev, boolean permanent) {
        return addProxy(new io.neighd.wire.Ipv4Address(ip), dev, permanent, false);
    }

    public Result<Void> deleteProxy(int ip, NetDevice dev) {
        return deleteProxy(new io.neighd.wire.Ipv4Address(ip), dev);
    }

    public Result<Void> delete(NetDevice dev, int dst) {
        return delete(dev, new io.neighd.wire.Ipv4Address(dst));
    }

    /** ip neigh del proxy ADDR [dev DEV] */
    public Result<Void> deleteProxy(IpAddress ip, NetDevice dev) {
        int err = tbl.pneighDelete(ip, dev);
        return err == 0 ? Result.ok(null) : Result.error(err, "no such proxy entry");
    }
}
