package io.codingengine.executor.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.execution.StageLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Where namespaces are unavailable (simulated by a bwrap that does not exist), the sandbox says
 * so and falls back to process isolation, which still denies network sockets and runs as an
 * unprivileged uid; when namespaces are required it refuses to start. UID isolation is never
 * used unless allowed. (Where process isolation cannot start either, a host without mounts:
 * session-image's DockerDefaultsTest.)
 */
class IsolationFallbackTest {

    private static final StageLimits LIMITS = new StageLimits(
            Duration.ofSeconds(2), Duration.ofSeconds(5), 256L << 20, 16, 4096, 1 << 20, 64, 1 << 20, 64);

    private static SandboxConfig config() throws Exception {
        Path dir = Files.createTempDirectory("ce-fallback-");
        return SandboxConfig.defaults()
                .withDataDir(dir)
                .withSlots(1)
                .withUidBase(65150)
                .withCgroupName("coding-engine-test")
                .withBwrap(Path.of("/nonexistent/bwrap"));
    }

    @Test
    void autoFallsBackToProcessIsolationAndSaysWhy() throws Exception {
        Sandbox sandbox = new Sandbox(config());
        Isolation isolation = sandbox.isolation();
        assertEquals(Isolation.Level.PROCESS, isolation.level());
        assertFalse(isolation.full());
        assertTrue(isolation.detail().contains("namespaces unavailable"), isolation.detail());
        try (Box box = sandbox.open(1 << 20, 64)) {
            RunOutcome out = box.run(new RunSpec(
                    List.of("/usr/bin/python3", "-c", """
                    import os, socket
                    print(os.getuid())
                    try:
                        socket.socket(socket.AF_INET, socket.SOCK_STREAM); print('socket allowed')
                    except OSError as e:
                        print('socket denied', e.errno)
                    """), Map.of("PATH", "/usr/bin:/bin"), new byte[0], LIMITS));
            assertEquals(
                    "65150\nsocket denied 13\n",
                    new String(out.stdout(), StandardCharsets.UTF_8),
                    new String(out.output(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void requiredNamespacesRefuseToStart() throws Exception {
        SandboxConfig config = config().withIsolation("namespaces");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Sandbox(config));
        assertTrue(e.getMessage().contains("namespaces are required"), e.getMessage());
    }

    @Test
    void uidIsolationIsRefusedUnlessAllowed() throws Exception {
        SandboxConfig config = config().withIsolation("uid");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Sandbox(config));
        assertTrue(e.getMessage().contains("UID isolation is not allowed here"), e.getMessage());
    }

    @Test
    void aDataDirServesOneEngineAtATime() throws Exception {
        SandboxConfig config = config().withIsolation("process");
        try (Sandbox first = new Sandbox(config)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Sandbox(config));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
    }
}
