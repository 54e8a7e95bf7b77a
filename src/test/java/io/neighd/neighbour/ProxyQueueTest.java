package io.neighd.neighbour;

import io.neighd.arp.Reason;
import io.neighd.testkit.EngineFixture;
import io.neighd.wire.MacAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.neighd.testkit.EngineFixture.PEER_MAC;
import static io.neighd.testkit.EngineFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proxy queue with several requests waiting (pneigh_enqueue, neigh_proxy_process in
 * net/core/neighbour.c): each is answered on the tick after its own deadline, whatever order they
 * came in. nd0 forwards with proxy_arp towards nd1 (10.1.0.0/24); the scripted random picks each
 * request's delay; a timer armed for jiffy {@code e} runs at {@code e + 1}.
 *
 * <pre>
 * | Queue                                   | Timer armed for               | Answers                       | Mirrors             |
 * |-----------------------------------------|-------------------------------|-------------------------------|---------------------|
 * | A due t+50, then B due t+90             | t+50 (the earlier is kept)    | A at t+51, B at t+91          | pneigh_enqueue      |
 * | A due t+80, then B due t+50             | t+50 (moved forward)          | B at t+51, A at t+81          | pneigh_enqueue      |
 * | A t+50, B t+70, C t+90                  | re-armed for the nearest left | t+51, t+71, t+91              | neigh_proxy_process |
 * | A t+50, B t+51                          | t+50                          | both at t+51 (tdif 0 is due)  | neigh_proxy_process |
 * </pre>
 */
class ProxyQueueTest {
    private EngineFixture fx;
    private long t;

    @BeforeEach
    void setUp() {
        fx = new EngineFixture();
        fx.addInterface("nd1", 3, MacAddress.parse("02:aa:00:00:01:01"), "10.1.0.1/24");
        fx.sysctl("net.ipv4.conf.nd0.forwarding", 1);
        fx.sysctl("net.ipv4.conf.nd0.proxy_arp", 1);
        t = fx.now();
    }

    private void at(long relative) {
        fx.advanceJiffies(t + relative - fx.now());
    }

    /** A broadcast request for {@code target}, held for {@code delay} jiffies. */
    private void queue(String target, int delay) {
        fx.random.next(delay);
        assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", target))).isEqualTo(Reason.PROXY_QUEUED);
    }

    /** The targets answered since the last call. */
    private List<String> answered() {
        return fx.tx.drain().stream().map(s -> s.arp().senderIp().toString()).toList();
    }

    private int waiting() {
        return fx.nd0.arpParms().proxyQueueLength();
    }

    @Test
    void aLaterDeadlineDoesNotPostponeAnEarlierOne() {
        queue("10.1.0.5", 50);
        at(10);
        queue("10.1.0.6", 80);
        assertThat(waiting()).isEqualTo(2);

        at(50);
        assertThat(answered()).isEmpty();
        at(51);
        assertThat(answered()).containsExactly("10.1.0.5");
        assertThat(waiting()).isEqualTo(1);
        at(90);
        assertThat(answered()).isEmpty();
        at(91);
        assertThat(answered()).containsExactly("10.1.0.6");
        assertThat(waiting()).isZero();
        assertThat(fx.engine.table().proxyQueueLength()).isZero();
    }

    @Test
    void anEarlierDeadlineBringsTheTimerForward() {
        queue("10.1.0.5", 80);
        at(10);
        queue("10.1.0.6", 40);

        at(50);
        assertThat(answered()).isEmpty();
        at(51);
        assertThat(answered()).containsExactly("10.1.0.6");
        at(80);
        assertThat(answered()).isEmpty();
        at(81);
        assertThat(answered()).containsExactly("10.1.0.5");
        assertThat(waiting()).isZero();
    }

    @Test
    void eachRunReArmsForTheNearestDeadlineLeft() {
        queue("10.1.0.5", 50);
        at(1);
        queue("10.1.0.6", 69);
        at(2);
        queue("10.1.0.7", 88);

        at(51);
        assertThat(answered()).containsExactly("10.1.0.5");
        at(70);
        assertThat(answered()).isEmpty();
        at(71);
        assertThat(answered()).containsExactly("10.1.0.6");
        at(90);
        assertThat(answered()).isEmpty();
        at(91);
        assertThat(answered()).containsExactly("10.1.0.7");
        assertThat(waiting()).isZero();
    }

    /** tdif <= 0: a request due on the very tick the timer runs goes with the one that armed it. */
    @Test
    void aRequestDueOnTheRunningTickIsAnsweredInThatRun() {
        queue("10.1.0.5", 50);
        queue("10.1.0.6", 51);

        at(51);

        assertThat(answered()).containsExactly("10.1.0.5", "10.1.0.6");
        assertThat(waiting()).isZero();
        assertThat(fx.engine.table().proxyQueueLength()).isZero();
    }
}
