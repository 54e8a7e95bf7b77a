package io.neighd.conformance;

import io.neighd.lab.Frame;
import io.neighd.lab.Lab;
import io.neighd.wire.ArpMessage;
import io.neighd.wire.MacAddress;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one DUT did in a scenario: the frames it sent (normalised: MACs by role, times from the
 * run's mark), and its neighbour table afterwards.
 *
 * @param frames   what the DUT sent, in time order
 * @param table    its table (NOARP hidden), by device and address
 * @param error    why the side could not run the scenario, or null
 * @param extra    anything else a neighd-only check looked at (e.g. counters)
 * @param counters how the arp_cache columns moved during the run: the DUT's own (neighd's
 *                 /api/v1/stats), or, for the kernel, the machine's (/proc/net/stat/arp_cache is
 *                 global: every namespace counts in it)
 * @param machine  how /proc/net/stat/arp_cache moved during the run, whichever side ran
 * @param proof    where the run could not prove its stimulus arrived (empty: it did)
 */
record Outcome(List<WireFrame> frames, List<Lab.KernelNeighbour> table, String error, String extra,
               Map<String, Long> counters, Map<String, Long> machine, List<Difference> proof) {

    /**
     * A frame the DUT sent on segment {@code seg}, {@code atMs} after the run's start; {@code src}
     * and {@code dst} are its protocol addresses (ARP sender and target, or IPv4 source and
     * destination), {@code icmp} whether it is ICMP.
     */
    record WireFrame(int seg, long atMs, String text, boolean icmp, String src, String dst) {
        @Override
        public String toString() {
            return (seg == 0 ? "" : "[nd" + seg + "] ") + text + " @" + atMs + "ms";
        }
    }

    Outcome withExtra(String text) {
        return new Outcome(frames, table, error, text, counters, machine, proof);
    }

    /** MACs by role, so that a frame reads "REQUEST DUT>BCAST who-has 10.77.0.11 tell 10.77.0.1". */
    static String role(MacAddress mac, int seg) {
        String m = mac.toString();
        if (mac.isBroadcast()) {
            return "BCAST";
        }
        if (mac.isZero()) {
            return "0";
        }
        if (m.equals(Scenarios.NEW_MAC)) {
            return "new";
        }
        for (int k = 0; k < 4; k++) {
            String tag = k == seg ? "" : k + ".";
            if (m.equals(Lab.portMac(k))) {
                return "DUT" + (k == seg ? "" : "(nd" + k + ")");
            }
            if (m.equals(Lab.gwMac(k))) {
                return tag + "gw";
            }
            for (int i = 1; i <= 50; i++) {
                if (m.equals(Lab.peerMac(k, i))) {
                    return tag + "p" + i;
                }
            }
        }
        return m;
    }

    static WireFrame normalise(Frame f, int seg, long t0) {
        long at = Math.round((f.nanos() - t0) / 1e6);
        String eth = role(f.ethSrc(), seg) + ">" + role(f.ethDst(), seg);
        String text;
        String src = null;
        String dst = null;
        if (f.isArp()) {
            ArpMessage a = f.arp();
            src = a.senderIp().toString();
            dst = a.targetIp().toString();
            String op = a.op().code() == 1 ? "REQUEST" : a.op().code() == 2 ? "REPLY" : "OP" + a.op().code();
            text = op + " " + eth + " sha=" + role(a.senderMac(), seg) + " spa=" + a.senderIp() + " tha="
                    + role(a.targetMac(), seg) + " tpa=" + a.targetIp()
                    + (a.hardwareType() != 1 ? " hrd=" + a.hardwareType() : "");
        } else if (f.isIcmp()) {
            text = "ICMP " + f.icmpType() + "/" + f.icmpCode() + " " + eth + " " + f.ipSrc() + ">" + f.ipDst();
            src = f.ipSrc().toString();
            dst = f.ipDst().toString();
        } else if (f.isIcmp6()) {
            text = icmp6(f.icmp6(), eth, seg);
            src = f.icmp6().src().toString();
            dst = f.icmp6().dst().toString();
        } else {
            text = "ethertype 0x" + Integer.toHexString(f.etherType()) + " " + eth;
        }
        return new WireFrame(seg, at, text, f.isIcmp(), src, dst);
    }

    /**
     * An ICMPv6 frame: "NS DUT>33:33:ff:00:00:11 fe80::..:1>ff02::1:ff00:11 tgt=fd77::11 sllao=DUT",
     * "NA DUT>p1 fd77::1>fd77::11 tgt=fd77::1 S,O tllao=DUT", "ICMP6 129/0 ..."; the hop limit when
     * it is not ND's 255, a nonce by its presence only (it is random), a bad checksum.
     */
    static String icmp6(io.neighd.testkit.Nd6.Sent m, String eth, int seg) {
        StringBuilder b = new StringBuilder();
        String name = switch (m.type()) {
            case io.neighd.wire.Icmpv6.NEIGHBOUR_SOLICITATION -> "NS";
            case io.neighd.wire.Icmpv6.NEIGHBOUR_ADVERTISEMENT -> "NA";
            case io.neighd.wire.Icmpv6.ROUTER_SOLICITATION -> "RS";
            case io.neighd.wire.Icmpv6.ROUTER_ADVERTISEMENT -> "RA";
            default -> "ICMP6 " + m.type();
        };
        b.append(name).append(' ').append(eth).append(' ').append(m.src()).append('>').append(m.dst());
        if (m.target() != null) {
            b.append(" tgt=").append(m.target());
        }
        if (m.type() == io.neighd.wire.Icmpv6.NEIGHBOUR_ADVERTISEMENT) {
            List<String> flags = new ArrayList<>();
            if ((m.flags() & io.neighd.testkit.Nd6.R) != 0) {
                flags.add("R");
            }
            if ((m.flags() & io.neighd.testkit.Nd6.S) != 0) {
                flags.add("S");
            }
            if ((m.flags() & io.neighd.testkit.Nd6.O) != 0) {
                flags.add("O");
            }
            b.append(' ').append(flags.isEmpty() ? "-" : String.join(",", flags));
        }
        if (m.lladdrOption() != io.neighd.testkit.Nd6.NONE) {
            b.append(m.type() == io.neighd.wire.Icmpv6.NEIGHBOUR_ADVERTISEMENT ? " tllao=" : " sllao=")
                    .append(role(new MacAddress(m.lladdrOption()), seg));
        }
        if (m.nonce() != 0) {
            b.append(" nonce");
        }
        if (m.hopLimit() != 255 && m.target() != null) {
            b.append(" hlim=").append(m.hopLimit());
        }
        if (!m.checksumOk()) {
            b.append(" BAD-CHECKSUM");
        }
        return b.toString();
    }

    /** A short account for the conformance table. */
    String summary() {
        if (error != null) {
            return "n/a: " + error;
        }
        List<String> parts = new ArrayList<>();
        parts.add(frames.isEmpty() ? "sent nothing" : frames.stream().map(Outcome::brief).collect(Collectors.joining("; ")));
        parts.add(table.isEmpty() ? "table empty" : table.stream()
                .sorted(Comparator.comparing(Lab.KernelNeighbour::dev).thenComparing(Lab.KernelNeighbour::dst))
                .map(n -> (n.dev().equals("nd0") ? "" : n.dev() + " ") + n.dst() + " " + n.state()
                        + (n.lladdr() == null ? "" : " " + role(MacAddress.parse(n.lladdr()), n.dev().equals("nd1") ? 1 : 0)))
                .collect(Collectors.joining(", ")));
        if (extra != null) {
            parts.add(extra);
        }
        return String.join(" · ", parts);
    }

    /** "REQ>BCAST .11?tell .1 @0" style, compact enough for a table cell. */
    private static String brief(WireFrame w) {
        String t = w.text()
                .replace("REQUEST ", "req ")
                .replace("REPLY ", "rep ")
                .replace("DUT>", "")
                .replace(" sha=DUT", "");
        return (w.seg() == 0 ? "" : "nd" + w.seg() + ":") + t + " @" + w.atMs();
    }
}
