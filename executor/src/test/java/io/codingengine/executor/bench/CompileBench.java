package io.codingengine.executor.bench;

import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.RunInput;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.execution.StageResult;
import io.codingengine.executor.ExecutorConfig;
import io.codingengine.executor.SandboxedExecutor;
import io.codingengine.executor.compile.CompileSettings;
import io.codingengine.executor.compile.PrecompiledHeaders;
import io.codingengine.executor.language.Catalogue;
import io.codingengine.executor.language.LanguageRuntime;
import io.codingengine.executor.sandbox.SandboxConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/**
 * The compile-speed targets (docs/performance.md; {@code bench/executor.sh N compile}; {@code compile-off}
 * for the same cases without the speed-ups): every engine
 * iteration sends a fresh source (a changed comment), so the compile cache never answers and the
 * warm compiler, the precompiled header and the sandbox are what is measured. Bare baselines run
 * the same commands directly in this JVM's process tree, in the same run.
 */
final class CompileBench {

    private CompileBench() {}

    /** @param speedUps false: the same cases with {@link CompileSettings#off()}, the numbers before the speed-ups */
    static void run(int n, Path work, boolean speedUps) throws Exception {
        System.out.println(
                "load before: " + Files.readString(Path.of("/proc/loadavg")).trim());
        Catalogue catalogue = Catalogue.detect();
        ExecutorConfig config = speedUps
                ? ExecutorConfig.defaults()
                : ExecutorConfig.defaults().withCompileSpeed(CompileSettings.off());
        LanguageRuntime gpp = catalogue.resolve("c++", "*");
        if (speedUps) {
            // Install-time step: the default standard's header, before anything is measured.
            PrecompiledHeaders.at(config.compileSpeed().pchDir()).build(gpp, Map.of("std", "gnu++17"));
        }
        try (SandboxedExecutor executor = SandboxedExecutor.start(
                SandboxConfig.defaults()
                        .withDataDir(work.resolve("data"))
                        .withSlots(2)
                        .withUidBase(65360)
                        .withCgroupName("coding-engine-compile-bench"),
                config)) {
            System.out.printf(
                    "%-40s %10s %10s %12s %8s%n",
                    "case (median of " + n + ")", "bare ms", "engine ms", "overhead ms", "ratio");
            javaHello(n, work, executor, catalogue);
            cppHeavyCompile(n, work, executor);
            fiftyTests(
                    n,
                    work,
                    executor,
                    "#include <bits/stdc++.h>\nint main(){ long n; std::cin >> n; std::cout << 2 * n << '\\n'; }",
                    "bits");
            fiftyTests(
                    n,
                    work,
                    executor,
                    "#include <cstdio>\nint main(){ long n; if (scanf(\"%ld\", &n) != 1) return 1; printf(\"%ld\\n\", 2 * n); }",
                    "cstdio");
        }
        System.out.println(
                "load after:  " + Files.readString(Path.of("/proc/loadavg")).trim());
    }

    private static void javaHello(int n, Path work, SandboxedExecutor executor, Catalogue catalogue) throws Exception {
        String java = "public class Main { public static void main(String[] a){ System.out.println(\"hello\"); } }";
        Files.writeString(work.resolve("Main.java"), java);
        Path jdk = catalogue.resolve("java", "*").toolchain();
        double[] bare = ExecutorBench.time(
                n,
                () -> ExecutorBench.bare(
                        work,
                        List.of(jdk + "/bin/javac", "-d", "bare-java", "Main.java"),
                        List.of(jdk + "/bin/java", "-cp", "bare-java", "Main")));
        double[] engine = timeEngine(n, i -> request("java", java + "\n// " + i, 1), executor, 1);
        ExecutorBench.report("java hello, compile+run (cold bare)", bare, engine);
    }

    private static void cppHeavyCompile(int n, Path work, SandboxedExecutor executor) throws Exception {
        String cpp =
                "#include <bits/stdc++.h>\nint main(){ std::vector<int> v{1,2,3}; std::cout << v.size() << '\\n'; }";
        Files.writeString(work.resolve("h.cpp"), cpp);
        double[] bare = ExecutorBench.time(
                n,
                () -> ExecutorBench.bare(work, null, List.of("g++", "-std=gnu++17", "-O2", "-o", "bare-h", "h.cpp")));
        double[] engine = timeEngine(n, i -> request("c++", cpp + "\n// " + i, 1), executor, 1);
        ExecutorBench.report("c++ <bits/stdc++.h> compile(+run)", bare, engine);
    }

    /** One submission, 50 tests: one executor call, and the Judge's way (two chunks on two slots at once). */
    private static void fiftyTests(int n, Path work, SandboxedExecutor executor, String cpp, String name)
            throws Exception {
        Files.writeString(work.resolve("f.cpp"), cpp);
        double[] bare = ExecutorBench.time(n, () -> {
            ExecutorBench.bare(work, List.of("g++", "-std=gnu++17", "-O2", "-o", "bare-f", "f.cpp"), null);
            for (int t = 0; t < 50; t++) {
                try {
                    Process p = new ProcessBuilder(work.resolve("bare-f").toString())
                            .directory(work.toFile())
                            .start();
                    p.getOutputStream().write((t + "\n").getBytes());
                    p.getOutputStream().close();
                    ExecutorBench.check(p);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return null;
        });
        double[] oneCall = timeEngine(n, i -> request("c++", cpp + "\n// a" + i, 50), executor, 1);
        ExecutorBench.report("c++ 50 tests (" + name + "), one call", bare, oneCall);
        double[] chunks = timeEngine(n, i -> request("c++", cpp + "\n// b" + i, 25), executor, 2);
        ExecutorBench.report("c++ 50 tests (" + name + "), 2 slots", bare, chunks);
    }

    private static ExecutionRequest request(String language, String source, int runs) {
        List<RunInput> inputs = new ArrayList<>();
        for (int t = 0; t < runs; t++) {
            inputs.add(new RunInput(t + "\n", List.of()));
        }
        return new ExecutionRequest(
                language, "*", List.of(SourceFile.utf8(null, source)), Map.of(), null, null, inputs);
    }

    /** {@code parallel} copies of the iteration's request at once (same source: one compile, shared by the cache). */
    private static double[] timeEngine(
            int n, IntFunction<ExecutionRequest> requests, SandboxedExecutor executor, int parallel) {
        int[] iteration = {0};
        return ExecutorBench.time(n, () -> {
            ExecutionRequest request = requests.apply(iteration[0]++);
            List<CompletableFuture<ExecutionResult>> calls = new ArrayList<>();
            for (int p = 0; p < parallel; p++) {
                calls.add(CompletableFuture.supplyAsync(() -> executor.execute(request), Thread::startVirtualThread));
            }
            for (CompletableFuture<ExecutionResult> call : calls) {
                ExecutionResult r = call.join();
                if (r.runs().isEmpty() || !r.runs().stream().allMatch(StageResult::succeeded)) {
                    throw new IllegalStateException("engine run failed: " + r);
                }
            }
            return null;
        });
    }
}
