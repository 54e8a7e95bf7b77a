package io.neighd.ndisc;

import io.neighd.wire.Ipv6Address;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * pndisc_constructor() joins a proxied address's solicited-node group, pndisc_destructor() leaves
 * it: when the entry is deleted, and when pneigh_ifdown() removes it with its interface going down.
 */
class ProxyGroupTest {
    private static final Ipv6Address PROXIED = Ipv6Address.parse("2001:db8::77");
    private final Nd6Fixture nd = new Nd6Fixture();

    @Test
    void deletingTheEntryLeavesItsGroup() {
        nd.fx.mcast6.clear();

        assertThat(nd.fx.engine.netlink().proxyAdd(PROXIED, "nd0").ok()).isTrue();
        assertThat(nd.fx.mcast6).containsExactly("join nd0 ff02::1:ff00:77");

        assertThat(nd.fx.engine.netlink().proxyDelete(PROXIED, "nd0").ok()).isTrue();
        assertThat(nd.fx.mcast6).containsExactly("join nd0 ff02::1:ff00:77", "leave nd0 ff02::1:ff00:77");
    }

    @Test
    void theInterfaceGoingDownRemovesTheEntryAndItsGroupForGood() {
        nd.fx.engine.netlink().proxyAdd(PROXIED, "nd0");
        nd.fx.engine.setUp(nd.fx.nd0, false);
        assertThat(nd.fx.engine.ndTable().pneighs()).isEmpty();
        nd.fx.mcast6.clear();

        nd.fx.engine.setUp(nd.fx.nd0, true);
        nd.fx.advanceMs(3000);

        assertThat(nd.fx.mcast6).doesNotContain("join nd0 ff02::1:ff00:77");
    }
}
