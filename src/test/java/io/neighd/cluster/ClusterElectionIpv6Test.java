package io.neighd.cluster;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every row of {@link ClusterElectionTest} for an IPv6 elected address (fd77::55/64 on an
 * interface in fd77::/64), and the announcement it gets instead of gratuitous ARP: unsolicited
 * neighbour advertisements, one per round, at the rounds of the IPv4 policy (count 3, 1100 ms
 * apart). The address is claimed as a whole (claim → the engine adds it nodad with its lifetime)
 * before the first advertisement, in the same turn.
 */
class ClusterElectionIpv6Test extends ClusterElectionTest {
    @Override
    String address() {
        return "fd77::55";
    }

    @Override
    int prefix() {
        return 64;
    }

    @Override
    String firstAnnouncement() {
        return "na nd0 " + VIP;
    }

    @Test
    @Override
    void ownerRenewsEveryRetryPeriodAndAnnouncesThreeRoundsOfBothForms() {
        electOwner("node-a");
        int writes = store.writes;
        advance(5000);
        Node a = nodes.get("node-a");
        assertThat(owner()).isEqualTo("node-a");
        assertThat(store.writes - writes).isEqualTo(20);
        assertThat(a.port().gratuitous()).isEmpty();
        List<String> sent = a.port().advertisements();
        long first = Long.parseLong(sent.get(0).replaceAll(".* at ", ""));
        // an NA has no request/reply forms: form BOTH gives one advertisement per round
        assertThat(sent).extracting(s -> s.replaceAll(" at \\d+$", "") + " +"
                + (Long.parseLong(s.replaceAll(".* at ", "")) - first)).containsExactly(
                "na nd0 fd77::55 +0", "na nd0 fd77::55 +1100", "na nd0 fd77::55 +2200");
        assertThat(a.cluster().status(VIP).gratuitousSent()).isEqualTo(3);
    }

    @Test
    void aFailoverMovesTheAddressAndTheNewOwnerAdvertisesIt() {
        electOwner("node-a");
        elect("node-b", "node-c");
        advance(100);
        nodes.get("node-a").cluster().release(VIP);
        untilAnswered(200);
        Node b = nodes.get(owner());
        assertThat(b.id()).isNotEqualTo("node-a");
        assertThat(nodes.get("node-a").port().calls).contains("unclaim nd0 " + VIP);
        assertThat(b.port().calls.get(0)).startsWith("claim nd0 fd77::55/64 until ");
        assertThat(b.port().advertisements()).hasSize(1).allMatch(s -> s.startsWith("na nd0 fd77::55 at "));
    }
}
