package io.codingengine.executor;

import io.codingengine.common.execution.Signals;
import io.codingengine.common.execution.StageResult;
import io.codingengine.common.execution.StageStatus;
import io.codingengine.executor.sandbox.RunOutcome;
import java.nio.charset.StandardCharsets;

/** Turns what the sandbox observed into Piston's stage shape, with Piston's messages. */
final class StageMapper {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StageMapper.class);
    private static final int SIGKILL = 9;
    private static final int SIGXCPU = 24;

    private StageMapper() {}

    static StageResult map(RunOutcome o) {
        String stdout = text(o.stdout());
        String stderr = text(o.stderr());
        String output = text(o.output());
        long cpuMs = o.cpuNanos() / 1_000_000;
        long wallMs = o.wallNanos() / 1_000_000;
        long memory = Math.max(0, o.peakMemory());
        if (o.internalError() != null) {
            // The cause stays in the engine's log: it may name the engine's own paths.
            LOG.warn("the sandbox failed under a run: {}", o.internalError());
            return new StageResult(
                    stdout,
                    stderr,
                    output,
                    null,
                    null,
                    StageStatus.XX,
                    StageStatus.XX.message(0),
                    cpuMs,
                    wallMs,
                    memory);
        }
        StageStatus status;
        String message;
        Integer code = o.exitCode();
        String signal = o.signal() == null ? null : Signals.name(o.signal());
        if (o.oomKilled()) {
            status = StageStatus.ML;
            message = status.message(0);
        } else if (o.timeout() != null || (o.signal() != null && o.signal() == SIGXCPU)) {
            status = StageStatus.TO;
            message = switch (o.timeout() == null ? RunOutcome.Timeout.CPU : o.timeout()) {
                case WALL -> "Time limit exceeded (wall clock)";
                case IDLE -> "Time limit exceeded (idle)";
                case CPU -> status.message(0);
            };
        } else if (o.exceeded() != null) {
            status = o.exceeded() == RunOutcome.Stream.STDOUT ? StageStatus.OL : StageStatus.EL;
            message = status.message(0);
        } else if (o.signal() != null) {
            return new StageResult(
                    stdout,
                    stderr,
                    output,
                    null,
                    signal,
                    StageStatus.SG,
                    StageStatus.SG.message(o.signal()),
                    cpuMs,
                    wallMs,
                    memory);
        } else if (code != null && code != 0) {
            return new StageResult(
                    stdout,
                    stderr,
                    output,
                    code,
                    null,
                    StageStatus.RE,
                    StageStatus.RE.message(code),
                    cpuMs,
                    wallMs,
                    memory);
        } else {
            return new StageResult(stdout, stderr, output, code, null, null, null, cpuMs, wallMs, memory);
        }
        // Stopped by a limit: the engine killed it (Piston reports SIGKILL for these too).
        return new StageResult(
                stdout, stderr, output, null, Signals.name(SIGKILL), status, message, cpuMs, wallMs, memory);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
