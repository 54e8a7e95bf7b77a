package io.neighd.ndisc;

import io.neighd.ip.NetDevice;
import io.neighd.wire.RxFrame;

/**
 * What icmpv6_rcv() does with echo once it has decided: answer a request or hand a reply to the
 * pinger on the receive path; describe it when explaining.
 */
public interface Icmpv6Actions {
    /** icmpv6_echo_reply(): answer the request {@code f} from its source. */
    void echoReply(NetDevice dev, RxFrame f);

    /** ping_rcv(): an echo reply to one of neighd's pings. */
    void pingReply(RxFrame f);
}
