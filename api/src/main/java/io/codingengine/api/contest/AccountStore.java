package io.codingengine.api.contest;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The accounts of open contests: a participant registers once with a name and a password, and
 * signs in with them again on any browser or device as the same participant. Accounts belong to
 * one contest (a login is unique within it). Only a password hash is stored, never the password.
 * Thread-safe; failures of the underlying storage surface as the storage client's unchecked
 * exceptions.
 */
public interface AccountStore {

    /**
     * An account.
     *
     * @param contestId    the contest it belongs to
     * @param login        what its owner signs in with: the name's letters and digits in lower
     *                     case, joined by {@code -} ({@code [a-z0-9-]}, 1..40), unique in the contest
     * @param participant  the participant id it acts as (its submissions' {@code participant})
     * @param displayName  the name as its owner typed it, shown on the scoreboard
     * @param passwordHash the password's hash in the encoder's own format (algorithm, cost and salt included)
     * @param createdAt    when it was registered
     */
    record Account(
            String contestId,
            String login,
            String participant,
            String displayName,
            String passwordHash,
            Instant createdAt) {
        public Account {
            Objects.requireNonNull(contestId, "contestId");
            Objects.requireNonNull(login, "login");
            Objects.requireNonNull(participant, "participant");
            Objects.requireNonNull(displayName, "displayName");
            Objects.requireNonNull(passwordHash, "passwordHash");
            Objects.requireNonNull(createdAt, "createdAt");
        }

        @Override
        public String toString() {
            return "Account[" + contestId + "/" + login + " as " + participant + "]"; // never the hash
        }
    }

    /** Stores a new account; {@code false} (nothing changed) when its contest has one with that login already. */
    boolean create(Account account);

    /** The account of {@code contestId} with that login, or empty. */
    Optional<Account> get(String contestId, String login);

    /** Every account of a contest, by login. */
    List<Account> list(String contestId);

    /** Replaces an account's password hash; {@code false} when there is no such account. */
    boolean setPasswordHash(String contestId, String login, String passwordHash);
}
