package io.codingengine.api.config;

import io.codingengine.api.audit.RetentionJob;
import io.codingengine.common.audit.AuditLog;
import io.codingengine.common.store.SubmissionStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/** The retention purge of submissions and of the audit log (the stores' configuration makes both). */
@Configuration(proxyBeanMethods = false)
public class AuditConfiguration {

    @Bean(destroyMethod = "close")
    RetentionJob retentionJob(SubmissionStore submissions, AuditLog audit, EngineProperties p) {
        RetentionJob job = new RetentionJob(submissions, audit, p.retention().period(), Clock.systemUTC());
        job.schedule(p.retention().sweep());
        return job;
    }
}
