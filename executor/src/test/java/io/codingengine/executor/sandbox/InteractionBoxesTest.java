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
 * The two sides of an interaction in every kind of box: pre-started boxes, fresh bwrap boxes and
 * process isolation. Each side runs as its own uid (a slot's and its companion's), and a broken
 * pre-started box under either side makes the pair run again, unnoticed. Each sandbox here has its
 * own uids (655x0 and the companion 655x1) and data directory.
 */
class InteractionBoxesTest {

    private static final StageLimits LIMITS = new StageLimits(
            Duration.ofSeconds(2), Duration.ofSeconds(4), 256L << 20, 16, 4096, 1 << 20, 64, 1 << 20, 64);
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin");

    private static SandboxConfig config(int uidBase) throws Exception {
        Path dir = Files.createTempDirectory("ce-interaction-");
        return SandboxConfig.defaults()
                .withDataDir(dir)
                .withSlots(1)
                .withUidBase(uidBase)
                .withCgroupName("coding-engine-interaction-test");
    }

    /** The validator says hello, expects it back in capitals and reports its uid; so does the submission. */
    private static PairOutcome hello(Sandbox sandbox) throws Exception {
        try (Box submission = sandbox.open(1 << 20, 64);
                Box validator = sandbox.openCompanion(submission, 1 << 20, 64)) {
            RunSpec s = new RunSpec(List.of("/usr/bin/python3", "-c", """
                    import os, sys
                    print(input().upper(), flush=True)
                    print(os.getuid(), file=sys.stderr)
                    """), ENV, new byte[0], LIMITS);
            RunSpec v = new RunSpec(List.of("/usr/bin/python3", "-c", """
                    import os, sys
                    print("hello", flush=True)
                    ok = sys.stdin.readline() == "HELLO\\n"
                    print(os.getuid(), file=sys.stderr)
                    sys.exit(42 if ok else 43)
                    """), ENV, new byte[0], LIMITS);
            return sandbox.interact(submission, s, validator, v, 1000);
        }
    }

    private static void assertHello(PairOutcome o, int uidBase) {
        assertEquals(0, o.submission().exitCode(), text(o.submission().output()));
        assertEquals(42, o.validator().exitCode(), text(o.validator().output()));
        assertEquals(uidBase + "\n", text(o.submission().stderr()), "the submission runs as the slot's uid");
        assertEquals((uidBase + 1) + "\n", text(o.validator().stderr()), "the validator as the companion's");
        assertEquals(
                List.of("<hello\n", ">HELLO\n"),
                o.transcript().stream()
                        .map(m -> (m.fromSubmission() ? ">" : "<") + text(m.bytes()))
                        .toList());
        assertFalse(o.submissionStopped());
        assertTrue(o.validatorFirst() != null);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void inPreStartedBoxesEverySideHasItsOwnBoxAndABrokenOneIsReplaced() throws Exception {
        try (Sandbox sandbox = new Sandbox(config(65500))) {
            assertTrue(sandbox.pooled());
            assertHello(hello(sandbox), 65500);
            long built = sandbox.boxesBuilt();
            // Break the companion's pre-started box from outside: the pair is run again in a new one.
            try (var pins =
                    Files.list(sandbox.config().dataDir().resolve("pool").resolve("1"))) {
                for (Path pin : pins.toList()) {
                    assertEquals(
                            0,
                            new ProcessBuilder("umount", "-l", pin.toString())
                                    .inheritIO()
                                    .start()
                                    .waitFor());
                }
            }
            assertHello(hello(sandbox), 65500);
            assertEquals(built + 1, sandbox.boxesBuilt(), "the broken box was replaced");
        }
    }

    @Test
    void inFreshBoxes() throws Exception {
        try (Sandbox sandbox = new Sandbox(config(65510).withRecycleAfter(0))) {
            assertFalse(sandbox.pooled());
            assertHello(hello(sandbox), 65510);
        }
    }

    @Test
    void underProcessIsolation() throws Exception {
        try (Sandbox sandbox = new Sandbox(config(65520).withIsolation("process"))) {
            assertEquals(Isolation.Level.PROCESS, sandbox.isolation().level());
            assertHello(hello(sandbox), 65520);
        }
    }

    @Test
    void theValidatorRunsOnlyInTheSubmissionsCompanion() throws Exception {
        try (Sandbox sandbox = new Sandbox(config(65530).withSlots(2));
                Box first = sandbox.open(1 << 20, 64);
                Box second = sandbox.open(1 << 20, 64)) {
            RunSpec spec = new RunSpec(List.of("/bin/true"), ENV, new byte[0], LIMITS);
            assertThrows(IllegalArgumentException.class, () -> sandbox.interact(first, spec, second, spec, 0));
            try (Box companion = sandbox.openCompanion(first, 1 << 20, 64)) {
                assertEquals(2 + first.slot(), companion.slot());
                assertThrows(IllegalArgumentException.class, () -> sandbox.openCompanion(companion, 1 << 20, 64));
            }
        }
    }
}
