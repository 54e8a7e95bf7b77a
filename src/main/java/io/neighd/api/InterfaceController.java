package io.neighd.api;

import io.neighd.api.InterfaceDtos.Address;
import io.neighd.api.InterfaceDtos.AddressRequest;
import io.neighd.api.InterfaceDtos.Announced;
import io.neighd.api.InterfaceDtos.Interface;
import io.neighd.ip.Scope;
import io.neighd.service.NetworkService;
import io.neighd.wire.Ipv4Cidr;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;

/** {@code ip link} and {@code ip addr} for the interfaces neighd is attached to. */
@RestController
@RequestMapping(path = "/api/v1/interfaces", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "interfaces", description = "`ip link` / `ip addr`: the interfaces neighd is attached to")
class InterfaceController {
    private static final String DEV = "interface name";

    private final NetworkService network;

    InterfaceController(NetworkService network) {
        this.network = network;
    }

    @GetMapping
    @Operation(operationId = "listInterfaces",
            summary = "List interfaces", description = "Every configured interface: link facts, owned addresses, "
            + "effective and raw net.ipv4.conf knobs, capture counters.")
    @ApiResponse(responseCode = "200", description = "the interfaces, in configuration order")
    List<Interface> list() {
        return network.interfaces().stream().map(Interface::of).toList();
    }

    @GetMapping("/{dev}")
    @Operation(operationId = "getInterface",
            summary = "One interface")
    @ApiResponse(responseCode = "200", description = "the interface")
    @ApiResponse(responseCode = "404", description = "`unknown-interface`")
    Interface get(@Parameter(description = DEV) @PathVariable String dev) {
        return Interface.of(network.interfaceNamed(dev));
    }

    @PostMapping(path = "/{dev}/addresses", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "addAddress",
            summary = "Add an owned address (ip addr add)", description = "neighd answers ARP (IPv4) or neighbour "
            + "solicitations (IPv6) for it and sends from it; arp_notify applies as in Linux. An IPv6 address is "
            + "tentative until duplicate address detection passes, and stays tentative and dadfailed if another node "
            + "has it. Kept in the state file.")
    @ApiResponse(responseCode = "201", description = "added")
    @ApiResponse(responseCode = "400", description = "`invalid-address`: not an address with prefix, or one that "
            + "cannot be owned; `invalid-request`: unknown scope")
    @ApiResponse(responseCode = "404", description = "`unknown-interface`")
    @ApiResponse(responseCode = "409", description = "`address-exists`")
    ResponseEntity<Address> addAddress(@Parameter(description = DEV) @PathVariable String dev,
                                       @RequestBody AddressRequest r) {
        if (r.address() != null && r.address().contains(":")) {
            Address a = Address.of(network.addAddress6(dev, Params.cidr6("address", r.address()),
                    Boolean.TRUE.equals(r.nodad())));
            return ResponseEntity.created(URI.create("/api/v1/interfaces/" + dev + "/addresses/" + a.local())).body(a);
        }
        Ipv4Cidr cidr = Params.cidr("address", r.address(), true);
        Integer scope = null;
        if (r.scope() != null) {
            try {
                scope = Scope.parse(r.scope());
            } catch (IllegalArgumentException e) {
                throw new ApiProblem(ProblemType.INVALID_REQUEST, "scope: " + e.getMessage(), "scope", r.scope());
            }
        }
        Address a = Address.of(network.addAddress(dev, cidr, scope));
        return ResponseEntity.created(URI.create("/api/v1/interfaces/" + dev + "/addresses/" + a.local())).body(a);
    }

    @DeleteMapping("/{dev}/addresses/{ip}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "deleteAddress",
            summary = "Remove an owned address (ip addr del)", description = "Removing the last address flushes "
            + "the interface's ARP entries, PERMANENT ones included, as in Linux; an IPv6 address leaves its "
            + "solicited-node group.")
    @ApiResponse(responseCode = "204", description = "removed")
    @ApiResponse(responseCode = "400", description = "`invalid-ip`")
    @ApiResponse(responseCode = "404", description = "`unknown-interface`, or `no-such-address`")
    void deleteAddress(@Parameter(description = DEV) @PathVariable String dev,
                       @Parameter(description = "the address, without prefix length") @PathVariable String ip) {
        network.deleteAddress(dev, Params.ip("ip", ip));
    }

    @PostMapping("/{dev}/announce")
    @Operation(operationId = "announce",
            summary = "Announce the interface's addresses (gratuitous ARP, unsolicited NA)", description = "What the "
            + "kernel does on NETDEV_NOTIFY_PEERS (e.g. after a VM migrated): one gratuitous ARP request per IPv4 "
            + "address, sender = target = the address, to broadcast, whatever arp_notify says; and one unsolicited "
            + "neighbour advertisement (override, with our link-layer address) to ff02::1 per IPv6 address that "
            + "passed DAD, whatever ndisc_notify says. Peers that know the address update their entries.")
    @ApiResponse(responseCode = "200", description = "how many were sent")
    @ApiResponse(responseCode = "404", description = "`unknown-interface`")
    Announced announce(@Parameter(description = DEV) @PathVariable String dev) {
        NetworkService.Announced a = network.announce(dev);
        return new Announced(a.arp() + a.na(), a.arp(), a.na());
    }
}
