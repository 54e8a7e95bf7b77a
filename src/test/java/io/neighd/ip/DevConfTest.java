package io.neighd.ip;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The effective value of every knob on every device (what IN_DEV_* computes from {@code all} and
 * the device on each read) stays equal to that computation through any sequence of writes to
 * {@code all}, {@code default} and the devices, device registrations and removals included.
 */
class DevConfTest {

    private static void assertEffectiveMatchesInDev(Net net) {
        for (NetDevice d : net.devices()) {
            for (DevVar v : DevVar.values()) {
                assertThat(net.conf(d, v)).as("%s on %s", v.key(), d.name())
                        .isEqualTo(v.combine(net.all().get(v), d.conf().get(v)));
            }
        }
    }

    @Test
    void aNewDeviceCombinesDefaultsCopyWithAll() {
        Net net = new Net();
        net.setAll(DevVar.ARP_IGNORE, 2);
        net.setDefault(DevVar.ARP_IGNORE, 1);
        net.setAll(DevVar.ARP_FILTER, 1);
        NetDevice d = net.register("nd0", 2, 0x02aa_0000_0001L, 1500, false, -1);

        assertThat(net.conf(d, DevVar.ARP_IGNORE)).as("max(all, dev)").isEqualTo(2);
        assertThat(net.conf(d, DevVar.ARP_FILTER)).as("all || dev").isEqualTo(1);
        assertEffectiveMatchesInDev(net);
    }

    @Test
    void anyOrderOfWritesKeepsEveryEffectiveValueEqualToInDev() {
        SplittableRandom rnd = new SplittableRandom(42);
        DevVar[] vars = DevVar.values();
        Net net = new Net();
        net.register("nd0", 2, 0x02aa_0000_0001L, 1500, false, -1);
        for (int step = 0; step < 5_000; step++) {
            DevVar v = vars[rnd.nextInt(vars.length)];
            int value = rnd.nextInt(v.min(), Math.min(v.max(), v.min() + 4) + 1);
            switch (rnd.nextInt(10)) {
                case 0, 1, 2 -> net.setAll(v, value);
                case 3, 4 -> net.setDefault(v, value);
                case 5 -> {
                    int ifindex = 3 + rnd.nextInt(4);
                    if (net.device(ifindex) == null) {
                        net.register("nd" + ifindex, ifindex, 0x02aa_0000_0000L + ifindex, 1500, false, -1);
                    } else if (net.devices().size() > 1) {
                        net.unregister(net.device(ifindex));
                    }
                }
                default -> {
                    NetDevice d = net.devices().get(rnd.nextInt(net.devices().size()));
                    d.conf().set(v, value);
                }
            }
            assertEffectiveMatchesInDev(net);
        }
    }
}
