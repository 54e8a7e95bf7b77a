package io.neighd.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Address conflicts (RFC 5227 §2.4), always detected and counted.
 *
 * @param defend answer a conflicting frame with one gratuitous ARP per address per
 *               DEFEND_INTERVAL (10 s). Linux does not defend; false makes neighd's frames on
 *               the wire exactly Linux's again (the differential conformance tests run so).
 */
@ConfigurationProperties("neighd.conflicts")
public record ConflictProperties(@DefaultValue("true") boolean defend) {
}
