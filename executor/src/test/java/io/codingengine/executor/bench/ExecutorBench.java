package io.codingengine.executor.bench;

import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.RunInput;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.executor.ExecutorConfig;
import io.codingengine.executor.SandboxedExecutor;
import io.codingengine.executor.language.Catalogue;
import io.codingengine.executor.sandbox.Box;
import io.codingengine.executor.sandbox.RunSpec;
import io.codingengine.executor.sandbox.Sandbox;
import io.codingengine.executor.sandbox.SandboxConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Bare process vs the executor, measured in the same run on the same machine (not a test: run it
 * with {@code bench/executor.sh}). Prints medians, the overhead in ms and the ratio.
 *
 * <p>Two measurements: (1) a trivial C program run N times, bare ({@code fork+exec} from this JVM)
 * and in the sandbox (a fresh process tree and cgroup per run, the binary compiled once in the
 * box), once in the slot's pre-started box and once in a fresh bwrap box per run; (2) each
 * language's hello world, compile and run, bare and through {@link SandboxedExecutor#execute};
 * (3) with {@code cpu}, the CPU time of a Python hello world, bare and through the executor;
 * (4) with {@code interactive}, a test of an interactive problem (the submission and its
 * validator in two boxes, talking through two pipes: {@link Sandbox#interact}) against a plain
 * test's run, both trivial C programs in pre-started boxes.
 */
public final class ExecutorBench {

    private static final Map<String, String> C_ENV = Map.of("PATH", "/usr/bin:/bin");

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        String only = args.length > 1 ? args[1] : null;
        Path work = Files.createTempDirectory("ce-bench-");
        if ("compile".equals(only) || "compile-off".equals(only)) {
            CompileBench.run(n, work, "compile".equals(only));
            return;
        }
        SandboxedExecutor executor = SandboxedExecutor.start(
                SandboxConfig.defaults()
                        .withDataDir(work.resolve("data"))
                        .withSlots(1)
                        .withCgroupName("coding-engine-bench"),
                ExecutorConfig.defaults());
        // Closed at the end: its pre-started boxes' namespace pins would otherwise stay mounted on the
        // host (four nsfs mounts a run), and every mount namespace made later copies them.
        try (executor) {
            measure(n, only, work, executor);
            Sandbox.CgroupJoins joins = executor.sandbox().cgroupJoins();
            System.out.printf(
                    "%ncgroup join of a pre-started box's run (as its box init timed it): mean %.3f ms;"
                            + " %d by its own thread, %d by the process%n",
                    joins.meanMillis(), joins.byThread(), joins.byProcess());
        }
    }

    private static void measure(int n, String only, Path work, SandboxedExecutor executor) throws Exception {
        Sandbox sandbox = executor.sandbox();
        Catalogue catalogue = Catalogue.detect();
        System.out.printf(
                "isolation: %s (%s), pre-started boxes: %s%n%n",
                sandbox.isolation().level(), sandbox.isolation().cgroups(), sandbox.pooled());

        System.out.printf(
                "%-28s %10s %10s %12s %8s%n",
                "case (median of " + n + ")", "bare ms", "engine ms", "overhead ms", "ratio");
        if ("cpu".equals(only)) {
            pythonCpu(n, executor, work);
            return;
        }
        if ("python".equals(only)) {
            String py = "print('hello')";
            hello(
                    n,
                    executor,
                    "python",
                    py,
                    () -> bare(work, null, List.of("/usr/bin/python3", "t.py")),
                    work,
                    "t.py",
                    py);
            return;
        }
        if ("interactive".equals(only)) {
            interactive(n, work, sandbox);
            return;
        }
        trivialC(n, work, sandbox);
        if ("trivial".equals(only)) {
            return;
        }
        String cSource = "int main(void){return 0;}";
        hello(
                n,
                executor,
                "c",
                cSource,
                () -> bare(work, List.of("gcc", "-O2", "-o", "bare-c", "t.c"), List.of("./bare-c")),
                work,
                "t.c",
                cSource);
        String cpp = "#include <iostream>\nint main(){ std::cout << \"hello\\n\"; }";
        hello(
                n,
                executor,
                "c++",
                cpp,
                () -> bare(work, List.of("g++", "-O2", "-o", "bare-cpp", "t.cpp"), List.of("./bare-cpp")),
                work,
                "t.cpp",
                cpp);
        String py = "print('hello')";
        hello(n, executor, "python", py, () -> bare(work, null, List.of("/usr/bin/python3", "t.py")), work, "t.py", py);
        String js = "console.log('hello')";
        hello(
                n,
                executor,
                "javascript",
                js,
                () -> bare(work, null, List.of("/usr/bin/node", "t.js")),
                work,
                "t.js",
                js);
        String java = "public class Main { public static void main(String[] a){ System.out.println(\"hello\"); } }";
        Path jdk = catalogue.resolve("java", "*").toolchain();
        hello(
                n,
                executor,
                "java",
                java,
                () -> bare(
                        work,
                        List.of(jdk + "/bin/javac", "-d", "bare-java", "Main.java"),
                        List.of(jdk + "/bin/java", "-cp", "bare-java", "Main")),
                work,
                "Main.java",
                java);
    }

    /**
     * CPU time, not wall time, of a Python hello world: bare (this JVM's reaped children) and
     * through the executor, split into the run's processes (the engine's groups in the cpuacct
     * hierarchy count every run's processes, removed groups included), the sandbox's long-lived
     * helpers (the slot's relay server and box: this JVM's live descendants) and this JVM. CPU
     * time moves far less with a shared machine's load than wall time, and it is what bounds
     * throughput at saturation: no pipeline around the executor can make a run cost less than this.
     */
    private static void pythonCpu(int n, SandboxedExecutor executor, Path work) throws Exception {
        Files.writeString(work.resolve("t.py"), "print('hello')");
        Path runGroups = ownCgroup("cpuacct").resolve("coding-engine-bench");
        Supplier<Void> bare = () -> bare(work, null, List.of("/usr/bin/python3", "t.py"));
        int[] iteration = {0};
        Supplier<Void> engine = () -> {
            ExecutionResult r = executor.execute(new ExecutionRequest(
                    "python",
                    "*",
                    List.of(SourceFile.utf8("t.py", "print('hello')\n# " + iteration[0]++)),
                    Map.of(),
                    null,
                    null,
                    List.of(new RunInput("", List.of()))));
            if (r.runs().isEmpty() || !r.runs().getFirst().succeeded()) {
                throw new IllegalStateException("python failed: " + r);
            }
            return null;
        };
        time(Math.max(2, n / 10), bare);
        time(Math.max(2, n / 10), engine);
        long[] self0 = ticks(ProcessHandle.current().pid());
        for (int i = 0; i < n; i++) {
            bare.get();
        }
        long[] self1 = ticks(ProcessHandle.current().pid());
        double bareMs = (self1[1] - self0[1]) * 10.0 / n;
        long runs0 = Long.parseLong(
                Files.readString(runGroups.resolve("cpuacct.usage")).trim());
        long helpers0 = helperTicks();
        for (int i = 0; i < n; i++) {
            engine.get();
        }
        long runs1 = Long.parseLong(
                Files.readString(runGroups.resolve("cpuacct.usage")).trim());
        long helpers1 = helperTicks();
        long[] self2 = ticks(ProcessHandle.current().pid());
        double runMs = (runs1 - runs0) / 1e6 / n;
        double helperMs = (helpers1 - helpers0) * 10.0 / n;
        double jvmMs = (self2[0] - self1[0]) * 10.0 / n;
        System.out.printf(
                "python hello CPU ms per run (%d runs): bare %.1f; executor: run's processes %.1f, "
                        + "sandbox helpers %.1f, executor JVM %.1f, total %.1f (ratio %.2f; bare / run's processes %.2f)%n",
                n,
                bareMs,
                runMs,
                helperMs,
                jvmMs,
                runMs + helperMs + jvmMs,
                (runMs + helperMs + jvmMs) / bareMs,
                bareMs / runMs);
    }

    /** This process's group in a v1 hierarchy. */
    private static Path ownCgroup(String controller) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] f = line.split(":", 3);
            if (f.length == 3 && List.of(f[1].split(",")).contains(controller)) {
                return Path.of("/sys/fs/cgroup", controller, f[2]).normalize();
            }
        }
        throw new IllegalStateException("no " + controller + " hierarchy");
    }

    /** Own CPU clock ticks of this JVM's live descendants (the sandbox's relay servers and boxes). */
    private static long helperTicks() {
        return ProcessHandle.current()
                .descendants()
                .mapToLong(p -> {
                    try {
                        return ticks(p.pid())[0];
                    } catch (Exception gone) {
                        return 0;
                    }
                })
                .sum();
    }

    /** {@code [utime + stime, cutime + cstime]} of a process, in clock ticks (1/100 s). */
    private static long[] ticks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14])
        };
    }

    /**
     * The engine's per-run overhead: one compiled binary run N times in a pre-started box (the
     * default) and in a fresh bwrap box per run (the pool off), against the bare process. The
     * three are interleaved, so load on a shared machine falls on all of them alike.
     */
    private static void trivialC(int n, Path work, Sandbox pooled) throws Exception {
        Files.writeString(work.resolve("true.c"), "int main(void){return 0;}");
        new ProcessBuilder(
                        "gcc",
                        "-O2",
                        "-o",
                        work.resolve("true").toString(),
                        work.resolve("true.c").toString())
                .inheritIO()
                .start()
                .waitFor();
        try (Sandbox fresh = new Sandbox(SandboxConfig.defaults()
                        .withDataDir(work.resolve("data-fresh"))
                        .withSlots(1)
                        .withCgroupName("coding-engine-bench-fresh")
                        .withRecycleAfter(0));
                Box pooledBox = compiledTrue(pooled, work);
                Box freshBox = compiledTrue(fresh, work)) {
            List<Supplier<Void>> actions = List.of(
                    () -> bare(work, null, List.of("./true")), () -> runTrue(freshBox), () -> runTrue(pooledBox));
            double[][] ms = timeInterleaved(n, actions);
            report("trivial C, fresh box", ms[0], ms[1]);
            report("trivial C, pre-started box", ms[0], ms[2]);
        }
    }

    /**
     * The per-test overhead of an interactive test: a plain test's run (the submission alone)
     * against an interaction (the submission, and a validator answering 42 in the slot's
     * companion box, with the FIFOs made, met and removed), interleaved.
     */
    private static void interactive(int n, Path work, Sandbox sandbox) throws Exception {
        Files.writeString(work.resolve("true.c"), "int main(void){return 0;}");
        Files.writeString(work.resolve("accept.c"), "int main(void){return 42;}");
        for (String name : List.of("true", "accept")) {
            new ProcessBuilder(
                            "gcc",
                            "-O2",
                            "-o",
                            work.resolve(name).toString(),
                            work.resolve(name + ".c").toString())
                    .inheritIO()
                    .start()
                    .waitFor();
        }
        try (Box submission = compiledTrue(sandbox, work);
                Box validator = sandbox.openCompanion(submission, 64 << 20, 4096)) {
            validator.writeFile("accept", Files.readAllBytes(work.resolve("accept")), true);
            RunSpec accept = new RunSpec(
                    List.of("./accept"),
                    C_ENV,
                    new byte[0],
                    ExecutorConfig.defaults().run());
            RunSpec run = new RunSpec(
                    List.of("./true"),
                    C_ENV,
                    new byte[0],
                    ExecutorConfig.defaults().run());
            List<Supplier<Void>> actions = List.of(() -> runTrue(submission), () -> {
                var pair = sandbox.interact(submission, run, validator, accept, 4096);
                if (pair.validator().exitCode() == null
                        || pair.validator().exitCode() != 42
                        || pair.submission().exitCode() == null
                        || pair.submission().exitCode() != 0) {
                    throw new IllegalStateException("interaction failed: " + pair);
                }
                return null;
            });
            double[][] ms = timeInterleaved(n, actions);
            report("interactive vs plain test", ms[0], ms[1]);
        }
    }

    /** A box whose program is the binary compiled on the host: every run gets a fresh work directory with it. */
    private static Box compiledTrue(Sandbox sandbox, Path work) throws Exception {
        Box box = sandbox.open(64 << 20, 4096);
        box.writeFile("true", Files.readAllBytes(work.resolve("true")), true);
        return box;
    }

    private static Void runTrue(Box box) {
        var out = box.run(new RunSpec(
                List.of("./true"), C_ENV, new byte[0], ExecutorConfig.defaults().run()));
        if (out.exitCode() == null || out.exitCode() != 0) {
            throw new IllegalStateException("sandboxed run failed: " + out + " " + new String(out.stderr()));
        }
        return null;
    }

    private static double[][] timeInterleaved(int n, List<Supplier<Void>> actions) {
        for (int i = 0; i < Math.max(2, n / 10); i++) {
            actions.forEach(Supplier::get);
        }
        double[][] ms = new double[actions.size()][n];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < actions.size(); a++) {
                long t0 = System.nanoTime();
                actions.get(a).get();
                ms[a][i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        return ms;
    }

    /** Runs {@code source} once per iteration with a fresh comment, so the compile cache never answers. */
    private static void hello(
            int n,
            SandboxedExecutor executor,
            String language,
            String source,
            Supplier<Void> bareRun,
            Path work,
            String file,
            String content)
            throws Exception {
        Files.writeString(work.resolve(file), content);
        double[] bare = time(n, bareRun);
        String comment = language.equals("python") ? "\n# " : "\n// ";
        int[] iteration = {0};
        double[] engine = time(n, () -> {
            ExecutionResult r = executor.execute(new ExecutionRequest(
                    language,
                    "*",
                    List.of(SourceFile.utf8(file, source + comment + iteration[0]++)),
                    Map.of(),
                    null,
                    null,
                    List.of(new RunInput("", List.of()))));
            if (r.runs().isEmpty() || !r.runs().getFirst().succeeded()) {
                throw new IllegalStateException(language + " failed: " + r);
            }
            return null;
        });
        report(language + " hello, compile+run", bare, engine);
    }

    static Void bare(Path work, List<String> compile, List<String> run) {
        try {
            if (compile != null) {
                check(new ProcessBuilder(compile).directory(work.toFile()).start());
            }
            if (run != null) {
                check(new ProcessBuilder(run).directory(work.toFile()).start());
            }
            return null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void check(Process p) throws Exception {
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("bare command failed");
        }
    }

    static double[] time(int n, Supplier<Void> action) {
        for (int i = 0; i < Math.max(2, n / 10); i++) {
            action.get();
        }
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            action.get();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return ms;
    }

    static void report(String name, double[] bare, double[] engine) {
        double b = median(bare), e = median(engine);
        System.out.printf(
                "%-28s %10.1f %10.1f %12.1f %8.2f   spread (p10-p90) bare %.0f-%.0f, engine %.0f-%.0f%n",
                name,
                b,
                e,
                e - b,
                e / b,
                quantile(bare, 0.1),
                quantile(bare, 0.9),
                quantile(engine, 0.1),
                quantile(engine, 0.9));
    }

    static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.round(q * (sorted.length - 1)))];
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
