package io.neighd.neighbour;

import io.neighd.engine.NeighAdmin;
import io.neighd.ip.NetDevice;
import io.neighd.testkit.EngineFixture;
import io.neighd.wire.MacAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;

import static io.neighd.testkit.EngineFixture.OTHER_MAC;
import static io.neighd.testkit.EngineFixture.PEER_MAC;
import static io.neighd.testkit.EngineFixture.ip;
import static io.neighd.testkit.EngineFixture.reply;
import static io.neighd.testkit.EngineFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each device's entries by NUD state (what neighd_neighbour_entries{interface,state} exports):
 * counted at creation in NONE, moved by every transition, taken away when an entry dies, and kept
 * per device. Compared whole, every state included, after each step.
 */
class EntriesByStateTest {
    private EngineFixture fx;

    @BeforeEach
    void setUp() {
        fx = new EngineFixture();
    }

    private Map<NudState, Long> entries(NetDevice dev) {
        Map<NudState, Long> m = new EnumMap<>(NudState.class);
        for (NudState s : NudState.values()) {
            m.put(s, fx.engine.interfaceStats(dev).entries(s));
        }
        return m;
    }

    private static Map<NudState, Long> only(Object... stateAndCount) {
        Map<NudState, Long> m = new EnumMap<>(NudState.class);
        for (NudState s : NudState.values()) {
            m.put(s, 0L);
        }
        for (int i = 0; i < stateAndCount.length; i += 2) {
            m.put((NudState) stateAndCount[i], ((Integer) stateAndCount[i + 1]).longValue());
        }
        return m;
    }

    @Test
    void everyTransitionCreationAndRemovalMovesTheCounts() {
        fx.receive(request(PEER_MAC, "10.0.0.2", "10.0.0.1"));
        assertThat(entries(fx.nd0)).isEqualTo(only(NudState.STALE, 1));

        fx.send("10.0.0.1", "10.0.0.3");
        assertThat(entries(fx.nd0)).isEqualTo(only(NudState.STALE, 1, NudState.INCOMPLETE, 1));

        fx.engine.admin().add(new NeighAdmin.Request(fx.nd0, ip("10.0.0.4"), OTHER_MAC.bits(),
                NudState.NUD_PERMANENT, 0, false), NeighAdmin.Mode.ADD);
        fx.receive(reply(OTHER_MAC, "10.0.0.3", "10.0.0.1"));
        assertThat(entries(fx.nd0)).isEqualTo(only(NudState.STALE, 1, NudState.REACHABLE, 1, NudState.PERMANENT, 1));

        fx.engine.admin().delete(fx.nd0, ip("10.0.0.2"));
        assertThat(entries(fx.nd0)).isEqualTo(only(NudState.REACHABLE, 1, NudState.PERMANENT, 1));

        fx.engine.table().create(fx.nd0, ip("10.0.0.5"));
        assertThat(entries(fx.nd0)).as("a new entry starts in NONE")
                .isEqualTo(only(NudState.NONE, 1, NudState.REACHABLE, 1, NudState.PERMANENT, 1));

        fx.engine.setUp(fx.nd0, false);
        assertThat(entries(fx.nd0)).as("flushed: dead entries leave the counts").isEqualTo(only());
    }

    @Test
    void eachDeviceCountsItsOwn() {
        NetDevice nd1 = fx.addInterface("nd1", 3, MacAddress.parse("02:aa:00:00:01:01"), "10.1.0.1/24");

        fx.receive(nd1, request(PEER_MAC, "10.1.0.2", "10.1.0.1"));
        fx.receive(request(PEER_MAC, "10.0.0.2", "10.0.0.1"));
        fx.receive(request(OTHER_MAC, "10.0.0.3", "10.0.0.1"));

        assertThat(entries(nd1)).isEqualTo(only(NudState.STALE, 1));
        assertThat(entries(fx.nd0)).isEqualTo(only(NudState.STALE, 2));
    }
}
