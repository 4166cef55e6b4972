package io.codingengine.api.piston;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.codingengine.api.access.TestKeys;
import io.codingengine.common.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/** A client of {@code /api/v2/connect} on the JDK's WebSocket: every text message it got, and how the server closed. */
public final class PistonConnectClient implements WebSocket.Listener {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    WebSocket socket;

    /** Connected to the api on {@code port}, with {@code key} when it is not null. */
    public static PistonConnectClient connect(int port, String key) {
        PistonConnectClient client = new PistonConnectClient();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder();
        if (key != null) {
            builder.header("Authorization", TestKeys.bearer(key));
        }
        client.socket = builder.buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/v2/connect"), client)
                .join();
        return client;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            messages.add(Json.mapper().readTree(partial.toString()));
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode + " " + reason);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    public void send(Map<String, Object> message) {
        socket.sendText(Json.write(message), true).join();
    }

    public void stdin(String text) {
        send(Map.of("type", "data", "stream", "stdin", "data", text));
    }

    public JsonNode next() throws InterruptedException {
        JsonNode message = messages.poll(30, TimeUnit.SECONDS);
        assertNotNull(message, "no message; closed: " + closed.getNow("open"));
        return message;
    }

    /** The next message, which must be of {@code type}. */
    public JsonNode next(String type) throws InterruptedException {
        JsonNode message = next();
        assertEquals(type, message.get("type").asString(), message.toString());
        return message;
    }

    /** stdout data events up to and including the one that ends with {@code text}. */
    public String stdoutUntil(String text) throws InterruptedException {
        StringBuilder out = new StringBuilder();
        while (!out.toString().endsWith(text)) {
            JsonNode data = next("data");
            assertEquals("stdout", data.get("stream").asString(), data.toString());
            out.append(data.get("data").asString());
        }
        return out.toString();
    }

    /** How the server closed: {@code "<code> <reason>"}. */
    public String closeStatus() throws Exception {
        return closed.get(30, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return "messages " + messages + ", closed " + closed.getNow("open");
    }
}
