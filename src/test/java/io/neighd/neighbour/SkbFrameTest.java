package io.neighd.neighbour;

import io.neighd.wire.MacAddress;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A packet built with headroom (LL_RESERVED_SPACE): dev_hard_header() writes the Ethernet header
 * into it when it is exactly the header's size (14 bytes, 18 with a tag, VLAN 0 included), and
 * otherwise the packet is copied behind a new header; truesize counts the L3 packet alone.
 */
class SkbFrameTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final long DST = MacAddress.parse("02:aa:00:00:00:01").bits();
    private static final long SRC = MacAddress.parse("02:bb:00:00:00:02").bits();

    private static byte[] packet(int headroom, int l3) {
        byte[] b = new byte[headroom + l3];
        for (int i = 0; i < l3; i++) {
            b[headroom + i] = (byte) (0x60 + i);
        }
        return b;
    }

    @Test
    void anUntaggedHeaderIsWrittenInPlace() {
        byte[] buf = packet(14, 40);
        Skb skb = new Skb(buf, 14, null);

        byte[] f = skb.frame(DST, SRC, -1, 0x86dd);

        assertThat(f).isSameAs(buf);
        assertThat(HEX.formatHex(f, 0, 16)).isEqualTo("02aa0000000102bb0000000286dd" + "6061");
        assertThat(skb.l3()).isNotSameAs(buf).containsExactly(Arrays.copyOfRange(buf, 14, 54));
    }

    @Test
    void vlanZeroIsATagAndFillsEighteenBytesOfHeadroom() {
        byte[] buf = packet(18, 40);

        byte[] f = new Skb(buf, 18, null).frame(DST, SRC, 0, 0x86dd);

        assertThat(f).isSameAs(buf);
        assertThat(HEX.formatHex(f, 0, 20)).isEqualTo("02aa0000000102bb00000002" + "81000000" + "86dd" + "6061");
    }

    @Test
    void aTagThatDoesNotFitTheHeadroomGetsANewFrame() {
        byte[] buf = packet(14, 40);

        byte[] f = new Skb(buf, 14, null).frame(DST, SRC, 5, 0x86dd);

        assertThat(f).isNotSameAs(buf).hasSize(18 + 40);
        assertThat(HEX.formatHex(f, 0, 20)).isEqualTo("02aa0000000102bb00000002" + "81000005" + "86dd" + "6061");
        assertThat(HEX.formatHex(buf, 0, 14)).as("the packet's headroom is left alone").isEqualTo("0".repeat(28));
    }

    @Test
    void withoutHeadroomThePacketIsItsOwnL3() {
        byte[] buf = packet(0, 40);

        assertThat(new Skb(buf, null).l3()).isSameAs(buf);
    }

    /** 210 bytes of IP fit skb_small_head_cache (832); 238 would not (1280): the headroom does not count. */
    @Test
    void truesizeIsOfTheL3PacketWithoutTheHeadroom() {
        assertThat(new Skb(packet(28, 210), 28, null).truesize()).isEqualTo(832);
        assertThat(new Skb(packet(0, 238), null).truesize()).isEqualTo(1280);
    }

    /** ipv6_hdr(skb)->saddr behind the headroom. */
    @Test
    void ipv6SourceBehindTheHeadroom() {
        byte[] buf = packet(14, 40);

        Skb skb = new Skb(buf, 14, null);

        assertThat(skb.saddr6Hi()).isEqualTo(0x68696a6b6c6d6e6fL);
        assertThat(skb.saddr6Lo()).isEqualTo(0x7071727374757677L);
    }
}
