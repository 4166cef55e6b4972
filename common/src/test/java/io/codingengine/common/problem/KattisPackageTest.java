package io.codingengine.common.problem;

import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.TestCase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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
        assertEquals(new CheckerSpec.Floats(1e-4, 1e-4), problem.checker());
        assertEquals("# Hello\n\nPrint the sum.\n", problem.statement());
        assertEquals(List.of(new TestCase("sample/1", "1 2\n", "3\n", true),
                new TestCase("sample/2", "2 2\n", "4\n", true)), problem.samples());
        assertEquals(List.of("secret/02", "secret/group1/01"),
                problem.secretTests().stream().map(TestCase::name).toList());
        assertTrue(problem.secretTests().stream().noneMatch(TestCase::visible));
        assertEquals(Packages.SECRET_INPUT + " 2\n", problem.secretTests().getFirst().input());
        assertEquals(Packages.SECRET_ANSWER + " 2\n", problem.secretTests().getFirst().expectedOutput());
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
        assertEquals(new CheckerSpec.Tokens(), problem.checker());

        Problem empty = KattisPackage.read(directory(tmp, "p2", with(with(files, "problem.yaml", ""), ".timelimit", "1.5\n")));
        assertEquals("p2", empty.name());
        assertEquals(Duration.ofMillis(1500), empty.timeLimit());

        Problem strict = KattisPackage.read(directory(tmp, "p3",
                with(files, "problem.yaml", "validator_flags: case_sensitive space_change_sensitive\n")));
        assertEquals(new CheckerSpec.Exact(), strict.checker());

        Problem absolute = KattisPackage.read(directory(tmp, "p4",
                with(files, "problem.yaml", "validator_flags: float_absolute_tolerance 0.01\n")));
        assertEquals(new CheckerSpec.Floats(0.01, 0), absolute.checker());

        var noStatement = with(with(files, "problem_statement/problem.en.md", null), "statement/other.md", "# Other");
        assertEquals("# Other", KattisPackage.read(directory(tmp, "p5", noStatement)).statement());
        assertNull(KattisPackage.read(directory(tmp, "p6", with(files, "problem_statement/problem.en.md", null))).statement());
    }

    @Test
    void aCustomOutputValidatorBecomesACustomChecker() throws IOException {
        var files = with(with(with(hello(), "problem.yaml", "name: Custom\nvalidation: custom\n"),
                "output_validators/checker/testlib.h", "#pragma once\n"),
                "output_validators/checker/validate.cpp", "#include \"testlib.h\"\nint main() { return 42; }\n");
        CheckerSpec checker = KattisPackage.read(directory(tmp, "custom", files)).checker();

        CheckerSpec.Custom custom = assertInstanceOf(CheckerSpec.Custom.class, checker);
        assertEquals("c++", custom.language());
        assertEquals(List.of("validate.cpp", "testlib.h"), custom.files().stream().map(SourceFile::name).toList());
        assertTrue(custom.files().getFirst().content().contains("return 42"));

        // The 2023-07 layout (output_validator/), found without "validation: custom".
        var modern = with(with(hello(), "output_validator/check.py", "import sys\nsys.exit(42)\n"),
                "output_validator/util.py", "X = 1\n");
        CheckerSpec.Custom python = assertInstanceOf(CheckerSpec.Custom.class,
                KattisPackage.read(directory(tmp, "modern", modern)).checker());
        assertEquals("python", python.language());
        assertEquals("check.py", python.files().getFirst().name());
    }

    @Test
    void zipSlipAndOtherUnsafeEntryNamesAreRejected() throws IOException {
        for (String evil : List.of("../evil.txt", "hello/../../evil.txt", "/etc/cron.d/evil",
                "data\\..\\..\\evil", "C:/evil.txt", "data/./x.in", "data//x.in")) {
            Map<String, byte[]> entries = new java.util.TreeMap<>();
            hello().forEach((name, content) -> entries.put(name, content.getBytes(StandardCharsets.UTF_8)));
            entries.put(evil, "pwned".getBytes(StandardCharsets.UTF_8));
            Path zip = Packages.rawZip(tmp.resolve("evil.zip"), entries);
            InvalidPackageException e = assertThrows(InvalidPackageException.class, () -> KattisPackage.read(zip), evil);
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
        assertRejected(with(hello(), "problem.yaml", "validation: custom interactive\n"), "interactive");
        assertRejected(with(hello(), "problem.yaml", "type: interactive\n"), "interactive");
        assertRejected(with(hello(), "problem.yaml", "validation: custom\n"), "no validator");
        assertRejected(with(with(hello(), "output_validators/a/v.cpp", "int main(){}"),
                "output_validators/b/v.cpp", "int main(){}"), "more than one output validator");
        assertRejected(with(hello(), "output_validators/v/build", "#!/bin/sh"), "cannot tell the language");
        assertRejected(with(hello(), "problem.yaml", "limits:\n  memory: -5\n"), "limits.memory must be positive");
        assertRejected(with(hello(), "problem.yaml", "limits:\n  time_limit: fast\n"), "time limit is not a number");
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
        var small = new KattisPackage.Limits(100, 100_000, 10_000_000);
        InvalidPackageException e = assertThrows(InvalidPackageException.class, () -> KattisPackage.read(null, zip, small));
        assertTrue(e.getMessage().contains("data/secret/big.in is larger than"), e.getMessage());
        var few = new KattisPackage.Limits(5, 100_000_000, 100_000_000);
        assertThrows(InvalidPackageException.class, () -> KattisPackage.read(null, zip, few));
        var total = new KattisPackage.Limits(100, 1_000_000, 150_000);
        e = assertThrows(InvalidPackageException.class, () -> KattisPackage.read(null, zip, total));
        assertTrue(e.getMessage().contains("package is larger than"), e.getMessage());
    }

    private void assertRejected(Map<String, String> files, String reason) throws IOException {
        Path dir = directory(Files.createTempDirectory(tmp, "case"), "pkg", files);
        InvalidPackageException e = assertThrows(InvalidPackageException.class, () -> KattisPackage.read(dir), reason);
        assertTrue(e.getMessage().contains(reason), "expected \"" + reason + "\" in: " + e.getMessage());
    }
}
