package io.codingengine.api.config;

import io.codingengine.api.execution.ExecutionService;
import io.codingengine.api.execution.QueueExecutionService;
import io.codingengine.common.pipeline.ReplyChannel;
import io.codingengine.common.queue.ArtemisBroker;
import io.codingengine.common.queue.ArtemisReplyChannel;
import io.codingengine.common.queue.ArtemisSubmissionQueue;
import io.codingengine.common.queue.EmbeddedArtemisBroker;
import io.codingengine.common.queue.QueueKind;
import io.codingengine.common.queue.ServiceBusReplyChannel;
import io.codingengine.common.queue.ServiceBusSubmissionQueue;
import io.codingengine.common.queue.SubmissionQueue;
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
 * ({@code queue=servicebus}). The stores are {@link PostgresStoreConfiguration}'s or
 * {@link AzureStoreConfiguration}'s, as {@code coding-engine.store} says.
 */
@Configuration(proxyBeanMethods = false)
public class PipelineConfiguration {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PipelineConfiguration.class);

    @Bean
    ExecutorConfig executorConfig() {
        return ExecutorConfig.defaults();
    }

    /**
     * Started only when no external broker is configured; workers connect to its TCP port, the
     * api in-VM. It refuses to listen beyond loopback without {@code broker-user}.
     */
    @Bean(destroyMethod = "stop")
    @ConditionalOnProperty(name = "coding-engine.queue", havingValue = "artemis", matchIfMissing = true)
    @ConditionalOnProperty(name = "coding-engine.broker-url", havingValue = "", matchIfMissing = true)
    EmbeddedArtemisBroker embeddedBroker(EngineProperties p, ApiSandboxSettings sandbox, ApiConnectionSettings c) {
        EmbeddedArtemisBroker.Listener listener = p.brokerListener(c);
        if (!listener.onLoopback() && listener.keyStore() == null) {
            LOG.warn(
                    "the broker listens on {} without TLS (coding-engine.broker-key-store): its user's password and "
                            + "every submission cross the network in clear",
                    listener.host());
        }
        return EmbeddedArtemisBroker.start(sandbox.getDataDir().resolve("broker"), listener);
    }

    @Bean
    SubmissionQueue submissionQueue(ApiConnectionSettings c, ObjectProvider<EmbeddedArtemisBroker> broker) {
        return switch (QueueKind.parse("coding-engine.queue", c.getQueue())) {
            case ARTEMIS -> ArtemisSubmissionQueue.connect(broker(c, broker), ArtemisSubmissionQueue.Settings.DEFAULT);
            case SERVICEBUS -> ServiceBusSubmissionQueue.connect(c.serviceBus());
        };
    }

    @Bean
    ReplyChannel replyChannel(ApiConnectionSettings c, ObjectProvider<EmbeddedArtemisBroker> broker) {
        return switch (QueueKind.parse("coding-engine.queue", c.getQueue())) {
            case ARTEMIS -> ArtemisReplyChannel.listening(broker(c, broker));
            case SERVICEBUS -> ServiceBusReplyChannel.listening(c.serviceBus());
        };
    }

    /** The workers run the same catalogue on the same kind of host; the api checks requests with it. */
    @Bean
    Catalogue catalogue() {
        return Catalogue.detect();
    }

    @Bean
    @ConditionalOnProperty(name = "coding-engine.execution", havingValue = "queue", matchIfMissing = true)
    ExecutionService queueExecutionService(
            SubmissionQueue queue, ReplyChannel replies, Catalogue catalogue, EngineProperties p) {
        return new QueueExecutionService(
                queue,
                replies,
                catalogue.runtimes().stream().map(LanguageRuntime::info).toList(),
                p.executeTimeout());
    }

    private static ArtemisBroker broker(ApiConnectionSettings c, ObjectProvider<EmbeddedArtemisBroker> broker) {
        EmbeddedArtemisBroker embedded = broker.getIfAvailable();
        return embedded != null ? embedded.inVm() : c.artemisBroker();
    }
}
