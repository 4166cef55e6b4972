package io.codingengine.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.LimitRequest;
import io.codingengine.common.execution.StageResult;
import io.codingengine.common.execution.StageStatus;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A relay that stops reporting (here: stopped with SIGSTOP mid-run, as a hung or starved process
 * would be) does not hold its run for ever: past the wall limit and a margin the run is abandoned
 * as a failure of the sandbox (status XX, which the judge runs again), the slot's relays are
 * replaced, and the next runs work.
 */
class HungRelayTest {

    private static final LimitRequest LIMITS =
            new LimitRequest(Duration.ofSeconds(2), Duration.ofSeconds(3), null, null);

    @Test
    void aHungRelayIsAbandonedAtItsDeadlineAndItsSlotRecovers() throws Exception {
        Fixture.run("python", "print(1)"); // the slots' relay servers are up
        long started = System.nanoTime();
        CompletableFuture<ExecutionResult> run = CompletableFuture.supplyAsync(
                () -> Fixture.run("python", "*", "import time\ntime.sleep(2)\nprint('late')", "", LIMITS));
        ProcessHandle relay =
                busyRelay(Duration.ofSeconds(10)).orElseThrow(() -> new AssertionError("no relay running"));
        assertEquals(
                0,
                new ProcessBuilder("kill", "-STOP", Long.toString(relay.pid()))
                        .start()
                        .waitFor(),
                "the relay was stopped");
        try {
            StageResult result = run.get(60, TimeUnit.SECONDS).runs().getFirst();
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            assertEquals(StageStatus.XX, result.status(), result.toString());
            assertTrue(seconds < 30, "abandoned at the wall limit plus the margin, not later: " + seconds + " s");
        } finally {
            new ProcessBuilder("kill", "-CONT", Long.toString(relay.pid()))
                    .start()
                    .waitFor();
        }
        assertTrue(waitGone(relay), "the hung relay was killed");
        for (int i = 0; i < 2 * Fixture.SLOTS; i++) {
            assertEquals(
                    "ok\n",
                    Fixture.run("python", "print('ok')").runs().getFirst().stdout(),
                    "every slot runs again");
        }
    }

    /**
     * The relay serving this test's run: a fork of one of this sandbox's relay servers (so its
     * command line is the server's too) with a Python program among its descendants. Neither the
     * box's init, whose parent is a relay, nor a relay still reaping the previous run qualifies.
     */
    private static Optional<ProcessHandle> busyRelay(Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> busy = ProcessHandle.allProcesses()
                    .filter(HungRelayTest::isServeProcess)
                    .filter(p ->
                            p.parent().filter(HungRelayTest::isServeProcess).isPresent())
                    .filter(relay -> relay.descendants()
                            .anyMatch(p -> p.info().commandLine().orElse("").contains("python")))
                    .findFirst();
            if (busy.isPresent()) {
                return busy;
            }
            Thread.sleep(20);
        }
        return Optional.empty();
    }

    private static boolean isServeProcess(ProcessHandle p) {
        return p.info().commandLine().orElse("").contains(" serve " + Fixture.DATA_DIR);
    }

    private static boolean waitGone(ProcessHandle p) {
        try {
            p.onExit().get(10, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
