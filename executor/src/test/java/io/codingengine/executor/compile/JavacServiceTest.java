package io.codingengine.executor.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.execution.StageStatus;
import io.codingengine.executor.HostileJavacPlugin;
import io.codingengine.executor.language.Catalogue;
import io.codingengine.executor.language.LanguageRuntime;
import io.codingengine.executor.sandbox.Sandbox;
import io.codingengine.executor.sandbox.SandboxConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The warm compiler's life cycle with a real JDK in a real sandboxed service: killed on timeout,
 * replaced after N compiles, in its own cgroup with its limits, seccomp and no network, and
 * replaced after a source that exhausts its memory.
 */
class JavacServiceTest {

    private static final Map<String, byte[]> HELLO = Map.of(
            "Main.java",
            "public class Main { public static void main(String[] a) {} }".getBytes(StandardCharsets.UTF_8));
    private static final List<String> OPTIONS = List.of("-encoding", "UTF-8", "-proc:none", "-d", ".");
    private static final List<String> MAIN = List.of("Main.java");
    private static final int UID = 65390;

    private static Sandbox sandbox;
    private static LanguageRuntime jdk;

    @BeforeAll
    static void start() throws Exception {
        List<String> paths = new ArrayList<>(SandboxConfig.defaults().readOnlyPaths());
        paths.add("/etc/java-*");
        sandbox = new Sandbox(SandboxConfig.defaults()
                .withDataDir(Files.createTempDirectory("ce-javac-data-"))
                .withSlots(1)
                .withUidBase(UID + 1)
                .withRecycleAfter(0)
                .withReadOnlyPaths(paths)
                .withCgroupName("coding-engine-javac-test"));
        jdk = Catalogue.detect().resolve("java", "25");
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static JavacService service(int restartAfter, int heapMiB) throws Exception {
        CompileSettings settings = CompileSettings.defaults();
        return new JavacService(
                jdk,
                Files.createTempDirectory("ce-javac-test-"),
                UID,
                64L << 20,
                4096,
                sandbox,
                new CompileSettings(false, settings.pchDir(), 0, true, restartAfter, heapMiB, Duration.ofSeconds(10)));
    }

    @Test
    void aSlowCompileIsKilledAndTheNextOneGetsAFreshCompiler() throws Exception {
        try (JavacService service = service(2, 256)) {
            var timedOut = service.compile(HELLO, OPTIONS, MAIN, Duration.ofMillis(1), 1 << 20, 1 << 16);
            var entry = assertInstanceOf(JavacService.Outcome.Compiled.class, timedOut)
                    .entry();
            assertEquals(StageStatus.TO, entry.result().status());
            assertTrue(service.process().isEmpty(), "the compiler that took too long is gone");

            var first = assertInstanceOf(
                            JavacService.Outcome.Compiled.class,
                            service.compile(HELLO, OPTIONS, MAIN, Duration.ofSeconds(30), 1 << 20, 1 << 16))
                    .entry();
            assertTrue(first.result().succeeded(), first.result().toString());
            assertTrue(
                    first.files().containsKey("Main.class"),
                    first.files().keySet().toString());
            long pid = service.process().orElseThrow().pid();
            assertEquals(
                    UID,
                    Integer.parseInt(status(jvm(pid), "Uid").split("\\s+")[0]),
                    "the compiler runs as its own uid");
            service.compile(HELLO, OPTIONS, MAIN, Duration.ofSeconds(30), 1 << 20, 1 << 16);
            assertTrue(service.process().isEmpty(), "replaced after javacRestartAfter = 2 compiles");
            service.compile(HELLO, OPTIONS, MAIN, Duration.ofSeconds(30), 1 << 20, 1 << 16);
            assertNotEquals(pid, service.process().orElseThrow().pid());
        }
    }

    @Test
    void theCompilerOutlivesTheThreadThatStartedIt() throws Exception {
        try (JavacService service = service(200, 256)) {
            // The parent-death signal follows the forking thread: a compiler started from a
            // thread that then ends must not die with it.
            Thread first = Thread.ofPlatform().start(() -> {
                try {
                    service.compile(HELLO, OPTIONS, MAIN, Duration.ofSeconds(30), 1 << 20, 1 << 16);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            first.join();
            long pid = service.process().orElseThrow().pid();
            Thread.sleep(500);
            assertTrue(
                    ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                    "the compiler is still alive after its starting thread ended");
            service.compile(HELLO, OPTIONS, MAIN, Duration.ofSeconds(30), 1 << 20, 1 << 16);
            assertEquals(pid, service.process().orElseThrow().pid(), "the same warm compiler serves the next compile");
        }
    }

    @Test
    void theCompilerRunsInItsOwnCgroupWithSeccompAndNoNetwork() throws Exception {
        try (JavacService service = service(200, 256)) {
            var hello = assertInstanceOf(
                            JavacService.Outcome.Compiled.class,
                            service.compile(HELLO, OPTIONS, MAIN, Duration.ofSeconds(30), 1 << 20, 1 << 16))
                    .entry();
            assertTrue(hello.result().succeeded(), hello.result().toString());
            long jvm = jvm(service.process().orElseThrow().pid());
            List<Path> procs = service.service().orElseThrow().cgroupProcs().orElseThrow();
            for (Path file : procs) {
                assertTrue(Files.readAllLines(file).contains(Long.toString(jvm)), "the JVM is in " + file);
            }
            Path memory = procs.stream()
                    .map(Path::getParent)
                    .filter(d -> Files.exists(d.resolve("memory.limit_in_bytes")))
                    .findFirst()
                    .orElseThrow();
            long limit = (256L + JavacService.NON_HEAP_MIB) << 20;
            assertEquals(
                    limit,
                    Long.parseLong(Files.readString(memory.resolve("memory.limit_in_bytes"))
                            .trim()));
            Path memsw = memory.resolve("memory.memsw.limit_in_bytes");
            if (Files.exists(memsw)) {
                assertEquals(limit, Long.parseLong(Files.readString(memsw).trim()), "swap included");
            }
            Path pids = procs.stream()
                    .map(Path::getParent)
                    .filter(d -> Files.exists(d.resolve("pids.max")))
                    .findFirst()
                    .orElseThrow();
            assertEquals(
                    Integer.toString(JavacService.PROCESSES + 2),
                    Files.readString(pids.resolve("pids.max")).trim());
            procs.stream()
                    .map(Path::getParent)
                    .filter(d -> Files.exists(d.resolve("cpu.cfs_quota_us")))
                    .findFirst()
                    .ifPresent(cpu -> assertEquals("100000", read(cpu.resolve("cpu.cfs_quota_us")), "one CPU"));

            assertEquals("2", status(jvm, "Seccomp"), "the box's seccomp filter");
            assertEquals("1", status(jvm, "NoNewPrivs"));
            assertEquals("0000000000000000", status(jvm, "CapEff"));
            assertNotEquals(
                    Files.readSymbolicLink(Path.of("/proc/self/ns/net")),
                    Files.readSymbolicLink(Path.of("/proc/" + jvm + "/ns/net")),
                    "its own network namespace");
            List<String> interfaces = Files.readAllLines(Path.of("/proc/" + jvm + "/net/dev")).stream()
                    .skip(2)
                    .map(l -> l.trim().split(":")[0])
                    .toList();
            assertEquals(List.of("lo"), interfaces, "no network but its own loopback");
        }
    }

    @Test
    void aSourceThatExhaustsTheCompilersMemoryEndsItAndTheNextCompileGetsAFreshOne() throws Exception {
        StringBuilder bomb =
                new StringBuilder("public class Main {\n  static final String A0 = \"0123456789abcdef\";\n");
        for (int i = 1; i <= 40; i++) {
            // Constant folding doubles the string at each line: 16 << 40 characters.
            bomb.append("  static final String A")
                    .append(i)
                    .append(" = A")
                    .append(i - 1)
                    .append(" + A")
                    .append(i - 1)
                    .append(";\n");
        }
        bomb.append("}\n");
        try (JavacService service = service(200, 256)) {
            assertInstanceOf(
                    JavacService.Outcome.Compiled.class,
                    service.compile(HELLO, OPTIONS, MAIN, Duration.ofSeconds(30), 1 << 20, 1 << 16));
            long before = service.process().orElseThrow().pid();
            var crashed = service.compile(
                    Map.of("Main.java", bomb.toString().getBytes(StandardCharsets.UTF_8)),
                    OPTIONS,
                    MAIN,
                    Duration.ofSeconds(30),
                    1 << 20,
                    1 << 16);
            assertInstanceOf(JavacService.Outcome.Unavailable.class, crashed, "out of memory is not javac's answer");
            assertTrue(service.process().isEmpty(), "the exhausted compiler is gone");
            var next = assertInstanceOf(
                            JavacService.Outcome.Compiled.class,
                            service.compile(HELLO, OPTIONS, MAIN, Duration.ofSeconds(30), 1 << 20, 1 << 16))
                    .entry();
            assertTrue(next.result().succeeded(), next.result().toString());
            assertNotEquals(before, service.process().orElseThrow().pid());
        }
    }

    @Test
    void classFilesGoToACappedTmpfsNeverTheHostsDisk() throws Exception {
        // About 300 KB of source whose class files would take gigabytes: each class repeats a
        // constant pool of long strings.
        StringBuilder source =
                new StringBuilder("public class Main { public static void main(String[] a) {} }\ninterface K {\n"
                        + "String A=\"abcdefghijklmnopqrstuvwxyzABCDEF\"; String B=A+A+A+A; String C=B+B+B+B; String D=C+C+C+C;"
                        + " String E=D+D+D+D; String F=E+E+E; String G=F+F;\n");
        StringBuilder refs = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            source.append("String C").append(i).append("=G+").append(i).append(";\n");
            refs.append(i == 0 ? "" : ",").append("C").append(i);
        }
        source.append("}\n");
        for (int j = 0; j < 60; j++) {
            source.append("class M")
                    .append(j)
                    .append(" implements K { Object[] f = {")
                    .append(refs)
                    .append("}; }\n");
        }
        try (JavacService service = service(200, 256)) {
            var result = assertInstanceOf(
                            JavacService.Outcome.Compiled.class,
                            service.compile(
                                    Map.of("Main.java", source.toString().getBytes(StandardCharsets.UTF_8)),
                                    OPTIONS,
                                    MAIN,
                                    Duration.ofSeconds(60),
                                    64L << 20,
                                    1 << 16))
                    .entry()
                    .result();
            assertFalse(result.succeeded(), "the class files do not fit in the 64 MiB of /out: " + result);
            Path out = service.outDirectory();
            String mount = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .filter(l -> l.split(" ")[4].equals(out.toString()))
                    .findFirst()
                    .orElseThrow();
            assertTrue(mount.contains(" - tmpfs ") && mount.contains("size=65536k"), mount);
            var next = assertInstanceOf(
                            JavacService.Outcome.Compiled.class,
                            service.compile(HELLO, OPTIONS, MAIN, Duration.ofSeconds(30), 1 << 20, 1 << 16))
                    .entry();
            assertTrue(next.result().succeeded(), "the next compile has the room again: " + next.result());
        }
    }

    @Test
    void aPluginShippedWithTheSourcesNeverRunsInTheCompilersJvm() throws Exception {
        Path dir = Files.createTempDirectory("ce-javac-plugin-");
        for (var file : HostileJavacPlugin.files().entrySet()) {
            Files.createDirectories(dir.resolve(file.getKey()).getParent());
            Files.write(dir.resolve(file.getKey()), file.getValue());
        }
        Files.write(dir.resolve("Main.java"), HELLO.get("Main.java"));
        // The attack is real: the javac command, given these files, runs the plugin.
        Process control = new ProcessBuilder(
                        jdk.toolchain().resolve("bin/javac").toString(), "-proc:none", "-d", ".", "Main.java")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String controlOutput = new String(control.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        control.waitFor();
        assertTrue(controlOutput.contains(HostileJavacPlugin.SAYS), controlOutput);
        Files.delete(dir.resolve(HostileJavacPlugin.MARK));

        // The server, launched as the service launches it, in the same directory, with the
        // working directory on javac's class path as the javac command has it.
        Path serviceDir = Files.createTempDirectory("ce-javac-server-");
        try (var source = JavacService.class.getResourceAsStream("/javac-service/JavacServer.java")) {
            Files.write(serviceDir.resolve("JavacServer.java"), source.readAllBytes());
        }
        Process server = new ProcessBuilder(JavacService.command(jdk.toolchain(), 256, serviceDir.toString()))
                .directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            var answers = new java.io.DataInputStream(server.getInputStream());
            assertEquals("ready", readLine(answers));
            server.getOutputStream()
                    .write("-proc:none\u0000-classpath\u0000.\u0000-d\u0000.\nMain.java\n"
                            .getBytes(StandardCharsets.UTF_8));
            server.getOutputStream().flush();
            String[] header = readLine(answers).split(" ");
            String diagnostics = new String(answers.readNBytes(Integer.parseInt(header[2])), StandardCharsets.UTF_8);
            assertEquals("0", header[0], diagnostics);
            assertFalse(diagnostics.contains(HostileJavacPlugin.SAYS), diagnostics);
            assertFalse(Files.exists(dir.resolve(HostileJavacPlugin.MARK)), "the plugin never ran");
            assertTrue(Files.exists(dir.resolve("Main.class")), "and the compile happened");
        } finally {
            server.destroyForcibly();
        }
    }

    private static String readLine(java.io.InputStream in) throws java.io.IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            line.append((char) c);
        }
        return line.toString();
    }

    /** The server JVM's host pid (a descendant of the service's bwrap). */
    private static long jvm(long pid) {
        return ProcessHandle.of(pid)
                .orElseThrow()
                .descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .findFirst()
                .orElseThrow()
                .pid();
    }

    private static String status(long pid, String key) throws Exception {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith(key + ":"))
                .map(l -> l.substring(key.length() + 1).trim())
                .findFirst()
                .orElseThrow();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
