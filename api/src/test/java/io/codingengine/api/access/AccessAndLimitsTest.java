package io.codingengine.api.access;

import io.codingengine.common.store.AzuriteExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real api (embedded broker, Azurite) with no worker: access rules on every protected
 * endpoint, participants' privacy, rate limits, request limits and the metrics endpoint. Nothing
 * here runs code, so submissions stay queued, which is what the waiting limit needs.
 */
@ExtendWith(AzuriteExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "coding-engine.execution=queue", "coding-engine.broker-port=0",
        "coding-engine.limits.submissions-per-minute=6", "coding-engine.limits.max-waiting=100",
        "coding-engine.max-request-size=64KB", "coding-engine.limits.max-stdin-bytes=1KB"})
class AccessAndLimitsTest {

    private static final String PREFIX = "a" + UUID.randomUUID().toString().substring(0, 8);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SUBMISSION = """
            {"participant":"%s","language":"python","files":[{"content":"print(input())"}],
             "tests":[{"name":"t","input":"%s","expectedOutput":"1"}]}""";

    @LocalServerPort
    int port;

    private String alice;
    private String bob;
    private String service;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        String dir = Files.createTempDirectory("ce-api-access-").toString();
        registry.add("coding-engine.data-dir", () -> dir);
        registry.add("coding-engine.storage", AzuriteExtension::connectionString);
        registry.add("coding-engine.table-prefix", () -> PREFIX);
        registry.add("coding-engine.access.admin-key-sha256", () -> TestKeys.ADMIN_SHA256);
    }

    @BeforeEach
    void keys() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        alice = issue("alice-" + suffix, "PARTICIPANT");
        bob = issue("bob-" + suffix, "PARTICIPANT");
        service = issue("lms-" + suffix, "SERVICE");
    }

    @Test
    void protectedEndpointsRefuseMissingKeysAndLowRoles() throws Exception {
        record Call(String method, String path, String body, Role needs) {
        }
        List<Call> calls = List.of(
                new Call("POST", "/api/v1/submissions", submission("x", "1"), Role.PARTICIPANT),
                new Call("POST", "/api/v1/submissions/batch", "[" + submission("x", "1") + "]", Role.PARTICIPANT),
                new Call("GET", "/api/v1/submissions", null, Role.PARTICIPANT),
                new Call("GET", "/api/v1/submissions/some-ticket", null, Role.PARTICIPANT),
                new Call("GET", "/api/v1/problems", null, Role.PARTICIPANT),
                new Call("PUT", "/api/v1/problems/sum", "", Role.ADMIN),
                new Call("POST", "/api/v1/problems/sum/regrade", "", Role.ADMIN),
                new Call("GET", "/api/v1/problems/sum/regrades/1", null, Role.ADMIN),
                new Call("POST", "/api/v1/admin/keys", "{\"subject\":\"eve\",\"role\":\"ADMIN\"}", Role.ADMIN),
                new Call("POST", "/api/v1/admin/keys/revoke", "{\"key\":\"x\"}", Role.ADMIN),
                new Call("GET", "/api/v1/admin/anything-added-later", null, Role.ADMIN),
                new Call("GET", "/api/v1/admin/audit", null, Role.ADMIN),
                new Call("GET", "/api/v1/admin/dead-letters", null, Role.ADMIN),
                new Call("GET", "/actuator/prometheus", null, Role.SERVICE));
        for (Call c : calls) {
            HttpResponse<String> anonymous = send(c.method(), c.path(), c.body(), null);
            assertEquals(401, anonymous.statusCode(), c + ": " + anonymous.body());
            assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), c.toString());
            assertEquals("application/problem+json", anonymous.headers().firstValue("Content-Type").orElse(""));
            assertEquals(401, JSON.readTree(anonymous.body()).get("status").asInt());
            assertEquals(401, send(c.method(), c.path(), c.body(), "ce_not-a-key").statusCode(), c.toString());
            if (c.needs() != Role.PARTICIPANT) {
                HttpResponse<String> low = send(c.method(), c.path(), c.body(), alice);
                assertEquals(403, low.statusCode(), c + ": " + low.body());
                assertTrue(low.headers().firstValue("WWW-Authenticate").orElse("").contains("insufficient_scope"));
                assertEquals(403, JSON.readTree(low.body()).get("status").asInt());
            }
            if (c.needs() == Role.ADMIN) {
                assertEquals(403, send(c.method(), c.path(), c.body(), service).statusCode(), c.toString());
            }
        }
        // open: health, the Piston API (local default), a contest entry, and the UI's root
        assertEquals(200, send("GET", "/health/live", null, null).statusCode());
        assertEquals(200, send("GET", "/api/v2/runtimes", null, null).statusCode());
        assertEquals(200, send("GET", "/", null, null).statusCode());
        assertTrue(send("POST", "/api/v1/contests/c1/entries", "{}", null).statusCode() != 401);
        // a revoked key stops working at once
        String revoked = issue("gone", "PARTICIPANT");
        assertEquals(204, send("POST", "/api/v1/admin/keys/revoke", "{\"key\":\"" + revoked + "\"}", TestKeys.ADMIN).statusCode());
        assertEquals(401, send("GET", "/api/v1/problems", null, revoked).statusCode());
    }

    @Test
    void aParticipantSubmitsAsThemselvesAndReadsOnlyTheirOwn() throws Exception {
        HttpResponse<String> mine = send("POST", "/api/v1/submissions", submission(null, "1"), alice);
        assertEquals(202, mine.statusCode(), mine.body());
        String ticket = JSON.readTree(mine.body()).get("ticket").asString();
        JsonNode own = JSON.readTree(send("GET", "/api/v1/submissions/" + ticket, null, alice).body());
        assertTrue(own.get("participant").asString().startsWith("alice-"), own.toString());

        HttpResponse<String> other = send("GET", "/api/v1/submissions/" + ticket, null, bob);
        assertEquals(403, other.statusCode());
        assertTrue(!other.body().contains("print(input())"), "no source in the refusal");
        assertEquals(403, send("GET", "/api/v1/submissions?participant=" + own.get("participant").asString(), null, bob).statusCode());
        JsonNode bobsList = JSON.readTree(send("GET", "/api/v1/submissions", null, bob).body());
        assertEquals(0, bobsList.get("items").size(), bobsList.toString());
        assertEquals(403, send("POST", "/api/v1/submissions", submission(own.get("participant").asString(), "1"), bob).statusCode());
        // a service reads anyone's and submits naming the participant
        assertEquals(200, send("GET", "/api/v1/submissions/" + ticket, null, service).statusCode());
        assertEquals(202, send("POST", "/api/v1/submissions", submission("carol", "1"), service).statusCode());
    }

    @Test
    void aBurstOverTheRateGets429AndLaterSucceeds() throws Exception {
        for (int i = 0; i < 6; i++) {
            assertEquals(202, send("POST", "/api/v1/submissions", submission(null, "1"), bob).statusCode());
        }
        HttpResponse<String> limited = send("POST", "/api/v1/submissions", submission(null, "1"), bob);
        assertEquals(429, limited.statusCode(), limited.body());
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 11, "6 a minute: one more every 10 s, was " + retryAfter);
        assertEquals(429, JSON.readTree(limited.body()).get("status").asInt());
        Thread.sleep(Duration.ofSeconds(retryAfter).toMillis());
        assertEquals(202, send("POST", "/api/v1/submissions", submission(null, "1"), bob).statusCode());
    }

    @Test
    void oversizeRequestsGet413() throws Exception {
        HttpResponse<String> body = send("POST", "/api/v1/submissions", submission(null, "9".repeat(70_000)), alice);
        assertEquals(413, body.statusCode(), body.body());
        assertEquals(413, JSON.readTree(body.body()).get("status").asInt());
        HttpResponse<String> input = send("POST", "/api/v1/submissions", submission(null, "9".repeat(2_000)), alice);
        assertEquals(413, input.statusCode(), input.body());
        assertTrue(JSON.readTree(input.body()).get("detail").asString().contains("tests[0]"));
        HttpResponse<String> stdin = send("POST", "/api/v2/execute", """
                {"language":"python","version":"*","files":[{"content":"print(1)"}],"stdin":"%s"}""".formatted("9".repeat(2_000)), null);
        assertEquals(413, stdin.statusCode(), stdin.body());
        assertTrue(JSON.readTree(stdin.body()).get("message").asString().contains("stdin"), "Piston's error shape");
    }

    @Test
    void metricsAreExposedInPrometheusFormat() throws Exception {
        send("POST", "/api/v1/submissions", submission(null, "1"), alice);
        HttpResponse<String> metrics = send("GET", "/actuator/prometheus", null, service);
        assertEquals(200, metrics.statusCode());
        for (String series : List.of("coding_engine_queue_depth{lane=\"contest\"}", "coding_engine_dead_letters",
                "http_server_requests_seconds_bucket", "http_server_requests_seconds_count")) {
            assertTrue(metrics.body().contains(series), series + " missing");
        }
    }

    private static String submission(String participant, String input) {
        return SUBMISSION.formatted(participant == null ? "" : participant, input)
                .replace("\"participant\":\"\",", "");
    }

    private String issue(String subject, String role) throws Exception {
        HttpResponse<String> r = send("POST", "/api/v1/admin/keys",
                "{\"subject\":\"" + subject + "\",\"role\":\"" + role + "\"}", TestKeys.ADMIN);
        assertEquals(201, r.statusCode(), r.body());
        String key = JSON.readTree(r.body()).get("key").asString();
        assertNotNull(key);
        return key;
    }

    private HttpResponse<String> send(String method, String path, String body, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "PUT".equals(method) ? "application/zip" : "application/json");
        if (key != null) {
            b.header("Authorization", TestKeys.bearer(key));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
