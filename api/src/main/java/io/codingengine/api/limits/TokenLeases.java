package io.codingengine.api.limits;

import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Draws on the shared buckets ({@link LimitBuckets}) in leases rather than one store round trip
 * per request, where a limit is high enough for that to matter. A key whose limit refills more
 * than one token a second takes up to a second's refill (at most {@link #MAX_LEASE} tokens) from
 * its shared bucket at once and hands them out locally for {@link #LEASE}; a lease's unused
 * tokens then lapse. The limit still holds across api processes, exactly: every token handed out
 * was taken from the shared bucket first. What a lease costs is the other way: a caller may be
 * refused while another process holds leased tokens of its bucket, or after tokens lapsed, at
 * most a second's refill per api process. Limits of 119 a minute or fewer (a participant's, the
 * Piston default of 60) have leases of one token: every draw goes to the shared bucket as before.
 * A refusal is always the shared bucket's own answer, with its wait for the Retry-After.
 */
final class TokenLeases {

    /** How long leased tokens may be handed out. */
    static final Duration LEASE = Duration.ofSeconds(1);
    /** The most tokens one lease takes. */
    static final int MAX_LEASE = 64;

    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int FORGET_ABOVE = 10_000;

    private final LimitBuckets buckets;
    private final LongSupplier nanoTime;
    private final Map<String, Lease> leases = new ConcurrentHashMap<>();

    TokenLeases(LimitBuckets buckets) {
        this(buckets, System::nanoTime);
    }

    TokenLeases(LimitBuckets buckets, LongSupplier nanoTime) {
        this.buckets = buckets;
        this.nanoTime = nanoTime;
    }

    private static final class Lease {
        long tokens;
        long expiresAt;
    }

    /**
     * Takes {@code count} tokens of {@code key}'s bucket ({@code perMinute} tokens, refilled over a
     * minute), from this process's lease or the shared bucket.
     */
    ConsumptionProbe take(String key, long perMinute, int count) {
        long size = Math.min(MAX_LEASE, perMinute / 60);
        if (size <= count) {
            return buckets.bucket(key, perMinute, WINDOW).tryConsumeAndReturnRemaining(count);
        }
        if (leases.size() > FORGET_ABOVE) {
            long now = nanoTime.getAsLong();
            leases.values().removeIf(l -> l.expiresAt - now <= 0);
        }
        Lease lease = leases.computeIfAbsent(key, k -> new Lease());
        synchronized (lease) {
            long now = nanoTime.getAsLong();
            if (lease.expiresAt - now <= 0) {
                lease.tokens = 0;
            }
            if (lease.tokens < count) {
                // One round trip for up to a second's refill; concurrent requests of this key wait for it.
                lease.tokens += buckets.bucket(key, perMinute, WINDOW).tryConsumeAsMuchAsPossible(size - lease.tokens);
                lease.expiresAt = now + LEASE.toNanos();
            }
            if (lease.tokens >= count) {
                lease.tokens -= count;
                return ConsumptionProbe.consumed(lease.tokens, 0);
            }
        }
        // The shared bucket has too few: its own answer, with how long until it has them.
        return buckets.bucket(key, perMinute, WINDOW).tryConsumeAndReturnRemaining(count);
    }
}
