package io.codingengine.api.config;

import io.codingengine.api.access.ApiKeyStore;
import io.codingengine.api.access.TableApiKeyStore;
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
import io.codingengine.common.queue.SubmissionQueue;
import io.codingengine.common.store.AzureStorage;
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
 * The pipeline the api feeds: the Artemis broker (embedded unless {@code broker-url} names one),
 * the submission queue, the reply channel of this process, and the stores on Azure Storage
 * (Azurite locally).
 */
@Configuration(proxyBeanMethods = false)
public class PipelineConfiguration {

    @Bean
    ExecutorConfig executorConfig() {
        return ExecutorConfig.defaults();
    }

    /** Started only when no external broker is configured; workers connect to its TCP port. */
    @Bean(destroyMethod = "stop")
    @ConditionalOnProperty(name = "coding-engine.broker-url", havingValue = "", matchIfMissing = true)
    EmbeddedArtemisBroker embeddedBroker(EngineProperties p) {
        return EmbeddedArtemisBroker.start(p.dataDir().resolve("broker"), p.brokerPort());
    }

    @Bean
    SubmissionQueue submissionQueue(EngineProperties p, ObjectProvider<EmbeddedArtemisBroker> broker) {
        return ArtemisSubmissionQueue.connect(brokerUrl(p, broker));
    }

    @Bean
    ReplyChannel replyChannel(EngineProperties p, ObjectProvider<EmbeddedArtemisBroker> broker) {
        return ArtemisReplyChannel.listening(brokerUrl(p, broker));
    }

    @Bean
    SubmissionStore submissionStore(EngineProperties p) {
        return TableSubmissionStore.fromConnectionString(p.storage(), p.tablePrefix());
    }

    @Bean
    ApiKeyStore apiKeyStore(EngineProperties p) {
        return new TableApiKeyStore(AzureStorage.tables(p.storage()), p.tablePrefix());
    }

    @Bean
    ContestStore contestStore(EngineProperties p) {
        return new TableContestStore(AzureStorage.tables(p.storage()), p.tablePrefix());
    }

    @Bean
    ProblemStore problemStore(EngineProperties p) {
        return BlobProblemStore.fromConnectionString(p.storage(), p.tablePrefix());
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
