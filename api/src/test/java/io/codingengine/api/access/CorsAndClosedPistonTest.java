package io.codingengine.api.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The api as the {@code azure} profile sets its access ({@code access.piston-open=false}) with a
 * configured CORS origin: Piston's endpoints need a key, and browsers on that origin, and only
 * there, may call the API and read its refusals.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "coding-engine.execution=queue",
            "coding-engine.broker-port=0",
            "coding-engine.access.piston-open=false",
            "coding-engine.access.cors-origins=https://contest.example.org,https://lms.example.org"
        })
class CorsAndClosedPistonTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ALLOWED = "https://lms.example.org";

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        QueueApiSettings.register(registry, "cors");
    }

    @Test
    void closedPistonEndpointsNeedAParticipantKey() throws Exception {
        HttpResponse<String> runtimes = send(get("/api/v2/runtimes"));
        assertEquals(401, runtimes.statusCode(), runtimes.body());
        assertEquals(401, JSON.readTree(runtimes.body()).get("status").asInt());
        HttpResponse<String> execute = send(HttpRequest.newBuilder(uri("/api/v2/execute"))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"language\":\"python\",\"version\":\"*\",\"files\":[{\"content\":\"print(1)\"}]}")));
        assertEquals(401, execute.statusCode(), execute.body());
        HttpResponse<String> issued = send(HttpRequest.newBuilder(uri("/api/v1/admin/keys"))
                .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"subject\":\"piston-user\",\"role\":\"PARTICIPANT\"}")));
        assertEquals(201, issued.statusCode(), issued.body());
        String key = JSON.readTree(issued.body()).get("key").asString();
        assertEquals(
                200,
                send(get("/api/v2/runtimes").header("Authorization", TestKeys.bearer(key)))
                        .statusCode());
    }

    @Test
    void theWebSocketHandshakeNeedsAKeyToo() throws Exception {
        URI connect = URI.create("ws://127.0.0.1:" + port + "/api/v2/connect");
        CompletionException refused = assertThrows(
                CompletionException.class,
                () -> HTTP.newWebSocketBuilder()
                        .buildAsync(connect, new WebSocket.Listener() {})
                        .join());
        assertEquals(
                401,
                ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
        HttpResponse<String> issued = send(HttpRequest.newBuilder(uri("/api/v1/admin/keys"))
                .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"subject\":\"socket-user\",\"role\":\"PARTICIPANT\"}")));
        String key = JSON.readTree(issued.body()).get("key").asString();
        WebSocket socket = HTTP.newWebSocketBuilder()
                .header("Authorization", TestKeys.bearer(key))
                .buildAsync(connect, new WebSocket.Listener() {})
                .join();
        socket.abort();
    }

    @Test
    void aConfiguredOriginMayCallTheApiAndReadItsRefusals() throws Exception {
        HttpResponse<String> preflight = send(preflight(ALLOWED, "/api/v1/submissions"));
        assertEquals(200, preflight.statusCode(), preflight.body());
        assertEquals(
                ALLOWED,
                preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertTrue(
                preflight
                        .headers()
                        .firstValue("Access-Control-Allow-Headers")
                        .orElse("")
                        .toLowerCase()
                        .contains("authorization"),
                preflight.headers().map().toString());
        // the refusal of a keyless call carries the CORS headers, so the page can read why
        HttpResponse<String> refused = send(get("/api/v1/problems").header("Origin", ALLOWED));
        assertEquals(401, refused.statusCode());
        assertEquals(
                ALLOWED,
                refused.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertTrue(
                refused.headers()
                        .firstValue("Access-Control-Expose-Headers")
                        .orElse("")
                        .contains("WWW-Authenticate"),
                refused.headers().map().toString());
    }

    @Test
    void anyOtherOriginIsRefused() throws Exception {
        HttpResponse<String> preflight = send(preflight("https://evil.example.com", "/api/v1/submissions"));
        assertEquals(403, preflight.statusCode());
        assertTrue(
                preflight.headers().firstValue("Access-Control-Allow-Origin").isEmpty(),
                preflight.headers().map().toString());
        HttpResponse<String> call = send(get("/api/v1/problems").header("Origin", "https://evil.example.com"));
        assertTrue(
                call.headers().firstValue("Access-Control-Allow-Origin").isEmpty(),
                call.headers().map().toString());
    }

    private HttpRequest.Builder preflight(String origin, String path) {
        return HttpRequest.newBuilder(uri(path))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type");
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(uri(path)).GET();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
