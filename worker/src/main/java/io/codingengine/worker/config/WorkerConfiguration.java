package io.codingengine.worker.config;

import io.codingengine.common.audit.AuditLog;
import io.codingengine.common.execution.Executor;
import io.codingengine.common.pipeline.ReplyChannel;
import io.codingengine.common.problem.ProblemStore;
import io.codingengine.common.queue.ArtemisReplyChannel;
import io.codingengine.common.queue.ArtemisSubmissionQueue;
import io.codingengine.common.queue.QueueKind;
import io.codingengine.common.queue.ServiceBusReplyChannel;
import io.codingengine.common.queue.ServiceBusSettings;
import io.codingengine.common.queue.ServiceBusSubmissionQueue;
import io.codingengine.common.queue.SubmissionQueue;
import io.codingengine.common.store.SubmissionStore;
import io.codingengine.executor.ExecutorConfig;
import io.codingengine.executor.SandboxedExecutor;
import io.codingengine.worker.queue.JudgingMetrics;
import io.codingengine.worker.queue.QueueConsumer;
import io.codingengine.worker.queue.SandboxWatch;
import io.codingengine.worker.queue.WorkHandler;
import io.codingengine.worker.session.DynamicSessionsExecutor;
import io.codingengine.worker.session.DynamicSessionsSettings;
import io.codingengine.worker.session.TokenProviders;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The worker's parts: the session pool (local sandbox or Dynamic Sessions), the queue and reply
 * channel (Artemis or Service Bus). The stores are {@link PostgresStoreConfiguration}'s or
 * {@link AzureStoreConfiguration}'s, as {@code coding-engine.store} says.
 */
@Configuration(proxyBeanMethods = false)
public class WorkerConfiguration {

    /** {@code session-pool}: this host's sandbox (the default), or an Azure Dynamic Sessions pool. */
    @Bean
    Executor executor(
            WorkerProperties p,
            WorkerSandboxSettings sandbox,
            WorkerConnectionSettings connections,
            org.springframework.core.env.Environment environment) {
        return switch (p.sessionPool()) {
            case "local" -> localExecutor(p, sandbox);
            case "dynamic-sessions" -> {
                if (p.sessionPoolEndpoint().isBlank()) {
                    throw new IllegalArgumentException(
                            "coding-engine.worker.session-pool-endpoint is required with session-pool=dynamic-sessions");
                }
                // The first backoff is short: a pool's 429 usually says how long to wait.
                URI endpoint = URI.create(p.sessionPoolEndpoint());
                yield new DynamicSessionsExecutor(
                        new DynamicSessionsSettings(
                                endpoint,
                                sandbox.effectiveSlots(),
                                p.sessionPoolTimeout(),
                                p.sessionPoolPatience(),
                                Duration.ofMillis(500),
                                p.interactiveSlots()),
                        TokenProviders.forPool(
                                p.sessionPoolAuth(),
                                connections.getManagedIdentityClientId(),
                                endpoint,
                                environment.matchesProfiles("azure")));
            }
            default ->
                throw new IllegalArgumentException(
                        "coding-engine.worker.session-pool must be local or dynamic-sessions: " + p.sessionPool());
        };
    }

    private static SandboxedExecutor localExecutor(WorkerProperties p, WorkerSandboxSettings sandbox) {
        // The interactive slots come on top of the judging ones (slot uids run past them too).
        return SandboxedExecutor.start(
                sandbox.toConfig()
                        .withSlots(sandbox.effectiveSlots() + p.interactiveSlots())
                        .withInteractiveSlots(p.interactiveSlots()),
                ExecutorConfig.judging().withCompileSpeed(p.compileSettings()));
    }

    @Bean
    SubmissionQueue submissionQueue(WorkerProperties p, WorkerConnectionSettings connections) {
        // The queue dead-letters after the same number of deliveries the handler counts down to: with
        // the queue's own default, a max-delivery-count below it would never reach the queue.
        return switch (QueueKind.parse("coding-engine.worker.queue", connections.getQueue())) {
            case ARTEMIS ->
                ArtemisSubmissionQueue.connect(
                        connections.artemisBroker(),
                        new ArtemisSubmissionQueue.Settings(
                                p.maxDeliveryCount(), ArtemisSubmissionQueue.Settings.DEFAULT.lockDuration()));
            case SERVICEBUS -> ServiceBusSubmissionQueue.connect(serviceBus(p, connections));
        };
    }

    /**
     * On Artemis the worker listens too, on an address of its own: the client's input for the
     * live runs it holds comes there. On Service Bus it only sends (its identity may not receive
     * from the reply queue), so it runs no live runs.
     */
    @Bean
    ReplyChannel replyChannel(WorkerProperties p, WorkerConnectionSettings connections) {
        return switch (QueueKind.parse("coding-engine.worker.queue", connections.getQueue())) {
            case ARTEMIS -> ArtemisReplyChannel.listening(connections.artemisBroker());
            case SERVICEBUS -> ServiceBusReplyChannel.sending(serviceBus(p, connections));
        };
    }

    /** The Service Bus settings, dead-lettering after {@link WorkerProperties#maxDeliveryCount()}. */
    static ServiceBusSettings serviceBus(WorkerProperties p, WorkerConnectionSettings connections) {
        return connections.serviceBus().withMaxDeliveryCount(p.maxDeliveryCount());
    }

    @Bean
    JudgingMetrics judgingMetrics(MeterRegistry registry, Executor executor) {
        return new JudgingMetrics(registry, executor.capacity());
    }

    @Bean
    WorkHandler workHandler(
            Executor executor,
            SubmissionStore submissions,
            ProblemStore problems,
            ReplyChannel replies,
            AuditLog audit,
            JudgingMetrics metrics,
            WorkerProperties p) {
        return new WorkHandler(
                executor, submissions, problems, replies, audit, metrics, Clock.systemUTC(), p.handling());
    }

    @Bean
    QueueConsumer queueConsumer(SubmissionQueue queue, WorkHandler handler, Executor executor, WorkerProperties p) {
        return new QueueConsumer(queue, handler, executor.capacity(), executor.interactiveCapacity(), p.receiveWait());
    }

    /**
     * {@code judging} in {@code /actuator/health}: DOWN once a slot's thread died (the worker then
     * exits, {@link QueueConsumer}), so a probe or an operator does not take a worker that judges
     * nothing for a healthy one.
     */
    @Bean
    HealthIndicator judgingHealthIndicator(QueueConsumer consumer) {
        return () -> {
            QueueConsumer.Health h = consumer.health();
            Health.Builder health = h.up() ? Health.up() : Health.down();
            health.withDetail("slots", h.slots()).withDetail("alive", h.alive());
            if (h.lastDeath() != null) {
                health.withDetail("lastDeath", h.lastDeath());
            }
            return health.build();
        };
    }

    /**
     * {@code sandbox} in {@code /actuator/health} and in its readiness group: OUT_OF_SERVICE from
     * a run the sandbox failed under until a probe passes, while the worker takes no work
     * ({@link io.codingengine.worker.queue.SandboxWatch}).
     */
    @Bean
    HealthIndicator sandboxHealthIndicator(WorkHandler handler) {
        return () -> switch (handler.sandbox().state()) {
            case SandboxWatch.Working working -> Health.up().build();
            case SandboxWatch.Failing failing -> {
                Health.Builder health = Health.outOfService()
                        .withDetail("since", failing.since().toString())
                        .withDetail("reason", failing.reason())
                        .withDetail("failedProbes", failing.probes());
                if (failing.lastProbe() != null) {
                    health.withDetail("lastProbe", failing.lastProbe());
                }
                yield health.build();
            }
        };
    }
}
