package io.neighd.ip;

import io.neighd.neighbour.Skb;
import io.neighd.wire.IpAddress;

/**
 * How the {@link Pinger} reaches one family's output path: the source address the route to a
 * destination gives (ping picks it before it sends), and the send of one echo request.
 */
public interface EchoPath {
    /** The source for probes to {@code dst} (out of {@code dev} when given), or null without a route. */
    IpAddress source(IpAddress dst, NetDevice dev);

    /** Sends echo request {@code seq} of session {@code id} with {@code data} through the output path. */
    Ipv4Output.Result send(IpAddress src, IpAddress dst, NetDevice dev, int id, int seq, byte[] data,
                           Skb.LinkFailure onFailure);
}
