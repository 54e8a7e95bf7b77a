package io.neighd.cluster;

import io.neighd.wire.IpAddress;
import io.neighd.wire.IpCidr;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.Ipv4Cidr;
import io.neighd.wire.Ipv6Address;
import io.neighd.wire.Ipv6Cidr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/** The engine as the election sees it: records what it is told, and enforces claim deadlines as the engine does. */
final class RecordingPort implements AddressPort {
    final List<String> calls = new ArrayList<>();
    final Map<String, Long> answering = new LinkedHashMap<>();
    final List<Device> devices = new ArrayList<>();
    private final LongSupplier clock;
    /** Runs inside {@link #unclaim}, after the address is gone: what the rest of the world sees at that moment. */
    Runnable onUnclaim = () -> { };

    RecordingPort(LongSupplier clock) {
        this.clock = clock;
        devices.add(new Device("nd0", true, List.of(Ipv4Cidr.parse("10.77.0.2/24"), Ipv6Cidr.parse("fd77::2/64"))));
    }

    void serving(String dev, boolean serving) {
        devices.replaceAll(d -> d.name().equals(dev) ? new Device(d.name(), serving, d.subnets()) : d);
    }

    /** Whether the engine answers for {@code vip} now: claimed, and its deadline not passed. */
    boolean answers(String vip) {
        Long until = answering.get(vip);
        return until != null && clock.getAsLong() < until;
    }

    List<String> gratuitous() {
        return calls.stream().filter(c -> c.startsWith("garp")).toList();
    }

    List<String> advertisements() {
        return calls.stream().filter(c -> c.startsWith("na")).toList();
    }

    @Override
    public java.util.concurrent.CompletableFuture<List<Device>> devices() {
        return java.util.concurrent.CompletableFuture.completedFuture(List.copyOf(devices));
    }

    @Override
    public void claim(String dev, IpCidr vip, long validUntilNanos) {
        calls.add("claim " + dev + " " + vip + " until " + validUntilNanos / 1_000_000);
        answering.put(vip.address().toString(), validUntilNanos);
    }

    @Override
    public void extend(String dev, IpCidr vip, long validUntilNanos) {
        answering.put(vip.address().toString(), validUntilNanos);
    }

    @Override
    public void unclaim(String dev, IpAddress vip) {
        calls.add("unclaim " + dev + " " + vip);
        answering.remove(vip.toString());
        onUnclaim.run();
    }

    @Override
    public void gratuitous(String dev, Ipv4Address vip, boolean reply) {
        calls.add("garp " + (reply ? "reply" : "request") + " " + dev + " " + vip + " at " + clock.getAsLong() / 1_000_000);
    }

    @Override
    public void unsolicitedNa(String dev, Ipv6Address vip) {
        calls.add("na " + dev + " " + vip + " at " + clock.getAsLong() / 1_000_000);
    }
}
