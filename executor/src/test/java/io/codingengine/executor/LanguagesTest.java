package io.codingengine.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.execution.LimitRequest;
import io.codingengine.common.execution.RunInput;
import io.codingengine.common.execution.RuntimeInfo;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.execution.StageResult;
import io.codingengine.common.execution.StageStatus;
import io.codingengine.executor.language.Catalogue;
import io.codingengine.executor.language.LanguageDefinition;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Ordinary programs in every language: what a contestant expects to just work. */
class LanguagesTest {

    /** Every language and version the catalogue finds on this host, with the entry's samples. */
    static Stream<Arguments> runtimes() {
        return Fixture.EXECUTOR.runtimes().stream().map(r -> Arguments.of(r.language(), r.version()));
    }

    private static LanguageDefinition.Samples samples(String language) {
        return Catalogue.detect().resolve(language, "*").definition().samples();
    }

    @Test
    void everyLanguageOfTheCatalogueHasSamplesAndIsFoundHere() throws Exception {
        try (InputStream in = Catalogue.class.getResourceAsStream("/languages.json")) {
            for (LanguageDefinition d : Catalogue.load(in)) {
                assertNotNull(d.samples(), d.language() + " has no samples");
                assertTrue(
                        runtimes().anyMatch(a -> a.get()[0].equals(d.language())), d.language() + " is not installed");
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("runtimes")
    void helloWorldWithNonAsciiOutput(String language, String version) {
        ExecutionResult r = Fixture.run(language, version, samples(language).hello(), "", LimitRequest.DEFAULTS);
        StageResult run = r.runs().getFirst();
        assertEquals("héllo wörld ✓\n", run.stdout(), run.toString());
        assertNull(run.status());
        assertEquals(0, run.code());
        assertTrue(run.wallTimeMs() >= 0 && run.memoryBytes() > 0);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("runtimes")
    void stdinAndArgs(String language, String version) {
        ExecutionResult r = Fixture.EXECUTOR.execute(new ExecutionRequest(
                language,
                version,
                List.of(SourceFile.utf8(null, samples(language).echo())),
                Map.of(),
                null,
                null,
                List.of(new RunInput("first\n", List.of("a", "b c")), new RunInput("second\n", List.of()))));
        assertEquals("first a b c\n", r.runs().get(0).stdout(), r.toString());
        assertEquals("second\n", r.runs().get(1).stdout());
    }

    @Test
    void bothJavaVersionsAreListedAndChosenByRange() {
        List<String> javas = Fixture.EXECUTOR.runtimes().stream()
                .filter(r -> r.language().equals("java"))
                .map(RuntimeInfo::version)
                .toList();
        assertEquals(2, javas.size(), javas.toString());
        assertTrue(javas.get(0).startsWith("25.") && javas.get(1).startsWith("17."), javas.toString());
        String v =
                "public class V { public static void main(String[] a){ System.out.println(Runtime.version().feature()); } }";
        assertEquals(
                "17\n",
                Fixture.run("java", "17", v, "", LimitRequest.DEFAULTS)
                        .runs()
                        .getFirst()
                        .stdout());
        assertEquals(
                "25\n",
                Fixture.run("java", "*", v, "", LimitRequest.DEFAULTS)
                        .runs()
                        .getFirst()
                        .stdout());
        assertEquals(
                "25\n",
                Fixture.run("java", ">=17", v, "", LimitRequest.DEFAULTS)
                        .runs()
                        .getFirst()
                        .stdout());
    }

    @Test
    void java25CompactSourceFile() {
        ExecutionResult r =
                Fixture.run("java", "25", "void main() { IO.println(\"compact\"); }", "", LimitRequest.DEFAULTS);
        assertEquals("compact\n", r.runs().getFirst().stdout(), r.toString());
    }

    @Test
    void javaGetsAStackForDeepRecursion() {
        ExecutionResult r = Fixture.run("java", """
                public class Deep {
                  static int depth(int n) { return n == 0 ? 0 : 1 + depth(n - 1); }
                  public static void main(String[] a) { System.out.println(depth(300_000)); }
                }
                """);
        assertEquals("300000\n", r.runs().getFirst().stdout(), r.toString());
    }

    @Test
    void exitCodes() {
        StageResult r = Fixture.run("python", "import sys\nsys.exit(3)").runs().getFirst();
        assertEquals(StageStatus.RE, r.status());
        assertEquals(3, r.code());
        assertEquals("Exited with error status 3", r.message());
    }

    @Test
    void runtimeErrorsCarryTheSignal() {
        StageResult segv = Fixture.run("c", "int main(void){ volatile int* p = 0; return *p; }")
                .runs()
                .getFirst();
        assertEquals(StageStatus.SG, segv.status());
        assertEquals("SIGSEGV", segv.signal());
        assertEquals("Caught fatal signal 11", segv.message());
        StageResult fpe = Fixture.run(
                        "c++", "int main(int c, char**){ volatile int z = c - 1, n = 100; return n / z; }")
                .runs()
                .getFirst();
        assertEquals("SIGFPE", fpe.signal());
        StageResult abort = Fixture.run("c++", "#include <vector>\nint main(){ std::vector<int> v; return v.at(3); }")
                .runs()
                .getFirst();
        assertEquals("SIGABRT", abort.signal());
        assertTrue(abort.stderr().contains("out_of_range"), abort.stderr());
        StageResult java = Fixture.run(
                        "java",
                        "public class X { public static void main(String[] a){ throw new IllegalStateException(\"boom\"); } }")
                .runs()
                .getFirst();
        assertEquals(StageStatus.RE, java.status());
        assertTrue(java.stderr().contains("IllegalStateException: boom"), java.stderr());
    }

    @Test
    void compileErrorsShowTheCompilersMessageWithLineNumbers() {
        ExecutionResult cpp = Fixture.run("c++", "int main() {\n  return undefined_thing;\n}\n");
        assertTrue(cpp.compileFailed());
        assertTrue(cpp.runs().isEmpty());
        assertTrue(cpp.compile().stderr().contains(":2:"), cpp.compile().stderr());
        assertTrue(cpp.compile().stderr().contains("undefined_thing"));
        ExecutionResult java = Fixture.run(
                "java", "public class A {\n  public static void main(String[] a) {\n    int x = \"s\";\n  }\n}\n");
        assertTrue(java.compileFailed());
        assertTrue(
                java.compile().stderr().contains("A.java:3: error"),
                java.compile().stderr());
    }

    @Test
    void multiFilePrograms() {
        ExecutionResult cpp = Fixture.EXECUTOR.execute(new ExecutionRequest(
                "cpp",
                "*",
                List.of(
                        SourceFile.utf8(
                                "main.cpp",
                                "#include \"lib/add.h\"\n#include <cstdio>\nint main(){ printf(\"%d\\n\", add(2, 3)); }"),
                        SourceFile.utf8("lib/add.h", "int add(int a, int b);"),
                        SourceFile.utf8("lib/add.cpp", "#include \"add.h\"\nint add(int a, int b){ return a + b; }")),
                Map.of("std", "c++20"),
                null,
                null,
                List.of(new RunInput("", List.of()))));
        assertEquals("5\n", cpp.runs().getFirst().stdout(), cpp.toString());
        ExecutionResult java = Fixture.EXECUTOR.execute(new ExecutionRequest(
                "java",
                "*",
                List.of(
                        SourceFile.utf8(
                                null,
                                "package app;\npublic class Main { public static void main(String[] a){ System.out.println(util.Text.shout(\"hi\")); } }"),
                        SourceFile.utf8(
                                "util/Text.java",
                                "package util;\npublic class Text { public static String shout(String s){ return s.toUpperCase() + \"!\"; } }")),
                Map.of(),
                null,
                null,
                List.of(new RunInput("", List.of()))));
        assertEquals("HI!\n", java.runs().getFirst().stdout(), java.toString());
        ExecutionResult python = Fixture.EXECUTOR.execute(new ExecutionRequest(
                "python",
                "3",
                List.of(
                        SourceFile.utf8("main.py", "from helper import twice\nprint(twice(21))"),
                        SourceFile.utf8("helper.py", "def twice(x):\n    return 2 * x")),
                Map.of(),
                null,
                null,
                List.of(new RunInput("", List.of()))));
        assertEquals("42\n", python.runs().getFirst().stdout(), python.toString());
    }

    private static ExecutionResult files(String language, SourceFile... files) {
        return Fixture.EXECUTOR.execute(judged(language, files));
    }

    /** As the judge asks: interpreted languages' sources checked first. */
    private static ExecutionRequest judged(String language, SourceFile... files) {
        return new ExecutionRequest(
                        language, "*", List.of(files), Map.of(), null, null, List.of(new RunInput("", List.of())))
                .withSyntaxCheck();
    }

    private static ExecutionResult judged(String language, String source) {
        return Fixture.EXECUTOR.execute(judged(language, SourceFile.utf8(null, source)));
    }

    @Test
    void javaExtraTextFilesKeepTheirNamesAndAreNotCompiled() {
        ExecutionResult r = files(
                "java",
                SourceFile.utf8(
                        "Main.java",
                        "import java.nio.file.*;\npublic class Main { public static void main(String[] a) throws Exception {"
                                + " System.out.print(Files.readString(Path.of(\"notes.txt\"))); } }"),
                SourceFile.utf8("notes.txt", "just notes, not Java\n"));
        assertEquals("just notes, not Java\n", r.runs().getFirst().stdout(), r.toString());
    }

    /**
     * A submitted file where javac writes a class (a directory {@code Main.class}, or a file
     * {@code p} where the package's directory goes) is a compile error naming both, not a run
     * that fails writing the classes (a worker's failure, IE for a submission).
     */
    @Test
    void aSubmittedFileInTheWayOfTheCompilersOutputIsACompileError() {
        String main = "public class Main { public static void main(String[] a) { System.out.println(1); } }";
        ExecutionResult directory =
                files("java", SourceFile.utf8("A.java", main), SourceFile.utf8("Main.class/y", "x"));
        assertTrue(directory.compileFailed(), directory.toString());
        assertEquals(
                "the compiler wrote Main.class, which the submitted files use as a directory",
                directory.compile().output());
        assertTrue(directory.runs().isEmpty(), directory.toString());
        ExecutionResult file =
                files("java", SourceFile.utf8("A.java", "package p;\n" + main), SourceFile.utf8("p", "x"));
        assertTrue(file.compileFailed(), file.toString());
        assertEquals(
                "the compiler wrote p/Main.class, but the submitted file p is where its directory goes",
                file.compile().output());
    }

    @ParameterizedTest
    @CsvSource(
            value = {"main.java", "solution.java", "Solution", "NULL"},
            nullValues = "NULL")
    void aPublicClassMainRunsUnderAnyFileName(String name) {
        ExecutionResult r = files(
                "java",
                SourceFile.utf8(
                        name,
                        "/* public class NotThisOne */\npublic class Main { public static void main(String[] a) { System.out.println(\"main ran\"); } }"));
        assertEquals("main ran\n", r.runs().getFirst().stdout(), r.toString());
    }

    @Test
    void theClassAroundMainRunsWhateverIsDeclaredBeforeIt() {
        // Contest code: a non-public Main with helper classes ahead of main.
        assertEquals(
                "7\n",
                files("java", SourceFile.utf8("solution.java", """
                import java.util.*;
                class Main {
                    static class Reader { int next() { return 7; } }
                    record Pair(int a, int b) {}
                    public static void main(String[] args) { System.out.println(new Reader().next()); }
                }
                """))
                        .runs()
                        .getFirst()
                        .stdout());
        assertEquals(
                "inner\n",
                files("java", SourceFile.utf8(null, """
                public class Outer {
                    static class Inner {
                        public static void main(String[] args) { System.out.println("inner"); }
                    }
                }
                """)).runs().getFirst().stdout());
        assertEquals(
                "2\n",
                Fixture.run(
                                "java",
                                "25",
                                "class Helper { static int two() { return 2; } }\nvoid main() { IO.println(Helper.two()); }",
                                "",
                                LimitRequest.DEFAULTS)
                        .runs()
                        .getFirst()
                        .stdout());
    }

    @Test
    void pythonSyntaxErrorsAreCompileErrorsWithTheInterpretersMessage() {
        ExecutionResult r = judged("python", "print('fine')\nprint(1 +* 2)\n");
        assertTrue(r.compileFailed(), r.toString());
        assertTrue(r.runs().isEmpty());
        assertEquals(1, r.compile().code());
        assertTrue(
                r.compile()
                        .stderr()
                        .matches(
                                "(?s)  File \"/.*/file0\\.code\\.py\", line 2\n    print\\(1 \\+\\* 2\\)\n.*\\^\nSyntaxError: invalid syntax\n"),
                r.compile().stderr());
        ExecutionResult helper = files(
                "python",
                SourceFile.utf8("main.py", "import helper\nprint(helper.x)"),
                SourceFile.utf8("helper.py", "x = (1,\n"));
        assertTrue(helper.compileFailed(), helper.toString());
        assertTrue(
                helper.compile().stderr().contains("helper.py\", line 1"),
                helper.compile().stderr());
        assertTrue(
                helper.compile().stderr().contains("SyntaxError: '(' was never closed"),
                helper.compile().stderr());
    }

    @Test
    void javascriptSyntaxErrorsAreCompileErrorsWithTheInterpretersMessage() {
        ExecutionResult r = judged("javascript", "console.log('fine');\nconsole.log(1 +);\n");
        assertTrue(r.compileFailed(), r.toString());
        assertTrue(r.runs().isEmpty());
        assertEquals(1, r.compile().code());
        assertTrue(
                r.compile().stderr().contains("file0.code.js:2\nconsole.log(1 +);"),
                r.compile().stderr());
        assertTrue(
                r.compile().stderr().contains("SyntaxError: Unexpected token ')'"),
                r.compile().stderr());
        // Every source is checked, ES modules too, whichever is wrong.
        ExecutionResult module = files(
                "javascript",
                SourceFile.utf8("main.mjs", "import { x } from './lib.mjs';\nconsole.log(x);"),
                SourceFile.utf8("lib.mjs", "export const x = ;\n"));
        assertTrue(module.compileFailed(), module.toString());
        assertTrue(
                module.compile().stderr().contains("lib.mjs:1"),
                module.compile().stderr());
        assertTrue(
                module.compile().stderr().contains("SyntaxError: Unexpected token ';'"),
                module.compile().stderr());
        ExecutionResult common = files(
                "javascript",
                SourceFile.utf8("main.js", "console.log(require('./lib.cjs').x);"),
                SourceFile.utf8("lib.cjs", "exports.x = {;\n"));
        assertTrue(common.compileFailed(), common.toString());
        assertTrue(
                common.compile().stderr().contains("lib.cjs:1"),
                common.compile().stderr());
    }

    @ParameterizedTest
    @CsvSource({"python", "javascript"})
    void withoutTheJudgesSyntaxCheckASyntaxErrorIsTheRunsAsOnPiston(String language) {
        ExecutionResult r =
                Fixture.run(language, language.equals("python") ? "print(1 +* 2)\n" : "console.log(1 +);\n");
        assertNull(r.compile(), r.toString());
        assertEquals(StageStatus.RE, r.runs().getFirst().status());
        assertTrue(
                r.runs().getFirst().stderr().contains("SyntaxError"),
                r.runs().getFirst().stderr());
    }

    @ParameterizedTest
    @CsvSource({"python", "javascript"})
    void correctInterpretedProgramsHaveNoCompileStageAndRunAsBefore(String language) {
        ExecutionResult hello = judged(language, samples(language).hello());
        assertNull(hello.compile(), hello.toString());
        StageResult run = hello.runs().getFirst();
        assertEquals("héllo wörld ✓\n", run.stdout());
        assertEquals("", run.stderr());
        assertEquals(0, run.code());
        // A runtime error is still the run's: same exit code, the interpreter's own message.
        String failing = language.equals("python")
                ? "print('before')\nraise ValueError('boom')"
                : "console.log('before');\nthrow new Error('boom');";
        ExecutionResult error = judged(language, failing);
        assertNull(error.compile(), error.toString());
        StageResult failed = error.runs().getFirst();
        assertEquals(StageStatus.RE, failed.status());
        assertEquals(1, failed.code());
        assertEquals("before\n", failed.stdout());
        assertTrue(
                failed.stderr().contains(language.equals("python") ? "ValueError: boom" : "Error: boom"),
                failed.stderr());
    }

    @Test
    void theChecksLeaveNothingInTheWorkDirectory() {
        ExecutionResult python = files(
                "python",
                SourceFile.utf8("main.py", "import os, helper\nprint(sorted(os.listdir('.')))"),
                SourceFile.utf8("helper.py", "x = 1"));
        assertEquals("['helper.py', 'main.py']\n", python.runs().getFirst().stdout(), python.toString());
        ExecutionResult js = files(
                "javascript",
                SourceFile.utf8(
                        "main.mjs",
                        "import { x } from './lib.mjs';\n"
                                + "import { readdirSync } from 'node:fs';\nconsole.log(readdirSync('.').sort().join(' '), x);"),
                SourceFile.utf8("lib.mjs", "export const x = 1;"));
        assertEquals("lib.mjs main.mjs 1\n", js.runs().getFirst().stdout(), js.toString());
    }

    @Test
    void fileNamesThatLookLikeOptionsAreStillRefused() {
        for (String language : List.of("python", "javascript", "java")) {
            String extension = language.equals("python") ? ".py" : language.equals("javascript") ? ".js" : ".java";
            for (String name : List.of("-c" + extension, "--check" + extension, "@args" + extension, "-I")) {
                assertThrows(
                        InvalidRequestException.class,
                        () -> files(
                                language,
                                SourceFile.utf8(name, samples(language).hello())),
                        name);
                assertThrows(
                        InvalidRequestException.class,
                        () -> files(
                                language,
                                SourceFile.utf8(null, samples(language).hello()),
                                SourceFile.utf8(name, samples(language).hello())),
                        name);
            }
        }
    }

    @Test
    void base64AndDataFiles() {
        ExecutionResult r = Fixture.EXECUTOR.execute(new ExecutionRequest(
                "python",
                "*",
                List.of(
                        SourceFile.utf8(null, "print(open('data.bin','rb').read())"),
                        new SourceFile("data.bin", "AAEC/w==", SourceFile.Encoding.BASE64)),
                Map.of(),
                null,
                null,
                List.of(new RunInput("", List.of()))));
        assertEquals("b'\\x00\\x01\\x02\\xff'\n", r.runs().getFirst().stdout());
    }

    @Test
    void theCppStandardIsSelectable() {
        String source = "#include <cstdio>\nint main(){ printf(\"%ld\\n\", __cplusplus); }";
        ExecutionResult r = Fixture.EXECUTOR.execute(new ExecutionRequest(
                "c++",
                "*",
                List.of(SourceFile.utf8(null, source)),
                Map.of("std", "c++20"),
                null,
                null,
                List.of(new RunInput("", List.of()))));
        assertEquals("202002\n", r.runs().getFirst().stdout());
        assertEquals("201703\n", Fixture.run("c++", source).runs().getFirst().stdout());
        assertThrows(
                InvalidRequestException.class,
                () -> Fixture.EXECUTOR.execute(new ExecutionRequest(
                        "c++",
                        "*",
                        List.of(SourceFile.utf8(null, source)),
                        Map.of("std", "c++99; rm -rf /"),
                        null,
                        null,
                        List.of(new RunInput("", List.of())))));
    }

    @Test
    void badRequestsAreRefusedBeforeAnythingRuns() {
        assertEquals(
                "cobol-* runtime is unknown",
                assertThrows(InvalidRequestException.class, () -> Fixture.run("cobol", "x"))
                        .getMessage());
        assertEquals(
                "python-9.x runtime is unknown",
                assertThrows(
                                InvalidRequestException.class,
                                () -> Fixture.run("python", "9.x", "print(1)", "", LimitRequest.DEFAULTS))
                        .getMessage());
        for (String name : List.of("../escape.py", "/etc/passwd", "a/../../b", "a//b", "./x")) {
            assertThrows(
                    InvalidRequestException.class,
                    () -> Fixture.EXECUTOR.execute(new ExecutionRequest(
                            "python",
                            "*",
                            List.of(SourceFile.utf8(name, "print(1)")),
                            Map.of(),
                            null,
                            null,
                            List.of(new RunInput("", List.of())))),
                    name);
        }
        assertThrows(
                InvalidRequestException.class,
                () -> Fixture.EXECUTOR.execute(new ExecutionRequest(
                        "python",
                        "*",
                        List.of(new SourceFile("x", "%%%", SourceFile.Encoding.BASE64)),
                        Map.of(),
                        null,
                        null,
                        List.of(new RunInput("", List.of())))));
        assertEquals(
                "files must include at least one utf8 encoded file",
                assertThrows(
                                InvalidRequestException.class,
                                () -> Fixture.EXECUTOR.execute(new ExecutionRequest(
                                        "python",
                                        "*",
                                        List.of(new SourceFile("x", "AA==", SourceFile.Encoding.BASE64)),
                                        Map.of(),
                                        null,
                                        null,
                                        List.of(new RunInput("", List.of())))))
                        .getMessage());
        assertThrows(
                InvalidRequestException.class,
                () -> Fixture.run("python", "*", "print(1)", "", new LimitRequest(null, null, 4L << 30, null)));
    }

    @Test
    void parallelRunsDoNotSeeEachOther() throws Exception {
        String program = """
                import os, sys, time
                marker = sys.argv[1]
                open('/tmp/shared-name', 'w').write(marker)
                open('/box/shared-name', 'w').write(marker)
                time.sleep(0.5)
                others = [p for p in os.listdir('/proc') if p.isdigit()]
                print(open('/tmp/shared-name').read(), open('/box/shared-name').read(), len(others) <= 3)
                """;
        var a = CompletableFuture.supplyAsync(() -> Fixture.EXECUTOR.execute(new ExecutionRequest(
                "python",
                "*",
                List.of(SourceFile.utf8(null, program)),
                Map.of(),
                null,
                null,
                List.of(new RunInput("", List.of("A"))))));
        var b = CompletableFuture.supplyAsync(() -> Fixture.EXECUTOR.execute(new ExecutionRequest(
                "python",
                "*",
                List.of(SourceFile.utf8(null, program)),
                Map.of(),
                null,
                null,
                List.of(new RunInput("", List.of("B"))))));
        assertEquals("A A True\n", a.get().runs().getFirst().stdout());
        assertEquals("B B True\n", b.get().runs().getFirst().stdout());
    }
}
