package io.codingengine.worker.config;

import io.codingengine.common.pipeline.ReplyChannel;
import io.codingengine.common.problem.BlobProblemStore;
import io.codingengine.common.problem.ProblemStore;
import io.codingengine.common.queue.ArtemisReplyChannel;
import io.codingengine.common.queue.ArtemisSubmissionQueue;
import io.codingengine.common.queue.SubmissionQueue;
import io.codingengine.common.store.SubmissionStore;
import io.codingengine.common.store.TableSubmissionStore;
import io.codingengine.executor.ExecutorConfig;
import io.codingengine.executor.SandboxedExecutor;
import io.codingengine.executor.sandbox.SandboxConfig;
import io.codingengine.worker.queue.QueueConsumer;
import io.codingengine.worker.queue.WorkHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/** The worker's parts: the local session pool (in-process executor), the queue, the stores. */
@Configuration(proxyBeanMethods = false)
public class WorkerConfiguration {

    @Bean
    SandboxedExecutor executor(WorkerProperties p) {
        ExecutorConfig defaults = ExecutorConfig.defaults();
        // Custom checkers travel with every test's input and answer as data files.
        ExecutorConfig config = new ExecutorConfig(defaults.compile(), defaults.run(), defaults.max(), 4096, 256L << 20);
        return SandboxedExecutor.start(SandboxConfig.defaults().withDataDir(p.dataDir()).withSlots(p.effectiveSlots())
                .withUidBase(p.uidBase()).withIsolation(p.isolation()).withCgroupName(p.cgroupName()), config);
    }

    @Bean
    SubmissionQueue submissionQueue(WorkerProperties p) {
        // The queue dead-letters after the same number of deliveries the handler counts down to: with
        // the queue's own default, a max-delivery-count below it would never reach the queue.
        var defaults = ArtemisSubmissionQueue.Settings.DEFAULT;
        return ArtemisSubmissionQueue.connect(p.brokerUrl(), new ArtemisSubmissionQueue.Settings(
                p.maxDeliveryCount(), defaults.lockDuration(), defaults.pollInterval()));
    }

    @Bean
    ReplyChannel replyChannel(WorkerProperties p) {
        return ArtemisReplyChannel.sending(p.brokerUrl());
    }

    @Bean
    SubmissionStore submissionStore(WorkerProperties p) {
        return TableSubmissionStore.fromConnectionString(p.storage(), p.tablePrefix());
    }

    @Bean
    ProblemStore problemStore(WorkerProperties p) {
        return BlobProblemStore.fromConnectionString(p.storage(), p.tablePrefix());
    }

    @Bean
    WorkHandler workHandler(SandboxedExecutor executor, SubmissionStore submissions, ProblemStore problems,
                            ReplyChannel replies, WorkerProperties p) {
        return new WorkHandler(executor, submissions, problems, replies, Clock.systemUTC(), p.effectiveId(),
                p.maxDeliveryCount(), p.lockRenewal(), p.faultInjection().crashOnParticipant());
    }

    @Bean
    QueueConsumer queueConsumer(SubmissionQueue queue, WorkHandler handler, SandboxedExecutor executor, WorkerProperties p) {
        return new QueueConsumer(queue, handler, executor.capacity(), p.receiveWait());
    }
}
