package io.neighd.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The RFC 826 body as a value: parse and writeTo are inverses; parse states what it got and wanted. */
class ArpMessageTest {
    private static final MacAddress SHA = MacAddress.parse("02:bb:00:00:00:02");
    private static final MacAddress THA = MacAddress.parse("02:aa:00:00:00:01");
    private static final Ipv4Address SPA = Ipv4Address.parse("10.0.0.2");
    private static final Ipv4Address TPA = Ipv4Address.parse("10.0.0.1");

    @Test
    void writeToThenParseGivesTheSameMessage() {
        ArpMessage m = ArpMessage.reply(SHA, SPA, THA, TPA);
        byte[] b = new byte[3 + ArpPacket.LENGTH];

        m.writeTo(b, 3);

        assertThat(ArpMessage.parse(b, 3, ArpPacket.LENGTH)).isEqualTo(m);
    }

    @Test
    void theBytesAreTheRfc826Layout() {
        byte[] b = new byte[ArpPacket.LENGTH];

        ArpMessage.request(SHA, SPA, MacAddress.ZERO, TPA).writeTo(b, 0);

        assertThat(b).containsExactly(
                0, 1, 8, 0, 6, 4, 0, 1,
                0x02, 0xbb, 0, 0, 0, 0x02, 10, 0, 0, 2,
                0, 0, 0, 0, 0, 0, 10, 0, 0, 1);
    }

    @Test
    void parseThenWriteToGivesTheSameBytes() {
        byte[] frame = ArpPacket.frame(2, THA.bits(), SHA.bits(), -1, SHA.bits(), SPA.bits(), THA.bits(), TPA.bits());

        ArpMessage m = ArpMessage.parse(frame, 14, frame.length - 14);
        byte[] again = m.toFrame(THA, SHA, -1);

        assertThat(again).isEqualTo(frame);
        assertThat(m.op()).isEqualTo(ArpOp.REPLY);
        assertThat(m.senderMac()).isEqualTo(SHA);
        assertThat(m.targetIp()).isEqualTo(TPA);
    }

    @Test
    void unknownOpcodesAndTypesParseToValues() {
        byte[] b = new byte[ArpPacket.LENGTH];
        new ArpMessage(24, 0x86dd, 6, 4, ArpOp.of(9), SHA, SPA, THA, TPA).writeTo(b, 0);

        ArpMessage m = ArpMessage.parse(b, 0, b.length);

        assertThat(m.op()).isEqualTo(ArpOp.of(9));
        assertThat(m.op().isKnown()).isFalse();
        assertThat(m.op()).hasToString("UNKNOWN(9)");
        assertThat(m.op().label()).isEqualTo("unknown");
        assertThat(m.hardwareType()).isEqualTo(24);
        assertThat(m.protocolType()).isEqualTo(0x86dd);
        assertThat(ArpOp.of(0xffff).code()).isEqualTo(0xffff);
        assertThat(ArpOp.of(1)).isSameAs(ArpOp.REQUEST).hasToString("REQUEST");
    }

    /** The 16-bit fields go high byte first; values above 255 show it. */
    @Test
    void sixteenBitFieldsAreBigEndian() {
        byte[] b = new byte[ArpPacket.LENGTH];
        ArpMessage m = new ArpMessage(0x0106, 0x0800, 6, 4, ArpOp.of(0x0102), SHA, SPA, THA, TPA);

        m.writeTo(b, 0);

        assertThat(Arrays.copyOfRange(b, 0, 8)).containsExactly(0x01, 0x06, 0x08, 0x00, 6, 4, 0x01, 0x02);
        assertThat(ArpMessage.parse(b, 0, b.length)).isEqualTo(m);
    }

    @Test
    void requestAndReplyAreTheKnownOpcodesAndZeroIsJustUnknown() {
        assertThat(ArpOp.REQUEST.isKnown()).isTrue();
        assertThat(ArpOp.REPLY.isKnown()).isTrue();
        assertThat(ArpOp.of(0).code()).isZero();
        assertThat(ArpOp.of(0).isKnown()).isFalse();
        assertThat(ArpOp.of(0)).hasToString("UNKNOWN(0)");
    }

    @Test
    void theTextFormReadsLikeTcpdump() {
        assertThat(ArpMessage.request(SHA, SPA, MacAddress.ZERO, TPA)).hasToString(
                "REQUEST who-has 10.0.0.1 tell 10.0.0.2 (sha 02:bb:00:00:00:02, tha 00:00:00:00:00:00, hrd 1, pro 0x800)");
    }

    /** VLAN 0 is a priority tag: still a tag, 18 bytes of header. */
    @Test
    void vlanZeroIsWrittenAsATag() {
        ArpMessage m = ArpMessage.request(SHA, SPA, MacAddress.ZERO, TPA);

        byte[] f = m.toFrame(MacAddress.BROADCAST, SHA, 0);

        assertThat(f).hasSize(18 + 28);
        assertThat(Arrays.copyOfRange(f, 12, 18)).containsExactly(0x81, 0x00, 0x00, 0x00, 0x08, 0x06);
        assertThat(ArpMessage.parse(f, 18, 28)).isEqualTo(m);
        assertThat(ArpPacket.frame(1, MacAddress.BROADCAST.bits(), SHA.bits(), 0, SHA.bits(), SPA.bits(), 0,
                TPA.bits())).isEqualTo(f);
        assertThat(EthernetFrame.wrap(MacAddress.BROADCAST.bits(), SHA.bits(), 0, EtherType.ARP,
                Arrays.copyOfRange(f, 18, 46))).isEqualTo(f);
    }

    @Test
    void opcodesOutsideSixteenBitsAreRefused() {
        assertThatThrownBy(() -> ArpOp.of(0x10000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ARP opcode out of range: 65536 (expected: 0-65535)");
        assertThatThrownBy(() -> ArpOp.of(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 8, 20, 27})
    void aShortBodyIsRefusedWithItsLength(int length) {
        byte[] b = new byte[40];
        ArpMessage.request(SHA, SPA, MacAddress.ZERO, TPA).writeTo(b, 0);

        assertThatThrownBy(() -> ArpMessage.parse(b, 0, length)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("truncated ARP: " + length + " bytes (expected: 28+)");
    }

    @Test
    void otherAddressLengthsAreRefused() {
        byte[] b = new byte[ArpPacket.LENGTH];
        ArpMessage.request(SHA, SPA, MacAddress.ZERO, TPA).writeTo(b, 0);

        byte[] hlen = b.clone();
        hlen[ArpPacket.HLN] = 8;
        byte[] plen = b.clone();
        plen[ArpPacket.PLN] = 16;

        assertThatThrownBy(() -> ArpMessage.parse(hlen, 0, hlen.length))
                .hasMessage("ARP hardware address length 8 (expected: 6)");
        assertThatThrownBy(() -> ArpMessage.parse(plen, 0, plen.length))
                .hasMessage("ARP protocol address length 16 (expected: 4)");
    }

    @Test
    void trailingPaddingIsIgnored() {
        byte[] frame = Arrays.copyOf(ArpPacket.frame(1, MacAddress.BROADCAST.bits(), SHA.bits(), -1, SHA.bits(),
                SPA.bits(), 0, TPA.bits()), 60);

        ArpMessage m = ArpMessage.parse(frame, 14, frame.length - 14);

        assertThat(m).isEqualTo(ArpMessage.request(SHA, SPA, MacAddress.ZERO, TPA));
    }

    @Test
    void aTaggedFrameCarriesTheBodyAfterTheTag() {
        ArpMessage m = ArpMessage.request(SHA, SPA, MacAddress.ZERO, TPA);

        byte[] f = m.toFrame(MacAddress.BROADCAST, SHA, 100);

        assertThat(f).hasSize(18 + 28);
        assertThat(ArpMessage.parse(f, 18, 28)).isEqualTo(m);
        assertThat(f).isEqualTo(ArpPacket.frame(1, MacAddress.BROADCAST.bits(), SHA.bits(), 100, SHA.bits(),
                SPA.bits(), 0, TPA.bits()));
    }
}
