package io.neighd.ip;

/**
 * What icmp_rcv() does once it has decided (see {@link Icmp}): answer an echo request or hand an
 * echo reply to the pinger on the receive path; describe it when explaining a frame.
 */
public interface IcmpActions {
    /** icmp_echo(): reply to the echo request at {@code l4} from {@code src} to our {@code dst}. */
    void echoReply(byte[] b, int l4, int l4Length, int src, int dst);

    /** ping_rcv(): an echo reply to one of neighd's pings. */
    void pingReply(int src, int id, int seq);

    /** The packet was dropped at {@code check}; the explain side records why, the receive path needs nothing. */
    default void dropped(String check, String why) {
    }
}
