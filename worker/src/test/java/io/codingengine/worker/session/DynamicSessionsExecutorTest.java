package io.codingengine.worker.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.ExecutorBusyException;
import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.execution.RunInput;
import io.codingengine.common.execution.RuntimeInfo;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.TestCase;
import io.codingengine.common.judge.Verdict;
import io.codingengine.executor.ExecutorConfig;
import io.codingengine.executor.SandboxedExecutor;
import io.codingengine.executor.sandbox.SandboxConfig;
import io.codingengine.session.SessionServer;
import io.codingengine.worker.judge.Judge;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The Dynamic Sessions adapter against the real session server (real sandbox, real compilers),
 * reached as the pool forwards requests, through two named stand-ins for what Azure provides:
 * {@link DynamicSessionsGatewayStandIn} (the pool management endpoint) and
 * {@link EntraTokenEndpointStandIn} (the managed identity endpoint that issues the bearer tokens).
 */
class DynamicSessionsExecutorTest {

    private static SandboxedExecutor sandboxed;
    private static SessionServer session;
    private static EntraTokenEndpointStandIn entra;
    private static DynamicSessionsGatewayStandIn pool;
    private static TokenProvider tokens;

    @BeforeAll
    static void start() throws Exception {
        sandboxed = SandboxedExecutor.start(
                SandboxConfig.defaults()
                        .withDataDir(Files.createTempDirectory("ce-pool-it-"))
                        .withSlots(2)
                        .withUidBase(64000)
                        .withCgroupName("coding-engine-pool-it"),
                ExecutorConfig.judging());
        session = SessionServer.start(sandboxed, ExecutorConfig.judging().maxSourceBytes(), 0);
        entra = new EntraTokenEndpointStandIn();
        pool = new DynamicSessionsGatewayStandIn(URI.create("http://127.0.0.1:" + session.port()), entra);
        // The production provider (its cache included) in front of the stand-in's credential.
        tokens = new AzureIdentityTokenProvider(entra.credential(), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        pool.close();
        entra.close();
        session.close();
        sandboxed.close();
    }

    @AfterEach
    void resetPool() {
        pool.roleAssigned(true);
        pool.unavailable(false);
        pool.throttleNext(0);
        pool.poolFullNext(0);
        pool.gatewayErrorNext(502, 0);
    }

    private static DynamicSessionsExecutor executor(Duration patience) {
        return new DynamicSessionsExecutor(
                new DynamicSessionsSettings(
                        pool.endpoint(), 2, Duration.ofSeconds(60), patience, Duration.ofMillis(50)),
                tokens);
    }

    @Test
    void runsEachRequestInAFreshSessionAndRetriesAThrottledOne() {
        DynamicSessionsExecutor executor = executor(Duration.ofSeconds(30));
        int before = pool.identifiers().size();
        pool.throttleNext(1);
        long start = System.nanoTime();
        ExecutionResult first = executor.execute(request("python", "print(input()[::-1])", "judge"));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 1000, "Retry-After: 1 was honoured");
        ExecutionResult second = executor.execute(request(
                "c",
                "#include <stdio.h>\nint main(void){int a,b;scanf(\"%d %d\",&a,&b);printf(\"%d\\n\",a*b);}",
                "6 7"));
        assertEquals("egduj\n", first.runs().getFirst().stdout());
        assertEquals("42\n", second.runs().getFirst().stdout());
        assertEquals(1, pool.throttled());
        List<String> used =
                pool.identifiers().subList(before, pool.identifiers().size());
        assertEquals(3, used.size(), "the throttled attempt, its retry, the second request");
        assertEquals(3, new HashSet<>(used).size(), "no identifier, so no session, is used twice: " + used);
        assertTrue(entra.requests() <= 2, "tokens are cached, not fetched per request: " + entra.requests());
    }

    /** The worker's correlation id reaches the session server's log MDC; the result names the session. */
    @Test
    void theCorrelationIdReachesTheSessionAndTheResultNamesIt() {
        List<ILoggingEvent> executed = sessionLogWhile("corr-session-42", () -> {
            ExecutionResult result = executor(Duration.ofSeconds(30)).execute(request("python", "print(6*7)", ""));
            assertEquals("42\n", result.runs().getFirst().stdout());
            assertEquals("dynamic-sessions:" + pool.identifiers().getLast(), result.session());
        });
        assertEquals(1, executed.size(), executed.toString());
        assertEquals("corr-session-42", executed.getFirst().getMDCPropertyMap().get("correlationId"));
        assertTrue(executed.getFirst().getFormattedMessage().contains("corr-session-42"));
    }

    /** Two tests on two slots: two chunks at once, each in its own session, each with the correlation id. */
    @Test
    void judgesASubmissionEndToEndThroughThePool() {
        Judge judge = new Judge(executor(Duration.ofSeconds(30)), Clock.systemUTC(), "pool-it");
        List<TestCase> tests =
                List.of(new TestCase("t1", "1 2\n", "3\n", true), new TestCase("t2", "2 2\n", "5\n", false));
        Submission submission = new Submission(
                "pool-1",
                null,
                "contest-1",
                "alice",
                "c++",
                "*",
                List.of(SourceFile.utf8(
                        "a.cpp",
                        "#include <cstdio>\nint main(){int a,b;scanf(\"%d %d\",&a,&b);printf(\"%d\\n\",a+b);}")),
                tests,
                null,
                Instant.now());
        Judge.Judged[] judged = new Judge.Judged[1];
        List<ILoggingEvent> executed = sessionLogWhile(
                "corr-judge-7",
                () -> judged[0] = judge.judge(submission, tests, CheckerSpec.DEFAULT, Judge.TestLimits.DEFAULTS, 0, 1));
        Judgement judgement = judged[0].judgement();
        assertEquals(Verdict.WA, judgement.verdict());
        assertEquals(
                List.of(Verdict.AC, Verdict.WA),
                judgement.tests().stream().map(t -> t.verdict()).toList());
        assertEquals(2, executed.size(), executed.toString());
        assertTrue(
                executed.stream()
                        .allMatch(
                                e -> "corr-judge-7".equals(e.getMDCPropertyMap().get("correlationId"))),
                "the parallel chunks' threads carry the correlation id: " + executed);
        assertTrue(
                judged[0].execution().session().matches("dynamic-sessions:\\S+ dynamic-sessions:\\S+"),
                judged[0].execution().session());
    }

    /** The session server's "executed" log events while {@code work} runs with {@code correlationId} in the MDC. */
    private static List<ILoggingEvent> sessionLogWhile(String correlationId, Runnable work) {
        Logger serverLog = (Logger) LoggerFactory.getLogger(SessionServer.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        serverLog.addAppender(events);
        MDC.put("correlationId", correlationId);
        try {
            work.run();
        } finally {
            MDC.remove("correlationId");
            serverLog.detachAppender(events);
        }
        return events.list.stream()
                .filter(e -> e.getFormattedMessage().startsWith("executed "))
                .toList();
    }

    @Test
    void listsTheSessionImagesRuntimes() {
        List<String> languages = executor(Duration.ofSeconds(5)).runtimes().stream()
                .map(RuntimeInfo::language)
                .toList();
        assertTrue(languages.containsAll(List.of("python", "c", "c++", "java", "javascript")), languages.toString());
    }

    @Test
    void anInvalidRequestKeepsTheExecutorsMessage() {
        var e = assertThrows(
                InvalidRequestException.class,
                () -> executor(Duration.ofSeconds(5)).execute(request("cobol", "x", "")));
        assertTrue(e.getMessage().contains("cobol"), e.getMessage());
    }

    @Test
    void aMissingRoleNamesTheRole() {
        pool.roleAssigned(false);
        var e = assertThrows(
                SessionPoolException.class,
                () -> executor(Duration.ofSeconds(5)).execute(request("python", "print(1)", "")));
        assertTrue(e.getMessage().contains("\"Azure ContainerApps Session Executor\""), e.getMessage());
        assertTrue(e.getMessage().contains("403"), e.getMessage());
    }

    @Test
    void aTokenTheGatewayDoesNotKnowIs401NamingTheRole() {
        DynamicSessionsExecutor forged = new DynamicSessionsExecutor(
                new DynamicSessionsSettings(
                        pool.endpoint(), 1, Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(50)),
                () -> "forged-token");
        var e = assertThrows(SessionPoolException.class, () -> forged.execute(request("python", "print(1)", "")));
        assertTrue(
                e.getMessage().contains("401")
                        && e.getMessage().contains(DynamicSessionsExecutor.SESSION_EXECUTOR_ROLE),
                e.getMessage());
    }

    /** An interactive problem's tests go to one session, both programs in its sandbox, and are judged as locally. */
    @Test
    void anInteractiveProblemIsJudgedThroughASession() {
        Judge judge = new Judge(executor(Duration.ofSeconds(30)), Clock.systemUTC(), "pool-it");
        CheckerSpec.Custom validator =
                CheckerSpec.Custom.of("python", "v.py", """
                import sys
                n = int(open(sys.argv[1]).read())
                print(n, flush=True)
                sys.exit(42 if sys.stdin.readline() == "%d\\n" % (n + 1) else 43)
                """).judging(true, 1);
        List<TestCase> tests =
                List.of(new TestCase("sample/1", "41\n", "", true), new TestCase("secret/1", "6\n", "", false));
        Submission submission = new Submission(
                "pool-interactive",
                "talk",
                null,
                "alice",
                "python",
                "*",
                List.of(SourceFile.utf8(null, "print(int(input()) + 1, flush=True)")),
                List.of(),
                null,
                Instant.now());
        Judge.Judged judged = judge.judge(submission, tests, validator, Judge.TestLimits.DEFAULTS, 0, 1);
        assertEquals(
                Verdict.AC, judged.judgement().verdict(), judged.judgement().toString());
        assertEquals("<41\n>42\n", judged.judgement().tests().getFirst().output());
        assertTrue(
                judged.execution().session().startsWith("dynamic-sessions:"),
                judged.execution().session());
    }

    /** Back-pressure past the patience is "no room" (the worker waits with its message), not a failure. */
    @Test
    void aPoolThatStaysUnavailableIsBusyAfterThePatience() {
        pool.unavailable(true);
        long start = System.nanoTime();
        var e = assertThrows(
                ExecutorBusyException.class,
                () -> executor(Duration.ofMillis(700)).execute(request("python", "print(1)", "")));
        long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(e.getMessage().contains("503"), e.getMessage());
        assertTrue(ms >= 300 && ms < 5000, "backed off for about the patience, took " + ms + " ms");
    }

    /**
     * The pool's 404 (no session left) is back-pressure: retried with a doubling back-off, each
     * attempt in a fresh session, until a session is free.
     */
    @Test
    void aFullPoolsGateway404IsRetriedWithBackOff() {
        int before = pool.arrivals().size();
        pool.poolFullNext(3);
        ExecutionResult result = executor(Duration.ofSeconds(30)).execute(request("python", "print(5)", ""));
        assertEquals("5\n", result.runs().getFirst().stdout());
        List<Long> arrivals = pool.arrivals().subList(before, pool.arrivals().size());
        assertEquals(4, arrivals.size(), "three 404s, then the answer");
        // First back-off 50 ms, doubling (plus up to a tenth of jitter): 50, 100, 200.
        long[] gapsMs = {
            ms(arrivals.get(1) - arrivals.get(0)),
            ms(arrivals.get(2) - arrivals.get(1)),
            ms(arrivals.get(3) - arrivals.get(2))
        };
        assertTrue(gapsMs[0] >= 50 && gapsMs[1] >= 100 && gapsMs[2] >= 200, java.util.Arrays.toString(gapsMs));
        List<String> used = pool.identifiers()
                .subList(pool.identifiers().size() - 4, pool.identifiers().size());
        assertEquals(4, new HashSet<>(used).size(), "every attempt asks for a new session");
    }

    /** A 404 from the session server itself (a path it does not serve) is a mistake: it fails at once. */
    @Test
    void theSessionServersOwn404FailsAtOnce() {
        int before = pool.identifiers().size();
        DynamicSessionsExecutor misrouted = new DynamicSessionsExecutor(
                new DynamicSessionsSettings(
                        URI.create(pool.endpoint() + "/not-the-pool-root"),
                        1,
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(30),
                        Duration.ofMillis(50)),
                tokens);
        var e = assertThrows(SessionPoolException.class, () -> misrouted.execute(request("python", "print(1)", "")));
        assertTrue(e.getMessage().contains("HTTP 404 from the session itself"), e.getMessage());
        assertEquals(before + 1, pool.identifiers().size(), "not retried");
        assertTrue(
                DynamicSessionsExecutor.fromSessionServer(
                        "{\"error\":\"no such path: /x\",\"server\":\"" + SessionServer.SERVER_MARK + "\"}"),
                "the worker knows the session server's mark");
        assertFalse(DynamicSessionsExecutor.fromSessionServer("<html>404</html>"));
        assertFalse(DynamicSessionsExecutor.fromSessionServer(""));
    }

    /** The gateway's 502 and 504 (it could not reach or wait for the container) are retried too. */
    @Test
    void gateway502And504AreRetried() {
        for (int status : new int[] {502, 504}) {
            pool.gatewayErrorNext(status, 2);
            ExecutionResult result =
                    executor(Duration.ofSeconds(30)).execute(request("python", "print(" + status + ")", ""));
            assertEquals(status + "\n", result.runs().getFirst().stdout());
        }
    }

    private static long ms(long nanos) {
        return Duration.ofNanos(nanos).toMillis();
    }

    @Test
    void settingsRejectARelativeEndpointAndDropATrailingSlash() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new DynamicSessionsSettings(
                        URI.create("pool.example"),
                        1,
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        Duration.ofMillis(1)));
        assertEquals(
                URI.create("https://pool.example.io"),
                new DynamicSessionsSettings(
                                URI.create("https://pool.example.io/"),
                                1,
                                Duration.ofSeconds(1),
                                Duration.ofSeconds(1),
                                Duration.ofMillis(1))
                        .endpoint());
    }

    private static ExecutionRequest request(String language, String source, String stdin) {
        return new ExecutionRequest(
                language,
                "*",
                List.of(SourceFile.utf8(null, source)),
                Map.of(),
                null,
                null,
                List.of(new RunInput(stdin, List.of())));
    }
}
