package io.neighd.conformance;

import io.neighd.lab.Lab;

import java.util.List;
import java.util.Map;

/**
 * A device under test, driven the same way on both sides: neighd through its REST API, the
 * reference kernel through iproute2, sysctl and iputils in {@code <prefix>-ref}. Each operation
 * is the nearest equivalent of the other side's; where none exists the implementation says so.
 */
interface Dut {
    Lab.Side side();

    /** sysctl -w / PATCH /api/v1/sysctl, full Linux names. */
    void knobs(Map<String, ?> values);

    /** Starts resolution as outbound traffic would, without waiting: {@code ip neigh replace IP dev D nud none use} / POST resolve. */
    void resolve(String dev, String ip);

    /** ping -c COUNT -i INTERVAL from the DUT; runs in the background. */
    void ping(String dst, int count, int intervalMs);

    /** ip neigh replace DST lladdr MAC dev DEV nud STATE. */
    void neighbour(String dev, String dst, String lladdr, String state);

    /** ip neigh add proxy DST dev DEV. */
    void proxy(String dst, String dev);

    /** ip addr add CIDR dev DEV [scope SCOPE]. */
    void address(String dev, String cidr, String scope);

    /** The DUT's port on segment {@code seg} loses (false) or regains (true) its carrier. */
    void carrier(int seg, boolean up);

    /** ip link set DEV down; ip link set DEV up of the DUT's port: NETDEV_DOWN then NETDEV_UP for Linux. */
    void bounce(int seg);

    /** ip -j -s neigh show (NOARP hidden) / GET /api/v1/neighbours. */
    List<Lab.KernelNeighbour> table();

    /** Waits for what the DUT was asked to do in the background (pings). */
    void settle();

    /**
     * How much the harness's own calls moved the arp_cache counters beyond what the other side's
     * equivalent calls count (only iproute2's neigh_add does: see KernelDut.resolve).
     */
    default Map<String, Long> harness() {
        return Map.of();
    }
}
