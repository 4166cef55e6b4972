package io.codingengine.common.contest;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.codingengine.common.judge.Ids;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A contest: which problems, when, how it is ranked, and who may enter.
 *
 * @param id          its id (an {@link Ids id}), the {@code contestId} of its submissions
 * @param title       what participants see
 * @param problemIds  its problems in the order shown, each an {@link Ids id}, no duplicates
 * @param start       submissions are accepted from here...
 * @param end         ...until here (exclusive); after {@code start}
 * @param scoring     how the scoreboard ranks
 * @param invitations empty: anyone enters with a name; otherwise only with one of these tokens
 * @param freezeMinutes the scoreboard others see is frozen for the last this many minutes (0:
 *                    never): submissions made from then on show there as pending, until an admin
 *                    unfreezes it; 0 in contests stored before the field existed
 * @param unfrozenAt  when an admin lifted the freeze, or {@code null}
 */
public record Contest(
        String id,
        String title,
        List<String> problemIds,
        Instant start,
        Instant end,
        Scoring scoring,
        List<Invitation> invitations,
        @JsonSetter(nulls = Nulls.AS_EMPTY) int freezeMinutes,
        Instant unfrozenAt) {

    public Contest {
        Ids.require(id, "contest id");
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("title is required");
        }
        problemIds = List.copyOf(problemIds == null ? List.of() : problemIds);
        for (String problemId : problemIds) {
            Ids.require(problemId, "problem id");
        }
        if (new HashSet<>(problemIds).size() != problemIds.size()) {
            throw new IllegalArgumentException("problemIds has duplicates");
        }
        Objects.requireNonNull(start, "start is required");
        Objects.requireNonNull(end, "end is required");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("end must be after start");
        }
        Objects.requireNonNull(scoring, "scoring is required (ICPC or POINTS)");
        invitations = List.copyOf(invitations == null ? List.of() : invitations);
        if (invitations.stream().map(Invitation::token).distinct().count() != invitations.size()) {
            throw new IllegalArgumentException("invitation tokens must be distinct");
        }
        if (freezeMinutes < 0 || Duration.ofMinutes(freezeMinutes).compareTo(Duration.between(start, end)) > 0) {
            throw new IllegalArgumentException("freezeMinutes must be from 0 to the contest's length in minutes ("
                    + Duration.between(start, end).toMinutes() + ")");
        }
    }

    /** A contest whose scoreboard never freezes. */
    public Contest(
            String id,
            String title,
            List<String> problemIds,
            Instant start,
            Instant end,
            Scoring scoring,
            List<Invitation> invitations) {
        this(id, title, problemIds, start, end, scoring, invitations, 0, null);
    }

    /** When the scoreboard freezes, if it does (an unfreeze does not change this). */
    public Optional<Instant> freezesAt() {
        return freezeMinutes == 0 ? Optional.empty() : Optional.of(end.minus(Duration.ofMinutes(freezeMinutes)));
    }

    /** Whether the scoreboard others see is frozen at {@code now}: from {@link #freezesAt} until an admin unfreezes it. */
    public boolean frozenAt(Instant now) {
        return unfrozenAt == null && freezesAt().map(f -> !now.isBefore(f)).orElse(false);
    }

    /** This contest with its freeze lifted at {@code now}. */
    public Contest unfrozen(Instant now) {
        return new Contest(id, title, problemIds, start, end, scoring, invitations, freezeMinutes, now);
    }

    /** Whether entering needs an invitation token. */
    public boolean byInvitation() {
        return !invitations.isEmpty();
    }

    /**
     * Whether the contest has started at {@code now}: before, only admins may learn its problems
     * (its page, its scoreboard, clarifications and drafts hide them).
     */
    public boolean hasStarted(Instant now) {
        return !now.isBefore(start);
    }

    /** Whether submissions are accepted at {@code now}. */
    public boolean isRunning(Instant now) {
        return hasStarted(now) && now.isBefore(end);
    }

    /** The invitation with this token, if any. */
    public Optional<Invitation> invitation(String token) {
        return invitations.stream().filter(i -> i.token().equals(token)).findFirst();
    }
}
