package io.codingengine.common.contest;

import io.codingengine.common.judge.SubmissionStatus;
import io.codingengine.common.judge.Verdict;
import io.codingengine.common.store.SubmissionSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A contest's standings, computed from its submissions (nothing else is stored): only
 * submissions to the contest's problems made between its start and its end count, in the order
 * they were made. Submissions not judged yet show as pending and do not count yet. An ICPC board
 * shows no scores (points and best scores are 0): a score is the share of tests passed or a
 * scoring problem's score by its groups, which ICPC does not tell participants, and which would tell them how a submission did on hidden tests.
 * A frozen board ({@link Contest#frozenAt}) shows submissions made from the freeze on as pending,
 * whatever their verdict.
 *
 * @param contestId  the contest
 * @param scoring    how {@link #rows} are ranked
 * @param problemIds the columns, in the contest's order
 * @param rows       best first; equal rows share a rank
 */
public record Scoreboard(String contestId, Scoring scoring, List<String> problemIds, List<Row> rows) {

    /** Minutes added to an ICPC penalty per rejected submission before the first accepted one. */
    public static final int PENALTY_MINUTES = 20;

    /**
     * One participant's line.
     *
     * @param rank        1 for the best; equal lines share it
     * @param participant the participant id
     * @param solved      problems with an accepted submission
     * @param penalty     ICPC penalty minutes (0 for points contests)
     * @param points      sum of best scores (0 for ICPC contests)
     * @param problems    one cell per problem the participant submitted to
     */
    public record Row(int rank, String participant, int solved, long penalty, int points, Map<String, Cell> problems) {}

    /**
     * One participant and problem.
     *
     * @param solved    an accepted submission exists
     * @param tries     counted submissions up to and including the first accepted one
     * @param minutes   minutes from the start to the first accepted one, or {@code null}
     * @param bestScore the best score of any judged submission (0 for ICPC contests)
     * @param pending   submissions not judged yet
     */
    public record Cell(boolean solved, int tries, Long minutes, int bestScore, int pending) {}

    /** The standings of {@code contest} from its submissions (in any order), every verdict shown. */
    public static Scoreboard of(Contest contest, List<SubmissionSummary> submissions) {
        return of(contest, submissions, null);
    }

    /**
     * The standings with the verdicts of submissions made at or after {@code hiddenFrom} hidden:
     * they show as pending (a frozen board); {@code null} hides none.
     */
    public static Scoreboard of(Contest contest, List<SubmissionSummary> submissions, Instant hiddenFrom) {
        List<SubmissionSummary> counted = submissions.stream()
                .filter(s -> contest.id().equals(s.contestId())
                        && contest.problemIds().contains(s.problemId()))
                .filter(s -> s.createdAt() != null && contest.isRunning(s.createdAt()))
                .sorted(Comparator.comparing(SubmissionSummary::createdAt))
                .toList();
        Map<String, Map<String, Cell>> cells = new TreeMap<>();
        for (SubmissionSummary s : counted) {
            cells.computeIfAbsent(s.participant(), p -> new LinkedHashMap<>())
                    .merge(
                            s.problemId(),
                            hiddenFrom != null && !s.createdAt().isBefore(hiddenFrom) ? PENDING : cell(contest, s),
                            Scoreboard::combine);
        }
        List<Row> unranked = new ArrayList<>();
        cells.forEach((participant, problems) -> {
            int solved = 0, points = 0;
            long penalty = 0;
            for (Cell c : problems.values()) {
                points += c.bestScore();
                if (c.solved()) {
                    solved++;
                    penalty += c.minutes() + (long) PENALTY_MINUTES * (c.tries() - 1);
                }
            }
            unranked.add(
                    new Row(0, participant, solved, contest.scoring() == Scoring.ICPC ? penalty : 0, points, problems));
        });
        Comparator<Row> order = contest.scoring() == Scoring.ICPC
                ? Comparator.comparingInt(Row::solved).reversed().thenComparingLong(Row::penalty)
                : Comparator.comparingInt(Row::points).reversed();
        unranked.sort(order.thenComparing(Row::participant));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < unranked.size(); i++) {
            Row r = unranked.get(i);
            int rank = i > 0 && order.compare(unranked.get(i - 1), r) == 0
                    ? rows.get(i - 1).rank()
                    : i + 1;
            rows.add(new Row(rank, r.participant(), r.solved(), r.penalty(), r.points(), r.problems()));
        }
        return new Scoreboard(contest.id(), contest.scoring(), contest.problemIds(), rows);
    }

    /** A submission not judged yet, or whose verdict a frozen board hides. */
    private static final Cell PENDING = new Cell(false, 0, null, 0, 1);

    /** One submission as a cell of its own. */
    private static Cell cell(Contest contest, SubmissionSummary s) {
        if (s.status() != SubmissionStatus.DONE || s.verdict() == null) {
            return PENDING;
        }
        // Under ICPC rules a try is judged by what its participant sees: the first failing test's
        // verdict, so that a later hidden test (on_reject: continue) cannot make it IE and free.
        Verdict verdict = contest.scoring() == Scoring.ICPC ? s.icpcVerdict() : s.verdict();
        boolean accepted = verdict == Verdict.AC;
        boolean counts = verdict != Verdict.CE && verdict != Verdict.IE;
        Long minutes =
                accepted ? Duration.between(contest.start(), s.createdAt()).toMinutes() : null;
        int score = contest.scoring() == Scoring.ICPC || s.score() == null ? 0 : s.score();
        return new Cell(accepted, counts ? 1 : 0, minutes, score, 0);
    }

    /** {@code earlier} followed by {@code later}: nothing after the first accepted one counts. */
    private static Cell combine(Cell earlier, Cell later) {
        int best = Math.max(earlier.bestScore(), later.bestScore());
        if (earlier.solved()) {
            return new Cell(true, earlier.tries(), earlier.minutes(), best, earlier.pending() + later.pending());
        }
        return new Cell(
                later.solved(),
                earlier.tries() + later.tries(),
                later.minutes(),
                best,
                earlier.pending() + later.pending());
    }
}
