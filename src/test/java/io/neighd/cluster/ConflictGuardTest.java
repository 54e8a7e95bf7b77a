package io.neighd.cluster;

import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv6Address;
import io.neighd.wire.MacAddress;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 5227 §2.4 defence and arpwatch's flip-flop, on explicit time. Which frames are claims
 * (sender IP ours, sender MAC not) is the engine's decision: {@code io.neighd.arp.ClaimObserverTest}.
 *
 * <pre>
 * | Frame / change                                   | Verdict                                  |
 * |--------------------------------------------------|------------------------------------------|
 * | sender IP ours, other MAC, first                 | defend, log                              |
 * | again within DEFEND_INTERVAL (10 s)              | neither (still counted by the caller)    |
 * | again 10 s after the last defence                | defend, log                              |
 * | neighbour A → B → A within the window            | flip-flop B ↔ A                          |
 * | neighbour A → B → A after the window             | nothing                                  |
 * | neighbour A → B → C                              | nothing (a move, not a flip-flop)        |
 * | IPv6 neighbour A → B → A within the window       | flip-flop B ↔ A, its own history         |
 * </pre>
 */
class ConflictGuardTest {
    static final long S = 1_000_000_000L;
    static final int VIP = Ipv4Address.parse("10.77.0.100").bits();
    static final long OURS = MacAddress.parse("02:4e:44:00:00:01").bits();
    static final long OTHER = MacAddress.parse("02:4e:44:00:00:02").bits();
    static final long THIRD = MacAddress.parse("02:4e:44:00:00:03").bits();
    final ConflictGuard guard = new ConflictGuard(60 * S);

    @Test
    void defendsOncePerDefendInterval() {
        assertThat(guard.claim("nd0", VIP, 0)).isEqualTo(new ConflictGuard.Verdict(true, true));
        assertThat(guard.claim("nd0", VIP, 9 * S)).isEqualTo(new ConflictGuard.Verdict(false, false));
        assertThat(guard.claim("nd0", VIP, 10 * S)).isEqualTo(new ConflictGuard.Verdict(true, true));
        // each address has its own interval
        assertThat(guard.claim("nd0", VIP + 1, 10 * S).defend()).isTrue();
    }

    @Test
    void ipv6AddressesHaveTheirOwnDefendIntervalApartFromIpv4() {
        io.neighd.wire.IpAddress v6 = io.neighd.wire.Ipv6Address.parse("fd77::55");
        assertThat(guard.claim("nd0", v6, 0)).isEqualTo(new ConflictGuard.Verdict(true, true));
        assertThat(guard.claim("nd0", v6, 9 * S)).isEqualTo(new ConflictGuard.Verdict(false, false));
        // the same low 32 bits as an IPv4 address are another address
        assertThat(guard.claim("nd0", new Ipv4Address(0x55), 9 * S).defend()).isTrue();
        assertThat(guard.claim("nd1", v6, 9 * S).defend()).as("per interface").isTrue();
        assertThat(guard.claim("nd0", v6, 10 * S)).isEqualTo(new ConflictGuard.Verdict(true, true));
        // an IPv4 address through either entry point is one key
        assertThat(guard.claim("nd0", VIP, 20 * S).defend()).isTrue();
        assertThat(guard.claim("nd0", new Ipv4Address(VIP), 21 * S).defend()).isFalse();
    }

    @Test
    void macAlternatingWithinTheWindowIsAFlipFlop() {
        assertThat(guard.neighbour("nd0", VIP, OURS, 0)).isNull();
        assertThat(guard.neighbour("nd0", VIP, OURS, S)).isNull();
        assertThat(guard.neighbour("nd0", VIP, OTHER, 2 * S)).isNull();
        assertThat(guard.neighbour("nd0", VIP, OURS, 3 * S)).isEqualTo(new ConflictGuard.FlipFlop("nd0",
                new Ipv4Address(VIP), new MacAddress(OTHER), new MacAddress(OURS)));
    }

    @Test
    void anIpv6NeighbourAlternatingIsAFlipFlopWithAHistoryOfItsOwn() {
        Ipv6Address v6 = Ipv6Address.parse("fd77::100");
        assertThat(guard.neighbour("nd0", v6, OURS, 0)).isNull();
        assertThat(guard.neighbour("nd0", VIP, OTHER, 0)).as("10.77.0.100 is another key").isNull();
        assertThat(guard.neighbour("nd0", v6, OTHER, S)).isNull();
        assertThat(guard.neighbour("nd0", v6, OURS, 2 * S)).isEqualTo(new ConflictGuard.FlipFlop("nd0", v6,
                new MacAddress(OTHER), new MacAddress(OURS)));
        assertThat(guard.neighbour("nd1", v6, OTHER, 3 * S)).as("another interface, another key").isNull();
    }

    @Test
    void alternationSlowerThanTheWindowIsNot() {
        guard.neighbour("nd0", VIP, OURS, 0);
        guard.neighbour("nd0", VIP, OTHER, S);
        assertThat(guard.neighbour("nd0", VIP, OURS, 62 * S)).isNull();
    }

    @Test
    void aMoveToAThirdMacIsNot() {
        guard.neighbour("nd0", VIP, OURS, 0);
        guard.neighbour("nd0", VIP, OTHER, S);
        assertThat(guard.neighbour("nd0", VIP, THIRD, 2 * S)).isNull();
    }
}
