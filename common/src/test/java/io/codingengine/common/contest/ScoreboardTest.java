package io.codingengine.common.contest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.judge.SubmissionStatus;
import io.codingengine.common.judge.Verdict;
import io.codingengine.common.store.SubmissionSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class ScoreboardTest {

    private static final Instant START = Instant.parse("2026-01-01T10:00:00Z");
    private final List<SubmissionSummary> submissions = new ArrayList<>();

    @Test
    void icpcRanksBySolvedThenPenalty() {
        Contest contest = contest(Scoring.ICPC);
        judged("ann", "a", 10, Verdict.WA, 50);
        judged("ann", "a", 15, Verdict.CE, 0); // a compile error costs nothing
        judged("ann", "a", 30, Verdict.AC, 100); // 30 + 20 for the WA
        judged("ann", "a", 40, Verdict.WA, 0); // after the AC: ignored
        judged("bob", "a", 20, Verdict.AC, 100);
        judged("bob", "b", 70, Verdict.AC, 100); // bob: 2 solved, 90 minutes
        judged("cat", "a", 50, Verdict.AC, 100); // cat: 1 solved, 50 minutes = ann's
        judged("dan", "a", -5, Verdict.AC, 100); // before the start: not counted
        judged("eve", "x", 5, Verdict.AC, 100); // not a problem of the contest
        pending("cat", "b", 80);

        Scoreboard board = Scoreboard.of(contest, submissions);
        assertEquals(
                List.of("bob", "ann", "cat"),
                board.rows().stream().map(Scoreboard.Row::participant).toList());
        assertEquals(
                List.of(1, 2, 2),
                board.rows().stream().map(Scoreboard.Row::rank).toList());
        Scoreboard.Row ann = board.rows().get(1);
        assertEquals(50, ann.penalty());
        assertEquals(2, ann.problems().get("a").tries());
        assertEquals(90, board.rows().get(0).penalty());
        Scoreboard.Cell pending = board.rows().get(2).problems().get("b");
        assertEquals(1, pending.pending());
        assertNull(pending.minutes());
        // A score is the share of tests passed: an ICPC board, open to all, must not tell it.
        assertEquals(0, ann.points(), "ann's WA scored 50, which ICPC participants do not see");
        assertEquals(0, ann.problems().get("a").bestScore());
        assertTrue(
                board.rows().stream()
                        .allMatch(r -> r.points() == 0
                                && r.problems().values().stream().allMatch(c -> c.bestScore() == 0)),
                board.toString());
    }

    @Test
    void anIcpcTryIsJudgedByItsFirstFailingTestAndAPointsTryByTheGradersVerdict() {
        // A package that judges on after a rejection (on_reject: continue) with worst_error: the
        // first failing test was a WA, a later hidden test made the grader's verdict IE.
        Instant at = START.plusSeconds(600);
        submissions.add(new SubmissionSummary(
                "s0", "a", "c1", "ann", "python", at, SubmissionStatus.DONE, 0, Verdict.IE, 0, 3, 3, at, Verdict.WA));
        Scoreboard.Cell icpc = Scoreboard.of(contest(Scoring.ICPC), submissions)
                .rows()
                .getFirst()
                .problems()
                .get("a");
        assertEquals(1, icpc.tries(), "the participant saw a WA: it costs a try, whatever a later test did");
        Scoreboard.Cell points = Scoreboard.of(contest(Scoring.POINTS), submissions)
                .rows()
                .getFirst()
                .problems()
                .get("a");
        assertEquals(0, points.tries(), "outside ICPC rules the grader's verdict (IE) counts, as shown");
    }

    @Test
    void pointsSumTheBestScores() {
        Contest contest = contest(Scoring.POINTS);
        judged("ann", "a", 1, Verdict.WA, 60);
        judged("ann", "a", 2, Verdict.WA, 40);
        judged("ann", "b", 3, Verdict.TLE, 30);
        judged("bob", "a", 1, Verdict.AC, 100);
        Scoreboard board = Scoreboard.of(contest, submissions);
        assertEquals(
                List.of("bob", "ann"),
                board.rows().stream().map(Scoreboard.Row::participant).toList());
        assertEquals(90, board.rows().get(1).points());
        assertEquals(0, board.rows().get(1).penalty());
    }

    @Test
    void aFrozenBoardShowsSubmissionsFromTheFreezeOnAsPending() {
        Contest contest = new Contest(
                "c1",
                "Round",
                List.of("a", "b"),
                START,
                START.plusSeconds(3 * 3600),
                Scoring.ICPC,
                List.of(),
                60,
                null);
        Instant freeze = contest.freezesAt().orElseThrow();
        assertEquals(START.plusSeconds(2 * 3600), freeze);
        judged("ann", "a", 30, Verdict.AC, 100);
        judged("bob", "a", 119, Verdict.WA, 0); // just before the freeze: shown
        judged("bob", "a", 120, Verdict.AC, 100); // at the freeze: hidden
        judged("bob", "b", 150, Verdict.AC, 100); // during it: hidden

        Scoreboard frozen = Scoreboard.of(contest, submissions, freeze);
        assertEquals(
                List.of("ann", "bob"),
                frozen.rows().stream().map(Scoreboard.Row::participant).toList());
        Scoreboard.Row bob = frozen.rows().get(1);
        assertEquals(0, bob.solved(), "bob's solves during the freeze are not shown: " + bob);
        assertEquals(1, bob.problems().get("a").tries());
        assertEquals(1, bob.problems().get("a").pending());
        assertEquals(1, bob.problems().get("b").pending());
        assertTrue(!bob.problems().get("b").solved());

        Scoreboard full = Scoreboard.of(contest, submissions);
        assertEquals(
                List.of("bob", "ann"),
                full.rows().stream().map(Scoreboard.Row::participant).toList(),
                "unfrozen, bob's two solves count");
        assertEquals(2, full.rows().get(0).solved());
    }

    @Test
    void theFreezeLastsFromItsStartUntilAnAdminLiftsIt() {
        Contest contest = new Contest(
                "c1", "Round", List.of("a"), START, START.plusSeconds(3600), Scoring.ICPC, List.of(), 15, null);
        assertTrue(!contest.frozenAt(START.plusSeconds(44 * 60)));
        assertTrue(contest.frozenAt(START.plusSeconds(45 * 60)));
        assertTrue(contest.frozenAt(START.plusSeconds(5 * 3600)), "still frozen after the end");
        Contest lifted = contest.unfrozen(START.plusSeconds(2 * 3600));
        assertTrue(!lifted.frozenAt(START.plusSeconds(5 * 3600)));
        assertEquals(contest.freezesAt(), lifted.freezesAt());
        Contest never = contest(Scoring.ICPC);
        assertTrue(never.freezesAt().isEmpty() && !never.frozenAt(START.plusSeconds(3 * 3600 - 1)));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Contest(
                        "c1", "Round", List.of("a"), START, START.plusSeconds(3600), Scoring.ICPC, List.of(), 61, null),
                "longer than the contest");
        assertThrows(
                IllegalArgumentException.class,
                () -> new Contest(
                        "c1",
                        "Round",
                        List.of("a"),
                        START,
                        START.plusSeconds(3600),
                        Scoring.ICPC,
                        List.of(),
                        -1,
                        null));
    }

    private static Contest contest(Scoring scoring) {
        return new Contest("c1", "Round", List.of("a", "b"), START, START.plusSeconds(3 * 3600), scoring, List.of());
    }

    private void judged(String who, String problem, int minute, Verdict verdict, int score) {
        add(who, problem, minute, SubmissionStatus.DONE, verdict, score);
    }

    private void pending(String who, String problem, int minute) {
        add(who, problem, minute, SubmissionStatus.QUEUED, null, null);
    }

    private void add(String who, String problem, int minute, SubmissionStatus status, Verdict verdict, Integer score) {
        Instant at = START.plusSeconds(minute * 60L);
        submissions.add(new SubmissionSummary(
                "s" + submissions.size(), problem, "c1", who, "python", at, status, 0, verdict, score, 0, 0, at, null));
    }
}
