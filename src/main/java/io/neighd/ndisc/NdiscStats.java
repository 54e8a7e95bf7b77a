package io.neighd.ndisc;

import io.neighd.arp.DeviceStats;
import io.neighd.arp.Reason;
import io.neighd.wire.Icmpv6;

import java.util.Locale;

/**
 * Per-interface ICMPv6 counters as Linux keeps them in /proc/net/dev_snmp6 (Icmp6InNeighborSolicits,
 * Icmp6OutNeighborAdvertisements, ...): messages received and sent by type, and every IPv6 frame
 * by what became of it ({@link Reason}). Written only by the engine thread.
 */
public final class NdiscStats extends DeviceStats<NdiscStats.Device> {
    /** The message types counted, and their label. */
    public enum Type {
        NS(Icmpv6.NEIGHBOUR_SOLICITATION), NA(Icmpv6.NEIGHBOUR_ADVERTISEMENT), RS(Icmpv6.ROUTER_SOLICITATION),
        RA(Icmpv6.ROUTER_ADVERTISEMENT), REDIRECT(Icmpv6.REDIRECT), ECHO_REQUEST(Icmpv6.ECHO_REQUEST),
        ECHO_REPLY(Icmpv6.ECHO_REPLY), OTHER(-1);

        private final int icmpType;

        Type(int icmpType) {
            this.icmpType = icmpType;
        }

        private static final Type[] BY_ICMP_TYPE = new Type[256];

        static {
            java.util.Arrays.fill(BY_ICMP_TYPE, OTHER);
            for (Type t : values()) {
                if (t.icmpType >= 0) {
                    BY_ICMP_TYPE[t.icmpType] = t;
                }
            }
        }

        public static Type of(int icmpType) {
            return icmpType >= 0 && icmpType < 256 ? BY_ICMP_TYPE[icmpType] : OTHER;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The counters of one interface. */
    public static final class Device extends DeviceStats.Counters {
        private final long[] received = new long[Type.values().length];
        private final long[] sent = new long[Type.values().length];

        public void countReceived(int icmpType) {
            received[Type.of(icmpType).ordinal()]++;
        }

        public void countSent(int icmpType) {
            sent[Type.of(icmpType).ordinal()]++;
        }

        public long received(Type t) {
            return received[t.ordinal()];
        }

        public long sent(Type t) {
            return sent[t.ordinal()];
        }
    }

    @Override
    protected Device newCounters() {
        return new Device();
    }
}
