package io.codingengine.api.config;

import io.codingengine.api.audit.RetentionJob;
import io.codingengine.common.audit.AuditLog;
import io.codingengine.common.audit.TableAuditLog;
import io.codingengine.common.store.StorageAccount;
import io.codingengine.common.store.SubmissionStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/** The audit log the workers write and admins read, and the retention purge. */
@Configuration(proxyBeanMethods = false)
public class AuditConfiguration {

    @Bean
    AuditLog auditLog(StorageAccount.Clients storage, EngineProperties p) {
        return new TableAuditLog(storage.tables(), p.tablePrefix());
    }

    @Bean(destroyMethod = "close")
    RetentionJob retentionJob(SubmissionStore submissions, AuditLog audit, EngineProperties p) {
        RetentionJob job = new RetentionJob(submissions, audit, p.retention().period(), Clock.systemUTC());
        job.schedule(p.retention().sweep());
        return job;
    }
}
