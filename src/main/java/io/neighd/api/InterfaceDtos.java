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
            @Schema(description = "IPv4 addresses, then IPv6 ones (tentative until DAD passes)") List<Address> addresses,
            @Schema(description = "effective net.ipv4.conf values: all and the interface combined per knob "
                    + "(max, or, and) as the kernel does") Map<String, Integer> conf,
            @JsonProperty("conf_raw") @Schema(description = "the interface's own net.ipv4.conf.DEV values")
            Map<String, Integer> confRaw,
            @Schema(description = "the interface's net.ipv6.conf.DEV values") Map<String, Integer> conf6,
            @Schema(description = "IPv6 multicast groups joined (ip -6 maddr): all-nodes, the solicited-node group of "
                    + "each address and proxy entry, all-routers when forwarding") List<String> groups6,
            Capture capture) {

        static Interface of(NetworkService.Interface i) {
            List<Address> addrs = new java.util.ArrayList<>(i.addresses().stream().map(Address::of).toList());
            i.addresses6().forEach(a -> addrs.add(Address.of(a)));
            return new Interface(i.name(), i.ifindex(), i.lladdr().toString(), i.mtu(), i.carrier(), i.up(),
                    i.vlan() < 0 ? null : i.vlan(), addrs, i.conf(), i.confRaw(), i.conf6(),
                    i.groups6().stream().map(Object::toString).toList(),
                    Capture.of(i.capture(), i.capturing(), i.problem()));
        }
    }

    @Schema(name = "Address", description = "An owned address, as in `ip -j addr`'s addr_info")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Address(@Schema(allowableValues = {"inet", "inet6"}, example = "inet") String family,
                   @Schema(example = "10.77.0.1") String local,
                   @Schema(example = "24") int prefixlen,
                   @Schema(example = "10.77.0.255") String broadcast,
                   @Schema(example = "global") String scope,
                   @Schema(description = "another address of an existing primary's subnet (IPv4)") boolean secondary,
                   @Schema(description = "IPv6 flags as ip -6 addr prints them: tentative (DAD running or waiting for "
                           + "the link), dadfailed (another node has it; stays until removed), nodad, optimistic")
                   List<String> flags) {
        static Address of(NetworkService.Address a) {
            return new Address("inet", a.cidr().address().toString(), a.cidr().prefixLength(),
                    a.broadcast() == null ? null : a.broadcast().toString(), a.scope(), a.secondary(), null);
        }

        static Address of(NetworkService.Address6 a) {
            return new Address("inet6", a.cidr().address().toString(), a.cidr().prefixLength(), null, a.scope(), false,
                    a.flags());
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

    @Schema(name = "AddressRequest", description = "`ip addr add ADDRESS dev DEV [scope SCOPE] [nodad]`")
    record AddressRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "10.77.0.5/24",
                                  description = "IPv4 or IPv6 address with prefix length") String address,
                          @Schema(description = "IPv4: default global (host for 127/8); IPv6 takes its scope from the "
                                  + "address", example = "global",
                                  allowableValues = {"global", "site", "link", "host"}) String scope,
                          @Schema(description = "IPv6: skip duplicate address detection (IFA_F_NODAD)",
                                  defaultValue = "false") Boolean nodad) {
    }

    @Schema(name = "Announced", description = "What NETDEV_NOTIFY_PEERS sent: a gratuitous ARP request per IPv4 "
            + "address and an unsolicited neighbour advertisement per IPv6 address that passed DAD")
    record Announced(@Schema(description = "all of them", example = "2") int sent,
                     @Schema(description = "gratuitous ARP requests", example = "1") int arp,
                     @Schema(description = "unsolicited neighbour advertisements", example = "1") int na) {
    }
}
