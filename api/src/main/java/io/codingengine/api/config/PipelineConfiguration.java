package io.codingengine.api.config;

import io.codingengine.api.access.ApiKeyStore;
import io.codingengine.api.access.TableApiKeyStore;
import io.codingengine.api.contest.AccountStore;
import io.codingengine.api.contest.DraftStore;
import io.codingengine.api.contest.TableAccountStore;
import io.codingengine.api.contest.TableDraftStore;
import io.codingengine.api.execution.ExecutionService;
import io.codingengine.api.execution.QueueExecutionService;
import io.codingengine.common.contest.ContestStore;
import io.codingengine.common.contest.TableContestStore;
import io.codingengine.common.pipeline.ReplyChannel;
import io.codingengine.common.problem.BlobProblemStore;
import io.codingengine.common.problem.ProblemStore;
import io.codingengine.common.queue.ArtemisReplyChannel;
import io.codingengine.common.queue.ArtemisSubmissionQueue;
import io.codingengine.common.queue.EmbeddedArtemisBroker;
import io.codingengine.common.queue.QueueKind;
import io.codingengine.common.queue.ServiceBusReplyChannel;
import io.codingengine.common.queue.ServiceBusSubmissionQueue;
import io.codingengine.common.queue.SubmissionQueue;
import io.codingengine.common.store.StorageAccount;
import io.codingengine.common.store.SubmissionStore;
import io.codingengine.common.store.TableSubmissionStore;
import io.codingengine.executor.ExecutorConfig;
import io.codingengine.executor.language.Catalogue;
import io.codingengine.executor.language.LanguageRuntime;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The pipeline the api feeds: the submission queue and the reply channel of this process, on
 * Artemis (the broker embedded unless {@code broker-url} names one) or on Service Bus
 * ({@code queue=servicebus}), and the stores on Azure Storage (Azurite locally; with the table and
 * blob endpoints set, the managed identity).
 */
@Configuration(proxyBeanMethods = false)
public class PipelineConfiguration {

    @Bean
    ExecutorConfig executorConfig() {
        return ExecutorConfig.defaults();
    }

    /** Started only when no external broker is configured; workers connect to its TCP port. */
    @Bean(destroyMethod = "stop")
    @ConditionalOnProperty(name = "coding-engine.queue", havingValue = "artemis", matchIfMissing = true)
    @ConditionalOnProperty(name = "coding-engine.broker-url", havingValue = "", matchIfMissing = true)
    EmbeddedArtemisBroker embeddedBroker(EngineProperties p) {
        return EmbeddedArtemisBroker.start(p.dataDir().resolve("broker"), p.brokerPort());
    }

    @Bean
    SubmissionQueue submissionQueue(EngineProperties p, ObjectProvider<EmbeddedArtemisBroker> broker) {
        return switch (QueueKind.parse("coding-engine.queue", p.queue())) {
            case ARTEMIS -> ArtemisSubmissionQueue.connect(brokerUrl(p, broker));
            case SERVICEBUS -> ServiceBusSubmissionQueue.connect(p.serviceBus());
        };
    }

    @Bean
    ReplyChannel replyChannel(EngineProperties p, ObjectProvider<EmbeddedArtemisBroker> broker) {
        return switch (QueueKind.parse("coding-engine.queue", p.queue())) {
            case ARTEMIS -> ArtemisReplyChannel.listening(brokerUrl(p, broker));
            case SERVICEBUS -> ServiceBusReplyChannel.listening(p.serviceBus());
        };
    }

    /** One pair of clients for every store, authenticated as the storage settings say. */
    @Bean
    StorageAccount.Clients storageClients(EngineProperties p) {
        return p.storageAccount().connect();
    }

    @Bean
    SubmissionStore submissionStore(StorageAccount.Clients storage, EngineProperties p) {
        return new TableSubmissionStore(storage.tables(), storage.blobs(), p.tablePrefix());
    }

    @Bean
    ApiKeyStore apiKeyStore(StorageAccount.Clients storage, EngineProperties p) {
        return new TableApiKeyStore(storage.tables(), p.tablePrefix());
    }

    @Bean
    AccountStore accountStore(StorageAccount.Clients storage, EngineProperties p) {
        return new TableAccountStore(storage.tables(), p.tablePrefix());
    }

    @Bean
    DraftStore draftStore(StorageAccount.Clients storage, EngineProperties p) {
        return new TableDraftStore(storage.tables(), p.tablePrefix());
    }

    @Bean
    ContestStore contestStore(StorageAccount.Clients storage, EngineProperties p) {
        return new TableContestStore(storage.tables(), p.tablePrefix());
    }

    @Bean
    ProblemStore problemStore(StorageAccount.Clients storage, EngineProperties p) {
        return new BlobProblemStore(storage.blobs(), p.tablePrefix());
    }

    /** The workers run the same catalogue on the same kind of host; the api checks requests with it. */
    @Bean
    Catalogue catalogue() {
        return Catalogue.detect();
    }

    @Bean
    @ConditionalOnProperty(name = "coding-engine.execution", havingValue = "queue", matchIfMissing = true)
    ExecutionService queueExecutionService(SubmissionQueue queue, ReplyChannel replies, Catalogue catalogue,
                                           EngineProperties p) {
        return new QueueExecutionService(queue, replies,
                catalogue.runtimes().stream().map(LanguageRuntime::info).toList(), p.executeTimeout());
    }

    private static String brokerUrl(EngineProperties p, ObjectProvider<EmbeddedArtemisBroker> broker) {
        EmbeddedArtemisBroker embedded = broker.getIfAvailable();
        return embedded != null ? embedded.url() : p.brokerUrl();
    }
}
