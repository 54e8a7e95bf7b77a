package io.neighd.arp;

import io.neighd.wire.Ipv4Cidr;

import java.util.List;

/**
 * A scan, as arp-scan's last line sums it up, with every answer kept: finished, or as far as it
 * has come ({@code done} false: the counts so far, {@code timedOut} those already given up).
 *
 * @param scan        the scan's id
 * @param dev         the interface scanned
 * @param cidr        the prefix scanned (its network address and length)
 * @param rate        probes per second it was paced at (0: as fast as the engine sends)
 * @param retries     probes after the first that an address which stays silent is sent
 * @param timeoutMs   the wait after an address's first probe (each later one is 1.5 times the one before)
 * @param hosts       addresses in the prefix
 * @param skipped     addresses not probed: local, broadcast or multicast ones, which no entry resolves
 * @param probesSent  requests sent
 * @param responders  addresses that answered
 * @param duplicates  answers beyond the first of their address
 * @param timedOut    addresses that never answered
 * @param elapsedNanos from the start to the end (to now while it runs)
 * @param done        whether it has ended
 * @param replies     every answer, first ones and duplicates, in the order they came (duplicates
 *                    beyond {@link ArpScans#MAX_KEPT_DUPLICATES} are counted, not kept)
 */
public record ScanResult(int scan, String dev, Ipv4Cidr cidr, int rate, int retries, long timeoutMs, int hosts,
                         int skipped, long probesSent, int responders, long duplicates, int timedOut,
                         long elapsedNanos, boolean done, List<ScanReply> replies) {

    /** The summary without the answers, for the event that ends a scan (each answer had its own). */
    public ScanResult summary() {
        return new ScanResult(scan, dev, cidr, rate, retries, timeoutMs, hosts, skipped, probesSent, responders,
                duplicates, timedOut, elapsedNanos, done, List.of());
    }
}
