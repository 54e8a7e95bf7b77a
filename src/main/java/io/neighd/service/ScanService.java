package io.neighd.service;

import io.neighd.arp.ArpScans;
import io.neighd.arp.ScanResult;
import io.neighd.errno.Errno;
import io.neighd.errno.Result;
import io.neighd.service.ServiceException.Kind;
import io.neighd.wire.Ipv4Cidr;
import org.springframework.stereotype.Service;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * arp-scan through the engine ({@link ArpScans}), as a resource: a scan starts at once and runs on
 * the engine thread; no request waits for it. Its answers go out as events on the stream, and a
 * GET reads it — as far as it has come while it runs (a copy the engine thread makes), its result
 * once it has ended. The last {@value #KEPT} results are kept.
 */
@Service
public class ScanService {
    /** Finished scans kept for reading. */
    public static final int KEPT = 16;
    /** arp-scan's defaults: --retry 2, --timeout 500 ms. */
    public static final int DEFAULT_RETRIES = 2;
    public static final long DEFAULT_TIMEOUT_MS = 500;
    /**
     * Probes a second when none is asked: arp-scan's default --bandwidth of 256 kbit/s in 64-byte
     * frames (an ARP request padded to the Ethernet minimum, with its FCS).
     */
    public static final int DEFAULT_RATE = 256_000 / (64 * 8);

    private final EngineAccess engine;
    private final Map<Integer, ScanResult> finished = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, ScanResult> eldest) {
            return size() > KEPT;
        }
    };

    public ScanService(EngineAccess engine) {
        this.engine = engine;
    }

    /**
     * Starts a scan of {@code cidr} on {@code dev}; null parameters take arp-scan's defaults.
     *
     * @return the scan as it stands right after its first probes left
     */
    public ScanResult start(String dev, Ipv4Cidr cidr, Integer rate, Integer retries, Long timeoutMs) {
        if (cidr.prefixLength() < ArpScans.MIN_PREFIX_LENGTH) {
            throw new ServiceException(Kind.SCAN_TOO_LARGE, "cidr: a scan covers a /" + ArpScans.MIN_PREFIX_LENGTH
                    + " (65536 addresses) at most, not a /" + cidr.prefixLength(), "cidr", cidr.toString());
        }
        int r = rate == null ? DEFAULT_RATE : rate;
        int n = retries == null ? DEFAULT_RETRIES : retries;
        long t = timeoutMs == null ? DEFAULT_TIMEOUT_MS : timeoutMs;
        return engine.call(nl -> {
            engine.requireDevice(nl, dev, "dev");
            Result<Integer> id = nl.scan(dev, cidr, r, n, t, this::finished);
            if (!id.ok()) {
                throw refused(id, dev, cidr, r, n, t);
            }
            ScanResult now = nl.scanProgress(id.value());
            if (now == null) {
                // a scan whose every address is skipped ends inside start()
                synchronized (finished) {
                    now = finished.get(id.value());
                }
            }
            return now;
        });
    }

    private static ServiceException refused(Result<Integer> r, String dev, Ipv4Cidr cidr, int rate, int retries,
                                            long timeoutMs) {
        String field = r.subject() == null ? "dev" : r.subject();
        Object value = switch (field) {
            case "rate" -> rate;
            case "retries" -> retries;
            case "timeout_ms" -> timeoutMs;
            case "cidr" -> cidr.toString();
            default -> dev;
        };
        Kind kind = r.errno() == Errno.EBUSY ? Kind.SCAN_RUNNING : Kind.INVALID_ARGUMENT;
        return new ServiceException(kind, r.message(), field, value);
    }

    /** Scan {@code id} on {@code dev}: as far as it has come, or its result; NO_SUCH_SCAN when neither. */
    public ScanResult get(String dev, int id) {
        ScanResult s;
        synchronized (finished) {
            s = finished.get(id);
        }
        if (s == null) {
            s = engine.call(nl -> nl.scanProgress(id));
            if (s == null) {
                // it may have ended between the two looks
                synchronized (finished) {
                    s = finished.get(id);
                }
            }
        }
        if (s == null || !s.dev().equals(dev)) {
            throw new ServiceException(Kind.NO_SUCH_SCAN, "no scan " + id + " on " + dev + " runs or is kept (the last "
                    + KEPT + " finished are)", "id", id);
        }
        return s;
    }

    /** Engine thread: a scan ended. */
    private void finished(ScanResult r) {
        synchronized (finished) {
            finished.put(r.scan(), r);
        }
    }
}
