package io.codingengine.worker.config;

import io.codingengine.executor.sandbox.SandboxSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;

/**
 * The worker's sandbox, {@code coding-engine.worker.data-dir}, {@code slots}, {@code uid-base},
 * {@code isolation}, {@code cgroup-name} and {@code recycle-after} (declared in
 * {@link SandboxSettings}, as the api's). {@code slots} is also the submissions judged at once,
 * and with {@code session-pool=dynamic-sessions} this worker's share of the pool's sessions.
 * Its own defaults keep it apart from an api's local sandbox on the same host: its directory
 * {@code /var/lib/coding-engine/worker}, its group {@code coding-engine-worker}.
 */
@ConfigurationProperties("coding-engine.worker")
public class WorkerSandboxSettings extends SandboxSettings {

    public WorkerSandboxSettings() {
        setDataDir(Path.of("/var/lib/coding-engine/worker"));
        setCgroupName("coding-engine-worker");
    }
}
