package io.neighd.ip;

/**
 * Who a device is, as a value observers may keep: its index, name and whether it is the loopback
 * device. Made once at registration; the device's mutable state stays on the engine thread.
 */
public record DeviceId(int ifindex, String name, boolean loopback) {
}
