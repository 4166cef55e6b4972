package io.codingengine.executor.http;

import io.codingengine.executor.sandbox.SandboxConfig;

import java.nio.file.Path;
import java.util.Map;

/**
 * Settings of the session container, from environment variables because that is how Container
 * Apps session pools (and docker-compose) configure a container.
 *
 * @param port       {@code PORT}: the target port the pool forwards to (default 8080)
 * @param sandbox    {@code CE_DATA_DIR}, {@code CE_SLOTS}, {@code CE_UID_BASE},
 *                   {@code CE_ISOLATION}, {@code CE_CGROUP_NAME}, {@code CE_RECYCLE_AFTER} applied to the sandbox defaults
 */
public record SessionSettings(int port, SandboxConfig sandbox) {

    public static SessionSettings fromEnvironment(Map<String, String> env) {
        SandboxConfig sandbox = SandboxConfig.defaults().withCgroupName(env.getOrDefault("CE_CGROUP_NAME", "coding-engine-session"));
        if (env.containsKey("CE_DATA_DIR")) {
            sandbox = sandbox.withDataDir(Path.of(env.get("CE_DATA_DIR")));
        }
        if (env.containsKey("CE_SLOTS")) {
            sandbox = sandbox.withSlots(Integer.parseInt(env.get("CE_SLOTS")));
        }
        if (env.containsKey("CE_UID_BASE")) {
            sandbox = sandbox.withUidBase(Integer.parseInt(env.get("CE_UID_BASE")));
        }
        if (env.containsKey("CE_ISOLATION")) {
            sandbox = sandbox.withIsolation(env.get("CE_ISOLATION"));
        }
        if (env.containsKey("CE_RECYCLE_AFTER")) {
            sandbox = sandbox.withRecycleAfter(Integer.parseInt(env.get("CE_RECYCLE_AFTER")));
        }
        return new SessionSettings(Integer.parseInt(env.getOrDefault("PORT", "8080")), sandbox);
    }
}
