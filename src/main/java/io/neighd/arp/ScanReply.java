package io.neighd.arp;

import io.neighd.wire.Ipv4Address;
import io.neighd.wire.MacAddress;

/**
 * One answer to a scan, as arp-scan prints a line of its output: the address, the MAC the ARP
 * reply gives (ar$sha), the Ethernet source when it differs, and which answer of this address it
 * is (arp-scan's "(DUP: n)": 1 for the first, n for the n-th; two MACs for one address show as
 * an answer 1 and an answer 2 with another MAC).
 *
 * @param scan      the scan's id
 * @param dev       the interface scanned
 * @param ip        the address that answered (the reply's sender)
 * @param mac       the reply's sender hardware address
 * @param frameMac  the Ethernet source, or null when it equals {@code mac}
 * @param answer    1 for the first answer of this address, n for the n-th (a duplicate)
 * @param rttNanos  from the last probe sent to this address to this answer
 * @param atNanos   from the scan's start to this answer
 */
public record ScanReply(int scan, String dev, Ipv4Address ip, MacAddress mac, MacAddress frameMac, int answer,
                        long rttNanos, long atNanos) {
    public boolean duplicate() {
        return answer > 1;
    }
}
