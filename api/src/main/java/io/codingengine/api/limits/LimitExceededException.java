package io.codingengine.api.limits;

import java.time.Duration;

/** A submission refused by a limit: 429 (the caller's own rate) or 503 (the whole system is busy). */
public final class LimitExceededException extends RuntimeException {

    private final int status;
    private final String title;
    private final Duration retryAfter;

    private LimitExceededException(int status, String title, String detail, Duration retryAfter) {
        super(detail);
        this.status = status;
        this.title = title;
        this.retryAfter = retryAfter;
    }

    static LimitExceededException tooMany(String detail, Duration retryAfter) {
        return new LimitExceededException(429, "Too many requests", detail, retryAfter);
    }

    static LimitExceededException busy(String detail, Duration retryAfter) {
        return new LimitExceededException(503, "Busy", detail, retryAfter);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
