package io.codingengine.worker.session;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.audit.TableAuditLog;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.SubmissionStatus;
import io.codingengine.common.judge.TestCase;
import io.codingengine.common.judge.Verdict;
import io.codingengine.common.pipeline.WorkItem;
import io.codingengine.common.problem.BlobProblemStore;
import io.codingengine.common.queue.ArtemisReplyChannel;
import io.codingengine.common.queue.ArtemisSubmissionQueue;
import io.codingengine.common.queue.EmbeddedArtemisBroker;
import io.codingengine.common.queue.Lane;
import io.codingengine.common.store.AzuriteExtension;
import io.codingengine.common.store.SubmissionRecord;
import io.codingengine.common.store.TableSubmissionStore;
import io.codingengine.executor.ExecutorConfig;
import io.codingengine.executor.SandboxedExecutor;
import io.codingengine.executor.sandbox.SandboxConfig;
import io.codingengine.session.SessionServer;
import io.codingengine.worker.queue.JudgingMetrics;
import io.codingengine.worker.queue.QueueConsumer;
import io.codingengine.worker.queue.WorkHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full session pool is back-pressure, not a failure: the worker's loop, a real broker, Azurite,
 * the real session server and sandbox, reached through {@link DynamicSessionsGatewayStandIn}
 * (STAND-IN for the pool management endpoint) answering the pool's 404 "no session left" for a
 * while. The judging waits in place with its message, several times past the executor's patience,
 * and is judged on its first delivery: nothing abandoned, nothing dead-lettered, no IE.
 */
@ExtendWith(AzuriteExtension.class)
class PoolBackPressureTest {

    @TempDir
    static Path dir;

    private static EmbeddedArtemisBroker broker;
    private static ArtemisSubmissionQueue queue;
    private static SandboxedExecutor sandboxed;
    private static SessionServer session;
    private static EntraTokenEndpointStandIn entra;
    private static DynamicSessionsGatewayStandIn pool;
    private static TableSubmissionStore submissions;
    private static QueueConsumer consumer;
    private static final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedArtemisBroker.start(dir.resolve("broker"), 0);
        queue = ArtemisSubmissionQueue.connect(broker.url());
        sandboxed = SandboxedExecutor.start(
                SandboxConfig.defaults()
                        .withDataDir(Files.createTempDirectory("ce-pool-full-"))
                        .withSlots(1)
                        .withUidBase(64200)
                        .withCgroupName("coding-engine-pool-full"),
                ExecutorConfig.judging());
        session = SessionServer.start(sandboxed, ExecutorConfig.judging().maxSourceBytes(), 0);
        entra = new EntraTokenEndpointStandIn();
        pool = new DynamicSessionsGatewayStandIn(URI.create("http://127.0.0.1:" + session.port()), entra);
        // A patience far shorter than the full pool lasts: the executor gives up several times.
        DynamicSessionsExecutor executor = new DynamicSessionsExecutor(
                new DynamicSessionsSettings(
                        pool.endpoint(), 1, Duration.ofSeconds(60), Duration.ofMillis(300), Duration.ofMillis(50)),
                new AzureIdentityTokenProvider(entra.credential(), Clock.systemUTC()));
        String prefix = "bp" + UUID.randomUUID().toString().substring(0, 8);
        submissions = TableSubmissionStore.fromConnectionString(AzuriteExtension.connectionString(), prefix);
        WorkHandler handler = new WorkHandler(
                executor,
                submissions,
                BlobProblemStore.fromConnectionString(AzuriteExtension.connectionString(), prefix),
                ArtemisReplyChannel.sending(broker.url()),
                TableAuditLog.fromConnectionString(AzuriteExtension.connectionString(), prefix),
                new JudgingMetrics(metrics, 1),
                Clock.systemUTC(),
                "bp-worker",
                5,
                Duration.ofSeconds(2));
        consumer = new QueueConsumer(queue, handler, 1, Duration.ofMillis(200));
        consumer.start();
    }

    @AfterAll
    static void stop() {
        consumer.stop();
        queue.close();
        pool.close();
        entra.close();
        session.close();
        sandboxed.close();
        broker.stop();
    }

    @Test
    void aFullPoolKeepsTheDeliveryUntilASessionIsFree() {
        Submission s = new Submission(
                "bp-" + UUID.randomUUID(),
                null,
                "contest-1",
                "alice",
                "python",
                "*",
                List.of(SourceFile.utf8("main.py", "print(sum(map(int, input().split())))")),
                List.of(new TestCase("t1", "1 2\n", "3\n", true)),
                null,
                Instant.now());
        submissions.create(s);
        int before = pool.arrivals().size();
        pool.poolFullFor(Duration.ofSeconds(4));
        queue.send(Lane.CONTEST, s.id(), WorkItem.toJson(new WorkItem.Judge(s.id(), 0)));
        SubmissionRecord done = await().atMost(Duration.ofSeconds(90))
                .until(() -> submissions.get(s.id()).orElseThrow(), r -> r.status() == SubmissionStatus.DONE);
        assertEquals(Verdict.AC, done.judgement().verdict(), done.judgement().toString());
        assertEquals(1, done.judgement().attempt(), "judged on its first delivery: the full pool cost no delivery");
        assertTrue(
                metrics.get("coding_engine_executor_busy")
                                .tag("kind", "judge")
                                .counter()
                                .count()
                        >= 2,
                "the executor gave up more than once while the pool was full, and the judging waited each time");
        assertTrue(pool.arrivals().size() - before > 4, "the pool was asked again and again");
        await().atMost(Duration.ofSeconds(10)).until(() -> queue.depth(Lane.CONTEST) == 0);
        assertEquals(List.of(), queue.deadLetters(Lane.CONTEST, 10));
    }
}
