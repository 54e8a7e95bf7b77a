package io.neighd.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.neighd.link.Link;
import io.neighd.service.NetworkService;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/** The JSON of {@code /api/v1/interfaces}: {@code ip -j link} and {@code ip -j addr} spellings. */
final class InterfaceDtos {
    private InterfaceDtos() {
    }

    @Schema(name = "Interface", description = "An interface neighd is attached to")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Interface(
            @Schema(example = "nd0") String name,
            @Schema(example = "7") int ifindex,
            @Schema(example = "02:aa:00:00:00:01") String lladdr,
            @Schema(example = "1500") int mtu,
            @Schema(description = "netif_carrier_ok()") boolean carrier,
            @Schema(description = "administratively up") boolean up,
            @Schema(description = "802.1Q VLAN neighd sends and receives on; absent if untagged") Integer vlan,
            List<Address> addresses,
            @Schema(description = "effective net.ipv4.conf values: all and the interface combined per knob "
                    + "(max, or, and) as the kernel does") Map<String, Integer> conf,
            @JsonProperty("conf_raw") @Schema(description = "the interface's own net.ipv4.conf.DEV values")
            Map<String, Integer> confRaw,
            Capture capture) {

        static Interface of(NetworkService.Interface i) {
            return new Interface(i.name(), i.ifindex(), i.lladdr().toString(), i.mtu(), i.carrier(), i.up(),
                    i.vlan() < 0 ? null : i.vlan(), i.addresses().stream().map(Address::of).toList(), i.conf(),
                    i.confRaw(), Capture.of(i.capture(), i.capturing(), i.problem()));
        }
    }

    @Schema(name = "Address", description = "An owned address, as in `ip -j addr`'s addr_info")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Address(@Schema(example = "10.77.0.1") String local,
                   @Schema(example = "24") int prefixlen,
                   @Schema(example = "10.77.0.255") String broadcast,
                   @Schema(example = "global") String scope,
                   @Schema(description = "another address of an existing primary's subnet") boolean secondary) {
        static Address of(NetworkService.Address a) {
            return new Address(a.cidr().address().toString(), a.cidr().prefixLength(),
                    a.broadcast() == null ? null : a.broadcast().toString(), a.scope(), a.secondary());
        }
    }

    @Schema(name = "Capture", description = "Capture counters as pcap_stats reports them")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Capture(@Schema(description = "frames are being captured") boolean capturing,
                   @Schema(description = "frames received") long received,
                   @Schema(description = "dropped by the capture buffer") long dropped,
                   @JsonProperty("if_dropped") @Schema(description = "dropped by the interface or its driver")
                   long ifDropped,
                   @Schema(description = "why the interface is not capturing; absent while it is") String problem) {
        static Capture of(Link.Stats s, boolean capturing, String problem) {
            return new Capture(capturing, s.received(), s.dropped(), s.ifDropped(), problem);
        }
    }

    @Schema(name = "AddressRequest", description = "`ip addr add ADDRESS dev DEV [scope SCOPE]`")
    record AddressRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "10.77.0.5/24",
                                  description = "address with prefix length") String address,
                          @Schema(description = "default global (host for 127/8)", example = "global",
                                  allowableValues = {"global", "site", "link", "host"}) String scope) {
    }

    @Schema(name = "Announced", description = "Gratuitous ARP requests sent (one per owned address)")
    record Announced(@Schema(example = "1") int sent) {
    }
}
