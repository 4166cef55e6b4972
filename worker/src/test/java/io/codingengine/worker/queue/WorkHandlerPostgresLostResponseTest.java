package io.codingengine.worker.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.codingengine.common.audit.AuditEntry;
import io.codingengine.common.audit.AuditQuery;
import io.codingengine.common.audit.PostgresAuditLog;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.TestCase;
import io.codingengine.common.judge.Verdict;
import io.codingengine.common.pipeline.WorkItem;
import io.codingengine.common.problem.PostgresProblemStore;
import io.codingengine.common.store.PostgresExtension;
import io.codingengine.common.store.PostgresSubmissionStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The worker when PostgreSQL applied its verdict but the answer never came back: the connection
 * between the worker and the server breaks after the server committed the verdict's
 * {@code UPDATE} and before the worker read {@code UPDATE 1} (a TCP forwarder in between drops
 * the server's answer and resets both sides, as a network failure or a crash of a proxy such as
 * PgBouncer would). The worker's retry finds the round done by its own lost write
 * ({@code ALREADY_DONE}); the round still gets its one audit entry, with this worker's session.
 * The executor only answers, echoing each test's input, which is its answer.
 */
class WorkHandlerPostgresLostResponseTest {

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    private static final String WORKER = "pg-lost-response-worker";

    private static LosingProxy proxy;
    private static HikariDataSource throughProxy;

    @BeforeAll
    static void connect() throws IOException {
        PostgresExtension.Database database = POSTGRES.database();
        URI server = URI.create(database.jdbcUrl().substring("jdbc:".length()));
        proxy = new LosingProxy(server.getHost(), server.getPort());
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + proxy.port() + server.getPath());
        config.setUsername(database.user());
        config.setMaximumPoolSize(2);
        config.setPoolName("through-losing-proxy");
        throughProxy = new HikariDataSource(config);
    }

    @AfterAll
    static void close() throws IOException {
        throughProxy.close();
        proxy.close();
    }

    @Test
    void aVerdictWhoseCommitLostItsAnswerIsStoredOnceAndAuditedOnce() {
        // The worker's stores go through the forwarder; the test reads the database directly.
        PostgresSubmissionStore submissions = new PostgresSubmissionStore(throughProxy);
        PostgresAuditLog audit = new PostgresAuditLog(throughProxy);
        PostgresSubmissionStore direct = new PostgresSubmissionStore(POSTGRES.dataSource());
        PostgresAuditLog directAudit = new PostgresAuditLog(POSTGRES.dataSource());
        Submission submission = new Submission(
                "s-" + UUID.randomUUID(),
                null,
                null,
                "lost-commit",
                "python",
                "*",
                List.of(SourceFile.utf8("main.py", "print(input())")),
                List.of(new TestCase("t1", "1\n", "1\n", true), new TestCase("t2", "2\n", "2\n", false)),
                null,
                Instant.now());
        assertTrue(direct.create(submission));
        // The verdict's UPDATE is the one statement that sets status 'DONE' (V1__stores.sql's only text with it).
        proxy.loseAnswerTo("SET status = 'DONE'");

        RecordedDelivery delivery = new RecordedDelivery(
                "pg-lost-response", WorkItem.toJson(new WorkItem.Judge(submission.id(), 0, "corr-pg-lost")), 1);
        new WorkHandler(
                        new EchoExecutor(),
                        submissions,
                        new PostgresProblemStore(throughProxy),
                        null,
                        audit,
                        new JudgingMetrics(new SimpleMeterRegistry(), 1),
                        Clock.systemUTC(),
                        WORKER,
                        5,
                        Duration.ofSeconds(30))
                .handle(delivery);

        assertEquals(1, proxy.lost(), "the verdict's answer was dropped");
        assertEquals(List.of("complete"), delivery.settled());
        Judgement stored = direct.get(submission.id()).orElseThrow().judgement();
        assertEquals(Verdict.AC, stored.verdict());
        assertEquals(WORKER, stored.worker());
        assertEquals(0, direct.get(submission.id()).orElseThrow().history().size());
        List<AuditEntry> entries = directAudit.query(new AuditQuery(
                submission.createdAt().minusSeconds(1),
                Instant.now().plusSeconds(1),
                "lost-commit",
                null,
                null,
                null,
                AuditEntry.Kind.JUDGE,
                100));
        assertEquals(1, entries.size(), "the round has its entry, once: " + entries);
        assertEquals("AC", entries.getFirst().verdict());
        assertEquals(WORKER, entries.getFirst().worker());
        assertEquals("echo:slot-0", entries.getFirst().session(), "written by the judging worker itself");
        assertEquals("corr-pg-lost", entries.getFirst().correlationId());
    }

    /**
     * A TCP forwarder to the database server that, once armed, drops the server's answer
     * ({@code UPDATE 1}) to the next client message containing a given text and resets both
     * connections: the server has done what was asked, the client never learns it.
     */
    private static final class LosingProxy implements AutoCloseable {
        private final String host;
        private final int target;
        private final ServerSocket listener;
        private final AtomicReference<String> armed = new AtomicReference<>();
        private final AtomicInteger lost = new AtomicInteger();

        LosingProxy(String host, int target) throws IOException {
            this.host = host;
            this.target = target;
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofPlatform().daemon().name("losing-proxy").start(this::accept);
        }

        int port() {
            return listener.getLocalPort();
        }

        void loseAnswerTo(String text) {
            armed.set(text);
        }

        int lost() {
            return lost.get();
        }

        private void accept() {
            while (!listener.isClosed()) {
                try {
                    Socket client = listener.accept();
                    Socket server = new Socket(host, target);
                    AtomicReference<Boolean> dropNext = new AtomicReference<>(false);
                    Thread.ofPlatform().daemon().start(() -> pump(client, server, dropNext, true));
                    Thread.ofPlatform().daemon().start(() -> pump(server, client, dropNext, false));
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        /** Copies {@code from} to {@code to}; the client side arms the drop, the server side drops. */
        private void pump(Socket from, Socket to, AtomicReference<Boolean> dropNext, boolean fromClient) {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    String text = new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
                    if (fromClient) {
                        String marker = armed.get();
                        if (marker != null && text.contains(marker) && armed.compareAndSet(marker, null)) {
                            dropNext.set(true);
                        }
                    } else if (dropNext.get() && text.contains("UPDATE 1")) {
                        // The statement's answer (not a description round trip before it): the
                        // server has committed the change by the time it says so.
                        lost.incrementAndGet();
                        reset(from);
                        reset(to);
                        return;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the other side closed, or this proxy reset it
            } finally {
                reset(from);
                reset(to);
            }
        }

        private static void reset(Socket socket) {
            try {
                if (!socket.isClosed()) {
                    socket.setSoLinger(true, 0);
                    socket.close();
                }
            } catch (IOException ignored) {
                // closed meanwhile
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
