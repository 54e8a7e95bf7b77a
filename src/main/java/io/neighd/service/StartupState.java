package io.neighd.service;

import io.neighd.config.NeighdProperties;
import io.neighd.engine.NeighAdmin;
import io.neighd.engine.Netlink;
import io.neighd.engine.Sysctl;
import io.neighd.engine.SysctlFile;
import io.neighd.errno.Errno;
import io.neighd.errno.Result;
import io.neighd.ip.RouteSpec;
import io.neighd.neighbour.NeighFlags;
import io.neighd.neighbour.NudState;
import io.neighd.wire.IpAddress;
import io.neighd.wire.Ipv4Cidr;
import io.neighd.wire.Ipv6Cidr;
import io.neighd.wire.MacAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the engine starts from, applied before its thread runs: the configured static routes, the
 * sysctl file and knobs, then the administrative changes the state file kept (addresses, routes,
 * knobs, proxy entries, neighbours, in dependency order). A configuration that cannot be applied
 * stops start-up with one line naming what to fix.
 */
final class StartupState {
    private static final Logger log = LoggerFactory.getLogger(StartupState.class);

    private StartupState() {
    }

    /**
     * The configured {@code net.ipv6.conf.all.*}, {@code net.ipv6.conf.default.*} and
     * {@code net.ipv6.neigh.default.*} knobs, applied before the interfaces are registered and
     * brought up, as a boot-time sysctl.conf is: a device starts from {@code default} (IPv6's
     * default reaches no existing device), and e.g. {@code default.addr_gen_mode = 1} or
     * {@code default.accept_dad = 0} must be in place when the link-local address is made. Bad
     * lines are left for {@link #apply} to report with their line.
     */
    static void applyEarly(Netlink nl, NeighdProperties props) {
        Map<String, Long> writes = new LinkedHashMap<>();
        if (props.sysctlFile() != null) {
            try {
                for (SysctlFile.Line l : SysctlFile.parse(props.sysctlFile())) {
                    writes.put(l.key(), l.value());
                }
            } catch (IOException | IllegalArgumentException e) {
                // reported by apply()
            }
        }
        props.sysctl().forEach((k, v) -> {
            try {
                writes.put(k, Long.parseLong(v.strip()));
            } catch (NumberFormatException e) {
                // reported by apply()
            }
        });
        writes.forEach((k, v) -> {
            if (k.startsWith("net.ipv6.conf.all.") || k.startsWith("net.ipv6.conf.default.")
                    || k.startsWith("net.ipv6.neigh.default.")) {
                try {
                    nl.sysctl().set(k, v);
                } catch (IllegalArgumentException e) {
                    // reported by apply()
                }
            }
        });
    }

    static void apply(Netlink nl, NeighdProperties props, StateStore state) {
        for (int i = 0; i < props.routes().size(); i++) {
            Result<?> r = nl.addRoute(RouteSpec.parse(props.routes().get(i)));
            if (!r.ok()) {
                throw new NeighdStartupException("neighd.routes[" + i + "]: " + r.message());
            }
        }
        Sysctl sysctl = nl.sysctl();
        if (props.sysctlFile() != null) {
            try {
                SysctlFile.Outcome o = SysctlFile.apply(sysctl, SysctlFile.parse(props.sysctlFile()),
                        props.sysctlFile().toString());
                log.info("applied {} knob(s) from {}", o.applied().size(), props.sysctlFile());
                o.ignored().forEach(k -> log.info("ignored {} from {}", k, props.sysctlFile()));
                o.warnings().forEach(w -> log.warn("{}", w));
            } catch (IOException e) {
                throw new NeighdStartupException("neighd.sysctl-file " + props.sysctlFile() + " cannot be read ("
                        + e.getMessage() + "): fix the path", e);
            } catch (IllegalArgumentException e) {
                throw new NeighdStartupException("neighd.sysctl-file: " + e.getMessage(), e);
            }
        }
        if (!props.sysctl().isEmpty()) {
            Map<String, Long> writes = new LinkedHashMap<>();
            props.sysctl().forEach((k, v) -> {
                try {
                    writes.put(k, Long.parseLong(v.strip()));
                } catch (NumberFormatException e) {
                    throw new NeighdStartupException("neighd.sysctl." + k + ": '" + v + "' is not an integer");
                }
            });
            try {
                warn("neighd.sysctl", sysctl.set(writes));
            } catch (IllegalArgumentException e) {
                throw new NeighdStartupException("neighd.sysctl: " + e.getMessage(), e);
            }
        }
        restore(nl, state);
    }

    /** Logs the writes Linux stores otherwise than written (overflowed, wrapped, undocumented values). */
    private static void warn(String source, List<Sysctl.Knob> written) {
        for (Sysctl.Knob k : written) {
            if (k.warning() != null) {
                log.warn("{}: {}", source, k.warning());
            }
        }
    }

    /** Re-applies the state file on top of the configuration, in dependency order. */
    private static void restore(Netlink nl, StateStore state) {
        StateStore.State s = state.load();
        String src = "state file " + state.file();
        for (StateStore.AddressRecord a : s.addresses()) {
            requireDevice(nl, a.dev(), src);
            if (a.address().contains(":")) {
                Ipv6Cidr cidr = Ipv6Cidr.parse(a.address());
                if ("add".equals(a.op())) {
                    nl.addAddress6(a.dev(), cidr, false);
                } else {
                    nl.deleteAddress6(a.dev(), cidr.address());
                }
                continue;
            }
            Ipv4Cidr cidr = Ipv4Cidr.parse(a.address());
            if ("add".equals(a.op())) {
                // already configured: the file only repeats it
                nl.addAddress(a.dev(), cidr, null);
            } else {
                nl.deleteAddress(a.dev(), cidr.address());
            }
        }
        for (StateStore.RouteRecord r : s.routes()) {
            if ("add".equals(r.op())) {
                Result<?> added = nl.addRoute(RouteSpec.parse(r.route()));
                // EEXIST: already configured, the file only repeats it
                if (!added.ok() && added.errno() != Errno.EEXIST) {
                    throw new NeighdStartupException(src + ": " + added.message()
                            + " (an interface it names is gone: fix or remove the file)");
                }
            } else {
                nl.deleteRoutes(Ipv4Cidr.parse(r.route()));
            }
        }
        if (!s.sysctl().isEmpty()) {
            try {
                warn(src, nl.sysctl().set(s.sysctl()));
            } catch (IllegalArgumentException e) {
                throw new NeighdStartupException(src + ": " + e.getMessage()
                        + " (an interface or knob it names is gone: fix or remove the file)", e);
            }
        }
        for (StateStore.ProxyRecord p : s.proxies()) {
            if (p.dev() != null) {
                requireDevice(nl, p.dev(), src);
            }
            nl.proxyAdd(IpAddress.parse(p.dst()), p.dev(), Boolean.TRUE.equals(p.router()));
        }
        for (StateStore.NeighRecord n : s.neighbours()) {
            requireDevice(nl, n.dev(), src);
            int ntf = (n.router() ? NeighFlags.ROUTER : 0) | (n.externLearn() ? NeighFlags.EXT_LEARNED : 0);
            Result<Void> r = nl.neighAdd(n.dev(), IpAddress.parse(n.dst()), MacAddress.parse(n.lladdr()).bits(),
                    NudState.parse(n.state()).bit(), ntf, false, NeighAdmin.Mode.REPLACE);
            if (!r.ok()) {
                throw new NeighdStartupException(src + ": entry " + n.dst() + " dev " + n.dev()
                        + " cannot be restored (" + r.message() + ")");
            }
        }
        if (state.enabled()) {
            log.info("restored from {}: {} neighbour(s), {} proxy entr(ies), {} address change(s), {} route change(s), "
                            + "{} knob(s)", state.file(), s.neighbours().size(), s.proxies().size(), s.addresses().size(),
                    s.routes().size(), s.sysctl().size());
        }
    }

    private static void requireDevice(Netlink nl, String name, String src) {
        if (!nl.hasDevice(name)) {
            throw new NeighdStartupException(src + " names interface '" + name
                    + "', which is not configured: configure it again or remove it from the file");
        }
    }
}
