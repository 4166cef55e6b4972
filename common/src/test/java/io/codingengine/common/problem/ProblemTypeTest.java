package io.codingengine.common.problem;

import static io.codingengine.common.problem.Packages.directory;
import static io.codingengine.common.problem.Packages.hello;
import static io.codingengine.common.problem.Packages.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.judge.CheckerSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interactive and multi-pass packages are imported with their output validator judging that way
 * (in {@code type}, or the legacy {@code validation}), with {@code limits.validation_passes}; a
 * package that says so without a validator of its own, or asks for passes the engine does not
 * run, is refused with the reason.
 */
class ProblemTypeTest {

    @TempDir
    Path tmp;

    private static final String VALIDATOR = "import sys\nsys.exit(42)\n";

    /** A 2023-07-or-later package with an output validator, {@code yaml} added to its problem.yaml. */
    private static Map<String, String> modern(String version, String yaml) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("problem.yaml", "problem_format_version: " + version + "\nname: Talk\n" + yaml);
        files.put("statement/problem.en.md", "Talk.\n");
        files.put("data/sample/1.in", "1\n");
        files.put("data/sample/1.ans", "1\n");
        files.put("data/sample/1.interaction", ">1\n<1\n");
        files.put("data/secret/1.in", "2\n");
        files.put("data/secret/1.ans", "2\n");
        files.put("output_validator/validate.py", VALIDATOR);
        return files;
    }

    private CheckerSpec.Custom checker(Map<String, String> files) throws IOException {
        Path dir = directory(Files.createTempDirectory(tmp, "case"), "talk", files);
        return assertInstanceOf(
                CheckerSpec.Custom.class, KattisPackage.read(dir).checker());
    }

    private void assertRefused(Map<String, String> files, String reason) throws IOException {
        Path dir = directory(Files.createTempDirectory(tmp, "case"), "talk", files);
        InvalidPackageException e = assertThrows(InvalidPackageException.class, () -> KattisPackage.read(dir));
        assertTrue(e.getMessage().contains(reason), "expected \"" + reason + "\" in: " + e.getMessage());
    }

    /**
     * A sample interaction is read into lines by who wrote them, a pass's end included; a line
     * that is neither refuses the package, naming the file and the line; another problem's
     * {@code .interaction} stays a file for people.
     */
    @Test
    void sampleInteractionsAreReadAndCheckedForInteractiveAndMultiPassProblems() throws IOException {
        Path dir = directory(
                Files.createTempDirectory(tmp, "case"),
                "talk",
                with(modern("2023-07", "type: multi-pass\n"), "data/sample/1.interaction", "<1\n>2\n---\n<3\n>4\n"));
        var interactions = KattisPackage.read(dir).sampleInteractions();
        assertEquals(1, interactions.size());
        assertEquals(
                java.util.List.of(
                        new SampleInteraction.Line(SampleInteraction.Sender.JUDGE, "1"),
                        new SampleInteraction.Line(SampleInteraction.Sender.PROGRAM, "2"),
                        new SampleInteraction.Line(SampleInteraction.Sender.PASS_END, ""),
                        new SampleInteraction.Line(SampleInteraction.Sender.JUDGE, "3"),
                        new SampleInteraction.Line(SampleInteraction.Sender.PROGRAM, "4")),
                interactions.getFirst().lines());

        assertRefused(
                with(modern("2023-07", "type: interactive\n"), "data/sample/1.interaction", ">1\nhello\n"),
                "data/sample/1.interaction line 2: a line of an interaction begins with >");
        assertRefused(
                with(
                        modern("2023-07", "type: interactive\n"),
                        "data/sample/1.interaction",
                        ">" + "x".repeat(SampleInteraction.MAX_CHARS)),
                "a sample interaction may have");

        Path plain = directory(
                Files.createTempDirectory(tmp, "case"),
                "plain",
                with(with(hello(), "data/sample/1.interaction", "not an interaction\n"), "problem.yaml", "name: P\n"));
        assertEquals(java.util.List.of(), KattisPackage.read(plain).sampleInteractions());
    }

    @Test
    void anInteractiveProblemsValidatorTalksWithTheSubmission() throws IOException {
        for (String type : new String[] {"type: interactive\n", "type: [pass-fail, interactive]\n"}) {
            CheckerSpec.Custom c = checker(modern("2023-07", type));
            assertTrue(c.interacts());
            assertEquals(1, c.passLimit());
            assertEquals("python", c.language());
        }
        CheckerSpec.Custom legacy = checker(with(
                with(hello(), "problem.yaml", "validation: custom interactive\n"),
                "output_validators/talk/validate.py",
                VALIDATOR));
        assertTrue(legacy.interacts());
    }

    @Test
    void aMultiPassProblemHasItsValidationPasses() throws IOException {
        CheckerSpec.Custom two = checker(modern("2025-09", "type: multi-pass\n"));
        assertFalse(two.interacts());
        assertEquals(2, two.passLimit(), "the format's default");
        CheckerSpec.Custom five = checker(modern("2025-09", "type: multi-pass\nlimits:\n  validation_passes: 5\n"));
        assertEquals(5, five.passLimit());
        CheckerSpec.Custom both =
                checker(modern("2023-07", "type: [interactive, multi-pass]\nlimits:\n  validation_passes: 3\n"));
        assertTrue(both.interacts());
        assertEquals(3, both.passLimit());
        CheckerSpec.Custom legacy = checker(with(
                with(hello(), "problem.yaml", "validation: custom multi-pass\n"),
                "output_validators/talk/validate.py",
                VALIDATOR));
        assertEquals(2, legacy.passLimit());
        CheckerSpec.Custom plain = checker(modern("2025-09", "limits:\n  validation_passes: 4\n"));
        assertFalse(plain.talksOrPasses(), "validation_passes means nothing to a pass-fail problem");
    }

    @Test
    void whatCannotBeJudgedIsRefusedWithTheReason() throws IOException {
        Map<String, String> noValidator =
                with(modern("2023-07", "type: interactive\n"), "output_validator/validate.py", null);
        assertRefused(noValidator, "an interactive problem needs its own output validator");
        assertRefused(
                with(modern("2025-09", "type: multi-pass\n"), "output_validator/validate.py", null),
                "a multi-pass problem needs its own output validator");
        assertRefused(
                modern("2025-09", "type: multi-pass\nlimits:\n  validation_passes: 1\n"),
                "limits.validation_passes must be an integer of at least 2, not 1");
        assertRefused(
                modern("2025-09", "type: multi-pass\nlimits:\n  validation_passes: many\n"),
                "limits.validation_passes must be an integer");
        assertRefused(
                modern("2025-09", "type: multi-pass\nlimits:\n  validation_passes: 17\n"),
                "limits.validation_passes 17 is not supported: the engine runs at most 16 passes");
        assertRefused(
                modern("2025-09", "type: [interactive, scoring]\n"),
                "scoring interactive or multi-pass problems are not supported");
        assertRefused(
                with(
                        with(hello(), "problem.yaml", "validation: custom interactive score\n"),
                        "output_validators/v/validate.py",
                        VALIDATOR),
                "scoring interactive or multi-pass problems are not supported");
    }
}
