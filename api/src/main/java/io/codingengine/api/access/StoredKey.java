package io.codingengine.api.access;

import java.time.Instant;
import java.util.Objects;

/**
 * An API key as a store keeps it: never the key, only its SHA-256 (hex), whose it is, and when it
 * was issued. What a move from one store to another copies.
 */
public record StoredKey(String sha256, Principal principal, Instant createdAt) {

    public StoredKey {
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
