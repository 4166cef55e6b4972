package io.codingengine.worker.session;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How the worker reaches its Dynamic Sessions pool.
 *
 * @param endpoint       the pool management endpoint ({@code https://<pool>.<env-id>.<region>.azurecontainerapps.io})
 * @param capacity       requests this worker sends at once (its share of the pool's max sessions)
 * @param requestTimeout one request's limit, compile and every test included
 * @param patience       how long back-pressure (the pool full, 429, 502, 503, 504, unreachable) is retried in place
 *                       so a full pool does not burn the message's delivery count
 * @param firstBackoff   the first wait when the pool does not say how long (Retry-After); doubles up to 10 s
 * @param interactiveCapacity requests this worker sends at once for the interactive lane alone
 *                       ({@code interactive-slots}), besides {@code capacity}: a Run never waits
 *                       for a judging to give a request back
 */
public record DynamicSessionsSettings(
        URI endpoint,
        int capacity,
        Duration requestTimeout,
        Duration patience,
        Duration firstBackoff,
        int interactiveCapacity) {

    /** Settings with no capacity kept for the interactive lane. */
    public DynamicSessionsSettings(
            URI endpoint, int capacity, Duration requestTimeout, Duration patience, Duration firstBackoff) {
        this(endpoint, capacity, requestTimeout, patience, firstBackoff, 0);
    }

    public DynamicSessionsSettings {
        Objects.requireNonNull(endpoint, "the session pool management endpoint is required");
        if (!endpoint.isAbsolute() || endpoint.getHost() == null) {
            throw new IllegalArgumentException("session pool endpoint must be an absolute URL: " + endpoint);
        }
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        if (interactiveCapacity < 0) {
            throw new IllegalArgumentException("interactiveCapacity must not be negative");
        }
        String path = endpoint.getPath() == null ? "" : endpoint.getPath();
        endpoint = URI.create(endpoint.getScheme() + "://" + endpoint.getRawAuthority() + path.replaceAll("/+$", ""));
    }
}
