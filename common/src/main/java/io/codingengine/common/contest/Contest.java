package io.codingengine.common.contest;

import io.codingengine.common.judge.Ids;

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
 */
public record Contest(String id, String title, List<String> problemIds, Instant start, Instant end,
                      Scoring scoring, List<Invitation> invitations) {

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
    }

    /** Whether entering needs an invitation token. */
    public boolean byInvitation() {
        return !invitations.isEmpty();
    }

    /** Whether submissions are accepted at {@code now}. */
    public boolean isRunning(Instant now) {
        return !now.isBefore(start) && now.isBefore(end);
    }

    /** The invitation with this token, if any. */
    public Optional<Invitation> invitation(String token) {
        return invitations.stream().filter(i -> i.token().equals(token)).findFirst();
    }
}
