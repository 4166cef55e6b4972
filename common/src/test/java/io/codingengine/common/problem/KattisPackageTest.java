package io.codingengine.common.problem;

import static io.codingengine.common.problem.Packages.directory;
import static io.codingengine.common.problem.Packages.hello;
import static io.codingengine.common.problem.Packages.with;
import static io.codingengine.common.problem.Packages.zip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.TestCase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("fast")
class KattisPackageTest {

    @TempDir
    Path tmp;

    @Test
    void readsADirectoryPackage() throws IOException {
        Problem problem = KattisPackage.read(directory(tmp, "hello", hello()));

        assertEquals("hello", problem.id());
        assertEquals("Hello World", problem.name());
        assertEquals(Duration.ofMillis(2500), problem.timeLimit());
        assertEquals(512L << 20, problem.memoryLimitBytes());
        assertEquals(CheckerSpec.Tokens.kattis(List.of("float_tolerance", "1e-4")), problem.checker());
        assertEquals("# Hello\n\nPrint the sum.\n", problem.statement());
        assertEquals(
                List.of(new TestCase("sample/1", "1 2\n", "3\n", true), new TestCase("sample/2", "2 2\n", "4\n", true)),
                problem.samples());
        assertEquals(
                List.of("secret/02", "secret/group1/01"),
                problem.secretTests().stream().map(TestCase::name).toList());
        assertTrue(problem.secretTests().stream().noneMatch(TestCase::visible));
        assertEquals(
                Packages.SECRET_INPUT + " 2\n", problem.secretTests().getFirst().input());
        assertEquals(
                Packages.SECRET_ANSWER + " 2\n",
                problem.secretTests().getFirst().expectedOutput());
        assertEquals(4, problem.tests().size());
        assertEquals("sample/1", problem.tests().getFirst().name());
    }

    @Test
    void aZipReadsLikeTheDirectoryWithOrWithoutATopLevelDirectory() throws IOException {
        Problem fromDirectory = KattisPackage.read(directory(tmp, "hello", hello()));
        Path nested = Packages.zipDirectory(tmp.resolve("hello"), tmp.resolve("upload-1.zip"), "hello/");
        Path flat = zip(tmp, "hello.zip", "", hello());

        assertEquals(fromDirectory, KattisPackage.read(nested));
        assertEquals(fromDirectory, KattisPackage.read(flat));
        assertEquals("other", KattisPackage.read("other", nested).id());
    }

    @Test
    void sparseYamlGetsDefaults() throws IOException {
        var files = with(hello(), "problem.yaml", "name:\n  sv: Hej\n  en: Hello\n");
        Problem problem = KattisPackage.read(directory(tmp, "p1", files));
        assertEquals("Hello", problem.name());
        assertEquals(Duration.ofSeconds(KattisPackage.DEFAULT_TIME_LIMIT_SECONDS), problem.timeLimit());
        assertEquals((long) KattisPackage.DEFAULT_MEMORY_MIB << 20, problem.memoryLimitBytes());
        assertEquals(CheckerSpec.Tokens.KATTIS, problem.checker(), "Kattis's default validator, no flags");

        Problem empty =
                KattisPackage.read(directory(tmp, "p2", with(with(files, "problem.yaml", ""), ".timelimit", "1.5\n")));
        assertEquals("p2", empty.name());
        assertEquals(Duration.ofMillis(1500), empty.timeLimit());

        Problem strict = KattisPackage.read(directory(
                tmp, "p3", with(files, "problem.yaml", "validator_flags: case_sensitive space_change_sensitive\n")));
        assertEquals(CheckerSpec.Tokens.kattis(List.of("case_sensitive", "space_change_sensitive")), strict.checker());

        Problem absolute = KattisPackage.read(
                directory(tmp, "p4", with(files, "problem.yaml", "validator_flags: float_absolute_tolerance 0.01\n")));
        assertEquals(CheckerSpec.Tokens.kattis(List.of("float_absolute_tolerance", "0.01")), absolute.checker());

        var noStatement = with(
                with(with(files, "problem_statement/problem.en.md", null), "problem_statement/problem.en.tex", null),
                "statement/other.md",
                "# Other");
        assertEquals(
                "# Other", KattisPackage.read(directory(tmp, "p5", noStatement)).statement());
        assertNull(KattisPackage.read(directory(tmp, "p6", with(files, "problem_statement/problem.en.md", null)))
                .statement());
    }

    @Test
    void aCustomOutputValidatorBecomesACustomChecker() throws IOException {
        var files = with(
                with(
                        with(hello(), "problem.yaml", "name: Custom\nvalidation: custom\n"),
                        "output_validators/checker/testlib.h",
                        "#pragma once\n"),
                "output_validators/checker/validate.cpp",
                "#include \"testlib.h\"\nint main() { return 42; }\n");
        CheckerSpec checker =
                KattisPackage.read(directory(tmp, "custom", files)).checker();

        CheckerSpec.Custom custom = assertInstanceOf(CheckerSpec.Custom.class, checker);
        assertEquals("c++", custom.language());
        assertEquals(
                List.of("validate.cpp", "testlib.h"),
                custom.files().stream().map(SourceFile::name).toList());
        assertTrue(custom.files().getFirst().content().contains("return 42"));

        // The 2023-07 layout (output_validator/), found without "validation: custom".
        var modern = with(
                with(
                        with(hello(), "problem.yaml", "name: Modern\n"),
                        "output_validator/check.py",
                        "import sys\nsys.exit(42)\n"),
                "output_validator/util.py",
                "X = 1\n");
        CheckerSpec.Custom python = assertInstanceOf(
                CheckerSpec.Custom.class,
                KattisPackage.read(directory(tmp, "modern", modern)).checker());
        assertEquals("python", python.language());
        assertEquals("check.py", python.files().getFirst().name());
    }

    @Test
    void zipSlipAndOtherUnsafeEntryNamesAreRejected() throws IOException {
        for (String evil : List.of(
                "../evil.txt",
                "hello/../../evil.txt",
                "/etc/cron.d/evil",
                "data\\..\\..\\evil",
                "C:/evil.txt",
                "data/./x.in",
                "data//x.in")) {
            Map<String, byte[]> entries = new java.util.TreeMap<>();
            hello().forEach((name, content) -> entries.put(name, content.getBytes(StandardCharsets.UTF_8)));
            entries.put(evil, "pwned".getBytes(StandardCharsets.UTF_8));
            Path zip = Packages.rawZip(tmp.resolve("evil.zip"), entries);
            InvalidPackageException e =
                    assertThrows(InvalidPackageException.class, () -> KattisPackage.read(zip), evil);
            assertTrue(e.getMessage().contains("unsafe path") && e.getMessage().contains(evil), e.getMessage());
        }
        assertFalse(Files.exists(tmp.getParent().resolve("evil.txt")));
    }

    @Test
    void linksLeavingADirectoryPackageAreRejected() throws IOException {
        Path outside = Files.writeString(tmp.resolve("outside.txt"), "host secret");
        Path dir = directory(tmp, "linked", hello());
        Files.createSymbolicLink(dir.resolve("data/secret/03.in"), outside);
        Files.writeString(dir.resolve("data/secret/03.ans"), "x");
        InvalidPackageException e = assertThrows(InvalidPackageException.class, () -> KattisPackage.read(dir));
        assertTrue(e.getMessage().contains("data/secret/03.in"), e.getMessage());

        // A link that stays inside is read like the file it names.
        Files.delete(dir.resolve("data/secret/03.in"));
        Files.createSymbolicLink(dir.resolve("data/secret/03.in"), dir.resolve("data/secret/02.in"));
        TestCase linked = KattisPackage.read(dir).secretTests().get(1);
        assertEquals("secret/03", linked.name());
        assertEquals(Packages.SECRET_INPUT + " 2\n", linked.input());
    }

    @Test
    void incompleteOrUnsupportedPackagesAreRejectedWithTheReason() throws IOException {
        assertRejected(with(hello(), "data/secret/02.ans", null), "data/secret/02.in has no matching .ans");
        assertRejected(with(hello(), "data/sample/3.ans", "5\n"), "data/sample/3.ans has no matching .in");
        assertRejected(Map.of("problem.yaml", "name: Empty\n"), "no tests");
        assertRejected(with(hello(), "problem.yaml", null), "problem.yaml is missing");
        assertRejected(
                with(hello(), "problem.yaml", "validation: custom interactive\n"),
                "output_validators/ has no validator");
        assertRejected(
                with(hello(), "problem.yaml", "type: interactive\n"),
                "an interactive problem needs its own output validator");
        assertRejected(with(hello(), "problem.yaml", "validation: custom\n"), "no validator");
        assertRejected(
                with(
                        with(hello(), "output_validators/a/v.cpp", "int main(){}"),
                        "output_validators/b/v.cpp",
                        "int main(){}"),
                "more than one output validator");
        assertRejected(
                with(with(hello(), "problem.yaml", "name: H\n"), "output_validators/v/checker.sh", "#!/bin/sh"),
                "cannot tell the language");
        assertRejected(with(hello(), "problem.yaml", "limits:\n  memory: -5\n"), "limits.memory must be positive");
        assertRejected(
                with(hello(), "problem.yaml", "limits:\n  time_limit: fast\n"),
                "limits.time_limit is not a number: fast");
        assertRejected(with(hello(), "problem.yaml", "name: [unclosed\n"), "not valid YAML");
        assertRejected(with(hello(), "problem.yaml", "- a list\n"), "not a mapping");
        assertRejected(with(hello(), "problem.yaml", "validator_flags: float_tolerance\n"), "needs a value");

        Path dir = directory(tmp, "binary", hello());
        Files.write(dir.resolve("data/secret/02.in"), new byte[] {(byte) 0xff, (byte) 0xfe, 0});
        InvalidPackageException e = assertThrows(InvalidPackageException.class, () -> KattisPackage.read(dir));
        assertTrue(e.getMessage().contains("data/secret/02.in is not UTF-8"), e.getMessage());
    }

    @Test
    void namesThatAreNoIdsNeedAnExplicitId() throws IOException {
        Path zip = zip(tmp, "Hello World.zip", "", hello());
        InvalidPackageException e = assertThrows(InvalidPackageException.class, () -> KattisPackage.read(zip));
        assertTrue(e.getMessage().contains("explicit id"), e.getMessage());
        assertEquals("hello-world", KattisPackage.read("hello-world", zip).id());
    }

    @Test
    void notAPackageAtAll() throws IOException {
        Path text = Files.writeString(tmp.resolve("notes.zip"), "not a zip");
        assertThrows(InvalidPackageException.class, () -> KattisPackage.read(text));
        assertThrows(InvalidPackageException.class, () -> KattisPackage.read(tmp.resolve("missing")));
    }

    @Test
    void sizeLimitsStopZipBombs() throws IOException {
        var files = with(hello(), "data/secret/big.in", "0".repeat(200_000));
        Path zip = zip(tmp, "bomb.zip", "", with(files, "data/secret/big.ans", "0"));
        assertTrue(Files.size(zip) < 10_000);
        var small = new PackageArchive.Limits(100, 100_000, 10_000_000);
        InvalidPackageException e =
                assertThrows(InvalidPackageException.class, () -> KattisPackage.read(null, zip, small));
        assertTrue(e.getMessage().contains("data/secret/big.in is larger than"), e.getMessage());
        var few = new PackageArchive.Limits(5, 100_000_000, 100_000_000);
        assertThrows(InvalidPackageException.class, () -> KattisPackage.read(null, zip, few));
        var total = new PackageArchive.Limits(100, 1_000_000, 150_000);
        e = assertThrows(InvalidPackageException.class, () -> KattisPackage.read(null, zip, total));
        assertTrue(e.getMessage().contains("package is larger than"), e.getMessage());
    }

    /**
     * What the engine cannot judge as the format means it is refused, naming the feature, never
     * imported to be judged some other way.
     */
    @Test
    void problemTypesOtherThanPassFailAreRefusedByName() throws IOException {
        // Interactive and multi-pass problems are judged: ProblemTypeTest.
        assertRejected(modern("2025-09", "type: submit-answer\n"), "submit-answer problems are not supported");
        assertRejected(
                modern("2025-09", "type: [interactive, submit-answer]\n"), "submit-answer problems are not supported");
        // Scoring problems are judged by their groups: TestGroupsTest.
        assertTrue(KattisPackage.read("s1", directory(tmp, "s1", with(hello(), "problem.yaml", "type: scoring\n")))
                .grading()
                .scoring());
        assertRejected(
                with(hello(), "problem.yaml", "grading:\n  objective: min\n"),
                "problem.yaml: grading.objective min is not supported");
        assertRejected(modern("2025-09", "type: speedrun\n"), "unknown problem type speedrun");
        assertRejected(with(hello(), "problem.yaml", "validation: lenient\n"), "validation must be default, or custom");
        assertRejected(with(hello(), "problem.yaml", "validation: custom fancy\n"), "unknown word fancy");
    }

    @Test
    void unknownVersionsKeysAndUnenforcedRulesAreRefused() throws IOException {
        assertRejected(modern("2030-01", ""), "problem_format_version 2030-01 is not supported (supported: legacy,");
        assertRejected(modern("draft", ""), "problem_format_version draft is not supported");
        assertRejected(
                with(hello(), "problem.yaml", "name: X\ntimelimit: 5\n"),
                "problem.yaml: unknown key timelimit for problem_format_version legacy");
        assertRejected(
                with(hello(), "problem.yaml", "limits:\n  memroy: 1024\n"), "problem.yaml: unknown key limits.memroy");
        assertRejected(with(hello(), "problem.yaml", "limits: 5\n"), "limits must be a mapping");
        assertRejected(
                modern("2023-07", "validator_flags: float_tolerance 1e-6\n"),
                "unknown key validator_flags for"
                        + " problem_format_version 2023-07 (since 2023-07 a custom output validator is output_validator/");
        assertRejected(
                with(hello(), "problem.yaml", "constants: {n: 5}\n"),
                "unknown key constants for problem_format_version legacy");
        assertRejected(
                modern("2025-09", "languages: [cpp, python3]\n"),
                "problem.yaml: languages [cpp, python3] is not supported");
        assertRejected(
                modern("2025-09", "", "include/default/testlib.h", "#pragma once\n"),
                "include/ is not supported: the format adds its files to every submission");
        assertRejected(modern("2025-09", "", "include/python3/lib.py", "X = 1\n"), "include/python3/lib.py");
        assertRejected(
                modern("2025-09", "", "static_validator/check.py", "pass\n"), "static_validator/ is not supported");
        assertRejected(
                modern("2025-09", "", "data/secret/1.files/extra.txt", "x\n"),
                "data/secret/1.files/extra.txt: input files for a test (.files directories) are not supported");
    }

    @Test
    void testDataSettingsThatChangeJudgingAreRefused() throws IOException {
        assertRejected(
                modern("2025-09", "", "data/secret/test_group.yaml", "args: [--fast]\n"),
                "data/secret/test_group.yaml: args [--fast] is not supported");
        assertRejected(
                modern("2025-09", "", "data/secret/1.yaml", "args: [\"7\"]\n"),
                "data/secret/1.yaml: args [7] is not supported");
        assertRejected(
                modern("2025-09", "", "data/secret/1.yaml", "timeout: 3\n"), "data/secret/1.yaml: unknown key timeout");
        assertRejected(
                with(hello(), "data/testdata.yaml", "grading: custom\n"),
                "data/testdata.yaml: grading custom is not supported: custom graders (graders/) are not implemented");
        assertRejected(
                with(hello(), "data/testdata.yaml", "grader_flags: first_error best_of_three\n"),
                "data/testdata.yaml: grader flag best_of_three is not supported (the default grader's flags:");
        assertRejected(
                modern("2025-09", "type: scoring\n", "data/secret/test_group.yaml", "require_pass: sample\n"),
                "data/secret/test_group.yaml: require_pass is not supported: group dependencies are not implemented");
        assertRejected(
                modern("2025-09", "type: scoring\n", "data/secret/test_group.yaml", "accept_score: 5\n"),
                "data/secret/test_group.yaml: accept_score is not a key of problem_format_version 2025-09");
        assertRejected(
                with(hello(), "data/secret/testdata.yaml", "max_score: 5\n"),
                "data/secret/testdata.yaml: max_score is not a key of problem_format_version legacy");
        assertRejected(
                with(hello(), "data/secret/testdata.yaml", "on_reject: sometimes\n"),
                "data/secret/testdata.yaml: on_reject must be break or continue, not sometimes");
        assertRejected(
                modern("2025-09", "", "data/secret/test_group.yaml", "static_validation_score: 10\n"),
                "static_validation_score is not supported: static validation is not implemented");
        assertRejected(
                with(hello(), "data/secret/testdata.yaml", "on_reject: continue\nretries: 3\n"),
                "data/secret/testdata.yaml: unknown key retries");
        assertRejected(
                with(hello(), "data/secret/testdata.yaml", "output_validator_flags:\n  name: v\n  flags: x\n"),
                "output_validator_flags naming a validator is not supported");
        assertRejected(
                modern("2025-09", "", "data/secret/test_group.yaml", "output_validator_args: [ignore_case]\n"),
                "secret/1: output validator arguments: \"ignore_case\" is not a flag of the default output validator");
        assertRejected(
                modern("2025-09", "", "output_validator/build", "#!/bin/sh\n", "output_validator/run", "#!/bin/sh\n"),
                "the output validator output_validator/ is built by build/run scripts, which are not supported");
        assertRejected(
                with(hello(), "problem.yaml", "validator_flags: ignore_case\n"),
                "validator_flags: \"ignore_case\" is not a flag of the default output validator");
    }

    @Test
    void settingsThatDoNotChangeAPassFailVerdictAreAccepted() throws IOException {
        // 2025-09: the default validator's arguments in test_group.yaml, the same for every test.
        var files = modern(
                "2025-09",
                "type: [pass-fail]\nlanguages: all\nallow_file_writing: true\n"
                        + "credits: {authors: A}\nembargo_until: 2020-01-01\nlimits:\n  time_limit: 1.5\n  memory: 1024\n"
                        + "  output: 16\n  time_multipliers: {ac_to_time_limit: 2}\n",
                "data/test_group.yaml",
                "output_validator_args: [float_relative_tolerance, \"1e-5\"]\n",
                "data/secret/test_group.yaml",
                "max_score: 100\nscore_aggregation: sum\nfull_feedback: false\n",
                "data/secret/1.yaml",
                "description: the edge case\nhint: think\ninput_validator_args: [--small]\n");
        Problem problem = KattisPackage.read("m1", directory(tmp, "m1", files));
        assertEquals(CheckerSpec.Tokens.kattis(List.of("float_relative_tolerance", "1e-5")), problem.checker());
        assertEquals(Duration.ofMillis(1500), problem.timeLimit());
        assertEquals(1024L << 20, problem.memoryLimitBytes());
        assertEquals(16L << 20, problem.outputLimitBytes(), "limits.output, in MiB");
        assertEquals(
                List.of("sample/1"),
                problem.samples().stream().map(TestCase::name).toList());

        // Legacy: validator_flags, then a testdata.yaml's output_validator_flags; harmless grading keys.
        var legacy = with(
                with(
                        with(hello(), "data/secret/testdata.yaml", null),
                        "problem.yaml",
                        "name: L\nvalidator_flags: space_change_sensitive\n"),
                "data/testdata.yaml",
                "on_reject: continue\ngrading: default\ngrader_flags: worst_error sum\n"
                        + "output_validator_flags: float_absolute_tolerance 0.5\ninput_validator_flags: n=5\n");
        Problem l1 = KattisPackage.read("l1", directory(tmp, "l1", legacy));
        assertEquals(
                CheckerSpec.Tokens.kattis(List.of("space_change_sensitive", "float_absolute_tolerance", "0.5")),
                l1.checker(),
                "the same flags for every test: the problem's checker holds them");
        assertTrue(l1.grading().outputValidatorArgs().isEmpty());
        var perGroup = with(legacy, "data/secret/group1/testdata.yaml", "output_validator_flags: case_sensitive\n");
        Problem l2 = KattisPackage.read("l2", directory(tmp, "l2", perGroup));
        assertEquals(CheckerSpec.Tokens.kattis(List.of("space_change_sensitive")), l2.checker());
        assertEquals(
                List.of("float_absolute_tolerance", "0.5"),
                l2.grading().outputValidatorArgs().get("secret/02"));
        assertEquals(
                List.of("case_sensitive"),
                l2.grading().outputValidatorArgs().get("secret/group1/01"),
                "a group's own flags replace its parent's");

        // Legacy, as problemtools reads it: a group's testdata.yaml overlays its parent's settings,
        // so data/secret's (which has no flags) keeps data/'s for the secret tests.
        var nearest = with(
                with(hello(), "data/testdata.yaml", "output_validator_flags: float_tolerance 1\n"),
                "data/secret/testdata.yaml",
                "on_reject: break\n");
        Problem overlaid = KattisPackage.read("n1", directory(tmp, "n1", nearest));
        assertEquals(
                CheckerSpec.Tokens.kattis(List.of("float_tolerance", "1e-4", "float_tolerance", "1")),
                overlaid.checker());
    }

    @Test
    void constantsReplaceTheirTagsWhereTheFormatSays() throws IOException {
        String yaml = "constants:\n  max_n: 1000\n  eps: 1e-6\n  quoted: \"a {{b}}\"\n";
        var files = modern(
                "2025-09",
                yaml + "name: N is {{max_n}}\n",
                "statement/problem.en.md",
                "$n \\le {{max_n}}$, {{quoted}}, {{nextsample}}, {{unknown}}\n",
                "data/test_group.yaml",
                "output_validator_args: [float_tolerance, \"{{eps}}\"]\n",
                "data/secret/1.in",
                "{{max_n}}\n");
        Problem problem = KattisPackage.read("c1", directory(tmp, "c1", files));
        assertEquals("$n \\le 1000$, a {{b}}, {{nextsample}}, {{unknown}}\n", problem.statement());
        assertEquals(CheckerSpec.Tokens.kattis(List.of("float_tolerance", "1e-6")), problem.checker());
        assertEquals("N is {{max_n}}", problem.name(), "not in problem.yaml itself");
        assertEquals("{{max_n}}\n", problem.secretTests().getFirst().input(), "not in test data");

        var validator = modern("2025-09", yaml, "output_validator/validate.py", "N = {{max_n}}\n");
        CheckerSpec.Custom custom = assertInstanceOf(
                CheckerSpec.Custom.class,
                KattisPackage.read("c2", directory(tmp, "c2", validator)).checker());
        assertEquals("N = 1000\n", custom.files().getFirst().content());

        assertRejected(modern("2025-09", "constants:\n  2n: 5\n"), "constant name 2n is not [a-zA-Z_][a-zA-Z0-9_]*");
        assertRejected(modern("2025-09", "constants:\n  n: [1, 2]\n"), "constant n must be a number or a string");
        assertRejected(modern("2025-09", "constants: 5\n"), "constants must be a mapping");
    }

    /** A 2023-07-or-later package: one sample, one secret test, a Markdown statement, {@code yaml} added. */
    private static Map<String, String> modern(String version, String yaml, String... more) {
        Map<String, String> files = new java.util.LinkedHashMap<>();
        files.put(
                "problem.yaml",
                "problem_format_version: " + version + "\nuuid: 025dfeea-eb85-4532-94d1-3108ec03c80f\n"
                        + (yaml.contains("name:") ? "" : "name: Modern\n") + yaml);
        files.put("statement/problem.en.md", "Print it.\n");
        files.put("data/sample/1.in", "1\n");
        files.put("data/sample/1.ans", "1\n");
        files.put("data/secret/1.in", "2\n");
        files.put("data/secret/1.ans", "2\n");
        for (int i = 0; i < more.length; i += 2) {
            files.put(more[i], more[i + 1]);
        }
        return files;
    }

    private void assertRejected(Map<String, String> files, String reason) throws IOException {
        Path dir = directory(Files.createTempDirectory(tmp, "case"), "pkg", files);
        InvalidPackageException e = assertThrows(InvalidPackageException.class, () -> KattisPackage.read(dir), reason);
        assertTrue(e.getMessage().contains(reason), "expected \"" + reason + "\" in: " + e.getMessage());
    }

    /** The package under src/test/resources/packages/{@code name}. */
    static Path resourcePackage(String name) {
        try {
            return Path.of(KattisPackageTest.class
                            .getResource("/packages/" + name + "/problem.yaml")
                            .toURI())
                    .getParent();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aLatexStatementIsConvertedWithItsPicturesAndTheEnglishOneIsPreferred() throws IOException {
        Problem problem = KattisPackage.read(resourcePackage("latexstatement"));

        assertEquals("Tower of Sums", problem.name(), "problem.yaml names none: \\problemname does");
        String md = problem.statement();
        assertTrue(md.startsWith("![A tower, drawn by nobody in particular](statement/tower.png)\n"), md);
        assertTrue(
                md.contains("You are given $n$ integers and must print their sum. The *sum* of $a_1, \\ldots, a_n$ is"),
                md);
        assertTrue(md.contains("$$S = \\sum_{i=1}^{n} a_i.$$"), md);
        assertTrue(
                md.contains(
                        "## Input\n\nThe input consists of:\n\n- one line with an integer $n$ ($1 \\le n \\le 10$);\n"
                                + "- one line with $n$ integers"),
                md);
        assertTrue(md.contains("Output **one** integer, the sum, as in `print(sum(a))`."), md);
        assertTrue(md.contains("| Group | Points |\n| --- | --- |\n| 1 | 40 |\n| 2 | 60 |\n"), md);
        assertTrue(md.contains("Unknown commands keep their text."), md);
        assertFalse(md.contains("comment"), md);
        assertFalse(md.contains("Summan") || md.contains("summan"), "English, not Swedish");
        assertFalse(md.contains("problem.yaml"), "a picture outside the statement directory is not read");

        assertEquals(1, problem.statementFiles().size(), "only the pictures the statement names");
        StatementFile tower = problem.statementFiles().getFirst();
        assertEquals("tower.png", tower.name());
        assertEquals("image/png", tower.contentType());
        assertTrue(Arrays.equals(
                Files.readAllBytes(resourcePackage("latexstatement").resolve("problem_statement/tower.png")),
                tower.data()));
    }

    @Test
    void statementChoiceEnglishThenNoLanguageThenOthersMarkdownBeforeLatex() throws IOException {
        var base =
                with(with(hello(), "problem_statement/problem.en.md", null), "problem_statement/problem.en.tex", null);
        var files = with(with(base, "statement/problem.sv.md", "svenska"), "statement/problem.de.tex", "deutsch");
        assertEquals(
                "deutsch\n", KattisPackage.read(directory(tmp, "s1", files)).statement(), "de before sv");
        files = with(files, "problem_statement/problem.tex", "\\section{No language}");
        assertEquals(
                "## No language\n",
                KattisPackage.read(directory(tmp, "s2", files)).statement());
        files = with(files, "statement/problem.en.tex", "english \\LaTeX");
        assertEquals(
                "english LaTeX\n",
                KattisPackage.read(directory(tmp, "s3", files)).statement());
        files = with(files, "statement/problem.en.md", "english *markdown*");
        assertEquals(
                "english *markdown*",
                KattisPackage.read(directory(tmp, "s4", files)).statement());
    }

    @Test
    void markdownPicturesOfThePackageAreKeptAndOthersLeftAlone() throws IOException {
        var files = with(
                hello(),
                "problem_statement/problem.en.md",
                "![cave](cave.jpg) ![up](../problem.yaml) ![web](https://example.org/x.png) ![gone](gone.png)");
        Path dir = directory(tmp, "md", files);
        Files.write(dir.resolve("problem_statement/cave.jpg"), StatementPicturesTest.JPEG); // a picture's bytes
        Problem problem = KattisPackage.read(dir);
        assertEquals(
                "![cave](statement/cave.jpg) ![up](../problem.yaml) ![web](https://example.org/x.png) ![gone](gone.png)",
                problem.statement());
        assertEquals(
                List.of("cave.jpg"),
                problem.statementFiles().stream().map(StatementFile::name).toList());
    }

    @Test
    void aTimeLimitIsComputedFromTheAcceptedSubmissionsOnlyWhenThePackageGivesNone() throws IOException {
        KattisPackage.Read explicit = KattisPackage.readForImport(null, directory(tmp, "t1", hello()));
        assertEquals(null, explicit.rule(), "hello gives limits.time_limit");
        assertEquals("problem.yaml limits.time_limit", explicit.problem().timeLimitSource());
        assertEquals(List.of(), explicit.accepted());

        var files = with(hello(), "problem.yaml", "limits:\n  time_multiplier: 3\n  time_safety_margin: 4\n");
        files = with(files, "submissions/accepted/old.py", "#!/usr/bin/env python2\nprint 1\n");
        files = with(files, "submissions/accepted/multi/Main.java", "class Main {}");
        files = with(files, "submissions/accepted/multi/notes.txt", "notes");
        files = with(files, "submissions/accepted/sol.rb", "puts 1");
        KattisPackage.Read computed = KattisPackage.readForImport(null, directory(tmp, "t2", files));
        assertEquals(TimeLimitRule.legacy(3, 4), computed.rule());
        assertTrue(
                computed.problem().timeLimitSource().startsWith("default 3 s"),
                computed.problem().timeLimitSource());
        assertEquals(
                List.of(
                        "submissions/accepted/multi java [Main.java, notes.txt]",
                        "submissions/accepted/old.py null",
                        "submissions/accepted/sol.py python [sol.py]",
                        "submissions/accepted/sol.rb null"),
                computed.accepted().stream()
                        .map(a -> a.path() + " " + a.language()
                                + (a.language() == null
                                        ? ""
                                        : " "
                                                + a.files().stream()
                                                        .map(SourceFile::name)
                                                        .toList()))
                        .toList());

        var v2023 = with(
                files,
                "problem.yaml",
                "problem_format_version: 2023-07\nname: x\nlimits:\n"
                        + "  time_multipliers:\n    ac_to_time_limit: 3\n    time_limit_to_tle: 2\n  time_resolution: 0.5\n");
        assertEquals(
                TimeLimitRule.since2023(3, 2, 0.5),
                KattisPackage.readForImport(null, directory(tmp, "t3", v2023)).rule());
        assertEquals(
                TimeLimitRule.since2023(2, 1.5, 1),
                KattisPackage.readForImport(
                                null,
                                directory(
                                        tmp,
                                        "t4",
                                        with(files, "problem.yaml", "problem_format_version: 2023-07\nname: x\n")))
                        .rule());
        var misspelt = with(
                files,
                "problem.yaml",
                "problem_format_version: 2023-07\nname: x\nlimits:\n"
                        + "  time_multipliers:\n    ac_to_timelimit: 3\n");
        assertTrue(assertThrows(
                        InvalidPackageException.class,
                        () -> KattisPackage.readForImport(null, directory(tmp, "t5", misspelt)))
                .getMessage()
                .contains("limits.time_multipliers.ac_to_timelimit"));
    }

    @Test
    void theFormatsRulesForAComputedTimeLimit() {
        TimeLimitRule legacy = TimeLimitRule.legacy(5, 2);
        assertEquals(Duration.ofSeconds(1), legacy.limitFor(Duration.ZERO), "at least 1 s");
        assertEquals(Duration.ofSeconds(1), legacy.limitFor(Duration.ofMillis(120)), "0.6 s rounds to 1 s");
        assertEquals(Duration.ofSeconds(1), legacy.limitFor(Duration.ofMillis(290)), "1.45 s rounds to 1 s");
        assertEquals(Duration.ofSeconds(2), legacy.limitFor(Duration.ofMillis(300)), "1.5 s rounds to 2 s");
        assertEquals(Duration.ofSeconds(9), legacy.limitFor(Duration.ofMillis(1700)));
        TimeLimitRule v2023 = TimeLimitRule.since2023(2, 1.5, 1);
        assertEquals(Duration.ofSeconds(1), v2023.limitFor(Duration.ofMillis(100)), "0.2 s up to 1 s");
        assertEquals(Duration.ofSeconds(2), v2023.limitFor(Duration.ofMillis(510)), "1.02 s up to 2 s");
        assertEquals(Duration.ofSeconds(1), v2023.limitFor(Duration.ofMillis(500)), "exactly 1 s stays");
        assertEquals(
                Duration.ofMillis(1500), TimeLimitRule.since2023(2, 1.5, 0.5).limitFor(Duration.ofMillis(510)));
        assertEquals(
                Duration.ofMillis(300), TimeLimitRule.since2023(3, 1.5, 0.1).limitFor(Duration.ofMillis(90)));
        assertEquals(
                "from the accepted submissions: the slowest, submissions/accepted/a.py, took 0.3 s on secret/2;"
                        + " × time_multiplier 5 = 1.5 s, rounded to whole seconds, at least 1 s: 2 s"
                        + " (time_safety_margin 2 is for checking too-slow submissions, not part of the limit)",
                legacy.explain(Duration.ofMillis(300), "submissions/accepted/a.py", "secret/2"));
    }
}
