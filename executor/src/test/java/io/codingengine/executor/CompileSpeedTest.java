package io.codingengine.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.execution.LimitRequest;
import io.codingengine.common.execution.RunInput;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.execution.StageResult;
import io.codingengine.executor.compile.CompileSettings;
import io.codingengine.executor.compile.JavacService;
import io.codingengine.executor.compile.PrecompiledHeaders;
import io.codingengine.executor.language.LanguageRuntime;
import io.codingengine.executor.language.SourceLayout;
import io.codingengine.executor.sandbox.SandboxConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The compile speed-ups against the plain way, with real compilers in real sandboxes: the warm
 * Java compiler answers exactly like javac in the box and survives hostile sources, the compile
 * cache hands back the same artifacts and results, the precompiled header is really used.
 */
class CompileSpeedTest {

    private static SandboxedExecutor fast;
    private static SandboxedExecutor plain;
    private static Path fastData;

    @BeforeAll
    static void start() throws Exception {
        fastData = Files.createTempDirectory("ce-compile-fast-");
        fast = SandboxedExecutor.start(
                SandboxConfig.defaults()
                        .withDataDir(fastData)
                        .withSlots(2)
                        .withUidBase(65210)
                        .withCgroupName("coding-engine-compile-test"),
                ExecutorConfig.defaults());
        plain = SandboxedExecutor.start(
                SandboxConfig.defaults()
                        .withDataDir(Files.createTempDirectory("ce-compile-plain-"))
                        .withSlots(1)
                        .withUidBase(65300)
                        .withCgroupName("coding-engine-compile-plain-test"),
                ExecutorConfig.defaults().withCompileSpeed(CompileSettings.off()));
    }

    @AfterAll
    static void stop() {
        fast.close();
        plain.close();
    }

    private static ExecutionResult run(SandboxedExecutor executor, String language, String version, String source) {
        return run(executor, language, version, List.of(SourceFile.utf8(null, source)));
    }

    private static ExecutionResult run(
            SandboxedExecutor executor, String language, String version, List<SourceFile> files) {
        return executor.execute(new ExecutionRequest(
                language, version, files, Map.of(), null, LimitRequest.DEFAULTS, List.of(new RunInput("", List.of()))));
    }

    private static JavacService warm(String version) {
        LanguageRuntime runtime = fast.catalogue().resolve("java", version);
        return fast.compileStage().javac(runtime).orElseThrow();
    }

    @Test
    void javaCompileErrorsAreExactlyJavacsInTheBox() {
        for (String version : List.of("17", "25")) {
            String source = "public class Broken" + version + " {\n  public static void main(String[] a) {\n"
                    + "    int x = \"no\";\n    undefined();\n  }\n}\n";
            StageResult warm = run(fast, "java", version, source).compile();
            StageResult cold = run(plain, "java", version, source).compile();
            assertTrue(
                    warm.stderr().contains("Broken" + version + ".java:3: error: incompatible types"), warm.stderr());
            assertEquals(cold.stderr(), warm.stderr());
            assertEquals(cold.output(), warm.output());
            assertEquals(cold.stdout(), warm.stdout());
            assertEquals(cold.code(), warm.code());
            assertEquals(cold.status(), warm.status());
            assertEquals(cold.message(), warm.message());
            assertTrue(warm(version).process().isPresent(), "compiled by the warm compiler of " + version);
        }
    }

    @Test
    void programJvmsStartFromTheJdksClassDataSharingArchive() {
        for (String version : List.of("17", "25")) {
            ExecutionResult r = run(
                    fast,
                    "java",
                    version,
                    "public class Vm { public static void main(String[] a) { System.out.println(System.getProperty(\"java.vm.info\")); } }");
            assertTrue(
                    r.runs().getFirst().stdout().contains("sharing"),
                    version + ": " + r.runs().getFirst());
        }
    }

    @Test
    void javaWithPackagesCompilesWarmAndRuns() {
        ExecutionResult r = run(
                fast,
                "java",
                "25",
                List.of(
                        SourceFile.utf8(
                                "Main.java",
                                "import pkg.Util;\npublic class Main { public static void main(String[] a) { System.out.println(Util.twice(21)); } }"),
                        SourceFile.utf8(
                                "pkg/Util.java",
                                "package pkg;\npublic class Util { public static int twice(int x) { return 2 * x; } }")));
        assertNull(r.compile().status(), r.compile().toString());
        assertEquals("42\n", r.runs().getFirst().stdout(), r.toString());
    }

    @Test
    void codeShippedWithJavaSourcesNeverRunsWhileCompiling() {
        // A plugin javac would start by itself (see HostileJavacPlugin), as a class file and a
        // services file beside Main.java; in the warm compiler it would serve every later user.
        List<SourceFile> files = new ArrayList<>(List.of(SourceFile.utf8(
                "Main.java",
                "public class Main { public static void main(String[] a) { System.out.println(\"fine\"); } }")));
        HostileJavacPlugin.files()
                .forEach((name, content) -> files.add(new SourceFile(
                        name, java.util.Base64.getEncoder().encodeToString(content), SourceFile.Encoding.BASE64)));
        for (SandboxedExecutor executor : List.of(fast, plain)) {
            ExecutionResult r = run(executor, "java", "25", files);
            assertNull(r.compile().status(), r.compile().toString());
            assertFalse(
                    r.compile().output().contains(HostileJavacPlugin.SAYS),
                    r.compile().output());
            assertEquals("fine\n", r.runs().getFirst().stdout());
        }
    }

    @Test
    void fileNamesThatAToolWouldReadAsOptionsAreRefused() {
        // javac reads "@rt.java" as a file of options ("-proc:full -processorpath ... -processor Evil").
        for (String name : List.of("@rt.java", "-proc:full.java", "-fplugin=./evil.so.cpp", "@opts")) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(
                    InvalidRequestException.class,
                    () -> run(
                            fast,
                            "java",
                            "25",
                            List.of(
                                    SourceFile.utf8(
                                            "Main.java",
                                            "public class Main { public static void main(String[] a) {} }"),
                                    SourceFile.utf8(name, "-proc:full"))));
            assertTrue(e.getMessage().contains("must not begin with"), e.getMessage());
        }
    }

    @Test
    void hostileSourcesDoNotHurtTheNextSubmission() {
        String deep = "public class Deep { int x = " + "(".repeat(20000) + "1" + ")".repeat(20000) + "; }";
        String huge = "public class Huge { String s = \"" + "x".repeat(70000)
                + "\"; public static void main(String[] a) {} }";
        String generic = "interface N<Z> {}\nclass C<X> implements N<N<? super C<C<X>>>> {\n"
                + "  N<? super C<Byte>> cast(C<Byte> c) { return c; }\n}\npublic class Gen { public static void main(String[] a) {} }";
        List<List<SourceFile>> hostile = List.of(
                List.of(SourceFile.utf8(null, deep)),
                List.of(SourceFile.utf8(null, huge)),
                List.of(SourceFile.utf8(null, generic)),
                // A processor that would fail the compile if javac ran it; -proc:none must keep it off.
                List.of(
                        SourceFile.utf8(
                                "Main.java",
                                "public class Main { public static void main(String[] a) { System.out.println(\"ok\"); } }"),
                        SourceFile.utf8(
                                "Evil.java",
                                "import javax.annotation.processing.*; import javax.lang.model.element.*; import java.util.*;\n"
                                        + "@SupportedAnnotationTypes(\"*\") public class Evil extends AbstractProcessor {\n"
                                        + " public boolean process(Set<? extends TypeElement> s, RoundEnvironment e) { throw new Error(\"processor ran\"); } }"),
                        SourceFile.utf8("META-INF/services/javax.annotation.processing.Processor", "Evil\n")));
        int i = 0;
        for (List<SourceFile> files : hostile) {
            ExecutionResult bad = run(fast, "java", "25", files);
            assertFalse(
                    bad.compile().output().contains("processor ran"),
                    bad.compile().output());
            String next = "public class Next" + i
                    + " { public static void main(String[] a) { System.out.println(\"next " + i + "\"); } }";
            ExecutionResult good = run(fast, "java", "25", next);
            assertNull(good.compile().status(), "after hostile source " + i + ": " + good.compile());
            assertEquals("next " + i + "\n", good.runs().getFirst().stdout());
            i++;
        }
        assertTrue(warm("25").process().isPresent(), "the warm compiler is running after the hostile sources");
        StageResult coldHuge = run(plain, "java", "25", huge).compile();
        StageResult warmHuge = run(fast, "java", "25", huge).compile();
        assertEquals(coldHuge.status(), warmHuge.status());
        assertTrue(
                coldHuge.stderr().equals(warmHuge.stderr()), "the huge constant's error is javac's, cut the same way");
    }

    @Test
    void aSourceThatExhaustsTheCompilersMemoryIsACompileFailureAndTheNextCompilesWarm() {
        assertNull(run(fast, "java", "25", "public class Before { public static void main(String[] a) {} }")
                .compile()
                .status());
        long before = warm("25").process().orElseThrow().pid();
        StringBuilder bomb =
                new StringBuilder("public class Bomb {\n  static final String A0 = \"0123456789abcdef\";\n");
        for (int i = 1; i <= 40; i++) {
            // Constant folding doubles the string at each line, no annotation processor needed.
            bomb.append("  static final String A")
                    .append(i)
                    .append(" = A")
                    .append(i - 1)
                    .append(" + A")
                    .append(i - 1)
                    .append(";\n");
        }
        bomb.append("  public static void main(String[] a) {}\n}\n");
        ExecutionResult bad = run(fast, "java", "25", bomb.toString());
        assertNotNull(bad.compile().status(), "a compile failure: " + bad.compile());
        ExecutionResult next = run(
                fast,
                "java",
                "25",
                "public class After { public static void main(String[] a) { System.out.println(\"after\"); } }");
        assertNull(next.compile().status(), next.compile().toString());
        assertEquals("after\n", next.runs().getFirst().stdout());
        long after = warm("25").process().orElseThrow().pid();
        assertTrue(after != before, "the exhausted warm compiler was replaced by a fresh one");
    }

    @Test
    void theCacheGivesBackTheSameResultAndArtifactsAndCompileErrors() throws Exception {
        String ok = "#include <stdio.h>\nint main(void){ puts(\"cached\"); return 0; }\n";
        String broken = "int main(void){ return nope; }\n";
        long before = entries();
        ExecutionResult first = run(fast, "c", "*", ok);
        ExecutionResult second = run(fast, "c", "*", ok);
        assertEquals("cached\n", second.runs().getFirst().stdout(), second.toString());
        assertEquals(first.compile(), second.compile(), "the second compile is the first one's cached result");
        StageResult error1 = run(fast, "c", "*", broken).compile();
        StageResult error2 = run(fast, "c", "*", broken).compile();
        assertEquals(io.codingengine.common.execution.StageStatus.RE, error2.status());
        assertTrue(error2.stderr().contains("nope"), error2.stderr());
        assertEquals(error1, error2);
        assertEquals(before + 2, entries());

        // Two slots compiling the same new source at once: one compile, both runs right.
        String twin = "#include <stdio.h>\nint main(void){ puts(\"twin\"); return 0; }\n";
        var a = CompletableFuture.supplyAsync(() -> run(fast, "c", "*", twin));
        var b = CompletableFuture.supplyAsync(() -> run(fast, "c", "*", twin));
        assertEquals("twin\n", a.get().runs().getFirst().stdout(), a.get().toString());
        assertEquals("twin\n", b.get().runs().getFirst().stdout(), b.get().toString());
        assertEquals(a.get().compile(), b.get().compile());
        assertEquals(before + 3, entries());
    }

    @Test
    void thePrecompiledHeaderIsUsedWithTheCompilesExactFlags() throws Exception {
        LanguageRuntime gpp = fast.catalogue().resolve("c++", "*");
        CompileSettings settings = ExecutorConfig.defaults().compileSpeed();
        PrecompiledHeaders headers = PrecompiledHeaders.start(settings.withPrecompiledHeaders(false), fast.catalogue());
        assertNull(headers.directory());
        PrecompiledHeaders shared = PrecompiledHeaders.at(settings.pchDir());
        for (String std : List.of("gnu++17", "c++20")) {
            shared.build(gpp, Map.of("std", std));
            Path dir = Files.createTempDirectory("ce-pch-check-");
            Files.writeString(
                    dir.resolve("a.cpp"),
                    "#include <bits/stdc++.h>\nint main(){ std::vector<int> v{3}; std::cout << v[0]; }\n");
            SourceLayout layout = SourceLayout.of(gpp.definition(), List.of(SourceFile.utf8("a.cpp", "x")), 1, 100);
            List<String> argv = new ArrayList<>(Commands.expand(
                    gpp.definition().compile(),
                    gpp,
                    layout,
                    Map.of("std", std),
                    List.of(),
                    shared.arguments(gpp, Map.of("std", std)),
                    ExecutorConfig.defaults().compile()));
            assertTrue(argv.get(1).startsWith("-I" + settings.pchDir()), argv.toString());
            argv.addAll(1, List.of("-Winvalid-pch", "-H"));
            Process p = new ProcessBuilder(argv)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), out);
            assertTrue(out.lines().anyMatch(l -> l.startsWith("! ") && l.endsWith("bits/stdc++.h.gch")), out);
            assertFalse(out.contains("not used"), out);
        }
        ExecutionResult r = fast.execute(new ExecutionRequest(
                "c++",
                "*",
                List.of(
                        SourceFile.utf8(
                                null,
                                "#include <bits/stdc++.h>\nint main(){ std::set<int> s{3,1,2}; for (int x : s) std::cout << x; }\n")),
                Map.of("std", "gnu++17"),
                null,
                LimitRequest.DEFAULTS,
                List.of(new RunInput("", List.of()))));
        assertNull(r.compile().status(), r.compile().toString());
        assertEquals("123", r.runs().getFirst().stdout());
    }

    private static long entries() throws Exception {
        try (Stream<Path> s = Files.list(fastData.resolve("compile-cache"))) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).count();
        }
    }
}
