package io.codingengine.api.piston;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.api.InProcessWorker;
import io.codingengine.api.PostgresSettings;
import io.codingengine.api.access.TestKeys;
import io.codingengine.common.json.Json;
import io.codingengine.common.queue.EmbeddedArtemisBroker;
import io.codingengine.common.store.PostgresExtension;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Piston executes through the real pipeline (embedded broker, PostgreSQL, a real worker with its own
 * sandbox): rate-limited per key and, without a key, per client address; audited by the worker
 * and queryable by admins.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "coding-engine.execution=queue",
            "coding-engine.broker-port=0",
            "coding-engine.limits.executions-per-minute=4"
        })
class PistonLimitsTest {

    private static final PostgresExtension.Database DATABASE = PostgresExtension.newDatabase("PistonLimitsTest");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String HELLO = """
            {"language":"python","version":"*","files":[{"content":"print('hi')"}]}""";
    private static InProcessWorker worker;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add(
                "coding-engine.data-dir",
                () -> InProcessWorker.tempDir("ce-api-piston-limits-").toString());
        PostgresSettings.register(registry, DATABASE);
        registry.add("coding-engine.access.admin-key-sha256", () -> TestKeys.ADMIN_SHA256);
    }

    @BeforeAll
    static void startWorker(@Autowired EmbeddedArtemisBroker broker, @Autowired MeterRegistry metrics) {
        worker = InProcessWorker.start(
                broker.url(), DATABASE.dataSource(), 67000, "coding-engine-api-piston-limits-test", metrics);
    }

    @AfterAll
    static void stopWorker() {
        worker.close();
    }

    /** The only test that executes without a key: the address's bucket is all its own. */
    @Test
    void aBurstOverTheExecutionLimitGets429WithRetryAfterAndLaterSucceeds() throws Exception {
        for (int i = 0; i < 4; i++) {
            assertEquals(200, execute(HELLO, null, null).statusCode());
        }
        HttpResponse<String> limited = execute(HELLO, null, null);
        assertEquals(429, limited.statusCode(), limited.body());
        long retryAfter =
                Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 16, "4 a minute: one more every 15 s, was " + retryAfter);
        JsonNode body = Json.mapper().readTree(limited.body());
        assertEquals(List.of("message"), new ArrayList<>(body.propertyNames()), "Piston's error shape: " + body);
        assertTrue(body.get("message").asString().contains("127.0.0.1"), body.toString());
        // A key has its own bucket, whatever the address has used.
        String key = issue("kim-" + UUID.randomUUID().toString().substring(0, 6));
        assertEquals(200, execute(HELLO, key, null).statusCode());
        Thread.sleep(Duration.ofSeconds(retryAfter).toMillis());
        HttpResponse<String> later = execute(HELLO, null, null);
        assertEquals(200, later.statusCode(), later.body());
        assertEquals(
                "hi\n",
                Json.mapper().readTree(later.body()).get("run").get("stdout").asString());
    }

    @Test
    void executionsAreAuditedByTheWorkerAndQueryableByAdmins() throws Exception {
        String subject = "lea-" + UUID.randomUUID().toString().substring(0, 6);
        String key = issue(subject);
        assertEquals(200, execute(HELLO, key, "corr-piston-1").statusCode());
        assertEquals(200, execute("""
                {"language":"python","version":"*","files":[{"content":"import sys\\nsys.exit(3)"}]}""", key, null).statusCode());
        JsonNode entries = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> admin("/api/v1/admin/audit?kind=EXECUTE&participant=" + subject),
                        found -> found.size() == 2);
        JsonNode ok = entries.get(0);
        assertEquals("EXECUTE", ok.get("kind").asString(), entries.toString());
        assertEquals("OK", ok.get("verdict").asString());
        assertEquals("python", ok.get("language").asString());
        assertEquals("corr-piston-1", ok.get("correlationId").asString());
        assertEquals(InProcessWorker.WORKER_ID, ok.get("worker").asString());
        assertTrue(ok.get("session").asString().matches("local:.+/slot-[01]"), ok.toString());
        assertEquals(64, ok.get("sourceSha256").asString().length());
        assertTrue(ok.get("problemId").isNull());
        assertEquals("RE", entries.get(1).get("verdict").asString(), "the run's status: " + entries);
        assertEquals(
                0,
                admin("/api/v1/admin/audit?kind=JUDGE&participant=" + subject).size(),
                "executes are told apart from judged submissions");
        HttpResponse<String> csv = HTTP.send(
                HttpRequest.newBuilder(uri("/api/v1/admin/audit?kind=execute&participant=" + subject))
                        .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                        .header("Accept", "text/csv")
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(csv.body().lines().findFirst().orElseThrow().endsWith(",kind,problemType"), csv.body());
        // an execute has no problem type: the last column is empty
        assertTrue(csv.body().lines().skip(1).allMatch(line -> line.endsWith(",\"EXECUTE\",\"\"")), csv.body());
        assertEquals(
                400,
                HTTP.send(
                                HttpRequest.newBuilder(uri("/api/v1/admin/audit?kind=other"))
                                        .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                                        .GET()
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode());
    }

    private HttpResponse<String> execute(String body, String key, String correlationId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/api/v2/execute"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", TestKeys.bearer(key));
        }
        if (correlationId != null) {
            b.header("X-Correlation-Id", correlationId);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String issue(String subject) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(uri("/api/v1/admin/keys"))
                        .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"subject\":\"" + subject + "\",\"role\":\"PARTICIPANT\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body()).get("key").asString();
    }

    private JsonNode admin(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(uri(path))
                        .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
