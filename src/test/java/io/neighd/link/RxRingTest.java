package io.neighd.link;

import io.neighd.wire.ArpPacket;
import io.neighd.wire.IcmpEcho;
import io.neighd.wire.Icmpv6;
import io.neighd.wire.Ipv4Packet;
import io.neighd.wire.NdMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ring's arithmetic against packet_set_ring()'s checks in net/packet/af_packet.c, and the
 * frames the slot must hold whole (tpacket_rcv() puts a frame at tp_mac = 66, so a slot of S bytes
 * holds S - 66; longer frames take the socket's copy queue, which overflows under a flood).
 *
 * <pre>
 * | frame neighd answers on its fast path               | bytes          |
 * |-----------------------------------------------------|----------------|
 * | ARP request, unpadded (a veth) / padded             | 42 / 60        |
 * | NS with its source link-layer option                | 14+40+24+8 = 86|
 * | NS with the option and a nonce (DAD with enhanced)  | 94             |
 * | NA with its target link-layer option                | 86             |
 * | RS with its source link-layer option                | 14+40+8+8 = 70 |
 * | RA with link-layer, MTU and one prefix option       | 14+40+16+8+8+32 = 118 |
 * | ICMPv6 echo request, ping -6's 56 bytes of data     | 14+40+8+56 = 118 |
 * | ICMP echo request, ping's 56 bytes of data          | 14+20+8+56 = 98 |
 * </pre>
 */
class RxRingTest {
    private static final long MAC = 0x024e44b00001L;
    private static final long LL_HI = 0xfe80_0000_0000_0000L;
    private static final long FD77_HI = 0xfd77_0000_0000_0000L;
    private static final int ETH = 14;

    @Test
    void slotsAreWhatPacketSetRingAccepts() {
        // tp_frame_size >= TPACKET2_HDRLEN (52) and a multiple of TPACKET_ALIGNMENT (16)
        assertThat(RxRing.SLOT).isGreaterThanOrEqualTo(52);
        assertThat(RxRing.SLOT % 16).isZero();
        // tp_mac of an Ethernet frame: TPACKET_ALIGN(TPACKET2_HDRLEN + 16) - ETH_HLEN
        assertThat(RxRing.MAC_OFFSET).isEqualTo(((52 + 16 + 15) & ~15) - ETH);
    }

    @ParameterizedTest(name = "{0}-byte ring, {1}-byte pages: {2} blocks of {3} bytes, {4} slots")
    @CsvSource({
        // the default: one page a block, 21 slots a page (64 bytes unused), 86,016 frames
        "16777216,   4096, 4096,   4096,   86016",
        "1048576,    4096,  256,   4096,    5376",
        "67108864,   4096, 4096,  16384,  348160",
        // past MAX_BLOCKS the blocks grow, so that the kernel's block table stays small
        "1073741824, 4096, 4096, 262144, 5591040",
        // arm64 with 64 KiB pages
        "16777216,  65536,  256,  65536,   87296",
    })
    void theRingIsLaidOutInPageAlignedBlocksThatNoFrameCrosses(int bytes, int page, int blocks, int blockSize,
                                                              int slots) {
        RxRing.Layout layout = RxRing.layout(bytes, page);

        assertThat(layout.blocks()).isEqualTo(blocks);
        assertThat(layout.blockSize()).isEqualTo(blockSize);
        assertThat(layout.blockSize() % page).isZero();
        assertThat(layout.slots()).isEqualTo(slots).isEqualTo(layout.blockSize() / RxRing.SLOT * layout.blocks());
        assertThat(layout.bytes()).isLessThanOrEqualTo(bytes);
    }

    @ParameterizedTest(name = "{0}: {1} bytes")
    @CsvSource({
        "ARP request unpadded,                42",
        "ARP request padded,                  60",
        "NS with source link-layer option,    86",
        "NS with the option and a nonce,      94",
        "NA with target link-layer option,    86",
        "RS with source link-layer option,    70",
        "RA with link-layer/MTU/prefix,      118",
        "ICMPv6 echo with 56 bytes of data,  118",
        "ICMP echo with 56 bytes of data,     98",
    })
    void everyFrameOfTheFastPathFitsItsSlotWhole(String frame, int length) {
        assertThat(length).isEqualTo(built(frame));
        assertThat(length).isLessThanOrEqualTo(RxRing.FRAME_ROOM);
    }

    @Test
    void longerEchoesTakeTheCopyQueue() {
        // ping -s 64 and up, in either family
        assertThat(ETH + 40 + Icmpv6.HEADER + 65).isGreaterThan(RxRing.FRAME_ROOM);
    }

    /** The frame's length as neighd's own builders make it, where they make it; else the sum in the table. */
    private static int built(String frame) {
        return switch (frame) {
            case "ARP request unpadded" -> ArpPacket.frame(1, -1L >>> 16, MAC, -1, MAC, 0x0a4d0002, 0, 0x0a4d0001).length;
            case "ARP request padded" -> 60;
            case "NS with source link-layer option" -> ETH + NdMessage.ns(LL_HI, 2, LL_HI, 1, FD77_HI, 1, MAC, 0).length;
            case "NS with the option and a nonce" -> ETH + NdMessage.ns(LL_HI, 2, LL_HI, 1, FD77_HI, 1, MAC, 0x1234).length;
            case "NA with target link-layer option" -> ETH + NdMessage.na(FD77_HI, 1, LL_HI, 2, FD77_HI, 1, 0x60, MAC).length;
            case "RS with source link-layer option" -> ETH + 40 + 8 + 8;
            case "RA with link-layer/MTU/prefix" -> ETH + 40 + 16 + 8 + 8 + 32;
            case "ICMPv6 echo with 56 bytes of data" -> ETH + NdMessage.echo(Icmpv6.ECHO_REQUEST, 0, 64, FD77_HI, 2,
                    FD77_HI, 1, 1, 1, new byte[56], 0, 56).length;
            case "ICMP echo with 56 bytes of data" -> ETH + Ipv4Packet.build(0x0a4d0002, 0x0a4d0001, Ipv4Packet.PROTO_ICMP,
                    1, 64, IcmpEcho.build(IcmpEcho.TYPE_ECHO_REQUEST, 1, 1, new byte[56], 0, 56)).length;
            default -> throw new IllegalArgumentException(frame);
        };
    }
}
