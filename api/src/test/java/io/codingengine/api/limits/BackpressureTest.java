package io.codingengine.api.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.api.access.QueueApiSettings;
import io.codingengine.api.access.TestKeys;
import io.codingengine.api.piston.PistonConnectClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With no worker the contest lane only grows: past max-queue-depth new work gets 503 with Retry-After. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "coding-engine.execution=queue",
            "coding-engine.broker-port=0",
            "coding-engine.limits.max-queue-depth=1"
        })
class BackpressureTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        QueueApiSettings.register(registry, "backpressure");
    }

    @Test
    void aQueueDeeperThanTheBoundGets503() throws Exception {
        String body = """
                {"participant":"p%d","language":"python","files":[{"content":"print(1)"}],"tests":[{"name":"t","input":"","expectedOutput":"1"}]}""";
        assertEquals(202, submit(body.formatted(1)).statusCode());
        assertEquals(202, submit(body.formatted(2)).statusCode());
        HttpResponse<String> busy = submit(body.formatted(3));
        assertEquals(503, busy.statusCode(), busy.body());
        assertTrue(busy.headers().firstValue("Retry-After").isPresent());
        assertTrue(busy.body().contains("\"status\":503"), busy.body());
        HttpResponse<String> piston = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v2/execute"))
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"language\":\"python\",\"version\":\"*\",\"files\":[{\"content\":\"print(1)\"}]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(503, piston.statusCode(), piston.body());
        assertTrue(piston.headers().firstValue("Retry-After").isPresent());
        // A WebSocket run is refused alike, in Piston's way: an error event, then 4002.
        PistonConnectClient live = PistonConnectClient.connect(port, null);
        live.send(Map.of(
                "type", "init", "language", "python", "version", "*", "files", List.of(Map.of("content", "print(1)"))));
        assertTrue(live.next("error").get("message").asString().startsWith("the queue holds"), live.toString());
        assertEquals("4002 Notified Error", live.closeStatus());
    }

    private HttpResponse<String> submit(String json) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/submissions"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
