package io.neighd.arp;

import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The label values ARP counters are exported under (neighd_arp_packets_*_total): each reason's
 * and each sent kind's code in lower case; every reason explains itself in words.
 */
class CounterLabelsTest {
    @Test
    void reasonLabelsAreTheLowerCaseCodes() {
        assertThat(Reason.PROXY_QUEUE_FULL.label()).isEqualTo("proxy_queue_full");
        assertThat(Reason.ARP_IGNORE_NOT_ON_INGRESS.label()).isEqualTo("arp_ignore_not_on_ingress");
        assertThat(Reason.REPLIED.label()).isEqualTo("replied");
        for (Reason r : Reason.values()) {
            assertThat(r.label()).isEqualTo(r.name().toLowerCase(Locale.ROOT));
            assertThat(r.description()).isNotBlank();
        }
    }

    @Test
    void sentKindLabels() {
        assertThat(TxKind.PROXY_REPLY.label()).isEqualTo("proxy_reply");
        assertThat(TxKind.GRATUITOUS.label()).isEqualTo("gratuitous");
        assertThat(TxKind.REQUEST.label()).isEqualTo("request");
        assertThat(TxKind.REPLY.label()).isEqualTo("reply");
    }
}
