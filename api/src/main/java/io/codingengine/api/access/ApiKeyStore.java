package io.codingengine.api.access;

import java.util.Optional;

/**
 * The API keys this deployment accepts. Only a hash of each key is stored: a leaked table
 * does not let anyone call the API. Keys are sent as {@code Authorization: Bearer <key>}.
 */
public interface ApiKeyStore {

    /**
     * Creates a new key for {@code principal}, its contest scope included.
     *
     * @return the key itself, which is not stored and cannot be shown again
     */
    String issue(Principal principal);

    /**
     * The principal of {@code key} (with the contest it was scoped to, or none for a key issued
     * without one), or empty when the key is unknown or revoked.
     */
    Optional<Principal> authenticate(String key);

    /** Makes {@code key} unusable; revoking an unknown key does nothing. */
    void revoke(String key);

    /**
     * Makes every key of {@code subject} scoped to {@code contestId} unusable: a participant's
     * sessions on every device, which only a stored key's holder could otherwise end.
     *
     * @return how many keys were revoked
     */
    int revokeAll(String subject, String contestId);

    /**
     * Revokes the keys of {@code subject} scoped to {@code contestId} but the {@code keep} newest
     * (by when they were issued): what bounds a participant's live keys, as each sign-in issues one.
     *
     * @return how many keys were revoked
     */
    int revokeAllButNewest(String subject, String contestId, int keep);
}
