package io.neighd.config;

import io.neighd.cluster.Announce;
import io.neighd.cluster.VipSpec;
import io.neighd.wire.IpCidr;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code neighd.vips[K]}: elected addresses, answered by one node of the cluster at a time
 * (unlike {@code neighd.interfaces[N].addresses}, which this node always answers for).
 */
@ConfigurationProperties("neighd")
public record VipProperties(@DefaultValue List<Vip> vips) {

    public VipProperties {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < vips.size(); i++) {
            if (!seen.add(vips.get(i).spec(Announce.DEFAULT, i).key())) {
                throw new IllegalArgumentException("neighd.vips[" + i + "].address: " + vips.get(i).address()
                        + " is elected twice");
            }
        }
    }

    /**
     * @param address   the address with prefix, of either family: 10.77.0.100/24, fd77::55/64
     * @param device    ({@code interface}) the interface to answer on; empty: the one with an owned
     *                  address in the same subnet
     * @param announce  the announcement, refining neighd.cluster.announce
     */
    public record Vip(String address, @Name("interface") String device,
                      ClusterProperties.AnnounceProperties announce) {
        public VipSpec spec(Announce base, int i) {
            String field = "neighd.vips[" + i + "]";
            IpCidr cidr;
            try {
                if (address == null || !address.contains("/")) {
                    throw new IllegalArgumentException("no prefix length");
                }
                cidr = IpCidr.parse(address);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(field + ".address: '" + address
                        + "' is not an address with prefix like 10.77.0.100/24 or fd77::55/64 (" + e.getMessage()
                        + ")");
            }
            Announce a = announce == null ? base : announce.resolve(base, field + ".announce");
            try {
                return new VipSpec(cidr, device, a);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(field + "." + e.getMessage());
            }
        }
    }
}
