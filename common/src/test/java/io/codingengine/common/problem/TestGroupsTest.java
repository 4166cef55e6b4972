package io.codingengine.common.problem;

import static io.codingengine.common.problem.Packages.directory;
import static io.codingengine.common.problem.Packages.hello;
import static io.codingengine.common.problem.Packages.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.json.Json;
import io.codingengine.common.judge.Grading;
import io.codingengine.common.judge.GroupResult;
import io.codingengine.common.judge.TestCase;
import io.codingengine.common.judge.Verdict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Test data groups read from packages and graded as the format's default grader grades them
 * (problemtools' reference behaviour): scores per group, sum and min, accept scores, nested groups,
 * {@code on_reject}, inherited settings, per-group validator flags, and which tests lazy judging
 * may skip.
 */
class TestGroupsTest {

    @TempDir
    Path tmp;

    /**
     * A legacy scoring package: g1 (continue, 3 tests of 10), g2 (min, break, 3 tests of 35),
     * g3 (nested a and b, 2 tests of 8.75 each, with float tolerance), samples scoring nothing.
     */
    static Map<String, String> scoring() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("problem.yaml", "name: Groups\ntype: scoring\n");
        files.put("problem_statement/problem.en.md", "Echo the number.\n");
        files.put("data/testdata.yaml", "on_reject: continue\ngrader_flags: ignore_sample\nrange: 0 100\n");
        files.put("data/sample/testdata.yaml", "accept_score: 0\nrange: 0 0\ngrader_flags: first_error\n");
        files.put("data/sample/1.in", "1\n");
        files.put("data/sample/1.ans", "1\n");
        files.put("data/secret/testdata.yaml", "grader_flags: first_error accept_if_any_accepted\nrange: 0 100\n");
        for (int i = 1; i <= 3; i++) {
            files.put("data/secret/g1/" + i + ".in", "1" + i + "\n");
            files.put("data/secret/g1/" + i + ".ans", "1" + i + "\n");
            files.put("data/secret/g2/" + i + ".in", "2" + i + "\n");
            files.put("data/secret/g2/" + i + ".ans", "2" + i + "\n");
        }
        files.put("data/secret/g1/testdata.yaml", "accept_score: 10\nrange: 0 30\ngrader_flags: sum\n");
        files.put(
                "data/secret/g2/testdata.yaml", "on_reject: break\naccept_score: 35\nrange: 0 35\ngrader_flags: min\n");
        files.put(
                "data/secret/g3/testdata.yaml",
                "accept_score: 8.75\nrange: 0 35\ngrader_flags: worst_error\n"
                        + "output_validator_flags: float_tolerance 0.01\n");
        for (String sub : List.of("a", "b")) {
            for (int i = 1; i <= 2; i++) {
                files.put("data/secret/g3/" + sub + "/" + i + ".in", "3." + i + "\n");
                files.put("data/secret/g3/" + sub + "/" + i + ".ans", "3." + i + "\n");
            }
        }
        files.put("submissions/accepted/sol.py", "print(input())\n");
        return files;
    }

    private Problem read(String id, Map<String, String> files) throws IOException {
        return KattisPackage.read(id, directory(tmp, id, files));
    }

    private static Map<String, Grading.TestOutcome> allAccepted(Problem p) {
        Map<String, Grading.TestOutcome> all = new HashMap<>();
        p.tests().forEach(t -> all.put(t.name(), Grading.TestOutcome.of(Verdict.AC)));
        return all;
    }

    private static GroupResult group(Grading.Grade grade, String name) {
        return grade.groups().stream()
                .filter(g -> g.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aScoringPackageReadsItsGroupsInOrderWithTheirSettings() throws IOException {
        Problem p = read("groups", scoring());
        Grading grading = p.grading();
        assertTrue(grading.scoring());
        assertEquals(
                List.of(
                        "data",
                        "sample",
                        "secret",
                        "secret/g1",
                        "secret/g2",
                        "secret/g3",
                        "secret/g3/a",
                        "secret/g3/b"),
                List.copyOf(grading.groups().keySet()));
        assertEquals(grading.tests(), p.tests().stream().map(TestCase::name).toList(), "tests run in group order");
        Grading.Group g2 = grading.groups().get("secret/g2");
        assertTrue(g2.breakOnReject());
        assertEquals(Grading.Aggregation.MIN, g2.aggregation());
        assertEquals(35.0, g2.acceptScore());
        Grading.Group g1 = grading.groups().get("secret/g1");
        assertFalse(g1.breakOnReject(), "on_reject: continue inherited from data/testdata.yaml");
        assertFalse(g1.acceptIfAnyAccepted(), "its own grader_flags replace secret's");
        // Nested groups inherit their parent's settings (problemtools overlays a group's file on them).
        Grading.Group a = grading.groups().get("secret/g3/a");
        assertEquals(8.75, a.acceptScore());
        assertEquals(
                List.of("float_tolerance", "0.01"),
                grading.outputValidatorArgs().get("secret/g3/a/1"));
        assertNull(grading.outputValidatorArgs().get("secret/g1/1"));
        assertTrue(grading.groups().get("data").ignoreSample());
        assertFalse(grading.groups().get("secret").ignoreSample(), "ignore_sample counts at the root only");
    }

    @Test
    void groupScoresAddUpBySumAndMinWithTheirAcceptScores() throws IOException {
        Problem p = read("groups", scoring());
        Grading grading = p.grading();

        Grading.Grade all = grading.grade(allAccepted(p));
        assertEquals(Verdict.AC, all.verdict());
        assertEquals(100.0, all.score(), 1e-9);
        assertEquals(30.0, group(all, "secret/g1").score());
        assertEquals(35.0, group(all, "secret/g2").score());
        assertEquals(35.0, group(all, "secret/g3").score());
        assertEquals(17.5, group(all, "secret/g3/b").score());
        assertEquals(35.0, group(all, "secret/g3").maxScore());
        assertEquals("data", all.groups().getLast().name(), "the root comes last");

        // g1 continues past its rejected test: 20 of 30; secret accepts as one group is accepted.
        var outcomes = allAccepted(p);
        outcomes.put("secret/g1/2", Grading.TestOutcome.of(Verdict.WA));
        Grading.Grade partial = grading.grade(outcomes);
        assertEquals(Verdict.WA, group(partial, "secret/g1").verdict());
        assertEquals(20.0, group(partial, "secret/g1").score());
        assertEquals(3, group(partial, "secret/g1").testsRun());
        assertEquals(Verdict.AC, partial.verdict(), "accept_if_any_accepted");
        assertEquals(90.0, partial.score(), 1e-9);

        // g2 (min, break) stops at its first rejection: its later tests do not count, it scores 0.
        outcomes = allAccepted(p);
        outcomes.put("secret/g2/1", Grading.TestOutcome.of(Verdict.TLE));
        assertEquals(
                Set.of("secret/g2/2", "secret/g2/3"),
                grading.notNeeded(Map.of("secret/g2/1", Grading.TestOutcome.of(Verdict.TLE))));
        outcomes.remove("secret/g2/2");
        outcomes.remove("secret/g2/3");
        Grading.Grade min = grading.grade(outcomes);
        assertEquals(Verdict.TLE, group(min, "secret/g2").verdict());
        assertEquals(0.0, group(min, "secret/g2").score());
        assertEquals(1, group(min, "secret/g2").testsRun());
        assertFalse(min.counted().contains("secret/g2/2"));
        assertEquals(65.0, min.score(), 1e-9);

        // A score that would pass its range once every test is accepted does not end a group early.
        outcomes = allAccepted(p);
        outcomes.put("secret/g1/1", new Grading.TestOutcome(Verdict.AC, 50.0, null));
        assertEquals(
                Set.of(), grading.notNeeded(Map.of("secret/g1/1", new Grading.TestOutcome(Verdict.AC, 50.0, null))));

        // A sample's failure changes nothing under ignore_sample.
        outcomes = allAccepted(p);
        outcomes.put("sample/1", Grading.TestOutcome.of(Verdict.WA));
        assertEquals(Verdict.AC, grading.grade(outcomes).verdict());
        assertEquals(100.0, grading.grade(outcomes).score(), 1e-9);

        // score.txt replaces accept_score; a score past the group's range is a judge error.
        outcomes = allAccepted(p);
        outcomes.put("secret/g1/1", new Grading.TestOutcome(Verdict.AC, 5.0, null));
        assertEquals(25.0, group(grading.grade(outcomes), "secret/g1").score());
        outcomes.put("secret/g1/1", new Grading.TestOutcome(Verdict.AC, 50.0, null));
        Grading.Grade outside = grading.grade(outcomes);
        assertEquals(Verdict.IE, group(outside, "secret/g1").verdict());
        assertTrue(group(outside, "secret/g1").message().contains("outside its range 0 30"));
        assertEquals(Verdict.IE, outside.verdict());
        assertEquals(0.0, outside.score());
    }

    @Test
    void withoutAnyAcceptedGroupALegacyScoringSubmissionScoresNothing() throws IOException {
        Problem p = read("groups2", with(scoring(), "data/secret/testdata.yaml", "grader_flags: worst_error\n"));
        var outcomes = allAccepted(p);
        outcomes.put("secret/g1/1", Grading.TestOutcome.of(Verdict.WA));
        Grading.Grade grade = p.grading().grade(outcomes);
        assertEquals(Verdict.WA, grade.verdict());
        assertEquals(90.0, group(grade, "secret").score(), "the group keeps its score");
        assertEquals(0.0, grade.score(), "the format ignores a rejected submission's score");
    }

    @Test
    void aPassFailPackageStopsAtItsFirstRejectionByDefault() throws IOException {
        Problem p = read("hello", with(hello(), "data/secret/testdata.yaml", null));
        Grading grading = p.grading();
        assertFalse(grading.scoring());
        assertEquals(List.of("sample/1", "sample/2", "secret/02", "secret/group1/01"), grading.tests());
        // on_reject: break everywhere: a failing sample decides the submission.
        assertEquals(
                Set.of("sample/2", "secret/02", "secret/group1/01"),
                grading.notNeeded(Map.of("sample/1", Grading.TestOutcome.of(Verdict.WA))));
        Grading.Grade grade = grading.grade(Map.of("sample/1", Grading.TestOutcome.of(Verdict.WA)));
        assertEquals(Verdict.WA, grade.verdict());
        assertEquals(Verdict.NR, group(grade, "secret").verdict(), "never reached");
        assertEquals(0, group(grade, "secret").testsRun());
        assertEquals(0.0, grade.score());

        // on_reject: continue runs on; the verdict is the worst error, the score the share accepted.
        Problem q = read("hello2", with(hello(), "data/testdata.yaml", "on_reject: continue\n"));
        Map<String, Grading.TestOutcome> outcomes = new HashMap<>();
        q.tests().forEach(t -> outcomes.put(t.name(), Grading.TestOutcome.of(Verdict.AC)));
        outcomes.put("sample/2", Grading.TestOutcome.of(Verdict.WA));
        outcomes.put("secret/02", Grading.TestOutcome.of(Verdict.RE));
        assertEquals(Set.of(), q.grading().notNeeded(outcomes));
        Grading.Grade all = q.grading().grade(outcomes);
        assertEquals(Verdict.RE, all.verdict(), "worst_error: RE before WA");
        assertEquals(50.0, all.score());
        assertNull(group(all, "secret").score(), "no scores for a pass-fail problem");
    }

    @Test
    void aFailedTestInAContinueGroupStillEndsItsBreakingParent() throws IOException {
        // data/secret breaks; its subgroup g continues: a rejection in g runs g to its end, then stops secret.
        var files = with(
                with(hello(), "data/secret/testdata.yaml", "on_reject: break\n"),
                "data/secret/group1/testdata.yaml",
                "on_reject: continue\n");
        files = with(with(files, "data/secret/group1/02.in", "x\n"), "data/secret/group1/02.ans", "x\n");
        files = with(with(files, "data/secret/z.in", "z\n"), "data/secret/z.ans", "z\n");
        Problem p = read("nested", files);
        assertEquals(
                List.of("sample/1", "sample/2", "secret/02", "secret/group1/01", "secret/group1/02", "secret/z"),
                p.grading().tests());
        assertEquals(
                Set.of("secret/z"),
                p.grading().notNeeded(Map.of("secret/group1/01", Grading.TestOutcome.of(Verdict.WA))),
                "group1 runs on; secret stops after it");
    }

    @Test
    void a2025PackageScoresByMaxScoreAndAggregation() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(
                "problem.yaml",
                "problem_format_version: 2025-09\nuuid: 025dfeea-eb85-4532-94d1-3108ec03c80f\n"
                        + "name: Modern\ntype: scoring\n");
        files.put("statement/problem.en.md", "Echo.\n");
        files.put("data/sample/1.in", "1\n");
        files.put("data/sample/1.ans", "1\n");
        files.put("data/secret/g1/test_group.yaml", "max_score: 40\n");
        files.put(
                "data/secret/g2/test_group.yaml",
                "max_score: 60\nscore_aggregation: sum\n" + "output_validator_args: [case_sensitive]\n");
        for (int i = 1; i <= 3; i++) {
            files.put("data/secret/g1/" + i + ".in", i + "\n");
            files.put("data/secret/g1/" + i + ".ans", i + "\n");
            files.put("data/secret/g2/" + i + ".in", i + "\n");
            files.put("data/secret/g2/" + i + ".ans", i + "\n");
        }
        Problem p = read("modern", files);
        Grading grading = p.grading();
        assertTrue(grading.groups().get("secret/g1").breakOnReject(), "pass-fail groups stop at a rejection");
        assertFalse(grading.groups().get("secret/g2").breakOnReject(), "sum groups run every test");
        assertEquals(20.0, grading.groups().get("secret/g2").acceptScore(), "60 over 3 tests");
        assertEquals(List.of("case_sensitive"), grading.outputValidatorArgs().get("secret/g2/1"));

        var outcomes = allAccepted(p);
        assertEquals(100.0, grading.grade(outcomes).score(), 1e-9);
        outcomes.put("secret/g1/2", Grading.TestOutcome.of(Verdict.WA));
        outcomes.remove("secret/g1/3");
        outcomes.put("secret/g2/3", Grading.TestOutcome.of(Verdict.WA));
        outcomes.put("secret/g2/1", new Grading.TestOutcome(Verdict.AC, null, 0.5));
        Grading.Grade grade = grading.grade(outcomes);
        assertEquals(0.0, group(grade, "secret/g1").score());
        assertEquals(30.0, group(grade, "secret/g2").score(), 1e-9, "10 (half of 20) + 20 + 0");
        assertEquals(Verdict.WA, grade.verdict());
        assertEquals(30.0, grade.score(), 1e-9, "2025-09 scores a rejected submission too");

        // A group of a bounded secret needs its own max_score.
        var unbounded = with(files, "data/secret/g1/test_group.yaml", "score_aggregation: min\n");
        InvalidPackageException e = org.junit.jupiter.api.Assertions.assertThrows(
                InvalidPackageException.class, () -> read("modern2", unbounded));
        assertTrue(e.getMessage().contains("data/secret/g1/test_group.yaml: max_score is required"), e.getMessage());
    }

    @Test
    void aGradingSurvivesJson() throws IOException {
        Grading grading = read("groups", scoring()).grading();
        assertEquals(grading, Json.read(Json.write(grading), Grading.class));
        assertEquals(
                grading.groups().keySet().stream().collect(Collectors.toList()),
                List.copyOf(
                        Json.read(Json.write(grading), Grading.class).groups().keySet()));
    }
}
