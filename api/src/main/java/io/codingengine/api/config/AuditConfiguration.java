package io.codingengine.api.config;

import io.codingengine.api.audit.RetentionJob;
import io.codingengine.api.judge.Submissions;
import io.codingengine.api.judge.Sweeper;
import io.codingengine.common.audit.AuditLog;
import io.codingengine.common.queue.SubmissionQueue;
import io.codingengine.common.store.SubmissionStore;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The jobs every api process runs on the stores (the stores' configuration makes them): the
 * retention purge of submissions and of the audit log, and the sweeper of stalled rounds.
 */
@Configuration(proxyBeanMethods = false)
public class AuditConfiguration {

    @Bean(destroyMethod = "close")
    Sweeper sweeper(SubmissionStore submissions, SubmissionQueue queue, Submissions judging, EngineProperties p) {
        Sweeper sweeper = new Sweeper(
                submissions,
                queue,
                p.sweeper().stuckAfter(),
                Clock.systemUTC(),
                judging::runsEveryTest,
                judging::endsAtFirstRejection);
        sweeper.schedule(p.sweeper().interval());
        return sweeper;
    }

    @Bean(destroyMethod = "close")
    RetentionJob retentionJob(SubmissionStore submissions, AuditLog audit, EngineProperties p) {
        RetentionJob job = new RetentionJob(submissions, audit, p.retention().period(), Clock.systemUTC());
        job.schedule(p.retention().sweep());
        return job;
    }
}
