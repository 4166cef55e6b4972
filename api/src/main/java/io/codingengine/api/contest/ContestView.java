package io.codingengine.api.contest;

import io.codingengine.common.contest.Contest;
import io.codingengine.common.contest.Scoring;
import io.codingengine.common.problem.ProblemSummary;
import java.time.Instant;
import java.util.List;

/**
 * A contest as participants see it: never its invitation tokens, and its problems only once it
 * has started.
 *
 * @param problems  the problems' statements, limits and samples; empty before the start
 * @param freezesAt when the scoreboard freezes, or {@code null} when it does not
 * @param frozen    whether the scoreboard is frozen now
 */
public record ContestView(
        String id,
        String title,
        Instant start,
        Instant end,
        Scoring scoring,
        boolean byInvitation,
        boolean running,
        List<ProblemSummary> problems,
        Instant freezesAt,
        boolean frozen) {

    static ContestView of(Contest c, Instant now, List<ProblemSummary> problems) {
        boolean started = c.hasStarted(now);
        return new ContestView(
                c.id(),
                c.title(),
                c.start(),
                c.end(),
                c.scoring(),
                c.byInvitation(),
                c.isRunning(now),
                started ? problems : List.of(),
                c.freezesAt().orElse(null),
                c.frozenAt(now));
    }
}
