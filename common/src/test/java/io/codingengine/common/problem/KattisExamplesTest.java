package io.codingengine.common.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.Grading;
import io.codingengine.common.judge.TestCase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conformance: every problemtools example package, zipped with its symbolic links kept (by
 * {@code zip -ry} where it is installed, and by {@link UnixZip} always), is imported or refused
 * as expected. An example added to the shared directory fails {@link #everyExampleHasAnExpectation}
 * until it is given one here.
 */
@Tag("fast")
class KattisExamplesTest {

    private static final Set<String> IMPORTED = Set.of("hello", "different", "guess", "oddecho");

    @TempDir
    static Path tmp;

    @BeforeAll
    static void examplesArePresent() {
        assumeTrue(KattisExamples.directory() != null, "no ../shared/conformance/kattis-examples beside the project");
    }

    @Test
    void everyExampleHasAnExpectation() {
        for (String name : KattisExamples.names()) {
            assertTrue(IMPORTED.contains(name), "no expectation for example " + name);
        }
    }

    @Test
    void helloIsImported() throws IOException {
        for (Path zip : zips("hello")) {
            Problem hello = KattisPackage.read(zip);
            assertEquals("hello", hello.id());
            assertEquals("Hello World!", hello.name());
            assertEquals(512L << 20, hello.memoryLimitBytes());
            assertEquals(Problem.DEFAULT_OUTPUT_LIMIT_BYTES, hello.outputLimitBytes());
            assertEquals(Duration.ofSeconds(KattisPackage.DEFAULT_TIME_LIMIT_SECONDS), hello.timeLimit());
            assertEquals(CheckerSpec.Tokens.KATTIS, hello.checker(), "Kattis's default validator: letter case ignored");
            assertEquals(List.of(), hello.samples());
            assertEquals(List.of(new TestCase("secret/hello", "", "Hello World!\n", false)), hello.secretTests());
            // its statements are LaTeX only (problem.en.tex first): converted at import
            assertTrue(hello.statement().contains("## Output"), hello.statement());
            assertTrue(hello.statement().contains("Hello World\\!"), hello.statement());
            assertEquals(List.of(), hello.statementFiles());
        }
    }

    @Test
    void differentIsImportedWithItsCustomValidator() throws IOException {
        for (Path zip : zips("different")) {
            Problem different = KattisPackage.read(zip);
            assertEquals("A Different Problem", different.name());
            assertEquals(
                    List.of("sample/1"),
                    different.samples().stream().map(TestCase::name).toList());
            assertEquals(
                    List.of("secret/01", "secret/02_extreme_cases"),
                    different.secretTests().stream().map(TestCase::name).toList());
            CheckerSpec.Custom validator = assertInstanceOf(CheckerSpec.Custom.class, different.checker());
            assertEquals("c++", validator.language());
            assertEquals(
                    List.of("validate.cc", "validate.h"),
                    validator.files().stream().map(SourceFile::name).toList());
        }
    }

    @Test
    void guessIsImportedAsAnInteractiveProblem() throws IOException {
        for (Path zip : zips("guess")) {
            Problem guess = KattisPackage.read(zip);
            assertEquals("Guess the Number", guess.name());
            assertEquals(List.of(), guess.samples(), "its samples are .interaction files only, shown, not judged");
            assertEquals(10, guess.secretTests().size());
            assertEquals(
                    new TestCase("secret/01", "fixed 500\n", "", false),
                    guess.secretTests().getFirst());
            CheckerSpec.Custom validator = assertInstanceOf(CheckerSpec.Custom.class, guess.checker());
            assertTrue(validator.interacts());
            assertEquals(1, validator.passLimit());
            assertEquals("c++", validator.language());
            assertEquals(
                    List.of("guess_validator/validate.cc", "guess_validator/validate.h"),
                    validator.files().stream().map(SourceFile::name).toList());
            // No time limit given: its accepted submissions are run with its validator at import.
            KattisPackage.Read read = KattisPackage.readForImport(null, zip);
            assertNotNull(read.rule());
            assertEquals(
                    List.of("submissions/accepted/guess.cc", "submissions/accepted/guess.java"),
                    read.accepted().stream()
                            .map(KattisPackage.AcceptedSubmission::path)
                            .toList());
            assertEquals(Duration.ofSeconds(3), read.problem().timeLimit());
            assertTrue(
                    read.problem().timeLimitSource().startsWith("default 3 s"),
                    read.problem().timeLimitSource());
        }
    }

    /**
     * oddecho is a scoring problem of nested groups: its samples ignored at the root, secret
     * accepted when one subtask is, each subtask worth 50 at its minimum and stopping at its
     * first rejection.
     */
    @Test
    void oddechoIsImportedWithItsGroups() throws IOException {
        for (Path zip : zips("oddecho")) {
            Problem p = KattisPackage.read(zip);
            Grading grading = p.grading();
            assertTrue(grading.scoring());
            assertEquals(
                    List.of("data", "sample", "secret", "secret/subtask1", "secret/subtask2"),
                    List.copyOf(grading.groups().keySet()));
            assertTrue(grading.groups().get("data").ignoreSample());
            Grading.Group secret = grading.groups().get("secret");
            assertTrue(secret.acceptIfAnyAccepted());
            assertEquals(Grading.VerdictMode.FIRST_ERROR, secret.verdictMode());
            Grading.Group subtask1 = grading.groups().get("secret/subtask1");
            assertTrue(subtask1.breakOnReject());
            assertEquals(Grading.Aggregation.MIN, subtask1.aggregation());
            assertEquals(50.0, subtask1.acceptScore());
            assertEquals(50.0, subtask1.maxScore());
            assertEquals(0.0, grading.groups().get("sample").acceptScore());
        }
    }

    /** oddecho's subtask2 links six test files to subtask1's: the zip holds links, read as their targets. */
    @Test
    void oddechosLinkedTestDataReadsAsItsTargets() throws IOException {
        for (Path zip : zips("oddecho")) {
            try (PackageArchive archive = PackageArchive.open(zip, PackageArchive.Limits.DEFAULT)) {
                for (String file : List.of("1.in", "1.ans", "2.in", "2.ans", "3.in", "3.ans")) {
                    String linked = archive.text("data/secret/subtask2/" + file);
                    assertEquals(archive.text("data/secret/subtask1/" + file), linked, file);
                    assertTrue(!linked.startsWith("../"), "read the link's target, not its path: " + linked);
                }
            }
            assertTrue(Files.size(zip) > 0);
        }
    }

    /** The example zipped both ways: {@code zip -ry} when installed, and {@link UnixZip}. */
    private static List<Path> zips(String name) throws IOException {
        Path dir = Files.isDirectory(tmp.resolve("copies").resolve(name))
                ? tmp.resolve("copies").resolve(name)
                : KattisExamples.copy(name, Files.createDirectories(tmp.resolve("copies")));
        Path zips = Files.createDirectories(tmp.resolve("zips"));
        List<Path> result = new ArrayList<>();
        if (KattisExamples.hasZipTool()) {
            Path zip = zips.resolve(name + ".zip");
            result.add(Files.exists(zip) ? zip : KattisExamples.zip(dir, zip, true));
        }
        Path own = zips.resolve(name + "-unixzip.zip");
        result.add(Files.exists(own) ? own : KattisExamples.zip(dir, own, false));
        return result;
    }
}
