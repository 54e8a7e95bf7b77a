package io.neighd.api;

import io.neighd.link.PcapFile;
import io.neighd.wire.ArpPacket;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.MacAddress;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A capture of odd frames for interface odd0 (02:66:00:00:00:01, 10.66.0.1/24), each from a peer
 * (02:66:00:00:00:02, 10.66.0.2), one of them a good request, and a torn last record.
 */
final class OddCapture {
    static final long OUR_MAC = MacAddress.parse("02:66:00:00:00:01").bits();
    static final long PEER_MAC = MacAddress.parse("02:66:00:00:00:02").bits();
    static final int OUR_IP = Ipv4Address.parseBits("10.66.0.1");
    static final int PEER_IP = Ipv4Address.parseBits("10.66.0.2");
    /** Frames the reader returns: everything but the torn record. */
    static final int COMPLETE_FRAMES = 7;

    private OddCapture() {
    }

    /**
     * @param before the capture ends before this time (the other replay's first frame), so the two
     *               replays never disturb each other's clock; and not long before it, as a replay's
     *               timer wheel walks every tick between frames
     */
    static Path write(Path file, long before) {
        long start = before - 10_000_000_000L;
        byte[] good = request();
        byte[] vlan = ArpPacket.frame(1, MacAddress.BROADCAST.bits(), PEER_MAC, 7, PEER_MAC, PEER_IP, 0, OUR_IP);
        byte[] garbage = new byte[60];
        new SplittableRandom(42).nextBytes(garbage);
        MacAddress.write(MacAddress.BROADCAST.bits(), garbage, 0);
        MacAddress.write(PEER_MAC, garbage, 6);
        garbage[12] = (byte) 0x88;
        garbage[13] = (byte) 0xb5;
        byte[] hlen8 = request();
        hlen8[14 + ArpPacket.HLN] = 8;
        byte[] op9 = request();
        op9[14 + ArpPacket.OP + 1] = 9;
        byte[][] frames = {Arrays.copyOf(request(), 30), Arrays.copyOf(request(), 10), vlan, garbage, hlen8, op9, good};
        try {
            try (PcapFile.Writer w = new PcapFile.Writer(file)) {
                for (int i = 0; i < frames.length; i++) {
                    w.write(start + i * 1_000_000L, frames[i]);
                }
            }
            // a record header that promises 42 bytes, and only 5 of them: a capture cut short
            byte[] torn = new byte[16 + 5];
            torn[8] = 42;
            torn[12] = 42;
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
                out.write(torn);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** who-has 10.66.0.1 tell 10.66.0.2, broadcast. */
    static byte[] request() {
        return ArpPacket.frame(1, MacAddress.BROADCAST.bits(), PEER_MAC, -1, PEER_MAC, PEER_IP, 0, OUR_IP);
    }

    /** 10.66.0.1 is-at 02:66:00:00:00:01, unicast to the peer, as arp_send builds it. */
    static byte[] expectedReply() {
        return ArpPacket.frame(2, PEER_MAC, OUR_MAC, -1, OUR_MAC, OUR_IP, PEER_MAC, PEER_IP);
    }
}
