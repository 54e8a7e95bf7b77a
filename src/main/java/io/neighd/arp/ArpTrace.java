package io.neighd.arp;

/**
 * Receives each check arp_process makes, in order, with the values it used: the explain
 * endpoint records them; the receive path passes null and pays nothing.
 */
@FunctionalInterface
public interface ArpTrace {
    /**
     * @param check  the kernel check, e.g. {@code arp_ignore}
     * @param detail what it looked at and concluded, with the knob values used
     */
    void step(String check, String detail);
}
