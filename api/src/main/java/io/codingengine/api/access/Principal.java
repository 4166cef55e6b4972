package io.codingengine.api.access;

import io.codingengine.common.judge.Ids;
import java.util.Objects;
import java.util.Optional;

/**
 * Who an API key belongs to.
 *
 * @param subject   the participant id (for a participant, the {@code participant} of their
 *                  submissions) or the name of the service or admin; never blank
 * @param role      what the key may do
 * @param contestId the contest whose entry issued the key, or {@code null} for a key that no
 *                  contest scopes (an admin-issued key, or one stored before keys had a scope);
 *                  only a participant key has one. A scoped key acts in that contest alone
 *                  (see {@code ContestMembership}, {@link AccessRules#scopedKeyMay})
 */
public record Principal(String subject, Role role, String contestId) {

    public Principal {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(role, "role");
        if (subject.isBlank()) {
            throw new IllegalArgumentException("subject must not be blank");
        }
        if (contestId != null) {
            Ids.require(contestId, "a key's contest id");
            if (role != Role.PARTICIPANT) {
                throw new IllegalArgumentException("only a participant key is scoped to a contest");
            }
        }
    }

    /** A key no contest scopes. */
    public Principal(String subject, Role role) {
        this(subject, role, null);
    }

    /** The contest this key is scoped to, if any. */
    public Optional<String> contest() {
        return Optional.ofNullable(contestId);
    }
}
