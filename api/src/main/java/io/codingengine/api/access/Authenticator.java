package io.codingengine.api.access;

import java.util.Optional;

/**
 * Resolves a key to its principal: the bootstrap admin key (configured as its SHA-256, so the
 * key itself is in no file) or a key of the {@link ApiKeyStore}.
 */
public final class Authenticator {

    /** The subject of the bootstrap admin key. */
    public static final String BOOTSTRAP_ADMIN = "bootstrap-admin";

    private final ApiKeyStore keys;
    private final String adminKeySha256;

    public Authenticator(ApiKeyStore keys, String adminKeySha256) {
        this.keys = keys;
        this.adminKeySha256 = adminKeySha256 == null ? "" : adminKeySha256.trim().toLowerCase();
    }

    public Optional<Principal> authenticate(String key) {
        if (!adminKeySha256.isEmpty() && java.security.MessageDigest.isEqual(
                ApiKeys.hash(key).getBytes(), adminKeySha256.getBytes())) {
            return Optional.of(new Principal(BOOTSTRAP_ADMIN, Role.ADMIN));
        }
        return keys.authenticate(key);
    }

    /** The hex SHA-256 of a key, as {@code coding-engine.access.admin-key-sha256} expects it. */
    public static String sha256(String key) {
        return ApiKeys.hash(key);
    }
}
