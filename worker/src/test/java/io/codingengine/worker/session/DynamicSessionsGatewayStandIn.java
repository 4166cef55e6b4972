package io.codingengine.worker.session;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * STAND-IN for the Dynamic Sessions pool management endpoint, which cannot be reached from the
 * tests. It does what the pool does to a request for a custom container: checks the bearer token
 * (here: one {@link EntraTokenEndpointStandIn} issued for {@code https://dynamicsessions.io}),
 * requires the {@code identifier} query parameter, and forwards the path and query unchanged to
 * the session container's target port (the real session server), relaying the answer. Switches
 * make it answer as a pool does when it is throttled (429 with Retry-After, 503), when it has no
 * session left to allocate (404, the documented answer beyond {@code maxConcurrentSessions}; its
 * body is not documented, so this one is only "not the session server's"), when it cannot reach
 * or wait for the session's container (502, 504), or when the caller's identity lacks the
 * Session Executor role (403).
 */
final class DynamicSessionsGatewayStandIn implements AutoCloseable {

    private static final java.util.Set<String> FORWARD_SKIPS =
            java.util.Set.of("authorization", "connection", "content-length", "expect", "host", "upgrade");

    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI session;
    private final EntraTokenEndpointStandIn entra;
    private final List<String> identifiers = new CopyOnWriteArrayList<>();
    private final AtomicInteger throttleNext = new AtomicInteger();
    private final AtomicInteger throttled = new AtomicInteger();
    private volatile boolean roleAssigned = true;
    private volatile boolean unavailable;
    private final AtomicInteger poolFullNext = new AtomicInteger();
    private volatile long poolFullUntilNanos = Long.MIN_VALUE;
    private final AtomicInteger gatewayErrorNext = new AtomicInteger();
    private volatile int gatewayErrorStatus = 502;
    /** When each request with an identifier arrived ({@link System#nanoTime()}). */
    private final List<Long> arrivals = new CopyOnWriteArrayList<>();

    DynamicSessionsGatewayStandIn(URI session, EntraTokenEndpointStandIn entra) throws IOException {
        this.session = session;
        this.entra = entra;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next {@code count} requests get 429 with {@code Retry-After: 1}. */
    void throttleNext(int count) {
        throttleNext.set(count);
    }

    /** The next {@code count} requests get the pool's 404 for "no session left" (not the session server's). */
    void poolFullNext(int count) {
        poolFullNext.set(count);
    }

    /** Every request gets the pool's 404 for "no session left" until {@code duration} from now. */
    void poolFullFor(java.time.Duration duration) {
        poolFullUntilNanos = System.nanoTime() + duration.toNanos();
    }

    /** The next {@code count} requests get {@code status} (502 or 504) from the gateway itself. */
    void gatewayErrorNext(int status, int count) {
        gatewayErrorStatus = status;
        gatewayErrorNext.set(count);
    }

    List<Long> arrivals() {
        return List.copyOf(arrivals);
    }

    void roleAssigned(boolean value) {
        roleAssigned = value;
    }

    void unavailable(boolean value) {
        unavailable = value;
    }

    List<String> identifiers() {
        return List.copyOf(identifiers);
    }

    int throttled() {
        return throttled.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth == null
                    || !auth.startsWith("Bearer ")
                    || !entra.issuedFor(auth.substring(7), "https://dynamicsessions.io")) {
                send(exchange, 401, "{\"error\":\"invalid or missing token\"}");
                return;
            }
            if (!roleAssigned) {
                send(
                        exchange,
                        403,
                        "{\"error\":\"the principal lacks Microsoft.App/sessionPools/interpreters/execute/action\"}");
                return;
            }
            String query = exchange.getRequestURI().getRawQuery();
            if (query == null || !query.startsWith("identifier=") || query.length() == "identifier=".length()) {
                send(exchange, 400, "{\"error\":\"identifier is required\"}");
                return;
            }
            identifiers.add(query.substring("identifier=".length()));
            arrivals.add(System.nanoTime());
            if (poolFullNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0 || System.nanoTime() < poolFullUntilNanos) {
                send(
                        exchange,
                        404,
                        "{\"error\":{\"code\":\"NoSessionAvailable\",\"message\":\"the pool has no session to allocate\"}}");
                return;
            }
            if (gatewayErrorNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                send(exchange, gatewayErrorStatus, "upstream error");
                return;
            }
            if (unavailable) {
                send(exchange, 503, "{\"error\":\"no session available\"}");
                return;
            }
            if (throttleNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throttled.incrementAndGet();
                exchange.getResponseHeaders().set("Retry-After", "1");
                send(exchange, 429, "{\"error\":\"too many requests\"}");
                return;
            }
            forward(exchange);
        }
    }

    private void forward(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        URI target = session.resolve(exchange.getRequestURI().getRawPath() + "?"
                + exchange.getRequestURI().getRawQuery());
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .method(
                        exchange.getRequestMethod(),
                        body.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        // The caller's headers go on to the container, as the pool passes them (its own token
        // aside); the HTTP client sets the connection-level ones itself.
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!FORWARD_SKIPS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            send(exchange, response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            send(exchange, 502, "{\"error\":\"interrupted\"}");
        }
    }

    static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
