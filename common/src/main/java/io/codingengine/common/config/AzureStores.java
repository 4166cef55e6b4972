package io.codingengine.common.config;

import io.codingengine.common.audit.AuditLog;
import io.codingengine.common.audit.TableAuditLog;
import io.codingengine.common.problem.BlobProblemStore;
import io.codingengine.common.problem.ProblemStore;
import io.codingengine.common.store.StorageAccount;
import io.codingengine.common.store.SubmissionStore;
import io.codingengine.common.store.TableSubmissionStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The stores the api and the worker both use, on Azure Storage: imported by each one's
 * {@code AzureStoreConfiguration} (so only with {@code coding-engine.store=azure}), which adds the
 * stores only it uses. Table Storage and Blob Storage by connection string (Azurite), or with the
 * table and blob endpoints set, through the managed identity; tables and containers are named
 * with {@code table-prefix}.
 */
@Configuration(proxyBeanMethods = false)
public class AzureStores {

    /** One pair of clients for every store, authenticated as the storage settings say. */
    @Bean
    public StorageAccount.Clients storageClients(ConnectionSettings c) {
        return c.storageAccount().connect();
    }

    @Bean
    public SubmissionStore submissionStore(StorageAccount.Clients storage, ConnectionSettings c) {
        return new TableSubmissionStore(storage.tables(), storage.blobs(), c.getTablePrefix());
    }

    @Bean
    public ProblemStore problemStore(StorageAccount.Clients storage, ConnectionSettings c) {
        return new BlobProblemStore(storage.blobs(), c.getTablePrefix());
    }

    @Bean
    public AuditLog auditLog(StorageAccount.Clients storage, ConnectionSettings c) {
        return new TableAuditLog(storage.tables(), c.getTablePrefix());
    }
}
