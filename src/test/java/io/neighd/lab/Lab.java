package io.neighd.lab;

import io.neighd.wire.MacAddress;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The namespace lab of lab/ndlab.sh as the tests see it: brings it up and down (bounded in
 * time), runs commands inside its namespaces (bounded too), reads kernels' neighbour tables,
 * sets sysctls with a journal that {@link #restore()} unwinds, and opens captures and raw
 * senders on its wires. Everything it touches is named with {@link LabEnvironment#PREFIX}.
 *
 * <p>Topology (see lab/ndlab.sh): per side ({@code nd} for neighd, {@code ref} for the reference
 * kernel) and segment k, a bridge in {@code <prefix>-sw} with switch ports {@code v-<side>k} (the
 * DUT's) and {@code v-<side>-s<k>p<i>} (peers), peers {@code <prefix>-<side>-s<k>p<i>} at
 * 10.(77+k).0.(10+i), a gateway {@code <prefix>-<side>-s<k>gw} at .254 with 10.(88+k).0.1 behind it;
 * with IPv6 on the reference, the peers and the gateways: fd(77+k)::1, ::(10+i), ::fe (/64).
 */
public final class Lab implements AutoCloseable {
    public static final Duration CMD_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration LAB_TIMEOUT = Duration.ofSeconds(120);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A side of the lab: neighd's segments or the reference kernel's. */
    public enum Side {
        ND("nd"), REF("ref");

        public final String tag;

        Side(String tag) {
            this.tag = tag;
        }
    }

    /** A neighbour entry as {@code ip -j -s neigh} prints it (the fields we compare). */
    public record KernelNeighbour(String dst, String dev, String lladdr, String state, int probes, long used,
                                  long confirmed, long updated, boolean router) {
    }

    private record SysctlWrite(String ns, String key, String oldValue) {
    }

    public final String prefix;
    public final int segments;
    public final int peers;
    private final Path script;
    private final Deque<SysctlWrite> journal = new ArrayDeque<>();
    private final List<Process> background = new ArrayList<>();
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final List<Runnable> evictHooks = new ArrayList<>();
    private volatile boolean up;
    /** The lab of this JVM that is up, if any. */
    private static Lab active;

    public Lab(int segments, int peers) {
        this.prefix = LabEnvironment.PREFIX;
        this.segments = segments;
        this.peers = peers;
        this.script = LabEnvironment.projectDir().resolve("lab/ndlab.sh");
    }

    // ------------------------------------------------------------------ names and addresses

    public String ns(String suffix) {
        return prefix + "-" + suffix;
    }

    /** The switch namespace (bridges and switch ports). */
    public String sw() {
        return ns("sw");
    }

    /** neighd's namespace (its ports, kernel ARP off). */
    public String ndNs() {
        return ns("nd");
    }

    /** The reference kernel's namespace. */
    public String refNs() {
        return ns("ref");
    }

    /** The DUT's namespace on a side. */
    public String dutNs(Side side) {
        return side == Side.ND ? ndNs() : refNs();
    }

    public String peerNs(Side side, int seg, int i) {
        return ns(side.tag + "-s" + seg + "p" + i);
    }

    public String gwNs(Side side, int seg) {
        return ns(side.tag + "-s" + seg + "gw");
    }

    /** The switch port the DUT's nd{seg} is plugged into. */
    public static String dutPort(Side side, int seg) {
        return "v-" + side.tag + seg;
    }

    public static String peerPort(Side side, int seg, int i) {
        return "v-" + side.tag + "-s" + seg + "p" + i;
    }

    public static String dev(int seg) {
        return "nd" + seg;
    }

    public static String ownIp(int seg) {
        return "10." + (77 + seg) + ".0.1";
    }

    public static String peerIp(int seg, int i) {
        return "10." + (77 + seg) + ".0." + (10 + i);
    }

    public static String gwIp(int seg) {
        return "10." + (77 + seg) + ".0.254";
    }

    /** The DUT's IPv6 address on segment {@code seg}: fd(77+seg)::1 (lab/ndlab.sh --ipv6). */
    public static String ownIp6(int seg) {
        return "fd" + (77 + seg) + "::1";
    }

    public static String peerIp6(int seg, int i) {
        return "fd" + (77 + seg) + "::" + (10 + i);
    }

    public static String gwIp6(int seg) {
        return "fd" + (77 + seg) + "::fe";
    }

    /** The link-local address a kernel (and neighd, addr_gen_mode 0) makes from the DUT port's MAC. */
    public static String portLinkLocal(int seg) {
        return io.neighd.wire.Ipv6Address.linkLocal(MacAddress.parse(portMac(seg)).bits()).toString();
    }

    public static String peerLinkLocal(int seg, int i) {
        return io.neighd.wire.Ipv6Address.linkLocal(MacAddress.parse(peerMac(seg, i)).bits()).toString();
    }

    /** The address behind the gateway of segment {@code seg}. */
    public static String farIp(int seg) {
        return "10." + (88 + seg) + ".0.1";
    }

    public static String portMac(int seg) {
        return String.format("02:4e:44:00:%02x:01", seg);
    }

    public static String peerMac(int seg, int i) {
        return String.format("02:4e:44:%02x:00:%02x", seg, 0x10 + i);
    }

    public static String gwMac(int seg) {
        return String.format("02:4e:44:%02x:00:fe", seg);
    }

    // ------------------------------------------------------------------ up / down

    /**
     * Builds the lab (removing leftovers of a crashed run with the same prefix first). Another lab
     * of this JVM with the same prefix is evicted first, its owner told ({@link #onEvict}): the
     * script's {@code up} would otherwise pull the namespaces from under it.
     */
    public void up() {
        synchronized (Lab.class) {
            if (active != null && active != this && active.prefix.equals(prefix)) {
                active.evict();
            }
            active = this;
        }
        Cmd.run(LAB_TIMEOUT, List.of("bash", script.toString(), "up", "--segments", String.valueOf(segments),
                "--peers", String.valueOf(peers), "--ref", "--gw", "--ipv6"), Map.of("NDLAB_PREFIX", prefix)).orFail();
        up = true;
    }

    /** Runs {@code hook} before another lab of this JVM takes this one's namespaces. */
    public void onEvict(Runnable hook) {
        evictHooks.add(hook);
    }

    private void evict() {
        for (Runnable r : evictHooks) {
            try {
                r.run();
            } catch (RuntimeException e) {
                System.err.println("[lab] while evicting " + prefix + ": " + e);
            }
        }
        if (up) {
            down();
        }
    }

    /** Removes every namespace of the lab, and what we started in it. */
    public void down() {
        stopBackground();
        closeOpened();
        Cmd.run(LAB_TIMEOUT, List.of("bash", script.toString(), "down"), Map.of("NDLAB_PREFIX", prefix)).orFail();
        up = false;
        synchronized (Lab.class) {
            if (active == this) {
                active = null;
            }
        }
    }

    public boolean isUp() {
        return up;
    }

    @Override
    public void close() {
        if (up) {
            down();
        }
    }

    // ------------------------------------------------------------------ commands

    /** {@code ip netns exec NS cmd...}, bounded by {@link #CMD_TIMEOUT}. */
    public Cmd.Result exec(String ns, String... cmd) {
        return exec(CMD_TIMEOUT, ns, cmd);
    }

    public Cmd.Result exec(Duration timeout, String ns, String... cmd) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        all.addAll(Arrays.asList(cmd));
        return Cmd.run(timeout, all);
    }

    /** {@code ip -n NS args...}, failing on a non-zero status. */
    public String ip(String ns, String... args) {
        List<String> all = new ArrayList<>(List.of("ip", "-n", ns));
        all.addAll(Arrays.asList(args));
        return Cmd.run(CMD_TIMEOUT, all).orFail();
    }

    /** {@code ip -n NS args...}, whatever its status. */
    public Cmd.Result tryIp(String ns, String... args) {
        List<String> all = new ArrayList<>(List.of("ip", "-n", ns));
        all.addAll(Arrays.asList(args));
        return Cmd.run(CMD_TIMEOUT, all);
    }

    /** Starts a command in a namespace in the background; {@link #stopBackground()} (or close) ends it. */
    public Process background(String ns, String... cmd) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        all.addAll(Arrays.asList(cmd));
        try {
            Process p = new ProcessBuilder(all).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            synchronized (background) {
                background.add(p);
            }
            return p;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot start " + all + ": " + e.getMessage(), e);
        }
    }

    /** Ends the background commands we started (by their own PIDs). */
    public void stopBackground() {
        List<Process> ps;
        synchronized (background) {
            ps = new ArrayList<>(background);
            background.clear();
        }
        for (Process p : ps) {
            if (p.isAlive()) {
                p.destroy();
            }
        }
        for (Process p : ps) {
            try {
                if (!p.waitFor(3, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ------------------------------------------------------------------ neighbours

    /** {@code ip -j -s neigh show [dev DEV]} in a namespace, NOARP hidden as ip hides it. */
    public List<KernelNeighbour> neigh(String ns, String dev) {
        String out = dev == null ? ip(ns, "-j", "-s", "neigh", "show") : ip(ns, "-j", "-s", "neigh", "show", "dev", dev);
        return parseNeigh(out);
    }

    public static List<KernelNeighbour> parseNeigh(String json) {
        List<KernelNeighbour> out = new ArrayList<>();
        if (json == null || json.isBlank()) {
            return out;
        }
        for (JsonNode n : JSON.readTree(json)) {
            JsonNode st = n.path("state");
            String state = st.isArray() && !st.isEmpty() ? st.get(0).asString() : st.asString("NONE");
            out.add(new KernelNeighbour(n.path("dst").asString(), n.path("dev").asString(),
                    n.hasNonNull("lladdr") ? n.get("lladdr").asString() : null, state, n.path("probes").asInt(0),
                    n.path("used").asLong(0), n.path("confirmed").asLong(0), n.path("updated").asLong(0),
                    router(n.get("router"))));
        }
        return out;
    }

    /** ip -j prints {@code "router":null} for NTF_ROUTER and nothing otherwise; neighd prints a boolean. */
    private static boolean router(JsonNode r) {
        return r != null && (r.isNull() || r.asBoolean(false));
    }

    /** One entry of a kernel's table, or null. */
    public KernelNeighbour neighbour(String ns, String dev, String dst) {
        return neigh(ns, dev).stream().filter(n -> n.dst().equals(dst)).findFirst().orElse(null);
    }

    /** The group the kernel sends its MLD reports to. */
    private static final String MLD_REPORTS = "ff02::16";

    /**
     * {@code ip neigh flush nud all} and {@code ip neigh flush proxy}: PERMANENT and proxies too;
     * then {@code ip neigh del} of each NOARP entry (a broadcast or multicast address arp_process
     * met, or the multicast group an IPv6 packet went to, a solicited-node group for instance), of
     * either family, which flush leaves: neighd's flush of every state removes those too, and an
     * entry left on one side only would be a hit there and an allocation on the other. One is
     * kept: ff02::16, where the kernel sends its own MLD reports (for the reference's groups; for
     * neighd's, the kernel of neighd's host sends them, never neighd), so that a report does not
     * allocate it again in every scenario that adds an address.
     */
    public void flushNeigh(String ns) {
        tryIp(ns, "neigh", "flush", "nud", "all");
        tryIp(ns, "neigh", "flush", "proxy");
        for (KernelNeighbour n : parseNeigh(ip(ns, "-j", "neigh", "show", "nud", "noarp"))) {
            if (n.dst().equals(MLD_REPORTS)) {
                continue;
            }
            tryIp(ns, "neigh", "del", n.dst(), "dev", n.dev());
        }
    }

    /** The kernel's receive counter of {@code dev} in {@code ns} ({@code ip -s link}: rx packets). */
    public long rxPackets(String ns, String dev) {
        JsonNode link = JSON.readTree(ip(ns, "-j", "-s", "link", "show", "dev", dev)).path(0);
        JsonNode rx = link.path("stats64").path("rx");
        if (!rx.has("packets")) {
            throw new AssertionError("no rx counters for " + ns + "/" + dev + ": " + link);
        }
        return rx.path("packets").asLong();
    }

    /** iputils arping in a namespace, its report checked ({@link Iputils#arping}). */
    public Iputils.Arping arping(String ns, String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "arping";
        System.arraycopy(args, 0, cmd, 1, args.length);
        return Iputils.arping(exec(ns, cmd));
    }

    /** iputils ping in a namespace, its report checked ({@link Iputils#ping}). */
    public Iputils.Ping ping(String ns, String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "ping";
        System.arraycopy(args, 0, cmd, 1, args.length);
        return Iputils.ping(exec(ns, cmd));
    }

    // ------------------------------------------------------------------ sysctls

    /** Writes sysctls in a namespace, journaling the old values for {@link #restore()}. */
    public void sysctl(String ns, Map<String, ?> values) {
        for (Map.Entry<String, ?> e : values.entrySet()) {
            String old = sysctlGet(ns, e.getKey());
            synchronized (journal) {
                journal.push(new SysctlWrite(ns, e.getKey(), old));
            }
            exec(ns, "sysctl", "-q", "-w", e.getKey() + "=" + e.getValue()).orFail();
        }
    }

    public void sysctl(String ns, String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(key, value);
        sysctl(ns, m);
    }

    public String sysctlGet(String ns, String key) {
        return exec(ns, "sysctl", "-n", key).orFail().strip();
    }

    /** Puts back every sysctl written since the last restore, newest first. */
    public void restore() {
        while (true) {
            SysctlWrite w;
            synchronized (journal) {
                if (journal.isEmpty()) {
                    return;
                }
                w = journal.pop();
            }
            exec(w.ns(), "sysctl", "-q", "-w", w.key() + "=" + w.oldValue()).orFail();
        }
    }

    // ------------------------------------------------------------------ wires

    /** A libpcap capture on {@code dev} in {@code ns}; closed with the lab if the caller forgets. */
    public PcapCapture capture(String ns, String dev, String filter) {
        PcapCapture c = new PcapCapture(ns, dev, filter);
        remember(c);
        return c;
    }

    /** A capture of the DUT's switch port on a segment: everything to and from the DUT there. */
    public PcapCapture captureDut(Side side, int seg) {
        return capture(sw(), dutPort(side, seg), "arp or icmp");
    }

    /** The same with another filter, e.g. {@code arp or icmp or icmp6} for IPv6 scenarios. */
    public PcapCapture captureDut(Side side, int seg, String filter) {
        return capture(sw(), dutPort(side, seg), filter);
    }

    /** tcpdump on {@code dev} in {@code ns}, writing {@code file}; stopped with the lab if the caller forgets. */
    public Tcpdump tcpdump(String ns, String dev, Path file, String... filter) {
        Tcpdump t = new Tcpdump(this, ns, dev, file, filter);
        remember(t);
        return t;
    }

    /** A raw frame sender on a peer's eth0. */
    public RawSender sender(String ns) {
        RawSender s = new RawSender(ns, "eth0");
        remember(s);
        return s;
    }

    private void remember(AutoCloseable c) {
        synchronized (opened) {
            opened.add(c);
        }
    }

    private void closeOpened() {
        List<AutoCloseable> all;
        synchronized (opened) {
            all = new ArrayList<>(opened);
            opened.clear();
        }
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                // best effort: the namespaces go next
            }
        }
    }

    /** Restores sysctls, stops background commands, closes captures and senders, flushes peers' tables. */
    public void reset() {
        stopBackground();
        closeOpened();
        restore();
    }

    /** Flushes the neighbour tables (PERMANENT and proxies too) of every peer and gateway on the sides given. */
    public void flushPeers(Side... sides) {
        List<String> cmd = new ArrayList<>(List.of("bash", "-c",
                "for ns in \"$@\"; do ip -n \"$ns\" neigh flush nud all; ip -n \"$ns\" neigh flush proxy; done", "flush"));
        for (Side side : sides) {
            for (int k = 0; k < segments; k++) {
                for (int i = 1; i <= peers; i++) {
                    cmd.add(peerNs(side, k, i));
                }
                cmd.add(gwNs(side, k));
            }
        }
        Cmd.run(CMD_TIMEOUT, cmd);
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
