package io.neighd.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.neighd.arp.ScanReply;
import io.neighd.arp.ScanResult;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/** The bodies of the scan endpoints, and of the scan events on the stream. */
final class ScanDtos {
    private ScanDtos() {
    }

    @Schema(name = "ScanRequest", description = "`arp-scan --interface DEV --bandwidth ... --retry RETRIES "
            + "--timeout TIMEOUT_MS CIDR`, sent through the engine's solicit path")
    record ScanRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "10.77.0.0/24",
                               description = "the prefix to scan (its network address is taken), a /16 at most")
                       String cidr,
                       @Schema(description = "probes a second; 0 sends as fast as the engine does (256 a jiffy, "
                               + "64000/s at HZ 250, also the highest rate taken). The default is arp-scan's "
                               + "default bandwidth, 256 kbit/s of 64-byte frames", defaultValue = "500",
                               minimum = "0", maximum = "64000") Integer rate,
                       @Schema(description = "probes after the first to an address that stays silent (arp-scan's "
                               + "--retry is 2 probes in all by default; here 2 retries is 3 probes)",
                               defaultValue = "2", minimum = "0", maximum = "10") Integer retries,
                       @JsonProperty("timeout_ms") @Schema(description = "the wait after an address's first probe; "
                               + "each later wait is 1.5 times the one before (arp-scan's --backoff)",
                               defaultValue = "500", minimum = "1", maximum = "60000") Long timeoutMs) {
    }

    @Schema(name = "ScanReply", description = "One answer, as arp-scan prints a line: the address, the MAC its "
            + "reply gives, and which answer of the address it is (2 and more: arp-scan's DUP)")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Reply(@Schema(example = "1") int scan,
                 @Schema(example = "eth0") String dev,
                 @Schema(example = "10.77.0.2") String ip,
                 @Schema(example = "02:aa:00:00:00:02", description = "the ARP sender hardware address") String mac,
                 @JsonProperty("frame_mac") @Schema(description = "the Ethernet source, when it differs from mac")
                 String frameMac,
                 @Schema(description = "1 for the address's first answer, n for its n-th") int answer,
                 @Schema(description = "a second or later answer for the address: two hosts claim it, or one "
                         + "answered twice") boolean duplicate,
                 @JsonProperty("rtt_us") @Schema(description = "from the last probe to the address to this answer")
                 long rttMicros,
                 @JsonProperty("at_us") @Schema(description = "from the scan's start to this answer") long atMicros) {
        static Reply of(ScanReply r) {
            return new Reply(r.scan(), r.dev(), r.ip().toString(), r.mac().toString(),
                    r.frameMac() == null ? null : r.frameMac().toString(), r.answer(), r.duplicate(),
                    r.rttNanos() / 1000, r.atNanos() / 1000);
        }
    }

    @Schema(name = "Scan", description = "A scan as far as it has come, or its result: arp-scan's output and "
            + "summary line")
    record Scan(@Schema(example = "1") int id,
                @Schema(example = "eth0") String dev,
                @Schema(example = "10.77.0.0/24") String cidr,
                int rate,
                int retries,
                @JsonProperty("timeout_ms") long timeoutMs,
                @Schema(allowableValues = {"running", "done"}) String state,
                @Schema(description = "addresses in the prefix") int hosts,
                @Schema(description = "addresses not probed: local, broadcast or multicast ones") int skipped,
                @JsonProperty("probes_sent") long probesSent,
                @Schema(description = "addresses that answered") int responders,
                @Schema(description = "answers beyond the first of their address") long duplicates,
                @JsonProperty("timed_out") @Schema(description = "addresses given up on, no answer after every probe")
                int timedOut,
                @JsonProperty("elapsed_ms") long elapsedMs,
                @Schema(description = "every answer in the order it came, duplicates included (the first 4096 "
                        + "duplicates; more are counted); empty in the stream's SCAN_DONE event, which follows its "
                        + "SCAN_REPLY events") List<Reply> replies) {
        static Scan of(ScanResult r) {
            return new Scan(r.scan(), r.dev(), r.cidr().toString(), r.rate(), r.retries(), r.timeoutMs(),
                    r.done() ? "done" : "running", r.hosts(), r.skipped(), r.probesSent(), r.responders(),
                    r.duplicates(), r.timedOut(), r.elapsedNanos() / 1_000_000,
                    r.replies().stream().map(Reply::of).toList());
        }
    }
}
