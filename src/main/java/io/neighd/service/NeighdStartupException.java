package io.neighd.service;

/** Start-up cannot proceed; the message is one line that names what to fix. */
public final class NeighdStartupException extends RuntimeException {
    public NeighdStartupException(String message, Throwable cause) {
        super(message, cause);
    }

    public NeighdStartupException(String message) {
        super(message);
    }
}
