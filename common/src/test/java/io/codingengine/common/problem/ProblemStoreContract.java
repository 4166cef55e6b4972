package io.codingengine.common.problem;

import static io.codingengine.common.problem.Packages.SECRET_ANSWER;
import static io.codingengine.common.problem.Packages.SECRET_INPUT;
import static io.codingengine.common.problem.Packages.directory;
import static io.codingengine.common.problem.Packages.hello;
import static io.codingengine.common.problem.Packages.with;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.json.Json;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.TestCase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of {@link ProblemStore}: every adapter's test extends this class. Each test uses
 * fresh problem ids, so one store may serve all tests of a class.
 */
public abstract class ProblemStoreContract {

    @TempDir
    protected Path tmp;

    /** The store under test; the same instance for every call of one test class is fine. */
    protected abstract ProblemStore store();

    /**
     * Checks that the adapter keeps exactly the data of {@code problem} under {@code id} (the
     * current version only, nothing of earlier saves: its secret tests and the data of its
     * statement files, once per content), or nothing at all when it is {@code null}.
     */
    protected abstract void assertStoresExactly(String id, Problem problem);

    protected static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void importedDirectoryServesSummariesToClientsAndEveryTestToTheJudge() throws IOException {
        String id = unique("hello");
        ProblemSummary imported = store().importPackage(directory(tmp, id, hello()));

        assertEquals(id, imported.id());
        assertEquals("Hello World", imported.name());
        assertEquals(Duration.ofMillis(2500), imported.timeLimit());
        assertEquals(512L << 20, imported.memoryLimitBytes());
        assertEquals("TOKENS", imported.checker(), "Kattis's default validator, here with a float tolerance");
        assertEquals(2, imported.samples().size());
        assertTrue(imported.samples().stream().allMatch(TestCase::visible));
        assertEquals(2, imported.secretTestCount());
        assertEquals(imported, store().get(id).orElseThrow());

        Problem problem = store().load(id).orElseThrow();
        assertEquals(KattisPackage.read(tmp.resolve(id)), problem);
        List<TestCase> tests = store().tests(id);
        assertEquals(
                List.of("sample/1", "sample/2", "secret/02", "secret/group1/01"),
                tests.stream().map(TestCase::name).toList());
        assertEquals(
                List.of(true, true, false, false),
                tests.stream().map(TestCase::visible).toList());
        assertEquals(SECRET_ANSWER + " 1\n", tests.get(3).expectedOutput());
        assertStoresExactly(id, problem);
    }

    @Test
    void aScoringPackagesGroupsAreKept() throws IOException {
        String id = unique("groups");
        store().importPackage(directory(tmp, id, TestGroupsTest.scoring()));
        Problem problem = store().load(id).orElseThrow();
        assertEquals(KattisPackage.read(tmp.resolve(id)), problem);
        assertTrue(problem.grading().scoring());
        assertEquals(
                List.of("float_tolerance", "0.01"),
                problem.grading().outputValidatorArgs().get("secret/g3/a/1"));
        assertEquals(35.0, problem.grading().groups().get("secret/g2").acceptScore());
        assertEquals(
                problem.grading().tests(),
                store().tests(id).stream().map(TestCase::name).toList());
    }

    @Test
    void clientViewsNeverContainSecretData() throws IOException {
        String id = unique("secretive");
        store().importPackage(directory(tmp, id, hello()));

        List<ProblemSummary> listed = store().list();
        assertTrue(listed.stream().anyMatch(p -> p.id().equals(id)));
        for (Object clientView : List.of(listed, store().get(id).orElseThrow())) {
            String json = Json.write(clientView);
            assertFalse(json.contains(SECRET_INPUT), json);
            assertFalse(json.contains(SECRET_ANSWER), json);
            assertFalse(json.contains("secret/"), "not even the secret tests' names: " + json);
        }
    }

    @Test
    void listingIsById() {
        String prefix = unique("order");
        List<String> ids = List.of(prefix + "-b", prefix + "-a", prefix + "-c");
        ids.forEach(id -> store().save(problem(id, "X")));
        assertEquals(
                ids.stream().sorted().toList(),
                store().list().stream()
                        .map(ProblemSummary::id)
                        .filter(ids::contains)
                        .toList());
    }

    @Test
    void aZipBuiltHereImportsUnderAnExplicitIdWithItsCustomValidator() throws IOException {
        String id = unique("zipped");
        var files = with(
                with(hello(), "problem.yaml", "name: Zipped\nvalidation: custom\n"),
                "output_validators/v/validate.c",
                "int main(void) { return 42; }\n");
        Path zip = Packages.zip(tmp, "upload.zip", "some-dir/", files);

        ProblemSummary summary = store().importPackage(id, zip);
        assertEquals("CUSTOM", summary.checker());
        assertFalse(Json.write(summary).contains("return 42"), "the checker program stays on the server");
        CheckerSpec.Custom checker =
                (CheckerSpec.Custom) store().load(id).orElseThrow().checker();
        assertEquals("c", checker.language());
        assertEquals("validate.c", checker.files().getFirst().name());
    }

    @Test
    void reimportingReplacesTheDataAndKeepsNothingOfTheOldVersion() throws IOException {
        String id = unique("again");
        store().importPackage(directory(tmp.resolve("v1"), id, hello()));

        var changed = with(with(hello(), "data/secret/02.ans", "NEW ANSWER\n"), "data/secret/03.in", "3\n");
        store().importPackage(directory(tmp.resolve("v2"), id, with(changed, "data/secret/03.ans", "3\n")));

        Problem problem = store().load(id).orElseThrow();
        assertEquals(3, problem.secretTests().size());
        assertEquals("NEW ANSWER\n", problem.secretTests().getFirst().expectedOutput());
        assertStoresExactly(id, problem);
    }

    @Test
    void concurrentSavesOfOneProblemLeaveOneWholeVersion() throws Exception {
        for (int round = 0; round < 3; round++) {
            String id = unique("raced");
            Problem a = problem(id, "A");
            Problem b = problem(id, "B");
            List<Object> outcomes = new CopyOnWriteArrayList<>();
            try (var threads = Executors.newFixedThreadPool(2)) {
                for (Problem problem : List.of(a, b)) {
                    threads.submit(() -> {
                        try {
                            outcomes.add(store().save(problem));
                        } catch (ConcurrentModificationException e) {
                            outcomes.add(e);
                        }
                    });
                }
            }
            assertEquals(2, outcomes.size());
            Problem stored = store().load(id).orElseThrow();
            assertTrue(stored.equals(a) || stored.equals(b), stored.toString());
            assertStoresExactly(id, stored);
        }
    }

    /** A problem with three secret tests whose data all say {@code variant}. */
    protected static Problem problem(String id, String variant) {
        List<TestCase> secret = List.of(
                new TestCase("secret/1", variant + "1", variant, false),
                new TestCase("secret/2", variant + "2", variant, false),
                new TestCase("secret/3", variant + "3", variant, false));
        return new Problem(
                id,
                variant,
                Duration.ofSeconds(1),
                1 << 26,
                Problem.DEFAULT_OUTPUT_LIMIT_BYTES,
                CheckerSpec.DEFAULT,
                List.of(),
                secret,
                null);
    }

    @Test
    void aRejectedPackageStoresNothing() throws IOException {
        String id = unique("broken");
        Path dir = directory(tmp, id, with(hello(), "data/secret/02.ans", null));
        assertThrows(InvalidPackageException.class, () -> store().importPackage(dir));
        assertTrue(store().get(id).isEmpty());
        assertStoresExactly(id, null);
    }

    @Test
    void savedProblemsCanBeDeleted() {
        String id = unique("made");
        Problem problem = new Problem(
                id,
                "Made here",
                Duration.ofSeconds(1),
                64L << 20,
                1L << 20, // output limit kept too
                CheckerSpec.DEFAULT,
                List.of(),
                List.of(new TestCase("secret/1", "in", "out", false)),
                null);
        ProblemSummary summary = store().save(problem);
        assertEquals(0, summary.samples().size());
        assertEquals(1, summary.secretTestCount());
        assertEquals("LINES", summary.checker());
        assertEquals(problem, store().load(id).orElseThrow());

        assertTrue(store().delete(id));
        assertFalse(store().delete(id));
        assertTrue(store().get(id).isEmpty());
        assertTrue(store().load(id).isEmpty());
        assertStoresExactly(id, null);
        assertThrows(NoSuchElementException.class, () -> store().tests(id));
    }

    @Test
    void testDataKeepsEveryCharacter() {
        String id = unique("bytes");
        String awkward = "nul\u0000 tab\t crlf\r\n é 𝄞 \u0001\n";
        Problem problem = new Problem(
                id,
                "Awkward",
                Duration.ofSeconds(1),
                64L << 20,
                Problem.DEFAULT_OUTPUT_LIMIT_BYTES,
                CheckerSpec.DEFAULT,
                List.of(new TestCase("sample/1", awkward, awkward, true)),
                List.of(new TestCase("secret/1", awkward, awkward + "!", false)),
                "# *Awkward* é 𝄞");
        store().save(problem);
        assertEquals(problem, store().load(id).orElseThrow());
    }

    @Test
    void statementPicturesAreServedKeptAcrossAChangeOfLimitsAndDeletedWhenNoLongerNamed() throws IOException {
        String id = unique("latex");
        Path latex = KattisPackageTest.resourcePackage("latexstatement");
        ProblemSummary summary = store().importPackage(id, latex);
        assertTrue(summary.statement().contains("](statement/tower.png)"), summary.statement());
        byte[] tower = Files.readAllBytes(latex.resolve("problem_statement/tower.png"));
        StatementFile served = store().statementFile(id, "tower.png").orElseThrow();
        assertEquals("image/png", served.contentType());
        assertArrayEquals(tower, served.data());
        assertTrue(store().statementFile(id, "unused.png").isEmpty(), "a file the statement does not name is not kept");
        assertTrue(store().statementFile(id, "../manifests/" + id + ".json").isEmpty());
        assertTrue(store().statementFile(unique("none"), "tower.png").isEmpty());
        assertTrue(store().statementFile("../" + id, "tower.png").isEmpty());

        Problem loaded = store().load(id).orElseThrow();
        assertEquals(
                List.of("tower.png"),
                loaded.statementFiles().stream().map(StatementFile::name).toList());
        assertNull(loaded.statementFiles().getFirst().data(), "the judge does not download pictures");
        assertStoresExactly(id, loaded);
        store().save(loaded.withTimeLimit(Duration.ofSeconds(7), "set by an admin"));
        assertEquals("set by an admin", store().get(id).orElseThrow().timeLimitSource());
        assertEquals(Duration.ofSeconds(7), store().load(id).orElseThrow().timeLimit());
        assertArrayEquals(
                tower,
                store().statementFile(id, "tower.png").orElseThrow().data(),
                "a save of the problem loaded without its pictures keeps them");

        store().importPackage(id, directory(tmp, "hello", hello()));
        assertTrue(store().statementFile(id, "tower.png").isEmpty());
        assertStoresExactly(
                id, store().load(id).orElseThrow()); // the picture's data is deleted with the statement that named it
        assertTrue(store().delete(id));
        assertStoresExactly(id, null);
    }

    @Test
    void statementFilesAreKeptOncePerContentAndOnlyWhileNamed() {
        String id = unique("pictures");
        byte[] one = {1, 2, 3};
        byte[] two = {4, 5};
        Problem problem =
                problem(id, "P", List.of(picture("a.png", one), picture("b.png", one), picture("c.svg", two)));
        store().save(problem);
        assertStoresExactly(id, problem);
        assertArrayEquals(one, store().statementFile(id, "a.png").orElseThrow().data());
        assertArrayEquals(one, store().statementFile(id, "b.png").orElseThrow().data());
        StatementFile svg = store().statementFile(id, "c.svg").orElseThrow();
        assertEquals(picture("c.svg", two), svg);

        // b without its data (as loaded), a no longer named: b's content stays, c's goes
        Problem fewer = problem(id, "P", List.of(picture("b.png", one).withoutData()));
        store().save(fewer);
        assertEquals(fewer, store().load(id).orElseThrow());
        assertStoresExactly(id, fewer);
        assertTrue(store().statementFile(id, "a.png").isEmpty());
        assertTrue(store().statementFile(id, "c.svg").isEmpty());
        assertArrayEquals(one, store().statementFile(id, "b.png").orElseThrow().data());

        Problem none = problem(id, "P", List.of());
        store().save(none);
        assertStoresExactly(id, none);
        assertTrue(store().statementFile(id, "b.png").isEmpty());
    }

    @Test
    void theTimeLimitSourceIsKept() {
        String id = unique("source");
        Problem unknown = problem(id, "S");
        assertNull(store().save(unknown).timeLimitSource());
        assertNull(store().get(id).orElseThrow().timeLimitSource());
        assertEquals(unknown, store().load(id).orElseThrow());

        String source = "from the accepted submissions: the slowest, submissions/accepted/a.py, 0.21 s × 5 é";
        Problem computed = unknown.withTimeLimit(Duration.ofSeconds(2), source);
        assertEquals(source, store().save(computed).timeLimitSource());
        assertEquals(source, store().get(id).orElseThrow().timeLimitSource());
        assertEquals(
                source,
                store().list().stream()
                        .filter(p -> p.id().equals(id))
                        .findFirst()
                        .orElseThrow()
                        .timeLimitSource());
        assertEquals(computed, store().load(id).orElseThrow());
    }

    /** {@link #problem(String, String)} with a statement that shows {@code files}. */
    private static Problem problem(String id, String variant, List<StatementFile> files) {
        Problem p = problem(id, variant);
        return new Problem(
                id,
                p.name(),
                p.timeLimit(),
                p.memoryLimitBytes(),
                p.outputLimitBytes(),
                p.checker(),
                p.samples(),
                p.secretTests(),
                "pictures",
                files,
                null);
    }

    private static StatementFile picture(String name, byte[] data) {
        return new StatementFile(name, StatementFile.typeOf(name).orElseThrow(), KattisPackage.sha256(data), data);
    }

    /**
     * What an interactive or multi-pass problem is lives in its validator (interactive, and its
     * passes): every view of the problem keeps it, and so does a change of its limits.
     */
    @Test
    void interactiveAndMultiPassProblemsStayWhatTheyAre() {
        CheckerSpec.Custom validator = CheckerSpec.Custom.of("python", "validate.py", "import sys\nsys.exit(42)\n");
        List<CheckerSpec.Custom> validators = List.of(
                validator.judging(true, 1),
                validator.judging(false, 3),
                validator.judging(true, CheckerSpec.Custom.MAX_PASSES),
                validator);
        List<String> kinds = List.of("INTERACTIVE", "MULTI_PASS", "INTERACTIVE", "CUSTOM");
        for (int i = 0; i < validators.size(); i++) {
            String id = unique("talk");
            Problem p = problem(id, "T");
            Problem problem = new Problem(
                    id,
                    p.name(),
                    p.timeLimit(),
                    p.memoryLimitBytes(),
                    p.outputLimitBytes(),
                    validators.get(i),
                    List.of(new TestCase("sample/1", "5\n", "", true)),
                    p.secretTests(),
                    null);
            assertEquals(kinds.get(i), store().save(problem).checker());
            assertEquals(kinds.get(i), store().get(id).orElseThrow().checker());
            assertEquals(
                    kinds.get(i),
                    store().list().stream()
                            .filter(s -> s.id().equals(id))
                            .findFirst()
                            .orElseThrow()
                            .checker());
            assertEquals(problem, store().load(id).orElseThrow());
            assertStoresExactly(id, problem);

            store().save(store().load(id).orElseThrow().withTimeLimit(Duration.ofSeconds(4), "set by an admin"));
            CheckerSpec.Custom kept =
                    (CheckerSpec.Custom) store().load(id).orElseThrow().checker();
            assertEquals(validators.get(i), kept);
            assertEquals(validators.get(i).interacts(), kept.interacts());
            assertEquals(validators.get(i).passLimit(), kept.passLimit());
        }
    }

    /** An interactive multi-pass package imports with its validator's kind and passes, and a default time limit. */
    @Test
    void anImportedInteractiveMultiPassPackageKeepsItsKindAndPasses() throws IOException {
        String id = unique("both");
        // limits.validation_passes is 2023-07's (a legacy package has 2 passes)
        var files = new java.util.LinkedHashMap<String, String>();
        files.put(
                "problem.yaml",
                "problem_format_version: 2023-07\nname: Both\ntype: [interactive, multi-pass]\n"
                        + "limits:\n  validation_passes: 4\n");
        files.put("statement/problem.en.md", "Talk twice or more.\n");
        files.put("data/sample/1.in", "1\n");
        files.put("data/sample/1.ans", "1\n");
        files.put("data/sample/1.interaction", ">1\n<1\n");
        files.put("data/secret/1.in", "2\n");
        files.put("data/secret/1.ans", "2\n");
        files.put("output_validator/validate.py", "import sys\nsys.exit(42)\n");
        ProblemSummary summary = store().importPackage(directory(tmp, id, files));
        assertEquals("INTERACTIVE", summary.checker());
        assertEquals(summary, store().get(id).orElseThrow());
        Problem loaded = store().load(id).orElseThrow();
        CheckerSpec.Custom validator = (CheckerSpec.Custom) loaded.checker();
        assertTrue(validator.interacts());
        assertEquals(4, validator.passLimit());
        assertEquals("validate.py", validator.files().getFirst().name());
        assertTrue(loaded.timeLimitSource().startsWith("default 3 s"), loaded.timeLimitSource());
        assertStoresExactly(id, loaded);
    }

    /**
     * An interactive package's sample interactions are kept with the problem and shown to clients
     * (one with its test, one without any, as problemtools' guess has), while its samples' input
     * and answer, its validator's data, are not; a change of limits keeps them, a new import
     * replaces them.
     */
    @Test
    void sampleInteractionsAreKeptAndShownInsteadOfTheSamplesData() throws IOException {
        String id = unique("dialogue");
        var files = new java.util.LinkedHashMap<String, String>();
        files.put("problem.yaml", "problem_format_version: 2023-07\nname: Dialogue\ntype: interactive\n");
        files.put("statement/problem.en.md", "Guess.\n");
        files.put("data/sample/1.in", "SAMPLE-VALIDATOR-INPUT\n");
        files.put("data/sample/1.ans", "SAMPLE-VALIDATOR-ANSWER\n");
        files.put("data/sample/1.interaction", ">guess 5\r\n<higher\n\n>guess 7\n<correct");
        files.put("data/sample/2.interaction", ">guess 1\n<correct\n");
        files.put("data/secret/1.in", SECRET_INPUT + "\n");
        files.put("data/secret/1.ans", SECRET_ANSWER + "\n");
        files.put("output_validator/validate.py", "import sys\nsys.exit(42)\n");
        List<SampleInteraction> expected = List.of(
                new SampleInteraction("sample/1", ">guess 5\n<higher\n>guess 7\n<correct\n"),
                new SampleInteraction("sample/2", ">guess 1\n<correct\n"));

        ProblemSummary summary = store().importPackage(directory(tmp, id, files));
        assertEquals("INTERACTIVE", summary.checker());
        assertEquals(expected, summary.sampleInteractions());
        assertEquals(List.of(), summary.samples(), "an interactive sample's data is its validator's");
        assertEquals(summary, store().get(id).orElseThrow());
        ProblemSummary listed = store().list().stream()
                .filter(p -> p.id().equals(id))
                .findFirst()
                .orElseThrow();
        assertEquals(summary, listed);
        for (Object clientView : List.of(summary, listed)) {
            String json = Json.write(clientView);
            assertTrue(json.contains("<higher"), json);
            for (String hidden : List.of("SAMPLE-VALIDATOR-INPUT", "SAMPLE-VALIDATOR-ANSWER", SECRET_INPUT)) {
                assertFalse(json.contains(hidden), hidden + " in " + json);
            }
        }

        Problem loaded = store().load(id).orElseThrow();
        assertEquals(KattisPackage.read(tmp.resolve(id)), loaded);
        assertEquals(expected, loaded.sampleInteractions());
        assertEquals(
                List.of("sample/1", "secret/1"),
                loaded.tests().stream().map(TestCase::name).toList(),
                "the sample with data is judged; an interaction alone is for the statement");
        assertStoresExactly(id, loaded);

        store().save(loaded.withTimeLimit(Duration.ofSeconds(2), "set by an admin"));
        assertEquals(expected, store().get(id).orElseThrow().sampleInteractions());

        store().importPackage(directory(tmp.resolve("v2"), id, with(files, "data/sample/2.interaction", null)));
        assertEquals(
                List.of("sample/1"),
                store().load(id).orElseThrow().sampleInteractions().stream()
                        .map(SampleInteraction::name)
                        .toList());
    }

    @Test
    void unknownAndInvalidIdsAreEmpty() {
        assertTrue(store().get(unique("none")).isEmpty());
        assertTrue(store().get("../x").isEmpty());
        assertTrue(store().load("a/b").isEmpty());
        assertFalse(store().delete(".."));
        assertThrows(IllegalArgumentException.class, () -> store().importPackage("../x", tmp));
    }
}
