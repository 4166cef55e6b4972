package io.codingengine.worker.config;

import io.codingengine.common.audit.AuditLog;
import io.codingengine.common.audit.TableAuditLog;
import io.codingengine.common.problem.BlobProblemStore;
import io.codingengine.common.problem.ProblemStore;
import io.codingengine.common.store.StorageAccount;
import io.codingengine.common.store.SubmissionStore;
import io.codingengine.common.store.TableSubmissionStore;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The worker's stores on Azure Storage ({@code coding-engine.store=azure}, which the {@code azure}
 * profile sets): by connection string (Azurite), or with the endpoints set, the managed identity.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "coding-engine.store", havingValue = "azure")
public class AzureStoreConfiguration {

    /** One pair of clients for every store, authenticated as the storage settings say. */
    @Bean
    StorageAccount.Clients storageClients(WorkerConnectionSettings c) {
        return c.storageAccount().connect();
    }

    @Bean
    SubmissionStore submissionStore(StorageAccount.Clients storage, WorkerConnectionSettings c) {
        return new TableSubmissionStore(storage.tables(), storage.blobs(), c.getTablePrefix());
    }

    @Bean
    ProblemStore problemStore(StorageAccount.Clients storage, WorkerConnectionSettings c) {
        return new BlobProblemStore(storage.blobs(), c.getTablePrefix());
    }

    @Bean
    AuditLog auditLog(StorageAccount.Clients storage, WorkerConnectionSettings c) {
        return new TableAuditLog(storage.tables(), c.getTablePrefix());
    }
}
