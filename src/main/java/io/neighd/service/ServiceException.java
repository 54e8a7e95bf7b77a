package io.neighd.service;

/**
 * An operation of the service refused or failed, in terms a caller maps to its own protocol (the
 * REST layer to a problem type and status). {@code field} and {@code value} name the input at
 * fault, when there is one.
 */
public final class ServiceException extends RuntimeException {
    /** What went wrong, independent of any transport. */
    public enum Kind {
        INVALID_ARGUMENT,
        UNKNOWN_INTERFACE,
        NO_SUCH_ENTRY,
        ENTRY_EXISTS,
        TABLE_FULL,
        UNRESOLVED,
        RESOLVE_TIMEOUT,
        INVALID_SYSCTL,
        INVALID_ROUTE,
        ROUTE_EXISTS,
        NO_SUCH_ROUTE,
        INVALID_ADDRESS,
        ADDRESS_EXISTS,
        NO_SUCH_ADDRESS,
        ENGINE_UNAVAILABLE,
        TOO_MANY_SUBSCRIBERS,
        TOO_MANY_DUMPS,
        TOO_MANY_WAITS,
        STATE_NOT_SAVED,
        SCAN_TOO_LARGE,
        SCAN_RUNNING,
        NO_SUCH_SCAN,
        CLUSTER_DISABLED,
        NO_SUCH_VIP,
        VIP_EXISTS,
        NOT_OWNER
    }

    private final Kind kind;
    private final String field;
    private final Object value;

    public ServiceException(Kind kind, String message, String field, Object value) {
        super(message);
        this.kind = kind;
        this.field = field;
        this.value = value;
    }

    public ServiceException(Kind kind, String message) {
        this(kind, message, null, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The input at fault (a JSON field, path or query parameter name), or null. */
    public String field() {
        return field;
    }

    /** The rejected value, or null. */
    public Object value() {
        return value;
    }
}
