package io.neighd.link;

/** A link could not be opened; the message is one line that names the fix. */
public final class LinkException extends RuntimeException {
    public LinkException(String message) {
        super(message);
    }

    public LinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
