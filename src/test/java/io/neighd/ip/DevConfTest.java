package io.neighd.ip;

import io.neighd.time.TimerWheel;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The effective value of every knob on every device (what IN_DEV_* computes from {@code all} and
 * the device on each read) stays equal to that computation through any sequence of writes to
 * {@code all}, {@code default} and the devices, device registrations and removals included.
 */
class DevConfTest {

    private final NetDevices devices = new NetDevices();
    private final Devinet devinet = new Devinet(devices, new TimerWheel(0, t -> { }));

    private void assertEffectiveMatchesInDev() {
        for (NetDevice d : devices.all()) {
            for (DevVar v : DevVar.values()) {
                assertThat(d.inDevConf(v)).as("%s on %s", v.key(), d.name())
                        .isEqualTo(v.combine(devinet.all().get(v), d.conf().get(v)));
            }
        }
    }

    @Test
    void aNewDeviceCombinesDefaultsCopyWithAll() {
        devinet.setAll(DevVar.ARP_IGNORE, 2);
        devinet.setDefault(DevVar.ARP_IGNORE, 1);
        devinet.setAll(DevVar.ARP_FILTER, 1);
        NetDevice d = devices.register("nd0", 2, 0x02aa_0000_0001L, 1500, false, -1);

        assertThat(d.inDevConf(DevVar.ARP_IGNORE)).as("max(all, dev)").isEqualTo(2);
        assertThat(d.inDevConf(DevVar.ARP_FILTER)).as("all || dev").isEqualTo(1);
        assertEffectiveMatchesInDev();
    }

    @Test
    void anyOrderOfWritesKeepsEveryEffectiveValueEqualToInDev() {
        SplittableRandom rnd = new SplittableRandom(42);
        DevVar[] vars = DevVar.values();
        devices.register("nd0", 2, 0x02aa_0000_0001L, 1500, false, -1);
        for (int step = 0; step < 5_000; step++) {
            DevVar v = vars[rnd.nextInt(vars.length)];
            int value = rnd.nextInt(v.min(), Math.min(v.max(), v.min() + 4) + 1);
            switch (rnd.nextInt(10)) {
                case 0, 1, 2 -> devinet.setAll(v, value);
                case 3, 4 -> devinet.setDefault(v, value);
                case 5 -> {
                    int ifindex = 3 + rnd.nextInt(4);
                    if (devices.byIndex(ifindex) == null) {
                        devices.register("nd" + ifindex, ifindex, 0x02aa_0000_0000L + ifindex, 1500, false, -1);
                    } else if (devices.all().size() > 1) {
                        devices.unregister(devices.byIndex(ifindex));
                    }
                }
                default -> {
                    NetDevice d = devices.all().get(rnd.nextInt(devices.all().size()));
                    devinet.setDevice(d, v, value);
                }
            }
            assertEffectiveMatchesInDev();
        }
    }
}
