package io.codingengine.worker.config;

import io.codingengine.executor.sandbox.SandboxConfig;
import io.codingengine.executor.sandbox.SandboxSettings;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The worker's sandbox, {@code coding-engine.worker.data-dir}, {@code slots}, {@code uid-base},
 * {@code isolation}, {@code cgroup-name} and {@code recycle-after} (declared in
 * {@link SandboxSettings}, as the api's), and {@code allow-uid-isolation}, the worker's alone.
 * {@code slots} is also the submissions judged at once, and with
 * {@code session-pool=dynamic-sessions} this worker's share of the pool's sessions. Its own
 * defaults keep it apart from an api's local sandbox on the same host: its directory
 * {@code /var/lib/coding-engine/worker}, its group {@code coding-engine-worker}.
 */
@ConfigurationProperties("coding-engine.worker")
public class WorkerSandboxSettings extends SandboxSettings {

    /**
     * Whether the local sandbox may isolate runs by their uid alone (no namespace, no mount): off,
     * so that a worker refuses to start rather than judge every submission in turn on a host where
     * a run's leftovers outside its work directory reach later runs (docs/sandbox.md, "ISOLATION
     * LEVELS"); the session container is the case that needs it.
     */
    private boolean allowUidIsolation;

    public WorkerSandboxSettings() {
        setDataDir(Path.of("/var/lib/coding-engine/worker"));
        setCgroupName("coding-engine-worker");
    }

    public boolean isAllowUidIsolation() {
        return allowUidIsolation;
    }

    public void setAllowUidIsolation(boolean allowUidIsolation) {
        this.allowUidIsolation = allowUidIsolation;
    }

    /** {@link SandboxSettings#toConfig()}, with UID isolation allowed when {@link #isAllowUidIsolation()}. */
    @Override
    public SandboxConfig toConfig() {
        return super.toConfig().withAllowUidIsolation(allowUidIsolation);
    }
}
