package io.neighd.engine;

import io.neighd.arp.Reason;
import io.neighd.wire.ArpMessage;

import java.util.List;

/**
 * What receiving a frame would do, and why, computed on the receive path without acting: the
 * reason the frame would end in, the ARP packet it carries (null if none or malformed), and every
 * check made on the way with the values it used.
 */
public record Explanation(String device, ArpMessage arp, Reason reason, Reason.Kind kind, List<Step> steps) {
    /** One check of an explanation: the kernel function or knob, and what it concluded. */
    public record Step(String check, String detail) {
    }

    public Explanation {
        steps = List.copyOf(steps);
    }
}
