package io.neighd.conformance;

import io.neighd.lab.Lab;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The scenario catalogue, by theme, and the vocabulary the themes share. Segment 0 is nd0
 * (10.77.0.1/24, peers p1-p3 at .11-.13, gateway .254 with 10.88.0.0/24 behind it), segment 1
 * is nd1 (10.78.0.1/24, the same shape); {@code p(i)} is peer i of segment 0.
 */
final class Scenarios {
    static final String BCAST = "ff:ff:ff:ff:ff:ff";
    static final String ZERO = "00:00:00:00:00:00";
    static final String DUT = Lab.portMac(0);
    static final String OWN0 = Lab.ownIp(0);
    static final String OWN1 = Lab.ownIp(1);
    static final String NOBODY = "10.77.0.99";
    /** A MAC no device in the lab has. */
    static final String NEW_MAC = "02:4e:44:00:00:99";

    private Scenarios() {
    }

    static List<Scenario> all() {
        List<Scenario> all = new ArrayList<>();
        all.addAll(AnsweringScenarios.all());
        all.addAll(PolicyScenarios.all());
        all.addAll(ResolutionScenarios.all());
        all.addAll(UnsolicitedScenarios.all());
        all.addAll(ProxyScenarios.all());
        all.addAll(DeviceScenarios.all());
        all.addAll(KnobEdgeScenarios.all());
        all.addAll(MartianScenarios.all());
        all.addAll(NdiscScenarios.all());
        Set<String> names = new HashSet<>();
        for (Scenario s : all) {
            if (!names.add(s.name())) {
                throw new IllegalStateException("two scenarios are named " + s.name());
            }
        }
        return all;
    }

    static String p(int i) {
        return Lab.peerIp(0, i);
    }

    static String pmac(int i) {
        return Lab.peerMac(0, i);
    }

    /** net.ipv4.conf.nd0.KEY */
    static String conf(String key) {
        return "net.ipv4.conf.nd0." + key;
    }

    /** net.ipv4.neigh.nd0.KEY */
    static String neigh(String key) {
        return "net.ipv4.neigh.nd0." + key;
    }

    /** A broadcast request from peer i of segment 0 (its own MAC), sender and target as given. */
    static void request(Run r, int i, String sip, String tip) {
        r.arp(0, i, 1, BCAST, pmac(i), sip, ZERO, tip);
    }

    /** iputils arping from peer i of segment 0: one request, waiting at most 1 s for the answer. */
    static void arping(Run r, int i, String target) {
        r.arping(0, i, "-c", "1", "-w", "1", target);
    }
}
