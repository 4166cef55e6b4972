package io.codingengine.common.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.execution.SourceFile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class JudgeValuesTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final List<SourceFile> FILES = List.of(SourceFile.utf8("main.py", "print(1)"));

    @Test
    void inlineSubmissionsDefaultToTheLinesChecker() {
        Submission submission = new Submission(
                "s1",
                null,
                null,
                "alice",
                "python",
                null,
                FILES,
                List.of(new TestCase("t", "", "1\n", true)),
                null,
                NOW);
        assertEquals(CheckerSpec.DEFAULT, submission.checker());
        assertEquals(new CheckerSpec.Lines(), submission.checker());
        assertEquals("*", submission.version());
    }

    @Test
    void submissionsToAProblemCarryNoTestsAndNoChecker() {
        Submission submission = new Submission("s2", "hello", "c1", "bob", "python", "3.x", FILES, null, null, NOW);
        assertTrue(submission.tests().isEmpty());
        assertNull(submission.checker());
        assertThrows(
                IllegalArgumentException.class,
                () -> new Submission(
                        "s2",
                        "hello",
                        null,
                        "bob",
                        "python",
                        null,
                        FILES,
                        List.of(new TestCase("t", "", "", true)),
                        null,
                        NOW));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Submission(
                        "s2", "hello", null, "bob", "python", null, FILES, List.of(), new CheckerSpec.Exact(), NOW));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Submission("s2", null, null, "bob", "python", null, FILES, List.of(), null, NOW));
    }

    @Test
    void submissionsCheckTheirFields() {
        List<TestCase> tests = List.of(new TestCase("t", "", "", true));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Submission("../x", null, null, "a", "python", null, FILES, tests, null, NOW));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Submission("s", "a/b", null, "a", "python", null, FILES, List.of(), null, NOW));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Submission("s", null, null, " ", "python", null, FILES, tests, null, NOW));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Submission("s", null, null, "a", "python", null, List.of(), tests, null, NOW));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Submission(
                        "s",
                        null,
                        null,
                        "a",
                        "python",
                        null,
                        FILES,
                        List.of(tests.getFirst(), tests.getFirst()),
                        null,
                        NOW));
        assertThrows(
                NullPointerException.class,
                () -> new Submission("s", null, null, "a", "python", null, FILES, tests, null, null));
    }

    @Test
    void valuesAreDefensiveCopies() {
        List<SourceFile> files = new ArrayList<>(FILES);
        List<TestCase> tests = new ArrayList<>(List.of(new TestCase("t", "", "", true)));
        Submission submission = new Submission("s3", null, null, "a", "python", null, files, tests, null, NOW);
        files.clear();
        tests.clear();
        assertEquals(1, submission.files().size());
        assertEquals(1, submission.tests().size());
        assertThrows(
                UnsupportedOperationException.class, () -> submission.tests().add(null));

        List<TestResult> results = new ArrayList<>();
        Judgement judgement = new Judgement(Verdict.CE, 0, "error", results, NOW, "w", 0, 1);
        results.add(new TestResult("t", Verdict.AC, 0, 0, null, null, null, null, false));
        assertTrue(judgement.tests().isEmpty());
    }

    @Test
    void judgementsCheckScoreRoundAndAttempt() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new Judgement(Verdict.AC, Judgement.MAX_SCORE + 1, null, null, NOW, "w", 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Judgement(Verdict.AC, -1, null, null, NOW, "w", 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Judgement(Verdict.AC, 100, null, null, NOW, "w", -1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Judgement(Verdict.AC, 100, null, null, NOW, "w", 0, 0));
    }

    @Test
    void resultsOfHiddenTestsCarryNoData() {
        TestCase secret = new TestCase("secret/1", "42\n", "answer\n", false);
        TestCase sample = new TestCase("sample/1", "1\n", "one\n", true);
        TestResult hidden = TestResult.of(
                secret,
                Verdict.WA,
                5,
                100,
                "wrong\n",
                "token 1 differs: expected answer, got wrong",
                "judgemessage: expected answer");
        assertNull(hidden.output());
        assertNull(hidden.expected());
        assertNull(hidden.message(), "what a checker says about a hidden test may quote its answer");
        assertEquals(
                "token 1 differs: expected answer, got wrong\njudgemessage: expected answer",
                hidden.judgeMessage(),
                "judges still read all of it");
        assertEquals(
                new TestResult("secret/1", Verdict.WA, 5, 100, null, null, null, null, false), hidden.forParticipant());

        TestResult shown = TestResult.of(sample, Verdict.WA, 5, 100, "two\n", "line 1 differs", "validator said: one");
        assertEquals("two\n", shown.output());
        assertEquals("one\n", shown.expected());
        assertEquals("line 1 differs", shown.message());
        assertEquals(
                new TestResult("sample/1", Verdict.WA, 5, 100, "two\n", "one\n", "line 1 differs", null, true),
                shown.forParticipant(),
                "a visible test keeps its details, never the judge message");
    }

    @Test
    void aHiddenResultStoredWithAMessageIsShownWithoutIt() {
        // Results stored before the judge message existed kept the checker's words in message.
        TestResult old = new TestResult("secret/1", Verdict.WA, 5, 100, null, null, "expected 7, got 8", null, false);
        assertNull(old.forParticipant().message());
    }

    @Test
    void floatTolerancesMustBeFiniteAndNonNegative() {
        assertThrows(IllegalArgumentException.class, () -> new CheckerSpec.Floats(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> new CheckerSpec.Floats(0, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new CheckerSpec.Floats(Double.POSITIVE_INFINITY, 0));
        assertEquals(1e-6, CheckerSpec.Floats.DEFAULT.absoluteTolerance());
    }

    @Test
    void customCheckersNeedASourceFile() {
        assertThrows(IllegalArgumentException.class, () -> new CheckerSpec.Custom("c++", null, List.of()));
        assertEquals(
                "*",
                CheckerSpec.Custom.of("c++", "validate.cpp", "int main(){}").version());
    }

    @Test
    void idsAreSafeEverywhere() {
        assertTrue(Ids.isValid("a"));
        assertTrue(Ids.isValid("Hello-World_1.2"));
        for (String bad : new String[] {"", ".", "..", ".hidden", "-x", "a/b", "a\\b", "a b", "é", "x".repeat(129)}) {
            assertTrue(!Ids.isValid(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> Ids.require(null, "id"));
    }
}
