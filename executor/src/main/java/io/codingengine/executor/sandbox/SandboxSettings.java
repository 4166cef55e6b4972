package io.codingengine.executor.sandbox;

import java.nio.file.Path;

/**
 * The sandbox's settings as a Spring Boot process binds them: the api under {@code coding-engine.*}
 * (with {@code execution=local}) and the worker under {@code coding-engine.worker.*}, each through a
 * subclass annotated with its prefix (docs/configuration.md). A bean rather than a record because
 * a record binds only under the one prefix of its own annotation; these are declared here once
 * for both. {@link #toConfig()} turns them into the executor's {@link SandboxConfig}.
 */
public class SandboxSettings {

    /** Root-owned directory of the sandbox: its helper binary, boxes and pre-started boxes' pins. */
    private Path dataDir = Path.of("/var/lib/coding-engine");
    /** Programs run at once; 0: one per core. */
    private int slots;
    /** First unprivileged uid: slot {@code i} runs as {@code uidBase + i}, and the validator of an interaction in it as {@code uidBase + slots + i}. */
    private int uidBase = 60000;
    /**
     * {@code auto}, {@code namespaces} (refuse to start without them), {@code process} or
     * {@code uid} (only where UID isolation is allowed: the worker's {@code allow-uid-isolation}).
     */
    private String isolation = "auto";
    /** The sandbox's group in each cgroup hierarchy. */
    private String cgroupName = "coding-engine";
    /** Runs a slot's pre-started box serves before it is rebuilt; 0: a fresh box per run. */
    private int recycleAfter = SandboxConfig.RECYCLE_AFTER;
    /** Lock every file boxes show read-only in memory at start, so no run can evict or probe their pages. */
    private boolean lockRuntimes = true;

    public Path getDataDir() {
        return dataDir;
    }

    public void setDataDir(Path dataDir) {
        this.dataDir = dataDir;
    }

    public int getSlots() {
        return slots;
    }

    public void setSlots(int slots) {
        this.slots = slots;
    }

    public int getUidBase() {
        return uidBase;
    }

    public void setUidBase(int uidBase) {
        this.uidBase = uidBase;
    }

    public String getIsolation() {
        return isolation;
    }

    public void setIsolation(String isolation) {
        this.isolation = isolation;
    }

    public String getCgroupName() {
        return cgroupName;
    }

    public void setCgroupName(String cgroupName) {
        this.cgroupName = cgroupName;
    }

    public int getRecycleAfter() {
        return recycleAfter;
    }

    public void setRecycleAfter(int recycleAfter) {
        this.recycleAfter = recycleAfter;
    }

    public boolean isLockRuntimes() {
        return lockRuntimes;
    }

    public void setLockRuntimes(boolean lockRuntimes) {
        this.lockRuntimes = lockRuntimes;
    }

    /** {@link #getSlots()}, or the number of cores when it is 0. */
    public int effectiveSlots() {
        return slots > 0 ? slots : Runtime.getRuntime().availableProcessors();
    }

    /** The executor's sandbox configuration: {@link SandboxConfig#defaults()} with these settings. */
    public SandboxConfig toConfig() {
        return SandboxConfig.defaults()
                .withDataDir(dataDir)
                .withSlots(effectiveSlots())
                .withUidBase(uidBase)
                .withIsolation(isolation)
                .withCgroupName(cgroupName)
                .withRecycleAfter(recycleAfter)
                .withLockRuntimes(lockRuntimes);
    }
}
