package io.neighd.engine;

import io.neighd.arp.ArpScans;
import io.neighd.arp.ScanResult;
import io.neighd.errno.Errno;
import io.neighd.errno.Result;
import io.neighd.ip.NetDevice;
import io.neighd.testkit.EngineFixture;
import io.neighd.wire.Ipv4Cidr;
import io.neighd.wire.MacAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The bounds of a scan's parameters, inclusive, and of how many run at once; a NOARP interface resolves nothing. */
class ArpScanLimitsTest {
    private EngineFixture fx;
    private final List<ScanResult> done = new ArrayList<>();

    @BeforeEach
    void setUp() {
        fx = new EngineFixture();
    }

    private Result<Integer> scan(NetDevice dev, int rate, int retries, long timeoutMs) {
        return fx.engine.scan(dev, Ipv4Cidr.parse("10.0.0.0/30"), rate, retries, timeoutMs, done::add);
    }

    @Test
    void theShortestTimeoutIsOneMillisecond() {
        assertThat(scan(fx.nd0, 0, 0, 1).ok()).isTrue();
        assertThat(fx.engine.scans().running()).isEqualTo(1);
    }

    @Test
    void theLongestTimeoutIsAMinuteWithTheMostRetries() {
        assertThat(scan(fx.nd0, 0, ArpScans.MAX_RETRIES, ArpScans.MAX_TIMEOUT_MS).ok()).isTrue();
        assertThat(fx.engine.scans().running()).isEqualTo(1);
    }

    @Test
    void aNoarpInterfaceIsRefused() {
        fx.engine.setNoarp(fx.nd0, true);

        Result<Integer> r = scan(fx.nd0, 0, 0, 500);

        assertThat(r.errno()).isEqualTo(Errno.EINVAL);
        assertThat(r.subject()).isEqualTo("dev");
        assertThat(r.message()).isEqualTo("interface nd0 is NOARP: it resolves nothing");
        assertThat(fx.engine.scans().running()).isZero();
    }

    @Test
    void atMostFourRunAtOnce() {
        List<NetDevice> devs = new ArrayList<>();
        devs.add(fx.nd0);
        for (int i = 1; i <= ArpScans.MAX_SCANS; i++) {
            NetDevice d = fx.addInterface("nd" + i, 2 + i, MacAddress.parse("02:aa:00:00:01:0" + i), "10." + i + ".0.1/24");
            fx.engine.setUp(d, true);
            devs.add(d);
        }
        for (int i = 0; i < ArpScans.MAX_SCANS; i++) {
            assertThat(fx.engine.scan(devs.get(i), Ipv4Cidr.parse("10." + i + ".0.0/30"), 0, 0, 500, done::add).ok())
                    .isTrue();
        }

        Result<Integer> fifth = fx.engine.scan(devs.get(ArpScans.MAX_SCANS), Ipv4Cidr.parse("10.4.0.0/30"), 0, 0, 500,
                done::add);

        assertThat(fifth.errno()).isEqualTo(Errno.EBUSY);
        assertThat(fifth.message()).isEqualTo("4 scans are running already");
        assertThat(fx.engine.scans().running()).isEqualTo(ArpScans.MAX_SCANS);
    }
}
