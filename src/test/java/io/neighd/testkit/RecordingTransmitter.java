package io.neighd.testkit;

import io.neighd.ip.DeviceId;
import io.neighd.ip.Transmitter;
import io.neighd.wire.ArpMessage;
import io.neighd.wire.EtherType;
import io.neighd.wire.FrameDecoder;
import io.neighd.wire.MacAddress;
import io.neighd.wire.RxFrame;

import java.util.ArrayList;
import java.util.List;

/** Records every frame the engine hands to a device. */
public final class RecordingTransmitter implements Transmitter {
    /** A sent frame with where it went. */
    public record Sent(String dev, byte[] frame) {
        public RxFrame decoded() {
            RxFrame f = new RxFrame();
            if (FrameDecoder.decode(frame, frame.length, f) != null) {
                throw new AssertionError("engine sent a malformed frame");
            }
            return f;
        }

        public boolean isArp() {
            return decoded().etherType == EtherType.ARP;
        }

        public ArpMessage arp() {
            RxFrame f = decoded();
            return ArpMessage.parse(frame, f.l3, frame.length - f.l3);
        }

        public MacAddress ethDst() {
            return new MacAddress(decoded().ethDst);
        }

        public boolean isIpv6() {
            return decoded().etherType == EtherType.IPV6;
        }

        /** The ICMPv6 message of an IPv6 frame, read back. */
        public Nd6.Sent nd() {
            return Nd6.parse(frame);
        }

        @Override
        public String toString() {
            RxFrame f = decoded();
            return dev + " -> " + ethDst() + " " + (isArp() ? arp().toString() : isIpv6() ? String.valueOf(nd())
                    : "IPv4 proto " + f.ipProtocol);
        }
    }

    private final List<Sent> sent = new ArrayList<>();
    private RuntimeException failNext;

    @Override
    public void transmit(DeviceId dev, byte[] frame) {
        RuntimeException f = failNext;
        if (f != null) {
            failNext = null;
            throw f;
        }
        sent.add(new Sent(dev.name(), frame));
    }

    /** The next transmit throws {@code e} (a link that fails to send); later ones record again. */
    public void failNext(RuntimeException e) {
        failNext = e;
    }

    public List<Sent> all() {
        return List.copyOf(sent);
    }

    public List<Sent> arp() {
        return sent.stream().filter(Sent::isArp).toList();
    }

    /** The ICMPv6 messages sent, in order. */
    public List<Nd6.Sent> nd() {
        return sent.stream().filter(Sent::isIpv6).map(Sent::nd).toList();
    }

    public List<Sent> ipv4() {
        return sent.stream().filter(s -> s.decoded().etherType == EtherType.IPV4).toList();
    }

    /** Returns what was sent so far and forgets it. */
    public List<Sent> drain() {
        List<Sent> out = List.copyOf(sent);
        sent.clear();
        return out;
    }

    public void clear() {
        sent.clear();
    }
}
