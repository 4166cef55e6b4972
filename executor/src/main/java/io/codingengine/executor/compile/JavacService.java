package io.codingengine.executor.compile;

import io.codingengine.common.execution.StageResult;
import io.codingengine.common.execution.StageStatus;
import io.codingengine.executor.language.LanguageRuntime;
import io.codingengine.executor.sandbox.Sandbox;
import io.codingengine.executor.sandbox.SandboxedService;
import io.codingengine.executor.sandbox.ServiceSpec;
import io.codingengine.executor.sandbox.Tmpfs;
import io.codingengine.executor.sandbox.UntrustedTree;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A warm Java compiler: one long-lived JVM of one JDK running {@code JavacServer}, which calls the
 * JDK's own compiler API, so a compile costs tens of milliseconds instead of a JVM start and a
 * cold compiler. The JVM serves every submission of its JDK in turn, so it must never run code of
 * one: {@code JavacServer} hands javac the file names as files (never as options) and a file
 * manager whose class loaders see only the JDK, so neither annotation processors nor plugins
 * (not even those javac starts by itself from META-INF/services on the class path) can be loaded
 * from a submission, and its JVM's class path is a read-only directory of its own.
 *
 * <p>Should that ever fail, the JVM is boxed like a run: a {@link Sandbox#startService sandboxed
 * service} as its own unprivileged uid, its own cgroup (memory with swap: the heap plus {@link
 * #NON_HEAP_MIB}; {@link #PROCESSES} threads; one CPU), the box's namespaces with no network, the
 * box's seccomp filter, read-only runtimes, a capped heap and metaspace. It sees the sources
 * read-only at {@code /work} (a root-owned directory the host fills afresh for each compile and
 * the uid cannot change) and writes class files to {@code /out}, the only place it can write; the
 * host reads and empties {@code /out} without following links ({@link UntrustedTree}). It only
 * ever sees Java sources and class files, never the other files of a request (a checker's test
 * data). It is started on first use, replaced after {@code javacRestartAfter} compiles, and
 * killed and replaced when a compile takes too long or the compiler crashes (a heap exhausted, or
 * the cgroup's OOM killer). One compile at a time.
 */
public final class JavacService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JavacService.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final String OUT = "/out";
    /**
     * Memory of the service's cgroup beyond the heap: metaspace (capped at 192 MiB), code cache
     * (96 MiB), thread stacks, the GC's and the JVM's own memory, /tmp.
     */
    static final int NON_HEAP_MIB = 384;
    /** Threads of the service: the server JVM had 13 after a compile here, each compile adds one while it runs. */
    static final int PROCESSES = 64;

    /** What a compile through the service gave: a result with its class files, or a reason to compile the usual way. */
    public sealed interface Outcome {
        record Compiled(CompileCache.Entry entry) implements Outcome {}

        /** The service could not give javac's own answer (it crashed or could not start). */
        record Unavailable(String reason) implements Outcome {}
    }

    private final LanguageRuntime runtime;
    private final Path home;
    /** Sources, root-owned and filled afresh per compile: {@code /work} (read-only) in the service. */
    private final Path work;
    /** Class files, the service uid's: {@code /out} in the service. */
    private final Path out;

    private final int uid;
    private final long outBytes;
    private final long outInodes;
    private final Sandbox sandbox;
    private final CompileSettings settings;
    private SandboxedService service;
    private Process process;
    private InputStream answers;
    private OutputStream requests;
    private int compiles;

    /**
     * @param outBytes  size cap of {@code /out}: the largest disk limit a compile may have
     * @param outInodes inode cap of {@code /out}
     */
    public JavacService(
            LanguageRuntime runtime,
            Path home,
            int uid,
            long outBytes,
            long outInodes,
            Sandbox sandbox,
            CompileSettings settings) {
        this.runtime = runtime;
        this.home = home;
        this.work = home.resolve("work");
        this.out = home.resolve("out");
        this.uid = uid;
        this.outBytes = outBytes;
        this.outInodes = outInodes;
        this.sandbox = sandbox;
        this.settings = settings;
    }

    /**
     * Compiles {@code sources} (paths relative to the working directory, as in the box) with javac's
     * {@code options}, within {@code timeout}. Of {@code files} only Java sources and class files
     * (what javac reads) are shown to the compiler.
     */
    public synchronized Outcome compile(
            Map<String, byte[]> files,
            List<String> options,
            List<String> sources,
            Duration timeout,
            long maxOutputBytes,
            long outputLimit) {
        try {
            ensureStarted();
            UntrustedTree.empty(out);
            fill(files);
            long start = System.nanoTime();
            requests.write(
                    (String.join("\u0000", serviceOptions(options)) + "\n" + String.join("\u0000", sources) + "\n")
                            .getBytes(StandardCharsets.UTF_8));
            requests.flush();
            CompletableFuture<String[]> answer =
                    CompletableFuture.supplyAsync(this::readAnswer, Thread::startVirtualThread);
            String[] reply;
            try {
                reply = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                stop();
                long wallMs = (System.nanoTime() - start) / 1_000_000;
                return new Outcome.Compiled(new CompileCache.Entry(
                        new StageResult(
                                "",
                                "",
                                "",
                                null,
                                "SIGKILL",
                                StageStatus.TO,
                                "Time limit exceeded (wall clock)",
                                wallMs,
                                wallMs,
                                0),
                        Map.of()));
            }
            long wallMs = (System.nanoTime() - start) / 1_000_000;
            int code = Integer.parseInt(reply[0]);
            long cpuMs = Long.parseLong(reply[1]) / 1_000_000;
            byte[] diagnostics = reply[2].getBytes(StandardCharsets.UTF_8);
            if (code >= 3) {
                // A compiler crash (out of memory, stack overflow): the server exits; javac in
                // the box gives the authoritative answer under the submission's own limits.
                stop();
                return new Outcome.Unavailable("the warm compiler crashed (exit " + code + ")");
            }
            Map<String, byte[]> classes = code == 0 ? UntrustedTree.read(out, maxOutputBytes) : Map.of();
            UntrustedTree.empty(out);
            if (++compiles >= settings.javacRestartAfter()) {
                stop();
            }
            return new Outcome.Compiled(
                    new CompileCache.Entry(result(code, diagnostics, outputLimit, cpuMs, wallMs), classes));
        } catch (IOException | RuntimeException | ExecutionException e) {
            LOG.warn("warm javac {} failed, restarting it: {}", runtime.version(), e.toString());
            stop();
            return new Outcome.Unavailable(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            return new Outcome.Unavailable("interrupted");
        }
    }

    /**
     * The catalogue's options with class files going to {@code /out} (the sources' directory is
     * read-only) and the class path the javac command would have.
     */
    private static List<String> serviceOptions(List<String> options) {
        List<String> result = new ArrayList<>();
        for (int i = 0; i < options.size(); i++) {
            String option = options.get(i);
            if (option.startsWith("-J")) {
                continue; // the launcher's JVM options; the service's JVM is set up by spec()
            }
            result.add(option);
            if (option.equals("-d") && i + 1 < options.size()) {
                result.add(OUT);
                i++;
            }
        }
        if (!result.contains("-d")) {
            result.addAll(List.of("-d", OUT));
        }
        if (!result.contains("-cp") && !result.contains("-classpath") && !result.contains("--class-path")) {
            // The javac command's default; in the service's JVM javac would take the JVM's own.
            result.addAll(List.of("-classpath", "."));
        }
        return result;
    }

    /** The stage result the sandbox would report for javac's exit code and diagnostics (stderr). */
    private static StageResult result(int code, byte[] diagnostics, long outputLimit, long cpuMs, long wallMs) {
        if (diagnostics.length > outputLimit) {
            // As the sandbox does: stderr cut at the limit, the compiler killed.
            String cut = new String(diagnostics, 0, (int) outputLimit, StandardCharsets.UTF_8);
            return new StageResult(
                    "", cut, cut, null, "SIGKILL", StageStatus.EL, StageStatus.EL.message(0), cpuMs, wallMs, 0);
        }
        String text = new String(diagnostics, StandardCharsets.UTF_8);
        return code == 0
                ? new StageResult("", text, text, 0, null, null, null, cpuMs, wallMs, 0)
                : new StageResult(
                        "", text, text, code, null, StageStatus.RE, StageStatus.RE.message(code), cpuMs, wallMs, 0);
    }

    /** The uid the server runs as (for tests that look for leftover processes). */
    public int uid() {
        return uid;
    }

    /** The host path of {@code /out}, the service's capped tmpfs. */
    Path outDirectory() {
        return out;
    }

    /** The server's process, while one runs. */
    public synchronized Optional<ProcessHandle> process() {
        return process != null && process.isAlive() ? Optional.of(process.toHandle()) : Optional.empty();
    }

    /** The server's sandbox (its process and cgroup), while one runs. */
    public synchronized Optional<SandboxedService> service() {
        return process().map(p -> service);
    }

    @Override
    public synchronized void close() {
        stop();
        Tmpfs.detach(out);
    }

    private void ensureStarted() throws IOException, InterruptedException, ExecutionException {
        if (process != null && process.isAlive()) {
            return;
        }
        stop();
        for (Path dir : List.of(home, work, out)) {
            Files.createDirectories(dir);
            Files.setAttribute(dir, "unix:uid", 0, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(dir, "unix:gid", 0, LinkOption.NOFOLLOW_LINKS);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        // The only place the service writes: a fresh tmpfs of the uid's, capped like a compile's
        // work directory (and charged to the service's memory cgroup), never the host's disk.
        Tmpfs.detach(out);
        Tmpfs.mount(out, outBytes, outInodes, uid);
        Path server = home.resolve("JavacServer.java");
        try (InputStream source = JavacService.class.getResourceAsStream("/javac-service/JavacServer.java")) {
            Files.write(server, source.readAllBytes());
        }
        Files.setPosixFilePermissions(server, PosixFilePermissions.fromString("rw-r--r--"));
        service = sandbox.startService(spec(server));
        process = service.process();
        answers = new BufferedInputStream(process.getInputStream());
        requests = process.getOutputStream();
        compiles = 0;
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(this::readLine, Thread::startVirtualThread);
        try {
            String line = ready.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (!"ready".equals(line)) {
                throw new IOException("warm javac did not start: " + line);
            }
        } catch (TimeoutException e) {
            throw new IOException("warm javac did not start within " + START_TIMEOUT);
        }
        LOG.info("warm javac {} started as uid {}", runtime.version(), uid);
    }

    private ServiceSpec spec(Path server) {
        int heap = settings.javacMemoryMiB();
        return new ServiceSpec(
                "javac" + runtime.version(),
                uid,
                (long) (heap + NON_HEAP_MIB) << 20,
                PROCESSES,
                Map.of(out, OUT),
                Map.of(server, "/service/JavacServer.java", work, "/work"),
                "/work",
                Map.of("PATH", "/usr/bin:/bin", "LANG", "C.UTF-8", "LC_ALL", "C.UTF-8", "HOME", "/tmp"),
                command(runtime.toolchain(), heap, "/service"));
    }

    /**
     * The server's JVM: capped, one CPU, and a class path of {@code serviceDir} (read-only, holding
     * only the server's source), so that JDK service lookups never see the sources of a compile.
     */
    static List<String> command(Path toolchain, int heapMiB, String serviceDir) {
        return List.of(
                toolchain.resolve("bin/java").toString(),
                "-Xmx" + heapMiB + "m",
                "-Xms" + Math.min(128, heapMiB) + "m",
                "-XX:MaxMetaspaceSize=192m",
                "-XX:ReservedCodeCacheSize=96m",
                "-XX:+UseSerialGC",
                "-XX:-UsePerfData",
                "-Xshare:auto",
                "-XX:ActiveProcessorCount=1",
                "--class-path",
                serviceDir,
                "--add-exports",
                "jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
                "--add-exports",
                "jdk.compiler/com.sun.tools.javac.main=ALL-UNNAMED",
                serviceDir + "/JavacServer.java");
    }

    /**
     * Replaces the sources with {@code files}' Java sources and class files. {@code work} and all
     * in it are root's and only readable by the service, so paths here are stable.
     */
    private void fill(Map<String, byte[]> files) throws IOException {
        UntrustedTree.empty(work);
        for (var file : files.entrySet()) {
            String relative = file.getKey();
            if (!relative.endsWith(".java") && !relative.endsWith(".class")) {
                continue;
            }
            Path target = work.resolve(relative).normalize();
            if (!target.startsWith(work) || target.equals(work)) {
                throw new IllegalArgumentException("path escapes the work directory: " + relative);
            }
            Files.createDirectories(target.getParent());
            Files.write(target, file.getValue());
        }
    }

    private String[] readAnswer() {
        String header = readLine();
        if (header == null) {
            throw new UncheckedIOException(new IOException("warm javac exited"));
        }
        String[] parts = header.split(" ");
        try {
            byte[] text = answers.readNBytes(Integer.parseInt(parts[2]));
            return new String[] {parts[0], parts[1], new String(text, StandardCharsets.UTF_8)};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String readLine() {
        try {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = answers.read()) != -1 && c != '\n') {
                line.append((char) c);
            }
            return c == -1 && line.isEmpty() ? null : line.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void stop() {
        if (service != null) {
            if (service.oomKilled()) {
                LOG.warn("warm javac {} was killed at its memory limit", runtime.version());
            }
            service.close();
            service = null;
            process = null;
        }
    }
}
