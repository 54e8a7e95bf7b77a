package io.neighd.api;

import io.neighd.service.ServiceException;
import org.springframework.http.HttpStatus;

import java.net.URI;

/**
 * Every problem the API answers with (RFC 9457): a stable {@code type} URI, its HTTP status and
 * title. The URIs are identifiers, never renamed; {@link #DOC} lists them for the OpenAPI
 * description.
 */
public enum ProblemType {
    INVALID_REQUEST(HttpStatus.BAD_REQUEST, "Invalid request",
            "the body is not valid JSON, or a parameter is missing, of the wrong type or out of range"),
    INVALID_IP(HttpStatus.BAD_REQUEST, "Invalid IPv4 address", "a field or parameter is not a dotted quad"),
    INVALID_MAC(HttpStatus.BAD_REQUEST, "Invalid MAC address", "a field is not six hex pairs like 02:aa:00:00:00:01"),
    INVALID_STATE(HttpStatus.BAD_REQUEST, "Invalid neighbour state",
            "a state is not one of none, incomplete, reachable, stale, delay, probe, failed, noarp, permanent, all"),
    INVALID_FRAME(HttpStatus.BAD_REQUEST, "Invalid frame", "the frame to explain is not valid hex, or too short"),
    INVALID_SYSCTL(HttpStatus.BAD_REQUEST, "Invalid sysctl write",
            "an unknown knob, or a value outside the knob's range; nothing was written"),
    INVALID_ROUTE(HttpStatus.BAD_REQUEST, "Invalid route", "the route does not parse, or names an unknown interface "
            + "or a gateway off every connected subnet"),
    INVALID_ADDRESS(HttpStatus.BAD_REQUEST, "Invalid address", "the address cannot be owned by an interface"),
    UNAUTHORIZED(HttpStatus.UNAUTHORIZED, "Unauthorized",
            "a write without a valid Authorization: Bearer token; nothing was changed"),
    FORBIDDEN(HttpStatus.FORBIDDEN, "Forbidden",
            "the read-only token (neighd.api.read-token) cannot write: writes need neighd.api.token; nothing was changed"),
    UNKNOWN_INTERFACE(HttpStatus.NOT_FOUND, "Unknown interface", "neighd is not attached to an interface by that name"),
    NO_SUCH_ENTRY(HttpStatus.NOT_FOUND, "No such entry", "there is no neighbour or proxy entry for that address"),
    NO_SUCH_ADDRESS(HttpStatus.NOT_FOUND, "No such address", "the interface does not own that address"),
    NO_SUCH_ROUTE(HttpStatus.NOT_FOUND, "No such route", "there is no static route to that destination"),
    UNRESOLVED(HttpStatus.NOT_FOUND, "Unresolved", "resolution ended without an address: the entry is FAILED "
            + "(no answer after mcast_solicit probes) or was removed meanwhile"),
    NO_SUCH_SCAN(HttpStatus.NOT_FOUND, "No such scan", "no scan of that id runs on the interface or is kept "
            + "(the last " + io.neighd.service.ScanService.KEPT + " finished scans are)"),
    NO_SUCH_VIP(HttpStatus.NOT_FOUND, "No such elected address", "no elected address (neighd.vips) by that address"),
    NOT_FOUND(HttpStatus.NOT_FOUND, "Not found", "no endpoint at that path"),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed", "the path does not take that method"),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "Not acceptable", "no representation matches the Accept header"),
    ENTRY_EXISTS(HttpStatus.CONFLICT, "Entry exists",
            "ip neigh add of an existing entry (EEXIST): replace it with PUT or change it with PATCH"),
    ADDRESS_EXISTS(HttpStatus.CONFLICT, "Address exists", "the interface already owns that address"),
    ROUTE_EXISTS(HttpStatus.CONFLICT, "Route exists",
            "a static route with the same destination and metric exists"),
    SCAN_RUNNING(HttpStatus.CONFLICT, "Scan running",
            "a scan runs on the interface already (one per interface), or the limit of scans running at once is "
            + "reached; wait for it to end"),
    SCAN_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "Scan too large",
            "the prefix to scan is wider than a /16 (65,536 addresses); nothing was sent"),
    CLUSTER_DISABLED(HttpStatus.CONFLICT, "Cluster disabled",
            "elected addresses need neighd.cluster.enabled=true and a backend"),
    VIP_EXISTS(HttpStatus.CONFLICT, "Elected address exists", "the address is already elected, or owned by an interface"),
    NOT_OWNER(HttpStatus.CONFLICT, "Not the owner", "this node does not own the elected address, so it cannot release it"),
    PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "Payload too large",
            "the body is larger than neighd.api.max-request-body, or a batch has more entries than neighd.api.max-batch; "
            + "nothing was changed"),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
            "the body is not application/json"),
    STATE_NOT_SAVED(HttpStatus.INTERNAL_SERVER_ERROR, "State not saved",
            "the change was applied but the state file could not be written: it is lost at a restart unless a later "
            + "write is saved (each saves everything applied so far)"),
    INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", "a bug in neighd; the log has the details"),
    ENGINE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Engine unavailable",
            "the engine thread did not answer in time; retry"),
    TOO_MANY_SUBSCRIBERS(HttpStatus.SERVICE_UNAVAILABLE, "Too many subscribers",
            "neighd.events.max-subscribers event streams are open already; retry after Retry-After seconds"),
    TOO_MANY_DUMPS(HttpStatus.SERVICE_UNAVAILABLE, "Too many dumps",
            "as many whole-table listings as neighd serves at once are being served; page with `limit`, or retry after "
            + "Retry-After seconds"),
    TOO_MANY_WAITS(HttpStatus.SERVICE_UNAVAILABLE, "Too many waits",
            "neighd.api.max-pending-waits resolves and pings are waiting already; retry after Retry-After seconds"),
    RESOLVE_TIMEOUT(HttpStatus.GATEWAY_TIMEOUT, "Resolve timeout",
            "the entry was still unresolved (INCOMPLETE or PROBE) when timeout_ms ran out"),
    TABLE_FULL(HttpStatus.INSUFFICIENT_STORAGE, "Neighbour table full",
            "gc_thresh3 entries and garbage collection freed none (ENOBUFS)");

    public static final String BASE = "https://neighd.io/problems/";

    /** A Markdown table of every problem type, for the API description. */
    public static final String DOC;

    static {
        StringBuilder b = new StringBuilder("| type | status | meaning |\n|---|---|---|\n");
        for (ProblemType p : values()) {
            b.append("| `").append(p.uri()).append("` | ").append(p.status.value()).append(" | ")
                    .append(p.meaning).append(" |\n");
        }
        DOC = b.toString();
    }

    private final HttpStatus status;
    private final String title;
    private final String meaning;

    ProblemType(HttpStatus status, String title, String meaning) {
        this.status = status;
        this.title = title;
        this.meaning = meaning;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** What the problem means, as the API description lists it: the detail of last resort. */
    public String meaning() {
        return meaning;
    }

    /** The last segment of the type URI, e.g. {@code invalid-ip}. */
    public String slug() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public URI uri() {
        return URI.create(BASE + slug());
    }

    static ProblemType of(ServiceException.Kind kind) {
        return switch (kind) {
            case INVALID_ARGUMENT -> INVALID_REQUEST;
            case UNKNOWN_INTERFACE -> UNKNOWN_INTERFACE;
            case NO_SUCH_ENTRY -> NO_SUCH_ENTRY;
            case ENTRY_EXISTS -> ENTRY_EXISTS;
            case TABLE_FULL -> TABLE_FULL;
            case UNRESOLVED -> UNRESOLVED;
            case RESOLVE_TIMEOUT -> RESOLVE_TIMEOUT;
            case INVALID_SYSCTL -> INVALID_SYSCTL;
            case INVALID_ROUTE -> INVALID_ROUTE;
            case ROUTE_EXISTS -> ROUTE_EXISTS;
            case NO_SUCH_ROUTE -> NO_SUCH_ROUTE;
            case INVALID_ADDRESS -> INVALID_ADDRESS;
            case ADDRESS_EXISTS -> ADDRESS_EXISTS;
            case NO_SUCH_ADDRESS -> NO_SUCH_ADDRESS;
            case ENGINE_UNAVAILABLE -> ENGINE_UNAVAILABLE;
            case TOO_MANY_SUBSCRIBERS -> TOO_MANY_SUBSCRIBERS;
            case TOO_MANY_DUMPS -> TOO_MANY_DUMPS;
            case TOO_MANY_WAITS -> TOO_MANY_WAITS;
            case STATE_NOT_SAVED -> STATE_NOT_SAVED;
            case SCAN_TOO_LARGE -> SCAN_TOO_LARGE;
            case SCAN_RUNNING -> SCAN_RUNNING;
            case NO_SUCH_SCAN -> NO_SUCH_SCAN;
            case CLUSTER_DISABLED -> CLUSTER_DISABLED;
            case NO_SUCH_VIP -> NO_SUCH_VIP;
            case VIP_EXISTS -> VIP_EXISTS;
            case NOT_OWNER -> NOT_OWNER;
        };
    }

    /**
     * By HTTP status, for what the container answered before neighd's code ran (Tomcat's report,
     * the servlet error page). A request Tomcat cannot serve is bad input, never a 5xx of neighd:
     * an unsupported method (CONNECT: 501) is a method not allowed, an HTTP version or transfer
     * coding it does not take (505, 501) or anything else it refused is an invalid request.
     */
    static ProblemType ofContainerStatus(int status, String method) {
        return switch (status) {
            case 500 -> INTERNAL_ERROR;
            case 501 -> "CONNECT".equals(method) ? METHOD_NOT_ALLOWED : INVALID_REQUEST;
            default -> {
                ProblemType t = ofStatus(status);
                yield t == INTERNAL_ERROR ? INVALID_REQUEST : t;
            }
        };
    }

    /** By HTTP status, for the errors Spring MVC raises itself. */
    static ProblemType ofStatus(int status) {
        return switch (status) {
            case 400 -> INVALID_REQUEST;
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 503 -> ENGINE_UNAVAILABLE;
            default -> INTERNAL_ERROR;
        };
    }
}
