package io.codingengine.api.audit;

import io.codingengine.common.audit.AuditLog;
import io.codingengine.common.store.SubmissionStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes submissions (source, outputs, verdicts) and audit entries older than the retention
 * period, every {@code sweep}. Every api process runs it; the deletes tolerate each other.
 */
public final class RetentionJob implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);

    private final SubmissionStore submissions;
    private final AuditLog audit;
    private final Duration period;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("retention").factory());

    public RetentionJob(SubmissionStore submissions, AuditLog audit, Duration period, Clock clock) {
        this.submissions = submissions;
        this.audit = audit;
        this.period = period;
        this.clock = clock;
    }

    /** Runs {@link #purge} every {@code sweep}, first after one sweep; a period of 0 keeps everything. */
    public void schedule(Duration sweep) {
        if (!period.isZero()) {
            timer.scheduleWithFixedDelay(this::purgeLogged, sweep.toMillis(), sweep.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** One purge now; returns submissions and audit entries deleted. */
    public Purged purge() {
        var cutoff = clock.instant().minus(period);
        return new Purged(submissions.purgeCreatedBefore(cutoff), audit.purgeSubmittedBefore(cutoff));
    }

    public record Purged(int submissions, int auditEntries) {}

    private void purgeLogged() {
        try {
            Purged p = purge();
            LOG.info(
                    "retention: deleted {} submissions and {} audit entries older than {}",
                    p.submissions(),
                    p.auditEntries(),
                    period);
        } catch (RuntimeException e) {
            LOG.warn("retention purge failed; the next sweep tries again", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
