package io.neighd.arp;

import java.util.Locale;

/** What an ARP frame neighd sent was for: the {@code op} label of neighd_arp_packets_sent_total. */
public enum TxKind {
    REQUEST, REPLY, GRATUITOUS, PROXY_REPLY;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
