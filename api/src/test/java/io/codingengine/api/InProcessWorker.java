package io.codingengine.api;

import io.codingengine.common.audit.PostgresAuditLog;
import io.codingengine.common.problem.PostgresProblemStore;
import io.codingengine.common.queue.ArtemisReplyChannel;
import io.codingengine.common.queue.ArtemisSubmissionQueue;
import io.codingengine.common.store.PostgresSubmissionStore;
import io.codingengine.executor.ExecutorConfig;
import io.codingengine.executor.SandboxedExecutor;
import io.codingengine.executor.sandbox.SandboxConfig;
import io.codingengine.worker.queue.JudgingMetrics;
import io.codingengine.worker.queue.QueueConsumer;
import io.codingengine.worker.queue.WorkHandler;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * A real worker (its own sandbox, two slots) in the test JVM, draining the broker the api under
 * test embeds and writing to the same stores. Each test class passes its own uid base and cgroup
 * name so that sandboxes of different classes never share uids.
 */
public final class InProcessWorker implements AutoCloseable {

    /** The id the worker writes into judgements and audit entries. */
    public static final String WORKER_ID = "test-worker";

    private final SandboxedExecutor executor;
    private final QueueConsumer consumer;

    private InProcessWorker(SandboxedExecutor executor, QueueConsumer consumer) {
        this.executor = executor;
        this.consumer = consumer;
    }

    /**
     * @param stores  the database of the api under test, whose stores are PostgreSQL's
     * @param metrics where the worker's series go (the api's registry, so its /actuator/prometheus shows them)
     */
    public static InProcessWorker start(
            String brokerUrl, DataSource stores, int uidBase, String cgroupName, MeterRegistry metrics) {
        SandboxedExecutor executor = SandboxedExecutor.start(
                SandboxConfig.defaults()
                        .withDataDir(tempDir("ce-api-worker-"))
                        .withSlots(2)
                        .withUidBase(uidBase)
                        .withCgroupName(cgroupName),
                ExecutorConfig.defaults());
        WorkHandler handler = new WorkHandler(
                executor,
                new PostgresSubmissionStore(stores),
                new PostgresProblemStore(stores),
                ArtemisReplyChannel.listening(brokerUrl),
                new PostgresAuditLog(stores),
                new JudgingMetrics(metrics, 2),
                Clock.systemUTC(),
                WORKER_ID,
                5,
                Duration.ofSeconds(5));
        QueueConsumer consumer =
                new QueueConsumer(ArtemisSubmissionQueue.connect(brokerUrl), handler, 2, Duration.ofMillis(200));
        consumer.start();
        return new InProcessWorker(executor, consumer);
    }

    @Override
    public void close() {
        consumer.stop();
        executor.close();
    }

    /** A fresh temporary directory (a data dir of the api or the worker). */
    public static java.nio.file.Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
