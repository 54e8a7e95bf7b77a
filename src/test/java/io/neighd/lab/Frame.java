package io.neighd.lab;

import io.neighd.wire.ArpMessage;
import io.neighd.wire.EtherType;
import io.neighd.wire.FrameDecoder;
import io.neighd.wire.FrameError;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.MacAddress;
import io.neighd.wire.RxFrame;

/**
 * One captured frame: when (nanoseconds since the epoch, the capture's timestamp) and its
 * bytes, with the fields the tests look at decoded by neighd's own wire code.
 */
public record Frame(long nanos, byte[] data) {
    public static final int ICMP = 1;

    private RxFrame decoded() {
        RxFrame f = new RxFrame();
        FrameError e = FrameDecoder.decode(data, data.length, f);
        if (e != null) {
            throw new IllegalStateException("captured frame does not decode: " + e);
        }
        return f;
    }

    public MacAddress ethSrc() {
        return MacAddress.of(data, 6);
    }

    public MacAddress ethDst() {
        return MacAddress.of(data, 0);
    }

    public int etherType() {
        return ((data[12] & 0xff) << 8) | (data[13] & 0xff);
    }

    public boolean isArp() {
        return etherType() == EtherType.ARP;
    }

    public boolean isIcmp() {
        if (etherType() != EtherType.IPV4) {
            return false;
        }
        RxFrame f = new RxFrame();
        return FrameDecoder.decode(data, data.length, f) == null && f.ipProtocol == ICMP;
    }

    /** The ARP body; the frame must be ARP. */
    public ArpMessage arp() {
        RxFrame f = decoded();
        return ArpMessage.parse(data, f.l3, data.length - f.l3);
    }

    public Ipv4Address ipSrc() {
        return new Ipv4Address(decoded().ipSrc);
    }

    public Ipv4Address ipDst() {
        return new Ipv4Address(decoded().ipDst);
    }

    public int icmpType() {
        return data[decoded().l4] & 0xff;
    }

    public int icmpCode() {
        return data[decoded().l4 + 1] & 0xff;
    }

    /** The ICMPv6 message (neighbour discovery, echo) the frame carries, or null if it carries none. */
    public io.neighd.testkit.Nd6.Sent icmp6() {
        return io.neighd.testkit.Nd6.parse(data);
    }

    public boolean isIcmp6() {
        return icmp6() != null;
    }

    public boolean isArpRequest() {
        return isArp() && arp().op().code() == 1;
    }

    public boolean isArpReply() {
        return isArp() && arp().op().code() == 2;
    }

    public boolean isFrom(String mac) {
        return ethSrc().toString().equals(mac);
    }

    /** An ARP reply saying {@code ip} is at {@code mac}. */
    public boolean isReplyFor(String ip, String mac) {
        return isArpReply() && arp().senderIp().toString().equals(ip) && arp().senderMac().toString().equals(mac);
    }

    public long millisSince(long startNanos) {
        return (nanos - startNanos) / 1_000_000L;
    }

    @Override
    public String toString() {
        String what;
        if (isArp()) {
            what = arp().toString();
        } else if (isIcmp()) {
            what = "ICMP type " + icmpType() + " code " + icmpCode() + " " + ipSrc() + " > " + ipDst();
        } else if (isIcmp6()) {
            what = icmp6().toString();
        } else {
            what = "ethertype 0x" + Integer.toHexString(etherType());
        }
        return ethSrc() + " > " + ethDst() + " " + what;
    }
}
