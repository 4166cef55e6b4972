package io.codingengine.api.access;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves a key to its principal: the bootstrap admin key (configured as its SHA-256, so the
 * key itself is in no file) or a key of the {@link ApiKeyStore}. Known keys are remembered for
 * {@code cacheTtl}, so polling clients do not cost a table read per request; a key revoked
 * through this process stops at once, one revoked through another process within {@code cacheTtl}.
 */
public final class Authenticator {

    private record Known(Principal principal, long expiresAtNanos) {}

    private final Map<String, Known> cache = new ConcurrentHashMap<>();
    private final long cacheTtlNanos;

    /** The subject of the bootstrap admin key. */
    public static final String BOOTSTRAP_ADMIN = "bootstrap-admin";

    private final ApiKeyStore keys;
    private final String adminKeySha256;

    public Authenticator(ApiKeyStore keys, String adminKeySha256, Duration cacheTtl) {
        this.keys = keys;
        this.cacheTtlNanos = cacheTtl.toNanos();
        this.adminKeySha256 =
                adminKeySha256 == null ? "" : adminKeySha256.trim().toLowerCase();
    }

    public Optional<Principal> authenticate(String key) {
        if (!adminKeySha256.isEmpty()
                && java.security.MessageDigest.isEqual(ApiKeys.hash(key).getBytes(), adminKeySha256.getBytes())) {
            return Optional.of(new Principal(BOOTSTRAP_ADMIN, Role.ADMIN));
        }
        String hash = ApiKeys.hash(key);
        Known known = cache.get(hash);
        if (known != null && known.expiresAtNanos() - System.nanoTime() > 0) {
            return Optional.of(known.principal());
        }
        Optional<Principal> found = keys.authenticate(key);
        if (found.isPresent() && cacheTtlNanos > 0) {
            if (cache.size() > 100_000) {
                cache.clear(); // a bound, not a policy: far more keys than a contest has
            }
            cache.put(hash, new Known(found.get(), System.nanoTime() + cacheTtlNanos));
        } else {
            cache.remove(hash);
        }
        return found;
    }

    /** Revokes {@code key} in the store and forgets it here at once. */
    public void revoke(String key) {
        keys.revoke(key);
        cache.remove(ApiKeys.hash(key));
    }

    /**
     * Revokes every key of {@code subject} in {@code contestId} in the store and forgets them
     * here at once (other processes within the cache's lifetime).
     *
     * @return how many keys the store revoked
     */
    public int revokeAll(String subject, String contestId) {
        int revoked = keys.revokeAll(subject, contestId);
        forget(subject, contestId);
        return revoked;
    }

    /**
     * Revokes the keys of {@code subject} in {@code contestId} but the {@code keep} newest, in the
     * store and here at once (other processes within the cache's lifetime).
     *
     * @return how many keys the store revoked
     */
    public int revokeAllButNewest(String subject, String contestId, int keep) {
        int revoked = keys.revokeAllButNewest(subject, contestId, keep);
        if (revoked > 0) {
            forget(subject, contestId); // which hashes went is not known here: the kept ones are read again
        }
        return revoked;
    }

    private void forget(String subject, String contestId) {
        cache.values()
                .removeIf(k -> k.principal().subject().equals(subject)
                        && k.principal().contest().equals(Optional.of(contestId)));
    }

    /** The hex SHA-256 of a key, as {@code coding-engine.access.admin-key-sha256} expects it. */
    public static String sha256(String key) {
        return ApiKeys.hash(key);
    }
}
