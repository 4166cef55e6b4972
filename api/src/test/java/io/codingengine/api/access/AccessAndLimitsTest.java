package io.codingengine.api.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real api (embedded broker, PostgreSQL) with no worker: access rules on every protected
 * endpoint, participants' privacy, rate limits, request limits and the metrics endpoint. Nothing
 * here runs code, so submissions stay queued, which is what the waiting limit needs.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "coding-engine.execution=queue", "coding-engine.broker-port=0",
            "coding-engine.limits.submissions-per-minute=6", "coding-engine.limits.max-waiting=100",
            "coding-engine.max-request-size=64KB", "coding-engine.limits.max-stdin-bytes=1KB",
            "coding-engine.limits.max-tests=3"
        })
class AccessAndLimitsTest {

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
    /** A participant key scoped to a contest, as its entry issues them. */
    private String entered;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        QueueApiSettings.register(registry, "access");
    }

    @BeforeEach
    void keys() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        alice = issue("alice-" + suffix, "PARTICIPANT");
        bob = issue("bob-" + suffix, "PARTICIPANT");
        service = issue("lms-" + suffix, "SERVICE");
        HttpResponse<String> r = send(
                "POST",
                "/api/v1/admin/keys",
                "{\"subject\":\"ada-" + suffix + "\",\"role\":\"PARTICIPANT\",\"contestId\":\"spring\"}",
                TestKeys.ADMIN);
        assertEquals(201, r.statusCode(), r.body());
        entered = JSON.readTree(r.body()).get("key").asString();
    }

    /**
     * The endpoints needing a participant key that a key scoped to a contest may call (its
     * controllers then keep it to its contest); every other one refuses it, endpoints added
     * later included, so such a key submits only through its contest.
     */
    private static final Set<String> SCOPED_KEY_MAY = Set.of(
            "POST /api/v1/contests/{id}/submissions",
            "GET /api/v1/contests/{id}/submissions",
            "GET /api/v1/contests/{id}/submissions/{submissionId}/source",
            "DELETE /api/v1/contests/{id}/session",
            "DELETE /api/v1/contests/{id}/sessions",
            "GET /api/v1/contests/{id}/me",
            "GET /api/v1/contests/{id}/drafts/{problemId}",
            "PUT /api/v1/contests/{id}/drafts/{problemId}/{language}",
            "POST /api/v1/contests/{id}/clarifications",
            "GET /api/v1/contests/{id}/clarifications",
            "GET /api/v1/submissions",
            "GET /api/v1/submissions/{id}");

    /**
     * What every mapped endpoint needs, decided here by hand and independently of {@link AccessRules}:
     * {@code null} is open. {@link #everyMappedEndpointIsListedAndRefusesMissingKeysAndLowRoles} fails for
     * an endpoint that is mapped but not listed, so a new endpoint cannot slip by without a decision.
     */
    private static final Map<String, Role> NEEDS = needs(
            "POST /api/v1/submissions",
            Role.PARTICIPANT,
            "POST /api/v1/submissions/batch",
            Role.PARTICIPANT,
            "GET /api/v1/submissions",
            Role.PARTICIPANT,
            "GET /api/v1/submissions/{id}",
            Role.PARTICIPANT,
            "GET /api/v1/problems",
            Role.PARTICIPANT,
            "GET /api/v1/problems/{id}",
            Role.PARTICIPANT,
            "GET /api/v1/problems/{id}/statement/{name}",
            Role.PARTICIPANT, // as the problem: whoever may read it
            "PUT /api/v1/problems/{id}",
            Role.ADMIN,
            "DELETE /api/v1/problems/{id}",
            Role.ADMIN,
            "POST /api/v1/problems/{id}/regrade",
            Role.ADMIN,
            "GET /api/v1/problems/{id}/regrades/{round}",
            Role.ADMIN,
            "GET /api/v1/contests",
            null,
            "GET /api/v1/contests/{id}",
            null,
            "GET /api/v1/contests/{id}/scoreboard",
            null,
            "GET /api/v1/contests/{id}/problems/{problemId}/statement/{name}",
            null, // as the contest's problems, once it started
            "POST /api/v1/contests/{id}/entries",
            null,
            "POST /api/v1/contests/{id}/sessions",
            null,
            "DELETE /api/v1/contests/{id}/session",
            Role.PARTICIPANT,
            "DELETE /api/v1/contests/{id}/sessions",
            Role.PARTICIPANT,
            "GET /api/v1/contests/{id}/me",
            Role.PARTICIPANT,
            "GET /api/v1/contests/{id}/drafts/{problemId}",
            Role.PARTICIPANT,
            "PUT /api/v1/contests/{id}/drafts/{problemId}/{language}",
            Role.PARTICIPANT,
            "POST /api/v1/contests/{id}/submissions",
            Role.PARTICIPANT,
            "GET /api/v1/contests/{id}/submissions",
            Role.PARTICIPANT,
            "POST /api/v1/contests/{id}/clarifications",
            Role.PARTICIPANT,
            "GET /api/v1/contests/{id}/clarifications",
            Role.PARTICIPANT,
            "GET /api/v1/contests/{id}/submissions/{submissionId}/source",
            Role.PARTICIPANT,
            "GET /api/v1/admin/contests",
            Role.ADMIN,
            "PUT /api/v1/admin/contests/{id}",
            Role.ADMIN,
            "DELETE /api/v1/admin/contests/{id}",
            Role.ADMIN,
            "POST /api/v1/admin/contests/{id}/unfreeze",
            Role.ADMIN,
            "POST /api/v1/admin/submissions/{id}/rejudge",
            Role.ADMIN,
            "GET /api/v1/admin/contests/{id}/accounts",
            Role.ADMIN,
            "POST /api/v1/admin/contests/{id}/accounts/{login}/password",
            Role.ADMIN,
            "DELETE /api/v1/admin/contests/{id}/participants/{participant}/keys",
            Role.ADMIN,
            "GET /api/v1/admin/problems/{id}",
            Role.ADMIN,
            "PUT /api/v1/admin/problems/{id}/limits",
            Role.ADMIN,
            "GET /api/v1/admin/queue",
            Role.ADMIN,
            "GET /api/v1/admin/audit",
            Role.ADMIN,
            "GET /api/v1/admin/contests/{id}/clarifications",
            Role.ADMIN,
            "POST /api/v1/admin/contests/{id}/clarifications/{clarificationId}/answer",
            Role.ADMIN,
            "POST /api/v1/admin/contests/{id}/announcements",
            Role.ADMIN,
            "PUT /api/v1/admin/contests/{id}/announcements/{announcementId}",
            Role.ADMIN,
            "DELETE /api/v1/admin/contests/{id}/announcements/{announcementId}",
            Role.ADMIN,
            "POST /api/v1/admin/dead-letters/{lane}/{messageId}/requeue",
            Role.ADMIN,
            "GET /api/v1/admin/dead-letters",
            Role.ADMIN,
            "POST /api/v1/admin/keys",
            Role.ADMIN,
            "POST /api/v1/admin/keys/revoke",
            Role.ADMIN,
            "GET /api/v2/runtimes",
            null, // piston-open, the local default (CorsAndClosedPistonTest: closed)
            "POST /api/v2/execute",
            null,
            "GET /api/v2/packages",
            null,
            "POST /api/v2/packages",
            null,
            "DELETE /api/v2/packages",
            null,
            "GET /",
            null,
            "GET /health/live",
            null,
            "GET /health/ready",
            null,
            "GET /actuator",
            Role.SERVICE,
            "GET /actuator/health",
            null,
            "GET /actuator/health/**",
            null,
            "GET /actuator/prometheus",
            Role.SERVICE);

    @Autowired
    List<RequestMappingInfoHandlerMapping> handlerMappings;

    /** Every endpoint Spring maps (the api's controllers and Actuator's), read from its handler mappings. */
    private List<String> mappedEndpoints() {
        List<String> endpoints = new ArrayList<>();
        for (RequestMappingInfoHandlerMapping mapping : handlerMappings) {
            for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
                Set<String> methods = info.getMethodsCondition().getMethods().stream()
                        .map(Enum::name)
                        .collect(Collectors.toSet());
                for (String path : info.getPatternValues()) {
                    if (path.equals("${server.error.path:/error}") || path.equals("/error")) {
                        continue; // the error page: Spring forwards to it, a client cannot aim a key check at it
                    }
                    (methods.isEmpty() ? Set.of("GET", "POST", "PUT", "DELETE") : methods)
                            .forEach(m -> endpoints.add(m + " " + path));
                }
            }
        }
        return endpoints.stream().distinct().sorted().toList();
    }

    @Test
    void everyMappedEndpointIsListedAndRefusesMissingKeysAndLowRoles() throws Exception {
        List<String> mapped = mappedEndpoints();
        assertTrue(mapped.size() >= 30, "the handler mappings were read: " + mapped);
        List<String> unlisted =
                mapped.stream().filter(e -> !NEEDS.containsKey(e)).toList();
        assertEquals(List.of(), unlisted, "mapped endpoints nobody decided the access of (add them to NEEDS)");
        assertEquals(
                List.of(),
                NEEDS.keySet().stream()
                        .filter(e -> !mapped.contains(e))
                        .sorted()
                        .toList(),
                "NEEDS lists endpoints that are no longer mapped");
        assertTrue(SCOPED_KEY_MAY.stream().allMatch(e -> NEEDS.get(e) == Role.PARTICIPANT), SCOPED_KEY_MAY.toString());
        for (String endpoint : mapped) {
            String method = endpoint.substring(0, endpoint.indexOf(' '));
            String path = endpoint.substring(endpoint.indexOf(' ') + 1)
                    .replaceAll("\\{[^}]+}", "x1")
                    .replace("**", "x1");
            String body = "GET".equals(method) || "DELETE".equals(method) ? null : "{}";
            Role needs = NEEDS.get(endpoint);
            if (needs == null) {
                HttpResponse<String> open = send(method, path, body, null);
                assertTrue(open.statusCode() != 401 && open.statusCode() != 403, endpoint + " is open: " + open.body());
                assertEquals(
                        401,
                        send(method, path, body, "ce_not-a-key").statusCode(),
                        endpoint + ": a key sent must be valid");
                continue;
            }
            HttpResponse<String> anonymous = send(method, path, body, null);
            assertEquals(401, anonymous.statusCode(), endpoint + ": " + anonymous.body());
            assertTrue(
                    anonymous
                            .headers()
                            .firstValue("WWW-Authenticate")
                            .orElse("")
                            .startsWith("Bearer"),
                    endpoint);
            assertEquals(
                    "application/problem+json",
                    anonymous.headers().firstValue("Content-Type").orElse(""),
                    endpoint);
            assertEquals(401, JSON.readTree(anonymous.body()).get("status").asInt());
            assertEquals(401, send(method, path, body, "ce_not-a-key").statusCode(), endpoint);
            HttpResponse<String> scoped = send(method, path, body, entered);
            boolean refused = scoped.statusCode() == 403
                    && scoped.headers()
                            .firstValue("WWW-Authenticate")
                            .orElse("")
                            .contains("insufficient_scope");
            assertEquals(
                    !SCOPED_KEY_MAY.contains(endpoint),
                    refused,
                    endpoint + " with a contest-scoped key: " + scoped.body());
            if (needs != Role.PARTICIPANT) {
                HttpResponse<String> low = send(method, path, body, alice);
                assertEquals(403, low.statusCode(), endpoint + ": " + low.body());
                assertTrue(
                        low.headers().firstValue("WWW-Authenticate").orElse("").contains("insufficient_scope"),
                        endpoint);
                assertEquals(403, JSON.readTree(low.body()).get("status").asInt());
            }
            if (needs == Role.ADMIN) {
                assertEquals(403, send(method, path, body, service).statusCode(), endpoint);
            }
        }
        // paths under a covered prefix that nobody mapped yet are protected too
        assertEquals(
                403,
                send("GET", "/api/v1/admin/anything-added-later", null, alice).statusCode());
        assertEquals(
                401, send("GET", "/api/v1/anything-added-later", null, null).statusCode());
        assertEquals(
                403, send("GET", "/api/v1/anything-added-later", null, entered).statusCode());
        // a revoked key stops working at once
        String revoked = issue("gone", "PARTICIPANT");
        assertEquals(
                204,
                send("POST", "/api/v1/admin/keys/revoke", "{\"key\":\"" + revoked + "\"}", TestKeys.ADMIN)
                        .statusCode());
        assertEquals(401, send("GET", "/api/v1/problems", null, revoked).statusCode());
    }

    /**
     * Spring MVC matches a path percent-decoded, without {@code ;parameters} and with repeated
     * slashes: the access check must see the same path, or a participant reaches admin endpoints.
     */
    @Test
    void spellingsOfAPathThatSpringMatchesAreCheckedAsThatPath() throws Exception {
        String issueAdmin = "{\"subject\":\"mallory\",\"role\":\"ADMIN\"}";
        for (String path : List.of(
                "/api/v1/%61dmin/keys",
                "/api/v1/admin;x=1/keys",
                "/api/v1//admin/keys",
                "/api/v1/admin/keys;x=1",
                "/api/v1/ADMIN/keys",
                "/api/v1/admin/./keys")) {
            HttpResponse<String> r = send("POST", path, issueAdmin, alice);
            assertTrue(
                    r.statusCode() != 201 && r.statusCode() < 500,
                    path + " issued an admin key to a participant: " + r.body());
        }
        HttpResponse<String> actuator = send("GET", "/actuator/%70rometheus", null, alice);
        assertTrue(actuator.statusCode() != 200, "a participant scraped the metrics: " + actuator.statusCode());
    }

    @Test
    void aParticipantSubmitsAsThemselvesAndReadsOnlyTheirOwn() throws Exception {
        HttpResponse<String> mine = send("POST", "/api/v1/submissions", submission(null, "1"), alice);
        assertEquals(202, mine.statusCode(), mine.body());
        String ticket = JSON.readTree(mine.body()).get("ticket").asString();
        JsonNode own = JSON.readTree(
                send("GET", "/api/v1/submissions/" + ticket, null, alice).body());
        assertTrue(own.get("participant").asString().startsWith("alice-"), own.toString());

        HttpResponse<String> other = send("GET", "/api/v1/submissions/" + ticket, null, bob);
        assertEquals(403, other.statusCode());
        assertTrue(!other.body().contains("print(input())"), "no source in the refusal");
        assertEquals(
                403,
                send(
                                "GET",
                                "/api/v1/submissions?participant="
                                        + own.get("participant").asString(),
                                null,
                                bob)
                        .statusCode());
        JsonNode bobsList =
                JSON.readTree(send("GET", "/api/v1/submissions", null, bob).body());
        assertEquals(0, bobsList.get("items").size(), bobsList.toString());
        assertEquals(
                403,
                send(
                                "POST",
                                "/api/v1/submissions",
                                submission(own.get("participant").asString(), "1"),
                                bob)
                        .statusCode());
        HttpResponse<String> batchAsAlice = send(
                "POST",
                "/api/v1/submissions/batch",
                "[" + submission(own.get("participant").asString(), "1") + "]",
                bob);
        assertEquals(403, batchAsAlice.statusCode(), "not in a batch either: " + batchAsAlice.body());
        // a service reads anyone's and submits naming the participant
        assertEquals(
                200, send("GET", "/api/v1/submissions/" + ticket, null, service).statusCode());
        assertEquals(
                202,
                send("POST", "/api/v1/submissions", submission("carol", "1"), service)
                        .statusCode());
    }

    @Test
    void aBurstOverTheRateGets429AndLaterSucceeds() throws Exception {
        for (int i = 0; i < 6; i++) {
            assertEquals(
                    202,
                    send("POST", "/api/v1/submissions", submission(null, "1"), bob)
                            .statusCode());
        }
        HttpResponse<String> limited = send("POST", "/api/v1/submissions", submission(null, "1"), bob);
        assertEquals(429, limited.statusCode(), limited.body());
        long retryAfter =
                Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 11, "6 a minute: one more every 10 s, was " + retryAfter);
        assertEquals(429, JSON.readTree(limited.body()).get("status").asInt());
        Thread.sleep(Duration.ofSeconds(retryAfter).toMillis());
        assertEquals(
                202,
                send("POST", "/api/v1/submissions", submission(null, "1"), bob).statusCode());
    }

    /** {@code access.cors-origins} is empty by default: no browser on another origin may call (CorsAndClosedPistonTest: one may). */
    @Test
    void corsIsOffUnlessOriginsAreConfigured() throws Exception {
        HttpResponse<String> preflight = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/submissions"))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .header("Origin", "https://contest.example.org")
                        .header("Access-Control-Request-Method", "POST")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, preflight.statusCode());
        assertTrue(
                preflight.headers().firstValue("Access-Control-Allow-Origin").isEmpty(),
                preflight.headers().map().toString());
    }

    /** A service key submits for many participants; each of them still has their own rate. */
    @Test
    void aServiceKeyIsLimitedPerParticipantItNames() throws Exception {
        String dora = "dora-" + UUID.randomUUID().toString().substring(0, 6);
        for (int i = 0; i < 6; i++) {
            assertEquals(
                    202,
                    send("POST", "/api/v1/submissions", submission(dora, "1"), service)
                            .statusCode());
        }
        HttpResponse<String> limited = send("POST", "/api/v1/submissions", submission(dora, "1"), service);
        assertEquals(429, limited.statusCode(), limited.body());
        assertTrue(
                JSON.readTree(limited.body()).get("detail").asString().contains("participant " + dora), limited.body());
        assertTrue(limited.headers().firstValue("Retry-After").isPresent());
        assertEquals(
                202,
                send("POST", "/api/v1/submissions", submission("eli-" + dora, "1"), service)
                        .statusCode(),
                "another participant of the same service key is not limited by dora's rate");
    }

    @Test
    void oversizeRequestsGet413() throws Exception {
        HttpResponse<String> body = send("POST", "/api/v1/submissions", submission(null, "9".repeat(70_000)), alice);
        assertEquals(413, body.statusCode(), body.body());
        assertEquals(413, JSON.readTree(body.body()).get("status").asInt());
        // 70 KB of source: under the executor's 1 MiB, so only the body limit refuses it
        String bigSource =
                submission(null, "1").replace("print(input())", "#" + "9".repeat(70_000) + "\\nprint(input())");
        HttpResponse<String> spelled = send("POST", "/api/%761/submissions", bigSource, alice);
        assertEquals(413, spelled.statusCode(), "the size check sees the path the controller sees: " + spelled.body());
        HttpResponse<String> input = send("POST", "/api/v1/submissions", submission(null, "9".repeat(2_000)), alice);
        assertEquals(413, input.statusCode(), input.body());
        assertTrue(JSON.readTree(input.body()).get("detail").asString().contains("tests[0]"));
        HttpResponse<String> tests = send(
                "POST",
                "/api/v1/submissions",
                """
                {"language":"python","files":[{"content":"print(1)"}],"tests":[%s]}""".formatted(String.join(
                        ",",
                        java.util.Collections.nCopies(4, "{\"name\":\"t\",\"input\":\"\",\"expectedOutput\":\"1\"}"))),
                alice);
        assertEquals(413, tests.statusCode(), tests.body());
        assertTrue(JSON.readTree(tests.body()).get("detail").asString().contains("at most 3 tests"), tests.body());
        HttpResponse<String> files = send(
                "POST",
                "/api/v1/submissions",
                """
                {"language":"python","files":[{"content":"print(1)"},%s],"tests":[{"name":"t","input":"","expectedOutput":"1"}]}""".formatted(String.join(",", java.util.Collections.nCopies(64, "{\"content\":\"\"}"))),
                alice);
        assertEquals(413, files.statusCode(), files.body());
        assertTrue(JSON.readTree(files.body()).get("detail").asString().contains("more than 64 files"), files.body());
        HttpResponse<String> batch = send(
                "POST",
                "/api/v1/submissions/batch",
                "[" + submission(null, "1") + "," + submission(null, "9".repeat(2_000)) + "]",
                alice);
        assertEquals(413, batch.statusCode(), "a batch item over a limit is what it is alone: " + batch.body());
        assertEquals(1, JSON.readTree(batch.body()).get("index").asInt());
        HttpResponse<String> stdin = send("POST", "/api/v2/execute", """
                {"language":"python","version":"*","files":[{"content":"print(1)"}],"stdin":"%s"}""".formatted("9".repeat(2_000)), null);
        assertEquals(413, stdin.statusCode(), stdin.body());
        assertTrue(JSON.readTree(stdin.body()).get("message").asString().contains("stdin"), "Piston's error shape");
    }

    /**
     * A chunked body declares no length: the limit holds as it is read, so an endless body is
     * answered 413 without the api holding more than the limit, and a small chunked body works.
     */
    @Test
    void chunkedBodiesAreHeldToTheSizeLimit() throws Exception {
        try (var socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            var out = socket.getOutputStream();
            out.write(chunkedHead("/api/v1/submissions", alice));
            Thread writer = Thread.ofVirtual().start(() -> {
                // valid JSON as far as it goes, so only the size limit can stop it being read
                String file = "{\"content\":\"" + "9".repeat(0x2000 - 15) + "\"},";
                byte[] chunk = ("2000\r\n" + file + "\r\n").getBytes(StandardCharsets.US_ASCII);
                try {
                    out.write(chunk("{\"language\":\"python\",\"files\":["));
                    for (int i = 0; i < 64 * 1024; i++) { // 512 MiB unless the server stops reading
                        out.write(chunk);
                    }
                } catch (java.io.IOException closed) {
                    // the api answered and closed the connection: what is expected
                }
            });
            String status = new java.io.BufferedReader(
                            new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertEquals("HTTP/1.1 413 ", status.substring(0, Math.min(status.length(), 13)), status);
            socket.close();
            writer.join(30_000);
            assertFalse(writer.isAlive(), "the api stopped reading the body");
        }
        String small = submission(null, "1");
        try (var socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            var out = socket.getOutputStream();
            out.write(chunkedHead("/api/v1/submissions", alice));
            out.write(chunk(small.substring(0, small.length() / 2)));
            out.write(chunk(small.substring(small.length() / 2)));
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(
                            new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertTrue(status.startsWith("HTTP/1.1 202"), "a chunked body within the limit is read: " + status);
        }
    }

    private static byte[] chunk(String data) {
        return (Integer.toHexString(data.length()) + "\r\n" + data + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] chunkedHead(String path, String key) {
        return ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Authorization: " + TestKeys.bearer(key) + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void metricsAreExposedInPrometheusFormat() throws Exception {
        send("POST", "/api/v1/submissions", submission(null, "1"), alice);
        HttpResponse<String> metrics = send("GET", "/actuator/prometheus", null, service);
        assertEquals(200, metrics.statusCode());
        for (String series : List.of(
                "coding_engine_queue_depth{lane=\"contest\"}",
                "coding_engine_dead_letters",
                "http_server_requests_seconds_bucket",
                "http_server_requests_seconds_count")) {
            assertTrue(metrics.body().contains(series), series + " missing");
        }
    }

    private static Map<String, Role> needs(Object... endpointsAndRoles) {
        Map<String, Role> m = new LinkedHashMap<>();
        for (int i = 0; i < endpointsAndRoles.length; i += 2) {
            m.put((String) endpointsAndRoles[i], (Role) endpointsAndRoles[i + 1]);
        }
        return m;
    }

    private static String submission(String participant, String input) {
        return SUBMISSION
                .formatted(participant == null ? "" : participant, input)
                .replace("\"participant\":\"\",", "");
    }

    private String issue(String subject, String role) throws Exception {
        HttpResponse<String> r = send(
                "POST",
                "/api/v1/admin/keys",
                "{\"subject\":\"" + subject + "\",\"role\":\"" + role + "\"}",
                TestKeys.ADMIN);
        assertEquals(201, r.statusCode(), r.body());
        String key = JSON.readTree(r.body()).get("key").asString();
        assertNotNull(key);
        return key;
    }

    private HttpResponse<String> send(String method, String path, String body, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "PUT".equals(method) ? "application/zip" : "application/json");
        if (key != null) {
            b.header("Authorization", TestKeys.bearer(key));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
