package io.neighd.errno;

/**
 * What an operation of the engine answers, as a kernel call does: 0 and a value, or a negative
 * errno with the extack-style message that says why; {@code subject} names the input at fault
 * when one is (a sysctl key, a route), else null. The engine's one result type: it neither throws
 * for a refused request nor encodes failures in nulls or exception classes.
 */
public record Result<T>(T value, int errno, String message, String subject) {

    public static <T> Result<T> ok(T value) {
        return new Result<>(value, 0, null, null);
    }

    public static <T> Result<T> error(int errno, String message) {
        return new Result<>(null, errno, message, null);
    }

    public static <T> Result<T> error(int errno, String message, String subject) {
        return new Result<>(null, errno, message, subject);
    }

    public boolean ok() {
        return errno == 0;
    }

    /** The same failure, typed for another value. */
    @SuppressWarnings("unchecked")
    public <U> Result<U> cast() {
        if (ok()) {
            throw new IllegalStateException("a successful result has a value of its own type");
        }
        return (Result<U>) this;
    }
}
