package io.codingengine.api.execution;

import java.time.Duration;

/** The engine cannot take or finish the work now; the client should retry after {@link #retryAfter()}. */
public final class BusyException extends RuntimeException {

    private final Duration retryAfter;

    public BusyException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
