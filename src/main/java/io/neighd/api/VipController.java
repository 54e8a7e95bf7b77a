package io.neighd.api;

import io.neighd.api.VipDtos.Released;
import io.neighd.api.VipDtos.Vip;
import io.neighd.api.VipDtos.VipRequest;
import io.neighd.api.VipDtos.Vips;
import io.neighd.service.ClusterService;
import io.neighd.service.ServiceException;
import org.springframework.beans.factory.ObjectProvider;

import java.util.List;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Elected addresses: who answers for them, and handing them over. */
@RestController
@RequestMapping(path = "/api/v1/vips", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "vips", description = "Elected addresses (neighd.vips): answered by one node of the cluster at a time, "
        + "chosen through a Kubernetes Lease or an etcd key per address")
class VipController {
    private final ObjectProvider<ClusterService> clusters;

    /** Controller slices run without the cluster: then every write answers cluster-disabled. */
    VipController(ObjectProvider<ClusterService> clusters) {
        this.clusters = clusters;
    }

    private ClusterService cluster() {
        ClusterService c = clusters.getIfAvailable();
        if (c == null) {
            throw new ServiceException(ServiceException.Kind.CLUSTER_DISABLED,
                    "elected addresses need neighd.cluster.enabled=true");
        }
        return c;
    }

    @GetMapping
    @Operation(operationId = "listVips", summary = "List elected addresses",
            description = "Each with this node's role, the lease holder as last seen, how long since the role "
                    + "changed and how often it did. Empty when the cluster is disabled.")
    @ApiResponse(responseCode = "200", description = "the elected addresses")
    Vips list() {
        long now = System.nanoTime();
        ClusterService cluster = clusters.getIfAvailable();
        if (cluster == null) {
            return new Vips(false, null, null, null, List.of());
        }
        return new Vips(cluster.enabled(), cluster.enabled() ? cluster.backend() : null, cluster.identity(),
                cluster.enabled() ? cluster.watching() : null, cluster.list().stream().map(s -> Vip.of(s, now)).toList());
    }

    @GetMapping("/{address}")
    @Operation(operationId = "getVip", summary = "One elected address")
    @ApiResponse(responseCode = "200", description = "the address")
    @ApiResponse(responseCode = "400", description = "`invalid-ip`")
    @ApiResponse(responseCode = "404", description = "`no-such-vip`")
    @ApiResponse(responseCode = "409", description = "`cluster-disabled`")
    Vip get(@Parameter(description = "the address, either family", example = "10.77.0.100") @PathVariable String address) {
        return Vip.of(cluster().get(vip(address)), System.nanoTime());
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(operationId = "addVip", summary = "Elect an address",
            description = "This node stands for it (if an interface here can serve it) and takes it if its lease "
                    + "is free. Kept in the state file; every node that should stand needs it.")
    @ApiResponse(responseCode = "201", description = "added; its status")
    @ApiResponse(responseCode = "400", description = "`invalid-request`: the address has no prefix; "
            + "`invalid-address`: it cannot be elected")
    @ApiResponse(responseCode = "404", description = "`unknown-interface`")
    @ApiResponse(responseCode = "409", description = "`vip-exists`: already elected or owned; `cluster-disabled`")
    Vip add(@RequestBody VipRequest r) {
        return Vip.of(cluster().add(Params.ipCidr("address", r.address()), r.device()), System.nanoTime());
    }

    @DeleteMapping("/{address}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "deleteVip", summary = "Stop electing an address",
            description = "Released first if this node owns it. Kept in the state file.")
    @ApiResponse(responseCode = "204", description = "removed")
    @ApiResponse(responseCode = "404", description = "`no-such-vip`")
    @ApiResponse(responseCode = "409", description = "`cluster-disabled`")
    void delete(@Parameter(description = "the address, either family", example = "10.77.0.100") @PathVariable String address) {
        cluster().remove(vip(address));
    }

    @PostMapping("/{address}/release")
    @Operation(operationId = "releaseVip", summary = "Hand an address over",
            description = "This node stops answering, then releases the lease at once, so that a standby takes "
                    + "over without waiting for it to expire; it does not ask for it again for one lease duration.")
    @ApiResponse(responseCode = "200", description = "released; its status")
    @ApiResponse(responseCode = "404", description = "`no-such-vip`")
    @ApiResponse(responseCode = "409", description = "`not-owner`: this node does not own it; `cluster-disabled`")
    Vip release(@Parameter(description = "the address, either family", example = "10.77.0.100") @PathVariable String address) {
        var ip = vip(address);
        cluster().release(ip);
        return Vip.of(cluster().get(ip), System.nanoTime());
    }

    @PostMapping("/release")
    @Operation(operationId = "releaseAllVips", summary = "Hand every owned address over",
            description = "What the chart's preStop hook calls before the pod is stopped.")
    @ApiResponse(responseCode = "200", description = "how many were released")
    @ApiResponse(responseCode = "409", description = "`cluster-disabled`")
    Released releaseAll() {
        return new Released(cluster().releaseAll());
    }

    /** An elected address named in a path: either family, as the stores key it (its canonical text). */
    private static io.neighd.wire.IpAddress vip(String address) {
        return Params.ip("address", address);
    }
}
