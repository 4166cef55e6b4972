package io.codingengine.executor.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.execution.StageLimits;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The cgroup v2 path, as far as this host allows: its cgroup2 mount has no controllers (they are
 * all bound to v1), so memory and pids limits cannot be exercised here; membership, CPU time from
 * {@code cpu.stat}, the relay's CPU limit on v2 accounting, and {@code cgroup.kill} can.
 */
class CgroupV2Test {

    private static final StageLimits LIMITS = new StageLimits(
            Duration.ofSeconds(1), Duration.ofSeconds(5), 64L << 20, 16, 4096, 1 << 20, 64, 1 << 20, 64);

    private static Path unifiedMount() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String mount = Cgroups.mountPoint(line, "cgroup2", null);
            if (mount != null) {
                return Path.of(mount);
            }
        }
        throw new AssertionError("this host kind has a cgroup2 mount beside v1; none found");
    }

    @Test
    void relayEnforcesCpuTimeFromCpuStatAndCgroupKillEndsEverything() throws Exception {
        CgroupV2 v2 = new CgroupV2(unifiedMount().resolve("coding-engine-test-v2"), Set.of());
        RunCgroup run = v2.create("relay", LIMITS);
        Relay.Result result = Relay.run(
                List.of(
                        helper(),
                        "run",
                        "--cgroup-procs",
                        run.procsFiles().getFirst().toString(),
                        "--cpu-usage",
                        run.cpuUsageFile().toString(),
                        "--cpu-usage-format",
                        run.cpuUsageFormat(),
                        "--cpu-limit-ms",
                        "300",
                        "--wall-limit-ms",
                        "10000",
                        "--",
                        "/bin/sh",
                        "-c",
                        "while :; do :; done"),
                new byte[0],
                java.time.Duration.ofSeconds(30));
        assertNull(result.failure());
        assertEquals("cpu", result.status().get("timeout"));
        assertTrue(
                Long.parseLong(result.status().get("cpu_ns")) >= 300_000_000L,
                result.status().toString());
        run.close();
        assertFalse(Files.exists(run.procsFiles().getFirst().getParent()));
    }

    @Test
    void killAllEndsProcessesThatJoinedTheGroup() throws Exception {
        CgroupV2 v2 = new CgroupV2(unifiedMount().resolve("coding-engine-test-v2"), Set.of());
        RunCgroup run = v2.create("kill", LIMITS);
        Process sleeper = new ProcessBuilder("sleep", "100").start();
        Cgroups.write(run.procsFiles().getFirst(), Long.toString(sleeper.pid()));
        assertEquals(List.of(sleeper.pid()), Processes.list(run.procsFiles().getFirst()));
        run.killAll();
        assertTrue(sleeper.waitFor(5, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(137, sleeper.exitValue());
        assertFalse(run.oomKilled());
        assertEquals(-1, run.peakMemoryBytes(), "no memory controller on this host's v2 mount");
        run.close();
    }

    private static String helper() throws URISyntaxException {
        return Path.of(CgroupV2Test.class.getResource("/native/ce-sandbox").toURI())
                .toString();
    }
}
