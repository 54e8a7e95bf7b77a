package io.neighd.service;

import io.neighd.ip.RouteSpec;
import io.neighd.neighbour.NudState;
import io.neighd.wire.IpAddress;
import io.neighd.wire.Ipv4Cidr;
import io.neighd.wire.Ipv6Cidr;
import io.neighd.wire.MacAddress;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Administrative state that survives a restart: PERMANENT/NOARP entries, proxy entries, owned
 * addresses and routes added or removed through the API, and sysctl writes. Learned entries are
 * not kept, as in Linux. Every change rewrites the file atomically (temporary file, fsync,
 * rename, fsync of the directory), so a kill -9 at any moment leaves the old file or the new one.
 */
public final class StateStore {
    /** An administratively set entry. */
    public record NeighRecord(String dev, String dst, String lladdr, String state, boolean router,
                              boolean externLearn) {
    }

    /** An {@code ip neigh add proxy} entry; dev null means any device; router (NTF_ROUTER) absent means off. */
    public record ProxyRecord(String dst, String dev, Boolean router) {
        public ProxyRecord(String dst, String dev) {
            this(dst, dev, null);
        }

        /** The same entry: address and device (the router flag is an attribute of it). */
        boolean sameEntry(ProxyRecord o) {
            return dst.equals(o.dst) && java.util.Objects.equals(dev, o.dev);
        }
    }

    /** An owned address added ({@code op} "add") or removed ("del") through the API. */
    public record AddressRecord(String dev, String address, String op) {
    }

    /** A static route added ("add", {@code route} is the spec) or removed ("del", {@code route} is the destination). */
    public record RouteRecord(String route, String op) {
    }

    /**
     * An elected address added ("add", with its prefix and interface, if one was named) or removed
     * ("del") through the API.
     */
    public record VipRecord(String address, String device, String op) {
    }

    /** The whole file. */
    public record State(int version, List<NeighRecord> neighbours, List<ProxyRecord> proxies,
                        List<AddressRecord> addresses, List<RouteRecord> routes, Map<String, Long> sysctl,
                        List<VipRecord> vips) {
        public static State empty() {
            return new State(1, List.of(), List.of(), List.of(), List.of(), Map.of(), List.of());
        }

        /** A file without elected addresses. */
        public State(int version, List<NeighRecord> neighbours, List<ProxyRecord> proxies,
                     List<AddressRecord> addresses, List<RouteRecord> routes, Map<String, Long> sysctl) {
            this(version, neighbours, proxies, addresses, routes, sysctl, List.of());
        }

        public State {
            neighbours = neighbours == null ? List.of() : List.copyOf(neighbours);
            proxies = proxies == null ? List.of() : List.copyOf(proxies);
            addresses = addresses == null ? List.of() : List.copyOf(addresses);
            routes = routes == null ? List.of() : List.copyOf(routes);
            sysctl = sysctl == null ? Map.of() : new LinkedHashMap<>(sysctl);
            vips = vips == null ? List.of() : List.copyOf(vips);
        }

        /** An elected address change: the last word on an address replaces the earlier ones. */
        public State withVip(VipRecord r) {
            List<VipRecord> l = new ArrayList<>(vips);
            l.removeIf(o -> o.address().split("/")[0].equals(r.address().split("/")[0]));
            l.add(r);
            return new State(version, neighbours, proxies, addresses, routes, sysctl, l);
        }

        public State withNeighbour(NeighRecord r) {
            List<NeighRecord> l = new ArrayList<>(neighbours);
            l.removeIf(o -> o.dev().equals(r.dev()) && o.dst().equals(r.dst()));
            l.add(r);
            return new State(version, l, proxies, addresses, routes, sysctl, vips);
        }

        public State withoutNeighbour(String dev, String dst) {
            List<NeighRecord> l = new ArrayList<>(neighbours);
            l.removeIf(o -> o.dev().equals(dev) && o.dst().equals(dst));
            return new State(version, l, proxies, addresses, routes, sysctl, vips);
        }

        /**
         * Many entry changes at once, in one pass (a batch of a hundred thousand would be quadratic
         * through {@link #withNeighbour}): the entries of {@code put} replace those with the same dev
         * and dst, appended in order as {@link #withNeighbour} appends them (the last of duplicates
         * wins); those of {@code remove} (dev and dst only) are dropped.
         */
        public State withNeighbours(List<NeighRecord> put, List<NeighRecord> remove) {
            if (put.isEmpty() && remove.isEmpty()) {
                return this;
            }
            Map<String, NeighRecord> added = new LinkedHashMap<>();
            for (NeighRecord r : put) {
                String k = r.dev() + "|" + r.dst();
                added.remove(k);
                added.put(k, r);
            }
            Set<String> dropped = new HashSet<>(added.keySet());
            for (NeighRecord r : remove) {
                dropped.add(r.dev() + "|" + r.dst());
            }
            List<NeighRecord> l = new ArrayList<>(neighbours.size() + added.size());
            for (NeighRecord o : neighbours) {
                if (!dropped.contains(o.dev() + "|" + o.dst())) {
                    l.add(o);
                }
            }
            l.addAll(added.values());
            return new State(version, l, proxies, addresses, routes, sysctl, vips);
        }

        public State withProxy(ProxyRecord r, boolean present) {
            List<ProxyRecord> l = new ArrayList<>(proxies);
            l.removeIf(o -> o.sameEntry(r));
            if (present) {
                l.add(r);
            }
            return new State(version, neighbours, l, addresses, routes, sysctl, vips);
        }

        /** An address change: an add cancels an earlier del of the same address and vice versa. */
        public State withAddress(AddressRecord r) {
            List<AddressRecord> l = new ArrayList<>(addresses);
            boolean cancelled = l.removeIf(o -> o.dev().equals(r.dev()) && o.address().equals(r.address()));
            if (!cancelled) {
                l.add(r);
            }
            return new State(version, neighbours, proxies, l, routes, sysctl, vips);
        }

        public State withRoute(RouteRecord r) {
            List<RouteRecord> l = new ArrayList<>(routes);
            l.add(r);
            return new State(version, neighbours, proxies, addresses, l, sysctl, vips);
        }

        public State withRoutes(List<RouteRecord> replaced) {
            return new State(version, neighbours, proxies, addresses, replaced, sysctl, vips);
        }

        /**
         * Checks every record as the restore will read it, naming the first bad one (as
         * {@code neighbours[2].lladdr}); what neighd writes always passes.
         *
         * @throws IllegalArgumentException naming the record and what is wrong with it
         */
        void validate() {
            for (int i = 0; i < neighbours.size(); i++) {
                NeighRecord n = neighbours.get(i);
                String at = "neighbours[" + i + "]";
                present(n, at);
                name(n.dev(), at + ".dev");
                check(at + ".dst", () -> IpAddress.parse(n.dst()));
                check(at + ".lladdr", () -> MacAddress.parse(n.lladdr()));
                NudState st = check(at + ".state", () -> NudState.parse(n.state()));
                if (st != NudState.PERMANENT && st != NudState.NOARP) {
                    throw new IllegalArgumentException(at + ".state: " + n.state() + " is not kept (only PERMANENT "
                            + "and NOARP entries are)");
                }
            }
            for (int i = 0; i < proxies.size(); i++) {
                ProxyRecord p = proxies.get(i);
                String at = "proxies[" + i + "]";
                present(p, at);
                check(at + ".dst", () -> IpAddress.parse(p.dst()));
                if (p.dev() != null) {
                    name(p.dev(), at + ".dev");
                }
            }
            for (int i = 0; i < addresses.size(); i++) {
                AddressRecord a = addresses.get(i);
                String at = "addresses[" + i + "]";
                present(a, at);
                name(a.dev(), at + ".dev");
                // IPv6 addresses as StartupState reads them back: a colon makes it an IPv6 CIDR
                check(at + ".address", () -> a.address().contains(":") ? Ipv6Cidr.parse(a.address())
                        : Ipv4Cidr.parse(a.address()));
                op(a.op(), at + ".op");
            }
            for (int i = 0; i < routes.size(); i++) {
                RouteRecord r = routes.get(i);
                String at = "routes[" + i + "]";
                present(r, at);
                if ("add".equals(op(r.op(), at + ".op"))) {
                    check(at + ".route", () -> RouteSpec.parse(r.route()));
                } else {
                    check(at + ".route", () -> Ipv4Cidr.parse(r.route()));
                }
            }
            sysctl.forEach((k, v) -> {
                if (k == null || k.isBlank() || v == null) {
                    throw new IllegalArgumentException("sysctl: '" + k + "' = " + v + " is not a knob and its value");
                }
            });
        }

        private static void present(Object record, String at) {
            if (record == null) {
                throw new IllegalArgumentException(at + " is null");
            }
        }

        private static void name(String dev, String at) {
            if (dev == null || dev.isBlank()) {
                throw new IllegalArgumentException(at + " is missing");
            }
        }

        private static String op(String op, String at) {
            if (!"add".equals(op) && !"del".equals(op)) {
                throw new IllegalArgumentException(at + ": '" + op + "' is neither add nor del");
            }
            return op;
        }

        private static <T> T check(String at, java.util.function.Supplier<T> parse) {
            try {
                return parse.get();
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException(at + ": " + (e.getMessage() == null ? "missing" : e.getMessage()));
            }
        }

        public State withSysctl(Map<String, Long> writes) {
            Map<String, Long> m = new LinkedHashMap<>(sysctl);
            writes.forEach((k, v) -> {
                m.remove(k);
                m.put(k, v);
            });
            return new State(version, neighbours, proxies, addresses, routes, m, vips);
        }
    }

    private final Path file;
    private final JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private State current = State.empty();
    private boolean dirty;

    /** @param file null to keep nothing */
    public StateStore(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    public boolean enabled() {
        return file != null && !file.toString().isBlank();
    }

    /** Reads the file; a missing file is an empty state, an unreadable or corrupt one stops start-up. */
    public synchronized State load() {
        if (!enabled() || !Files.exists(file)) {
            current = State.empty();
            return current;
        }
        try {
            State s = json.readValue(Files.readAllBytes(file), State.class);
            if (s == null) {
                throw new NeighdStartupException("state file " + file + " is corrupt (it holds null, not a state): "
                        + "fix or remove it; neighd will not start and silently drop what it holds");
            }
            if (s.version() != 1) {
                throw new NeighdStartupException("state file " + file + " has version " + s.version()
                        + ", this neighd reads version 1: move it aside or point neighd.state-file elsewhere");
            }
            try {
                s.validate();
            } catch (IllegalArgumentException e) {
                throw new NeighdStartupException("state file " + file + " is corrupt (" + firstLine(e.getMessage())
                        + "): fix or remove it; neighd will not start and silently drop what it holds", e);
            }
            current = s;
            return s;
        } catch (JacksonException e) {
            throw new NeighdStartupException("state file " + file + " is corrupt (" + firstLine(e.getMessage())
                    + "): fix or remove it; neighd will not start and silently drop what it holds", e);
        } catch (IOException e) {
            throw new NeighdStartupException("state file " + file + " cannot be read (" + e.getMessage()
                    + "): fix its permissions or neighd.state-file", e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unparseable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    public synchronized State current() {
        return current;
    }

    /**
     * Applies a change and writes the file before returning. The change is the state from now on
     * even if the write fails (it was applied to the engine, and the file should hold what the
     * engine holds): the file then lags, {@link #dirty()} says so, and the next update that is
     * written catches it up, so that once space or write access returns nothing applied is missing.
     *
     * @throws IllegalStateException the file could not be written; it is as it was before
     */
    public synchronized State update(UnaryOperator<State> change) {
        State next = change.apply(current);
        current = next;
        if (enabled()) {
            dirty = true;
            write(next);
            dirty = false;
        }
        return next;
    }

    /** Whether the file lags behind {@link #current()}: its last write failed. */
    public synchronized boolean dirty() {
        return dirty;
    }

    private void write(State s) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
            byte[] bytes = json.writeValueAsBytes(s);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + dir + " cannot rename atomically", e);
            }
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException e) {
                // some file systems cannot fsync a directory; the rename itself is still atomic
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write state file " + file + ": " + e.getMessage(), e);
        }
    }
}
