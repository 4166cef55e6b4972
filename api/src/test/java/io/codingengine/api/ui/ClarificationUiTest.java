package io.codingengine.api.ui;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.api.KattisZip;
import io.codingengine.api.access.QueueApiSettings;
import io.codingengine.api.access.TestKeys;
import io.codingengine.common.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Clarifications in the contest UI, end to end: the real api (embedded broker, PostgreSQL; no
 * worker, nothing is judged) and three headless Chromium sessions driven by
 * {@code src/test/e2e/clarifications.e2e.mjs} ({@link BrowserScript}), which asserts every step,
 * runs axe-core on each view and saves screenshots.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"coding-engine.execution=queue", "coding-engine.broker-port=0"})
class ClarificationUiTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        QueueApiSettings.register(registry, "clarifications-ui");
    }

    @Test
    void aQuestionAnsweredToEveryoneReachesAnotherParticipantLive() throws Exception {
        send("PUT", "/api/v1/problems/sum", HttpRequest.BodyPublishers.ofByteArray(KattisZip.sum()), "application/zip");
        Instant now = Instant.now();
        send(
                "PUT",
                "/api/v1/admin/contests/spring",
                HttpRequest.BodyPublishers.ofString(Json.write(Map.of(
                        "title",
                        "Spring round",
                        "problemIds",
                        List.of("sum"),
                        "start",
                        now.minus(10, ChronoUnit.MINUTES).toString(),
                        "end",
                        now.plus(3, ChronoUnit.HOURS).toString(),
                        "scoring",
                        "ICPC",
                        "invitations",
                        List.of()))),
                "application/json");
        BrowserScript.run(
                "clarifications.e2e.mjs",
                Map.of(
                        "BASE_URL",
                        "http://127.0.0.1:" + port,
                        "ADMIN_KEY",
                        TestKeys.ADMIN,
                        "CONTEST",
                        "spring",
                        "PROBLEM",
                        "sum"),
                Duration.ofMinutes(3));
    }

    private void send(String method, String path, HttpRequest.BodyPublisher body, String contentType) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                        .header("Content-Type", contentType)
                        .method(method, body)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() == 200 || r.statusCode() == 201, r.statusCode() + " " + r.body());
    }
}
