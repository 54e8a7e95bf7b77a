package io.neighd.link;

import io.neighd.wire.MacAddress;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Parsing RTM_NEWLINK notifications as the kernel lays them out (rtnl_fill_ifinfo). */
class RtnlLinkMonitorTest {
    private static final int IFLA_OPERSTATE = 16;

    /** One RTM_NEWLINK (or other type) with IFNAME, ADDRESS, MTU and an attribute neighd ignores. */
    private static byte[] message(int type, int ifindex, int flags, String name, String mac, int mtu) {
        ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
        b.position(RtnlLinkMonitor.NLMSG_HDRLEN);
        b.put((byte) 0).put((byte) 0).putShort((short) 1).putInt(ifindex).putInt(flags).putInt(0xffffffff);
        byte[] n = (name + "\0").getBytes(StandardCharsets.US_ASCII);
        attr(b, RtnlLinkMonitor.IFLA_IFNAME, n);
        attr(b, IFLA_OPERSTATE, new byte[] {6});
        byte[] m = new byte[6];
        MacAddress.write(MacAddress.parse(mac).bits(), m, 0);
        attr(b, RtnlLinkMonitor.IFLA_ADDRESS, m);
        attr(b, RtnlLinkMonitor.IFLA_MTU, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(mtu).array());
        int len = b.position();
        b.putInt(0, len).putShort(4, (short) type).putShort(6, (short) 0).putInt(8, 0).putInt(12, 0);
        byte[] out = new byte[len];
        b.get(0, out);
        return out;
    }

    private static void attr(ByteBuffer b, int type, byte[] payload) {
        b.putShort((short) (4 + payload.length)).putShort((short) type).put(payload);
        while (b.position() % 4 != 0) {
            b.put((byte) 0);
        }
    }

    private static ByteBuffer concat(byte[]... parts) {
        int len = 0;
        for (byte[] p : parts) {
            len += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(len);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.flip();
    }

    @Test
    void aNewlinkGivesNameIndexAddressMtuAdminStateAndCarrier() {
        byte[] up = message(RtnlLinkMonitor.RTM_NEWLINK, 7, RtnlLinkMonitor.IFF_UP | RtnlLinkMonitor.IFF_LOWER_UP,
                "nd0", "02:4e:44:00:00:01", 9000);

        assertThat(RtnlLinkMonitor.parse(ByteBuffer.wrap(up))).containsExactly(
                new InterfaceInfo("nd0", 7, MacAddress.parse("02:4e:44:00:00:01"), 9000, true, true));
    }

    @Test
    void downAndUpInOneDatagramComeOutInTheKernelsOrder() {
        byte[] down = message(RtnlLinkMonitor.RTM_NEWLINK, 7, 0, "nd0", "02:4e:44:00:00:01", 1500);
        byte[] up = message(RtnlLinkMonitor.RTM_NEWLINK, 7, RtnlLinkMonitor.IFF_UP, "nd0", "02:4e:44:00:00:01", 1500);

        assertThat(RtnlLinkMonitor.parse(concat(down, up)))
                .extracting(InterfaceInfo::up, InterfaceInfo::carrier)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(false, false),
                        org.assertj.core.groups.Tuple.tuple(true, false));
    }

    @Test
    void otherMessagesAndTruncatedOnesAreSkipped() {
        byte[] del = message(RtnlLinkMonitor.RTM_DELLINK, 7, 0, "nd0", "02:4e:44:00:00:01", 1500);
        byte[] good = message(RtnlLinkMonitor.RTM_NEWLINK, 8, RtnlLinkMonitor.IFF_UP, "nd1", "02:4e:44:00:00:02", 1500);
        byte[] cut = java.util.Arrays.copyOf(good, good.length - 6);

        assertThat(RtnlLinkMonitor.parse(concat(del, good, cut))).extracting(InterfaceInfo::name).containsExactly("nd1");
        assertThat(RtnlLinkMonitor.parse(ByteBuffer.wrap(new byte[] {1, 2, 3}))).isEmpty();
    }

    /** A deletion names an interface that is no more: the caller reads the interfaces afresh instead. */
    @Test
    void aDatagramWithADellinkSaysSo() {
        byte[] del = message(RtnlLinkMonitor.RTM_DELLINK, 7, 0, "nd0", "02:4e:44:00:00:01", 1500);
        byte[] up = message(RtnlLinkMonitor.RTM_NEWLINK, 8, RtnlLinkMonitor.IFF_UP, "nd1", "02:4e:44:00:00:02", 1500);

        assertThat(RtnlLinkMonitor.deletes(concat(up, del))).isTrue();
        assertThat(RtnlLinkMonitor.deletes(concat(up))).isFalse();
        assertThat(RtnlLinkMonitor.deletes(ByteBuffer.wrap(new byte[] {1, 2, 3}))).isFalse();
    }

    /** Needs an rtnetlink socket only, which any process may open: a dummy-free check that it listens. */
    @Test
    void opensAndClosesInItsOwnNamespace() {
        RtnlLinkMonitor m = RtnlLinkMonitor.open(null, i -> { }, () -> { });
        assertThat(m.isListening()).isTrue();
        m.close();
        assertThat(m.isListening()).isFalse();
    }
}
