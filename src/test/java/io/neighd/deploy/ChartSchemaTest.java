package io.neighd.deploy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * values.schema.json turns a bad value into a {@code helm template}/{@code install} error naming
 * the value, before anything reaches a node. Each row: what is wrong, the values (YAML flow
 * style), and the path the error must name.
 */
class ChartSchemaTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            state volume type unknown          | {stateVolume: {type: nfs}}                                       | stateVolume.type
            pull policy misspelt               | {image: {pullPolicy: Sometimes}}                                  | image.pullPolicy
            port as a name                     | {server: {port: http}}                                            | server.port
            port out of range                  | {server: {port: 70000}}                                           | server.port
            management port as a string        | {management: {port: '9798'}}                                       | management.port
            address without prefix             | {interfaces: [{name: eth0, addresses: [10.77.0.1]}]}              | interfaces.0.addresses.0
            address out of range               | {interfaces: [{name: eth0, addresses: [10.77.0.256/24]}]}         | interfaces.0.addresses.0
            IPv6 address without prefix        | {interfaces: [{name: eth0, addresses: ['fd77::1']}]}               | interfaces.0.addresses.0
            IPv6 prefix out of range           | {interfaces: [{name: eth0, addresses: ['fd77::1/129']}]}           | interfaces.0.addresses.0
            elected IPv6 address without prefix | {cluster: {vips: [{address: 'fd77::100'}]}}                       | cluster.vips.0.address
            interface without a name           | {interfaces: [{addresses: [10.77.0.1/24]}]}                        | interfaces.0
            interface name too long            | {interfaces: [{name: a-very-long-ifname}]}                        | interfaces.0.name
            MAC too short                      | {interfaces: [{name: eth0, mac: '02:00:00:00:00'}]}               | interfaces.0.mac
            misspelt interface key             | {interfaces: [{name: eth0, address: [10.77.0.1/24]}]}             | interfaces.0
            misspelt top-level key             | {interface: [{name: eth0}]}                                        | interface
            sysctl line without a value        | {sysctl: [net.ipv4.conf.eth0.arp_ignore]}                          | sysctl.0
            probe switch as a string           | {livenessProbe: {enabled: 'yes'}}                                  | livenessProbe.enabled
            alert ratio above one              | {prometheus: {rules: {tableNearlyFull: {ratio: 1.5}}}}             | prometheus.rules.tableNearlyFull.ratio
            alert duration without unit        | {prometheus: {rules: {down: {for: '5'}}}}                           | prometheus.rules.down.for
            scrape interval without unit       | {prometheus: {monitor: {interval: '30'}}}                           | prometheus.monitor.interval
            tmp size not a quantity            | {tmpVolume: {sizeLimit: lots}}                                     | tmpVolume.sizeLimit
            token a bearer header cannot carry | {api: {token: 'two words-0123456789'}}                             | api.token
            token too short                    | {api: {token: short-token}}                                        | api.token
            bind address not an address        | {server: {address: the-node}}                                      | server.address
            TLS switch as a string             | {tls: {enabled: 'yes'}}                                            | tls.enabled
            """)
    void rejects(String what, String values, String path) {
        assertThatThrownBy(() -> Chart.templateWith(values))
                .as(what)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("values don't meet the specifications of the schema(s)")
                .hasMessageContaining(path);
    }
}
