package io.neighd.engine;

import io.neighd.ip.DevConf;
import io.neighd.ip.DevVar;
import io.neighd.ip.Devinet;
import io.neighd.ip.NetDevices;
import io.neighd.ip.NetDevice;
import io.neighd.ipv6.Addrconf;
import io.neighd.ipv6.Inet6Dev;
import io.neighd.ipv6.Ipv6DevConf;
import io.neighd.ipv6.Ipv6DevVar;
import io.neighd.neighbour.NeighParms;
import io.neighd.neighbour.NeighVar;
import io.neighd.neighbour.NeighbourTable;
import io.neighd.neighbour.Skb;
import io.neighd.time.Jiffies;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every knob by its full Linux name, in Linux units: {@code net.ipv4.conf.{all,default,DEV}.*}
 * (devinet.c), {@code net.ipv6.conf.{all,default,DEV}.*} (addrconf.c), and
 * {@code net.ipv4.neigh.{default,DEV}.*} / {@code net.ipv6.neigh.{default,DEV}.*} plus each
 * table's {@code default.gc_*} (neighbour.c's sysctl template, for arp_tbl and nd_tbl). Writes
 * follow the kernel's handlers: time values round through jiffies, an IPv4 {@code default}
 * reaches devices that never set the key (an IPv6 one only devices registered later),
 * {@code all.forwarding} reaches every device, base_reachable_time re-randomises reachable_time.
 *
 * <p>A write is accepted exactly when Linux's handler accepts it, and stores what that handler
 * stores — overflowed and wrapped values included (proc_dointvec_userhz_jiffies stores
 * {@code locktime = 900000000} as -2044967296 jiffies at HZ 250; msecs_to_jiffies takes a
 * {@code *_ms} value modulo 2^32; devinet's knobs take any int). A user's sysctl.conf that works
 * on Linux therefore works here, and the engine uses such values as the kernel's code does.
 * Beyond Linux, a write outside the knob's documented range ({@link Knob#min()}..{@link
 * Knob#max()}, where a value is stored as written and means what the description says) comes
 * back with a {@link Knob#warning()} naming the value that is actually stored and used.
 */
public final class Sysctl {
    /**
     * One knob as {@code sysctl -a} would show it, with its documented range (values outside it
     * that Linux accepts are accepted too, with a warning) and, in the answer to a write, the
     * warning for that write or null.
     */
    public record Knob(String name, long value, long min, long max, String unit, String description, String warning) {
        public Knob(String name, long value, long min, long max, String unit, String description) {
            this(name, value, min, max, unit, description, null);
        }
    }

    /** A write was refused; {@code key} names the knob. */
    public static final class SysctlException extends IllegalArgumentException {
        private final String key;

        public SysctlException(String key, String message) {
            super(message);
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    private enum Unit {
        COUNT("count"), BYTES("bytes"), SECONDS("seconds"), MILLIS("milliseconds"), USER_HZ("1/100 s"),
        PACKETS("packets");

        final String label;

        Unit(String label) {
            this.label = label;
        }
    }

    private record NeighKnob(String key, NeighVar var, Unit unit, long min, String description) {
    }

    private static final List<NeighKnob> NEIGH = List.of(
            new NeighKnob("mcast_solicit", NeighVar.MCAST_PROBES, Unit.COUNT, 0, "broadcast probes while INCOMPLETE"),
            new NeighKnob("ucast_solicit", NeighVar.UCAST_PROBES, Unit.COUNT, 0, "unicast probes in PROBE"),
            new NeighKnob("app_solicit", NeighVar.APP_PROBES, Unit.COUNT, 0, "probes to user space (RTM_GETNEIGH miss)"),
            new NeighKnob("mcast_resolicit", NeighVar.MCAST_REPROBES, Unit.COUNT, 0,
                    "broadcast probes in PROBE after the unicast and app ones"),
            new NeighKnob("retrans_time", NeighVar.RETRANS_TIME, Unit.USER_HZ, 0, "interval between probes"),
            new NeighKnob("base_reachable_time", NeighVar.BASE_REACHABLE_TIME, Unit.SECONDS, 0,
                    "base of the randomised REACHABLE lifetime"),
            new NeighKnob("delay_first_probe_time", NeighVar.DELAY_PROBE_TIME, Unit.SECONDS, 0,
                    "time in DELAY before probing"),
            new NeighKnob("gc_stale_time", NeighVar.GC_STALETIME, Unit.SECONDS, 0,
                    "unused entries older than this are collected"),
            new NeighKnob("unres_qlen_bytes", NeighVar.QUEUE_LEN_BYTES, Unit.BYTES, 0,
                    "bytes of packets queued per unresolved entry"),
            new NeighKnob("proxy_qlen", NeighVar.PROXY_QLEN, Unit.COUNT, 0, "requests held for proxy_delay"),
            new NeighKnob("anycast_delay", NeighVar.ANYCAST_DELAY, Unit.USER_HZ, 0, "IPv6 only; kept for completeness"),
            new NeighKnob("proxy_delay", NeighVar.PROXY_DELAY, Unit.USER_HZ, 0,
                    "proxy replies are delayed by a random time below this"),
            new NeighKnob("locktime", NeighVar.LOCKTIME, Unit.USER_HZ, 0,
                    "an address is not replaced within this time of its last update"),
            new NeighKnob("unres_qlen", NeighVar.QUEUE_LEN_BYTES, Unit.PACKETS, 0,
                    "unres_qlen_bytes in full-size packets"),
            new NeighKnob("retrans_time_ms", NeighVar.RETRANS_TIME, Unit.MILLIS, 0, "interval between probes"),
            new NeighKnob("base_reachable_time_ms", NeighVar.BASE_REACHABLE_TIME, Unit.MILLIS, 0,
                    "base of the randomised REACHABLE lifetime"),
            new NeighKnob("interval_probe_time_ms", NeighVar.INTERVAL_PROBE_TIME_MS, Unit.MILLIS, 1,
                    "re-resolution period of managed entries"));

    private static final String CONF = "net.ipv4.conf.";
    private static final String NEIGH_PREFIX = "net.ipv4.neigh.";
    private static final String CONF6 = "net.ipv6.conf.";
    private static final String NEIGH6_PREFIX = "net.ipv6.neigh.";

    private final NetDevices devices;
    private final Devinet devinet;
    private final NeighbourTable<NetDevice> tbl;
    private final Addrconf addrconf;
    private final NeighbourTable<NetDevice> ndTbl;
    private final Jiffies jiffies;

    Sysctl(NetDevices devices, Devinet devinet, NeighbourTable<NetDevice> tbl, Addrconf addrconf,
           NeighbourTable<NetDevice> ndTbl, Jiffies jiffies) {
        this.devices = devices;
        this.devinet = devinet;
        this.tbl = tbl;
        this.addrconf = addrconf;
        this.ndTbl = ndTbl;
        this.jiffies = jiffies;
    }

    /** Every knob whose name starts with {@code prefix} (all of them for null or empty). */
    public List<Knob> list(String prefix) {
        List<Knob> out = new ArrayList<>();
        List<String> scopes = new ArrayList<>(List.of("all", "default"));
        for (NetDevice d : devices.all()) {
            scopes.add(d.name());
        }
        for (String s : scopes) {
            for (DevVar v : DevVar.values()) {
                add(out, prefix, CONF + s + "." + v.key());
            }
        }
        List<String> neighScopes = new ArrayList<>(scopes.subList(1, scopes.size()));
        listNeigh(out, prefix, NEIGH_PREFIX, neighScopes);
        List<String> scopes6 = new ArrayList<>(List.of("all", "default"));
        for (NetDevice d : devices.all()) {
            if (Addrconf.idev(d) != null) {
                scopes6.add(d.name());
            }
        }
        for (String s : scopes6) {
            for (Ipv6DevVar v : Ipv6DevVar.values()) {
                add(out, prefix, CONF6 + s + "." + v.key());
            }
        }
        listNeigh(out, prefix, NEIGH6_PREFIX, scopes6.subList(1, scopes6.size()));
        return out;
    }

    private void listNeigh(List<Knob> out, String prefix, String neighPrefix, List<String> neighScopes) {
        for (String s : neighScopes) {
            for (NeighKnob k : NEIGH) {
                add(out, prefix, neighPrefix + s + "." + k.key());
            }
            if (s.equals("default")) {
                for (String g : List.of("gc_interval", "gc_thresh1", "gc_thresh2", "gc_thresh3")) {
                    add(out, prefix, neighPrefix + "default." + g);
                }
            }
        }
    }

    private void add(List<Knob> out, String prefix, String name) {
        if (prefix == null || prefix.isEmpty() || name.startsWith(prefix)) {
            out.add(knob(name));
        }
    }

    /** The knob named {@code name}; throws {@link SysctlException} if there is none. */
    public Knob knob(String name) {
        Target t = resolve(name);
        return new Knob(name, t.read(), t.min(), t.max(), t.unit(), t.description());
    }

    public long get(String name) {
        return resolve(name).read();
    }

    /**
     * Applies every write or none: all keys and values are checked first, as Linux's handlers
     * check them.
     *
     * @return each written knob as it now reads, with a warning where the value written is outside
     *         the documented range (what Linux stores for it and neighd uses)
     * @throws SysctlException naming the first key whose value Linux refuses, with the documented range
     */
    public List<Knob> set(Map<String, Long> writes) {
        Map<String, Target> targets = new LinkedHashMap<>();
        Map<String, Integer> stored = new LinkedHashMap<>();
        for (Map.Entry<String, Long> w : writes.entrySet()) {
            Target t = resolve(w.getKey());
            Integer s = w.getValue() == null ? null : t.store(w.getValue());
            if (s == null) {
                throw new SysctlException(w.getKey(), w.getKey() + ": " + (w.getValue() == null ? "no value" : w.getValue())
                        + " is out of range (allowed: " + t.min() + ".." + t.max() + " " + t.unit() + ")");
            }
            targets.put(w.getKey(), t);
            stored.put(w.getKey(), s);
        }
        targets.forEach((name, t) -> t.write(stored.get(name)));
        List<Knob> out = new ArrayList<>();
        for (Map.Entry<String, Target> e : targets.entrySet()) {
            String name = e.getKey();
            Target t = e.getValue();
            long v = writes.get(name);
            long now = t.read();
            String warning = v >= t.min() && v <= t.max() ? null : warning(name, v, t, stored.get(name), now);
            out.add(new Knob(name, now, t.min(), t.max(), t.unit(), t.description(), warning));
        }
        return out;
    }

    public List<Knob> set(String name, long value) {
        return set(Map.of(name, value));
    }

    /** What became of a value outside the documented range that Linux accepts. */
    private static String warning(String name, long v, Target t, int stored, long readBack) {
        String why = t.why(v);
        return name + ": " + v + " is outside " + t.min() + ".." + t.max() + " " + t.unit() + (why == null ? "" : "; " + why)
                + ": Linux accepts it and stores " + t.kernelText(stored)
                + (readBack == v ? "" : ", which reads back as " + readBack)
                + "; neighd stores the same and uses it as Linux's code does";
    }

    // ------------------------------------------------------------------ resolution of names

    private interface Target {
        long read();

        /** What Linux's handler stores for {@code v} written, or null if it refuses it (-EINVAL). */
        Integer store(long v);

        void write(int stored);

        /** The documented range: values in it are stored as written and mean what the description says. */
        long min();

        long max();

        String unit();

        String description();

        /** How the kernel holds a stored value, for a warning. */
        default String kernelText(int stored) {
            return String.valueOf(stored);
        }

        /** Why a value outside the documented range is stored as it is, or null. */
        default String why(long v) {
            return null;
        }
    }

    private Target resolve(String name) {
        if (name != null && name.startsWith(CONF)) {
            String rest = name.substring(CONF.length());
            int dot = rest.lastIndexOf('.');
            if (dot > 0) {
                String scope = rest.substring(0, dot);
                DevVar v = DevVar.ofKey(rest.substring(dot + 1));
                if (v != null) {
                    Target t = confTarget(scope, v);
                    if (t != null) {
                        return t;
                    }
                }
            }
        } else if (name != null && (name.startsWith(NEIGH_PREFIX) || name.startsWith(NEIGH6_PREFIX))) {
            boolean v6 = name.startsWith(NEIGH6_PREFIX);
            String rest = name.substring(NEIGH_PREFIX.length());
            int dot = rest.lastIndexOf('.');
            if (dot > 0) {
                String scope = rest.substring(0, dot);
                String key = rest.substring(dot + 1);
                Target t = neighTarget(v6 ? ndTbl : tbl, v6, scope, key);
                if (t != null) {
                    return t;
                }
            }
        } else if (name != null && name.startsWith(CONF6)) {
            String rest = name.substring(CONF6.length());
            int dot = rest.lastIndexOf('.');
            if (dot > 0) {
                Ipv6DevVar v = Ipv6DevVar.ofKey(rest.substring(dot + 1));
                if (v != null) {
                    Target t = conf6Target(rest.substring(0, dot), v);
                    if (t != null) {
                        return t;
                    }
                }
            }
        }
        throw new SysctlException(name, "unknown sysctl '" + name + "' (known: net.ipv4.conf.{all,default,DEV}."
                + "{arp_ignore,arp_announce,...}, net.ipv6.conf.{all,default,DEV}.{accept_dad,ndisc_notify,...} and "
                + "net.ipv4|ipv6.neigh.{default,DEV}.{base_reachable_time_ms,...}; GET /api/v1/sysctl lists them all)");
    }

    /** net.ipv6.conf.SCOPE.KEY */
    private Target conf6Target(String scope, Ipv6DevVar v) {
        NetDevice dev = null;
        Ipv6DevConf conf;
        if (scope.equals("all")) {
            conf = addrconf.all();
        } else if (scope.equals("default")) {
            conf = addrconf.defaults();
        } else {
            dev = devices.byName(scope);
            Inet6Dev idev = dev == null ? null : Addrconf.idev(dev);
            if (idev == null) {
                return null;
            }
            conf = idev.cnf();
        }
        NetDevice device = dev;
        return new Target() {
            public long read() {
                return conf.get(v);
            }

            /**
             * addrconf.c's handlers: proc_dointvec (any int) for most; proc_dointvec_minmax for
             * accept_untracked_na (0..2) and hop_limit (1..255), proc_dou8vec_minmax for
             * ndisc_evict_nocarrier (0..1), addrconf_sysctl_addr_gen_mode refuses unknown modes,
             * rtr_solicit_delay is proc_dointvec_jiffies.
             */
            public Integer store(long value) {
                return switch (v) {
                    case ACCEPT_UNTRACKED_NA, HOP_LIMIT, NDISC_EVICT_NOCARRIER, ADDR_GEN_MODE ->
                            value >= v.min() && value <= v.max() ? (int) value : null;
                    case ROUTER_SOLICITATION_DELAY -> toKernel(value, Unit.SECONDS) == null ? null : (int) value;
                    default -> value == (int) value ? (int) value : null;
                };
            }

            public void write(int value) {
                if (scope.equals("all")) {
                    addrconf.setAll(v, value);
                } else if (scope.equals("default")) {
                    addrconf.setDefault(v, value);
                } else {
                    addrconf.setDevice(device, v, value);
                }
            }

            public long min() {
                return v.min();
            }

            public long max() {
                return v == Ipv6DevVar.ROUTER_SOLICITATION_DELAY ? Integer.MAX_VALUE / jiffies.hz() : v.max();
            }

            public String unit() {
                return v == Ipv6DevVar.ROUTER_SOLICITATION_DELAY ? "seconds"
                        : v.min() == 0 && v.max() == 1 ? "boolean" : "integer";
            }

            public String description() {
                return v.description();
            }
        };
    }

    private Target confTarget(String scope, DevVar v) {
        DevConf conf;
        NetDevice dev = null;
        if (scope.equals("all")) {
            conf = devinet.all();
        } else if (scope.equals("default")) {
            conf = devinet.defaults();
        } else {
            dev = devices.byName(scope);
            if (dev == null) {
                return null;
            }
            conf = dev.conf();
        }
        NetDevice device = dev;
        return new Target() {
            public long read() {
                return conf.get(v);
            }

            /** devinet_conf_proc() and devinet_sysctl_forward() are proc_dointvec: any int. */
            public Integer store(long value) {
                return value == (int) value ? (int) value : null;
            }

            public void write(int value) {
                if (scope.equals("all")) {
                    devinet.setAll(v, value);
                } else if (scope.equals("default")) {
                    devinet.setDefault(v, value);
                } else {
                    devinet.setDevice(device, v, value);
                }
            }

            public long min() {
                return v.min();
            }

            public long max() {
                return v.max();
            }

            public String unit() {
                return v.combine() == DevVar.Combine.DEVICE || v.max() > 2 ? "integer" : "boolean";
            }

            public String description() {
                return v.description() + combineNote(v);
            }
        };
    }

    private static String combineNote(DevVar v) {
        return switch (v.combine()) {
            case MAX -> " (effective: max of all and the interface)";
            case OR -> " (effective: on if all or the interface is on)";
            case AND -> " (effective: on only if all and the interface are on)";
            case DEVICE -> " (per interface only)";
        };
    }

    private Target neighTarget(NeighbourTable<NetDevice> tbl, boolean v6, String scope, String key) {
        if (scope.equals("default")) {
            Target t = tableTarget(tbl, key);
            if (t != null) {
                return t;
            }
        }
        NeighParms p;
        if (scope.equals("default")) {
            p = tbl.defaultParms();
        } else {
            NetDevice dev = devices.byName(scope);
            if (dev == null) {
                return null;
            }
            p = v6 ? (Addrconf.idev(dev) == null ? null : Addrconf.idev(dev).ndParms()) : dev.arpParms();
            if (p == null) {
                return null;
            }
        }
        NeighKnob k = NEIGH.stream().filter(n -> n.key().equals(key)).findFirst().orElse(null);
        if (k == null) {
            return null;
        }
        return new Target() {
            public long read() {
                return fromKernel(p.get(k.var()), k.unit());
            }

            public Integer store(long value) {
                Integer s = toKernel(value, k.unit());
                // interval_probe_time_ms: proc_dointvec_ms_jiffies_minmax with min msecs_to_jiffies(1)
                return s == null || (k.min() > 0 && s < jiffies.msecsToJiffies((int) k.min())) ? null : s;
            }

            public void write(int stored) {
                tbl.procUpdate(p, k.var(), stored);
            }

            public long min() {
                return k.min();
            }

            public long max() {
                return maxFor(k.unit());
            }

            public String kernelText(int stored) {
                return switch (k.var().unit()) {
                    case JIFFIES -> stored + " jiffies";
                    case BYTES -> stored + " bytes";
                    case COUNT -> String.valueOf(stored);
                };
            }

            public String why(long v) {
                return switch (k.unit()) {
                    case USER_HZ -> v < 0 ? "clock_t_to_jiffies saturates a negative value"
                            : "its " + jiffiesExact(v) + " jiffies do not fit the kernel's int";
                    case MILLIS -> "msecs_to_jiffies takes it modulo 2^32";
                    default -> null;
                };
            }

            public String unit() {
                return k.unit().label;
            }

            public String description() {
                return k.description();
            }
        };
    }

    private Target tableTarget(NeighbourTable<NetDevice> tbl, String key) {
        return switch (key) {
            case "gc_thresh1", "gc_thresh2", "gc_thresh3" -> new Target() {
                public long read() {
                    return switch (key) {
                        case "gc_thresh1" -> tbl.gcThresh1();
                        case "gc_thresh2" -> tbl.gcThresh2();
                        default -> tbl.gcThresh3();
                    };
                }

                /** proc_dointvec_minmax, 0..INT_MAX. */
                public Integer store(long v) {
                    return v >= 0 && v <= Integer.MAX_VALUE ? (int) v : null;
                }

                public void write(int v) {
                    switch (key) {
                        case "gc_thresh1" -> tbl.setGcThresh1(v);
                        case "gc_thresh2" -> tbl.setGcThresh2(v);
                        default -> tbl.setGcThresh3(v);
                    }
                }

                public long min() {
                    return 0;
                }

                public long max() {
                    return Integer.MAX_VALUE;
                }

                public String unit() {
                    return "entries";
                }

                public String description() {
                    return switch (key) {
                        case "gc_thresh1" -> "below this many entries periodic GC does nothing";
                        case "gc_thresh2" -> "soft limit: above it, allocation forces GC if the last one was over 5 s ago";
                        default -> "hard limit: allocation forces GC, and fails if GC frees nothing";
                    };
                }
            };
            case "gc_interval" -> new Target() {
                public long read() {
                    return jiffies.toSeconds(tbl.gcInterval());
                }

                /** proc_dointvec_jiffies, negative values included. */
                public Integer store(long v) {
                    return toKernel(v, Unit.SECONDS);
                }

                public void write(int v) {
                    tbl.setGcInterval(v);
                }

                public String kernelText(int stored) {
                    return stored + " jiffies";
                }

                public long min() {
                    return 0;
                }

                public long max() {
                    return Integer.MAX_VALUE / jiffies.hz();
                }

                public String unit() {
                    return "seconds";
                }

                public String description() {
                    return "kept for compatibility: Linux schedules GC by base_reachable_time/2, not by this";
                }
            };
            default -> null;
        };
    }

    /** Reading: the kernel's conversions of an int in its unit, the sign kept apart (do_proc_dointvec_*_conv). */
    private long fromKernel(int v, Unit unit) {
        long mag = Math.abs((long) v);
        long r = switch (unit) {
            case COUNT, BYTES -> mag;
            case SECONDS -> mag / jiffies.hz();
            case MILLIS -> jiffies.jiffiesToMsecs(mag);
            case USER_HZ -> jiffies.jiffiesToClockT(mag);
            case PACKETS -> mag / Skb.TRUESIZE_ETH_FRAME;
        };
        return v < 0 ? -r : r;
    }

    /**
     * Writing: what the knob's handler stores for {@code v}, or null where it answers -EINVAL
     * (neigh_proc_dointvec_zero_intmax, proc_unres_qlen, proc_dointvec_jiffies,
     * proc_dointvec_ms_jiffies, proc_dointvec_userhz_jiffies; kernel/sysctl.c).
     */
    private Integer toKernel(long v, Unit unit) {
        int hz = jiffies.hz();
        return switch (unit) {
            case COUNT, BYTES -> v >= 0 && v <= Integer.MAX_VALUE ? (int) v : null;
            case PACKETS -> v >= 0 && v <= Integer.MAX_VALUE / Skb.TRUESIZE_ETH_FRAME
                    ? (int) (v * Skb.TRUESIZE_ETH_FRAME) : null;
            // |v| <= INT_MAX / HZ, the sign applied after the multiplication
            case SECONDS -> Math.abs(v) <= Integer.MAX_VALUE / hz && v != Long.MIN_VALUE ? (int) (v * hz) : null;
            // msecs_to_jiffies(unsigned int): the low 32 bits of the (signed) value; "negative" ones are refused
            case MILLIS -> {
                long jif = jiffies.msecsToJiffies((int) v);
                yield jif > Integer.MAX_VALUE ? null : (int) jif;
            }
            case USER_HZ -> {
                // the magnitude is bounded when USER_HZ < HZ; the value itself, as an unsigned long, converts
                long lval = v < 0 ? -v : v;
                if (Jiffies.USER_HZ < hz && Long.compareUnsigned(lval, (Long.MAX_VALUE / hz) * Jiffies.USER_HZ) > 0) {
                    yield null;
                }
                yield (int) jiffies.clockTToJiffies(v);
            }
        };
    }

    /** {@code v * HZ / USER_HZ} as a number, not an int (for a warning). */
    private String jiffiesExact(long v) {
        return java.math.BigInteger.valueOf(v).multiply(java.math.BigInteger.valueOf(jiffies.hz()))
                .divide(java.math.BigInteger.valueOf(Jiffies.USER_HZ)).toString();
    }

    /** The documented maximum: values up to it are stored as written. */
    private long maxFor(Unit unit) {
        return switch (unit) {
            case COUNT, BYTES, MILLIS -> Integer.MAX_VALUE;
            case SECONDS -> Integer.MAX_VALUE / jiffies.hz();
            // the largest x with x * HZ / USER_HZ <= INT_MAX (858993459 at HZ 250)
            case USER_HZ -> ((long) Integer.MAX_VALUE * Jiffies.USER_HZ + Jiffies.USER_HZ - 1) / jiffies.hz();
            case PACKETS -> Integer.MAX_VALUE / Skb.TRUESIZE_ETH_FRAME;
        };
    }
}
