package io.codingengine.session;

import java.time.Duration;

/**
 * What the session server reads of one request before the executor sees it. The executor's own
 * maxima (the stage limits, files per submission, bytes of source) stay the executor's: the
 * server answers its refusals with 400 and adds only these.
 *
 * @param maxBodyBytes largest body of {@code POST /execute}; a larger one is 413 (a declared
 *                     {@code Content-Length} over it is refused before anything is read). It is
 *                     also the budget of bodies held at once: a request whose body does not fit
 *                     beside those in progress is 503 with {@code Retry-After}
 * @param maxRuns      runs of one request; more is 400
 * @param readTimeout  how long reading one request (headers and body) may take before the
 *                     connection is closed; whole seconds, JVM-wide (see {@link SessionServer})
 */
public record RequestLimits(long maxBodyBytes, int maxRuns, Duration readTimeout) {

    /** The largest array the JVM allocates: the body is read into one. */
    static final long MAX_BODY_BYTES = Integer.MAX_VALUE - 8;
    /** The most runs by default: as many as a submission's files under {@code ExecutorConfig.judging()}. */
    static final int DEFAULT_MAX_RUNS = 4096;

    static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
    private static final long MIB = 1L << 20;

    public RequestLimits {
        if (maxBodyBytes < 1 || maxBodyBytes > MAX_BODY_BYTES) {
            throw new IllegalArgumentException(
                    "the body maximum must be 1.." + MAX_BODY_BYTES + " bytes, was " + maxBodyBytes);
        }
        if (maxRuns < 1) {
            throw new IllegalArgumentException("the runs maximum must be at least 1, was " + maxRuns);
        }
        if (readTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("the read timeout must be at least 1 s, was " + readTimeout);
        }
    }

    /**
     * For an executor that takes up to {@code maxSourceBytes} of files: room for them in base64
     * and JSON (a third more, and 1 MiB for the rest of the request), but no more than a quarter
     * of this JVM's heap, because a body is held twice while it is read (its bytes, then its
     * strings). The session image's heap is a quarter of its container's memory, so there the
     * heap is the bound: a body the JVM cannot hold is refused with 413 instead of failing with
     * an {@link OutOfMemoryError}.
     */
    public static RequestLimits defaults(long maxSourceBytes) {
        long forSource = (long) (maxSourceBytes * 1.5) + MIB;
        long forHeap = Runtime.getRuntime().maxMemory() / 4;
        return new RequestLimits(
                Math.min(MAX_BODY_BYTES, Math.min(forSource, forHeap)), DEFAULT_MAX_RUNS, DEFAULT_READ_TIMEOUT);
    }

    public RequestLimits withMaxBodyBytes(long value) {
        return new RequestLimits(value, maxRuns, readTimeout);
    }

    public RequestLimits withMaxRuns(int value) {
        return new RequestLimits(maxBodyBytes, value, readTimeout);
    }

    public RequestLimits withReadTimeout(Duration value) {
        return new RequestLimits(maxBodyBytes, maxRuns, value);
    }
}
