package io.codingengine.worker.queue;

import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.StageResult;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.TestResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's series (docs/operations.md, "Metrics"): executions (judged submissions and Piston
 * executes) by language and verdict, judging,
 * compile and run time histograms with p50/p95/p99, time in queue per lane, slots busy out of
 * slots (the session pool's utilisation for this worker), sandbox failures (IE verdicts,
 * failed runs), and judged tests by problem type (interactive, multi-pass, plain) and verdict.
 */
public final class JudgingMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(JudgingMetrics.class);

    private final MeterRegistry registry;
    private final AtomicInteger busy = new AtomicInteger();

    public JudgingMetrics(MeterRegistry registry, int slots) {
        this.registry = registry;
        Gauge.builder("coding_engine_worker_slots_busy", busy, AtomicInteger::get)
                .description("submissions or runs this worker is executing now")
                .register(registry);
        Gauge.builder("coding_engine_worker_slots", () -> slots)
                .description("submissions or runs this worker executes at once")
                .register(registry);
        // Registered at zero, so rate() over them works (and dashboards find them) before the first failure.
        for (String kind : List.of("judge", "execute")) {
            failures(kind);
        }
    }

    void started() {
        busy.incrementAndGet();
    }

    void finished() {
        busy.decrementAndGet();
    }

    /**
     * Time in queue of the work {@code what} names, as the metric and as the log line "... on lane
     * L after N ms in queue" that the queue-age alert of {@code infra/monitoring.bicep} reads (the
     * same words for every lane and kind of work).
     */
    void queued(String lane, String what, Duration waited) {
        LOG.info("{} on lane {} after {} ms in queue", what, lane, waited.toMillis());
        Timer.builder("coding_engine_time_in_queue")
                .tag("lane", lane)
                .publishPercentiles(0.5, 0.95, 0.99)
                .description("from submission (regrade, Piston execute) to a worker starting it")
                .register(registry)
                .record(waited.isNegative() ? Duration.ZERO : waited);
    }

    void judged(String language, String problemType, Judgement judgement, Duration took) {
        execution("judge", language, judgement.verdict().name());
        for (TestResult t : judgement.tests()) {
            Counter.builder("coding_engine_judged_tests")
                    .tag("problem_type", problemType)
                    .tag("verdict", t.verdict().name())
                    .description("tests of judged submissions by the kind of problem (interactive, multi-pass, plain)"
                            + " and verdict (NR: not run, its group decided already)")
                    .register(registry)
                    .increment();
        }
        Timer.builder("coding_engine_judging_time")
                .tag("language", language)
                .publishPercentiles(0.5, 0.95, 0.99)
                .description("compile and every test of one submission")
                .register(registry)
                .record(took);
        Timer runs = Timer.builder("coding_engine_run_cpu_time")
                .tag("language", language)
                .publishPercentiles(0.5, 0.95, 0.99)
                .description("CPU time of one test run")
                .register(registry);
        for (TestResult t : judgement.tests()) {
            runs.record(Duration.ofMillis(t.timeMs()));
        }
        if (judgement.verdict() == io.codingengine.common.judge.Verdict.IE) {
            sandboxFailure("judge");
        }
    }

    /**
     * The stages of one executor call (a judging's calls merged, or a Piston execute): compile
     * and run wall time, tagged with the language as asked for, as the other series are.
     */
    void executed(String language, ExecutionResult result) {
        if (result.compile() != null) {
            Timer.builder("coding_engine_compile_time")
                    .tag("language", language)
                    .publishPercentiles(0.5, 0.95, 0.99)
                    .description("wall time of one compile (a cached one is fast)")
                    .register(registry)
                    .record(Duration.ofMillis(result.compile().wallTimeMs()));
        }
        Timer runs = Timer.builder("coding_engine_run_wall_time")
                .tag("language", language)
                .publishPercentiles(0.5, 0.95, 0.99)
                .description("wall time of one run (a test or a Piston run)")
                .register(registry);
        for (StageResult run : result.runs()) {
            runs.record(Duration.ofMillis(run.wallTimeMs()));
        }
    }

    /** A Piston execute ended with {@code status}, the audit entry's ({@code OK}, {@code CE}, {@code RE}, ...). */
    void ran(String language, String status) {
        execution("execute", language, status);
    }

    private void execution(String kind, String language, String verdict) {
        Counter.builder("coding_engine_executions")
                .tag("kind", kind)
                .tag("language", language)
                .tag("verdict", verdict)
                .description("judged submissions (kind judge) and Piston executes (kind execute)")
                .register(registry)
                .increment();
    }

    void sandboxFailure(String kind) {
        failures(kind).increment();
    }

    private Counter failures(String kind) {
        return Counter.builder("coding_engine_sandbox_failures")
                .tag("kind", kind)
                .description("runs the engine failed (IE verdicts, internal errors of a run)")
                .register(registry);
    }

    /** A call the executor had no room for (the session pool full or unreachable): the work waits in place. */
    void backPressure(String kind) {
        Counter.builder("coding_engine_executor_busy")
                .tag("kind", kind)
                .description("times work waited because the executor had no room (a full or unreachable session pool)")
                .register(registry)
                .increment();
    }
}
