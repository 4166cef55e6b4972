package io.codingengine.api.config;

import io.codingengine.executor.sandbox.SandboxSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The api's sandbox, {@code coding-engine.data-dir}, {@code slots}, {@code uid-base},
 * {@code isolation}, {@code cgroup-name} and {@code recycle-after} (declared in
 * {@link SandboxSettings}, as the worker's): used with {@code execution=local} only, but for
 * {@code data-dir}, where the embedded broker keeps its journal too ({@code data-dir/broker}).
 */
@ConfigurationProperties("coding-engine")
public class ApiSandboxSettings extends SandboxSettings {}
