package io.neighd.ip;

import java.util.ArrayList;
import java.util.List;

/**
 * One routing table as lookups scan it (the twin of net/ipv4/fib_trie.c's fib_table_lookup, not
 * of its trie): /32 routes (all of the local table's, but for loopback's /8) in an
 * open-addressing index, since a /32 match is the longest there can be; the rest with
 * destination, mask, prefix length and metric in parallel arrays, so the scan touches no Route
 * until one matches. Immutable: {@link FibFrontend} builds a new one whenever routes change. An
 * ARP frame costs two or three lookups.
 */
public final class FibTable {
    static final FibTable EMPTY = new FibTable(List.of());

    private final int[] hostKeys;
    private final Route[] hostRoutes;
    private final int hostMask;
    private final Route[] routes;
    private final int[] dst;
    private final int[] mask;
    private final int[] plen;
    private final int[] metric;

    FibTable(List<Route> table) {
        List<Route> hosts = new ArrayList<>();
        List<Route> rest = new ArrayList<>();
        for (Route r : table) {
            // the first /32 for an address wins, as the scan's "first added" rule would have it,
            // unless a later one has a lower metric
            if (r.prefixLength() == 32) {
                int i = indexOf(hosts, r.dst());
                if (i < 0) {
                    hosts.add(r);
                } else if (r.metric() < hosts.get(i).metric()) {
                    hosts.set(i, r);
                }
            } else {
                rest.add(r);
            }
        }
        int size = Integer.highestOneBit(Math.max(4, hosts.size() * 4 - 1)) << 1;
        hostKeys = new int[size];
        hostRoutes = new Route[size];
        hostMask = size - 1;
        for (Route r : hosts) {
            int slot = slot(r.dst());
            while (hostRoutes[slot] != null) {
                slot = (slot + 1) & hostMask;
            }
            hostKeys[slot] = r.dst();
            hostRoutes[slot] = r;
        }
        routes = rest.toArray(new Route[0]);
        dst = new int[routes.length];
        mask = new int[routes.length];
        plen = new int[routes.length];
        metric = new int[routes.length];
        for (int i = 0; i < routes.length; i++) {
            dst[i] = routes[i].dst();
            mask[i] = routes[i].mask();
            plen[i] = routes[i].prefixLength();
            metric[i] = routes[i].metric();
        }
    }

    private static int indexOf(List<Route> hosts, int addr) {
        for (int i = 0; i < hosts.size(); i++) {
            if (hosts.get(i).dst() == addr) {
                return i;
            }
        }
        return -1;
    }

    private int slot(int addr) {
        int h = addr * 0x9E3779B1;
        return (h ^ (h >>> 16)) & hostMask;
    }

    /** fib_table_lookup(): longest prefix, then lowest metric, then first added. */
    Route lookup(int addr) {
        for (int slot = slot(addr); hostRoutes[slot] != null; slot = (slot + 1) & hostMask) {
            if (hostKeys[slot] == addr) {
                return hostRoutes[slot];
            }
        }
        int best = -1;
        for (int i = 0; i < dst.length; i++) {
            if (((addr ^ dst[i]) & mask[i]) == 0 && (best < 0 || plen[i] > plen[best]
                    || (plen[i] == plen[best] && metric[i] < metric[best]))) {
                best = i;
            }
        }
        return best < 0 ? null : routes[best];
    }
}
