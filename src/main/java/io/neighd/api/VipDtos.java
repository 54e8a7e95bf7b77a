package io.neighd.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.neighd.cluster.VipStatus;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/** The JSON of {@code /api/v1/vips}. */
final class VipDtos {
    private VipDtos() {
    }

    @Schema(name = "Vips", description = "Elected addresses as this node sees them")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Vips(@Schema(description = "neighd.cluster.enabled") boolean enabled,
                @Schema(description = "kubernetes or etcd", example = "kubernetes") String backend,
                @Schema(description = "this node's identity in the store", example = "node-1") String node,
                @Schema(description = "the store's watch is established: releases reach this node as they "
                        + "happen (while not, it reads the leases every retry period); absent when disabled")
                Boolean watching,
                List<Vip> vips) {
    }

    @Schema(name = "Vip", description = "An elected address")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Vip(@Schema(description = "the address and prefix, either family", example = "10.77.0.100/24")
               String address,
               @Schema(description = "inet or inet6, as ip -j addr names the family", example = "inet",
                       allowableValues = {"inet", "inet6"}) String family,
               @Schema(description = "the configured interface; absent: chosen by subnet", example = "nd0")
               String configuredInterface,
               @Schema(description = "the interface that serves it on this node; absent: none can", example = "nd0")
               String dev,
               @Schema(description = "this node's role", allowableValues = {"INELIGIBLE", "STANDBY", "ACQUIRING",
                       "OWNER", "RELEASING"}) String role,
               @Schema(description = "this node answers for it now") boolean answering,
               @Schema(description = "the lease holder as last seen (absent: free or unknown)", example = "node-1")
               String holder,
               @Schema(description = "seconds since the role last changed", example = "12.5") double sinceSeconds,
               @Schema(description = "times this node took or gave it up") long transitions,
               @Schema(description = "holder changes as the store counts them (Kubernetes: leaseTransitions)")
               long leaseTransitions,
               @Schema(description = "announcement frames sent for it: gratuitous ARP (IPv4) or unsolicited "
                       + "neighbour advertisements (IPv6)") long gratuitousSent,
               @Schema(description = "seconds since the last successful renewal was sent; absent if none")
               Double lastRenewalSeconds) {
        static Vip of(VipStatus s, long now) {
            return new Vip(s.spec().cidr().toString(), s.spec().cidr().address().familyName(), s.spec().device(), s.device(), s.role().name(), s.answering(),
                    s.owner(), (now - s.sinceNanos()) / 1e9, s.transitions(), s.leaseTransitions(), s.gratuitousSent(),
                    s.lastRenewalNanos() < 0 ? null : (now - s.lastRenewalNanos()) / 1e9);
        }
    }

    @Schema(name = "VipRequest", description = "An address to elect")
    record VipRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "the address with its "
                              + "prefix, either family (fd77::55/64)", example = "10.77.0.100/24") String address,
                      @Schema(name = "interface", description = "the interface to answer on; absent: the one with "
                              + "an owned address in the same subnet", example = "nd0")
                      @com.fasterxml.jackson.annotation.JsonProperty("interface") String device) {
    }

    @Schema(name = "Released", description = "How many addresses this node handed over")
    record Released(int released) {
    }
}
