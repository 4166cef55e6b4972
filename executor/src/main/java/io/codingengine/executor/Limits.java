package io.codingengine.executor;

import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.execution.LimitRequest;
import io.codingengine.common.execution.StageLimits;
import io.codingengine.executor.language.LanguageDefinition;
import java.time.Duration;

/**
 * The limits a stage runs with: each value the request asks for, else the language's override,
 * else the default; anything above the configured maximum is refused.
 */
final class Limits {

    private static final long MIB = 1L << 20;
    private final ExecutorConfig config;

    Limits(ExecutorConfig config) {
        this.config = config;
    }

    StageLimits compile(LanguageDefinition language, LimitRequest requested) {
        return check(apply(withOverrides(config.compile(), language.limits().get("compile")), requested), "compile");
    }

    StageLimits run(LanguageDefinition language, LimitRequest requested) {
        return check(apply(withOverrides(config.run(), language.limits().get("run")), requested), "run");
    }

    private static StageLimits apply(StageLimits base, LimitRequest r) {
        StageLimits l = base;
        if (r.cpuTime() != null) {
            l = l.withCpuTime(r.cpuTime());
        }
        if (r.wallTime() != null) {
            l = l.withWallTime(r.wallTime());
        }
        if (r.memoryBytes() != null) {
            l = l.withMemoryBytes(r.memoryBytes());
        }
        if (r.outputBytes() != null) {
            l = l.withOutputBytes(r.outputBytes());
        }
        return l;
    }

    private static StageLimits withOverrides(StageLimits base, LanguageDefinition.LimitOverrides o) {
        if (o == null) {
            return base;
        }
        return new StageLimits(
                o.cpuMs() != null ? Duration.ofMillis(o.cpuMs()) : base.cpuTime(),
                o.wallMs() != null ? Duration.ofMillis(o.wallMs()) : base.wallTime(),
                o.memoryMiB() != null ? o.memoryMiB() * MIB : base.memoryBytes(),
                o.processes() != null ? o.processes() : base.processes(),
                base.outputBytes(),
                base.fileSizeBytes(),
                o.openFiles() != null ? o.openFiles() : base.openFiles(),
                base.diskBytes(),
                base.diskInodes());
    }

    private StageLimits check(StageLimits l, String stage) {
        StageLimits max = config.max();
        exceeds(
                l.cpuTime().compareTo(max.cpuTime()) > 0,
                stage,
                "cpu time",
                max.cpuTime().toMillis() + " ms");
        exceeds(
                l.wallTime().compareTo(max.wallTime()) > 0,
                stage,
                "wall time",
                max.wallTime().toMillis() + " ms");
        exceeds(l.memoryBytes() > max.memoryBytes(), stage, "memory", max.memoryBytes() + " bytes");
        exceeds(l.processes() > max.processes(), stage, "processes", Integer.toString(max.processes()));
        exceeds(l.outputBytes() > max.outputBytes(), stage, "output", max.outputBytes() + " bytes");
        exceeds(l.fileSizeBytes() > max.fileSizeBytes(), stage, "file size", max.fileSizeBytes() + " bytes");
        exceeds(l.openFiles() > max.openFiles(), stage, "open files", Integer.toString(max.openFiles()));
        exceeds(l.diskBytes() > max.diskBytes(), stage, "disk", max.diskBytes() + " bytes");
        exceeds(l.diskInodes() > max.diskInodes(), stage, "inodes", Integer.toString(max.diskInodes()));
        return l;
    }

    private static void exceeds(boolean over, String stage, String what, String max) {
        if (over) {
            throw new InvalidRequestException(stage + " " + what + " cannot exceed the configured limit of " + max);
        }
    }
}
