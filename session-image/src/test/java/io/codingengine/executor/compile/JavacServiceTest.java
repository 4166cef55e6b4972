package io.codingengine.executor.compile;

import io.codingengine.executor.language.Catalogue;
import io.codingengine.executor.language.LanguageRuntime;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The warm compiler's life cycle with a real JDK in a real bubblewrap sandbox: killed on timeout, replaced after N compiles. */
class JavacServiceTest {

    private static final Map<String, byte[]> HELLO = Map.of("Main.java",
            "public class Main { public static void main(String[] a) {} }".getBytes(StandardCharsets.UTF_8));
    private static final List<String> ARGS = List.of("-encoding", "UTF-8", "-proc:none", "-d", ".", "Main.java");

    @Test
    void aSlowCompileIsKilledAndTheNextOneGetsAFreshCompiler() throws Exception {
        LanguageRuntime jdk = Catalogue.detect().resolve("java", "25");
        CompileSettings settings = CompileSettings.defaults();
        try (JavacService service = new JavacService(jdk, Files.createTempDirectory("ce-javac-test-"), 65390,
                List.of("/usr", "/etc/alternatives", "/etc/ld.so.cache", "/etc/java-*"),
                new CompileSettings(false, settings.pchDir(), 0, true, 2, 256, Duration.ofSeconds(10)))) {
            var timedOut = service.compile(HELLO, ARGS, Duration.ofMillis(1), 1 << 20, 1 << 16);
            var entry = assertInstanceOf(JavacService.Outcome.Compiled.class, timedOut).entry();
            assertEquals(io.codingengine.common.execution.StageStatus.TO, entry.result().status());
            assertTrue(service.process().isEmpty(), "the compiler that took too long is gone");

            var first = assertInstanceOf(JavacService.Outcome.Compiled.class,
                    service.compile(HELLO, ARGS, Duration.ofSeconds(30), 1 << 20, 1 << 16)).entry();
            assertTrue(first.result().succeeded(), first.result().toString());
            assertTrue(first.files().containsKey("Main.class"), first.files().keySet().toString());
            long pid = service.process().orElseThrow().pid();
            assertEquals(65390, uidOf(pid), "the compiler runs as its own uid");
            service.compile(HELLO, ARGS, Duration.ofSeconds(30), 1 << 20, 1 << 16);
            assertTrue(service.process().isEmpty(), "replaced after javacRestartAfter = 2 compiles");
            service.compile(HELLO, ARGS, Duration.ofSeconds(30), 1 << 20, 1 << 16);
            assertNotEquals(pid, service.process().orElseThrow().pid());
        }
    }

    /** The real uid of the server JVM (a descendant of setpriv/bwrap). */
    private static int uidOf(long pid) throws Exception {
        long leaf = ProcessHandle.of(pid).orElseThrow().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .findFirst().orElseThrow().pid();
        return Files.readAllLines(java.nio.file.Path.of("/proc/" + leaf + "/status")).stream()
                .filter(l -> l.startsWith("Uid:")).map(l -> Integer.parseInt(l.split("\\s+")[1])).findFirst().orElseThrow();
    }
}
