package io.codingengine.session;

import io.codingengine.executor.ExecutorConfig;
import io.codingengine.executor.sandbox.SandboxConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Settings of the session container, from environment variables because that is how Container
 * Apps session pools (and docker-compose) configure a container.
 *
 * @param port       {@code PORT}: the target port the pool forwards to (default 8080)
 * @param sandbox    {@code CE_DATA_DIR}, {@code CE_SLOTS}, {@code CE_UID_BASE},
 *                   {@code CE_ISOLATION}, {@code CE_CGROUP_NAME}, {@code CE_RECYCLE_AFTER} applied to the sandbox
 *                   defaults, with UID isolation allowed: a session container runs one execution and
 *                   ends, and may have no more than Docker's default capabilities (docs/azure.md)
 * @param requests   {@code CE_MAX_BODY_BYTES}, {@code CE_MAX_RUNS}, {@code CE_READ_TIMEOUT} (seconds)
 *                   applied to {@link RequestLimits#defaults} for the executor's source maximum
 * @param exitAfterAnswer {@code CE_EXIT_AFTER_ANSWER} ({@code true}/{@code false}, default false): answer
 *                   one execution, then exit, so that a pool with {@code lifecycleType: OnContainerExit}
 *                   destroys the session (docs/azure.md, "The session model")
 */
public record SessionSettings(int port, SandboxConfig sandbox, RequestLimits requests, boolean exitAfterAnswer) {

    /** Every environment variable read here; a deployment that sets another one sets it for nothing. */
    public static final Set<String> VARIABLES = Set.of(
            "PORT",
            "CE_DATA_DIR",
            "CE_SLOTS",
            "CE_UID_BASE",
            "CE_ISOLATION",
            "CE_CGROUP_NAME",
            "CE_RECYCLE_AFTER",
            "CE_MAX_BODY_BYTES",
            "CE_MAX_RUNS",
            "CE_READ_TIMEOUT",
            "CE_EXIT_AFTER_ANSWER");

    /** For the executor the image runs, {@link ExecutorConfig#judging()}. */
    public static SessionSettings fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, ExecutorConfig.judging());
    }

    public static SessionSettings fromEnvironment(Map<String, String> env, ExecutorConfig executor) {
        // Not locked: a session runs one submission's executions on a kernel of its own (a Hyper-V
        // container), so no other account's run shares its page cache, and each session would
        // otherwise read 2 GB into memory before its first run.
        SandboxConfig sandbox = SandboxConfig.defaults()
                .withAllowUidIsolation(true)
                .withLockRuntimes(false)
                .withCgroupName(env.getOrDefault("CE_CGROUP_NAME", "coding-engine-session"));
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
        RequestLimits requests = RequestLimits.defaults(executor.maxSourceBytes());
        if (env.containsKey("CE_MAX_BODY_BYTES")) {
            long value = number(env, "CE_MAX_BODY_BYTES");
            requests = named("CE_MAX_BODY_BYTES", requests, r -> r.withMaxBodyBytes(value));
        }
        if (env.containsKey("CE_MAX_RUNS")) {
            long value = number(env, "CE_MAX_RUNS");
            if (value > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "CE_MAX_RUNS must be at most " + Integer.MAX_VALUE + ", was " + value);
            }
            requests = named("CE_MAX_RUNS", requests, r -> r.withMaxRuns((int) value));
        }
        if (env.containsKey("CE_READ_TIMEOUT")) {
            long value = number(env, "CE_READ_TIMEOUT");
            requests = named("CE_READ_TIMEOUT", requests, r -> r.withReadTimeout(Duration.ofSeconds(value)));
        }
        return new SessionSettings(
                Integer.parseInt(env.getOrDefault("PORT", "8080")),
                sandbox,
                requests,
                bool(env, "CE_EXIT_AFTER_ANSWER"));
    }

    private static boolean bool(Map<String, String> env, String name) {
        String value = env.getOrDefault(name, "false").strip();
        return switch (value) {
            case "true" -> true;
            case "false", "" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false, was \"" + value + "\"");
        };
    }

    private static long number(Map<String, String> env, String name) {
        try {
            return Long.parseLong(env.get(name).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was \"" + env.get(name) + "\"");
        }
    }

    private static RequestLimits named(
            String name, RequestLimits limits, java.util.function.UnaryOperator<RequestLimits> change) {
        try {
            return change.apply(limits);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }
}
