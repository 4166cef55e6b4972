package io.codingengine.executor.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.store.StoreJson;
import io.codingengine.executor.ExecutorConfig;
import io.codingengine.executor.SandboxedExecutor;
import io.codingengine.executor.sandbox.Isolation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.core.JacksonException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The process inside each session container: the sandboxed executor over HTTP, on the port the
 * Dynamic Sessions pool forwards to. The pool forwards the request path after its management
 * endpoint unchanged (the {@code identifier} query parameter included, which this server ignores:
 * one container is one session). Untrusted code runs in the executor's own sandbox inside the
 * container, so it can neither reach this process nor forge the result it returns.
 *
 * <ul>
 *   <li>{@code POST /execute}: an {@link ExecutionRequest} as JSON; answers the
 *       {@link io.codingengine.common.execution.ExecutionResult}, or 400 {@code {"error": ...}}
 *   <li>{@code GET /runtimes}: the installed languages
 *   <li>{@code GET /health}: the sandbox's isolation level, for the container health check
 * </ul>
 * JSON is {@link StoreJson}'s, the same form the worker reads. A request's {@code X-Correlation-Id}
 * (the id the api gave the client's request, sent on by the worker) is in the log MDC as
 * {@code correlationId} while it is served, and in the line logged per execution; the image logs
 * JSON lines with the MDC ({@code session-logback.xml}).
 */
public final class SessionServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SessionServer.class);
    /** Files are limited by the executor ({@link ExecutorConfig#maxSourceBytes()}); base64 and JSON add a third. */
    private static final double BODY_OVERHEAD = 1.5;
    static final String CORRELATION_HEADER = "X-Correlation-Id";
    static final String CORRELATION_MDC_KEY = "correlationId";
    /** The api's own rule for a correlation id; anything else is not logged. */
    private static final java.util.regex.Pattern SANE_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final SandboxedExecutor executor;
    private final long maxBodyBytes;

    private SessionServer(SandboxedExecutor executor, long maxSourceBytes, int port) throws IOException {
        this.executor = executor;
        this.maxBodyBytes = (long) (maxSourceBytes * BODY_OVERHEAD) + (1 << 20);
        this.server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/execute", exchange -> handle(exchange, "POST", this::execute));
        server.createContext("/runtimes", exchange -> handle(exchange, "GET", e -> respond(e, 200, executor.runtimes())));
        server.createContext("/health", exchange -> handle(exchange, "GET", e -> respond(e, 200, health())));
        // Requests wait for a sandbox slot inside the executor; a virtual thread each costs little.
        server.setExecutor(threads);
        server.start();
    }

    /** Serves {@code executor} on {@code port} (0: any free port). The caller keeps owning the executor. */
    public static SessionServer start(SandboxedExecutor executor, long maxSourceBytes, int port) throws IOException {
        return new SessionServer(executor, maxSourceBytes, port);
    }

    public static void main(String[] args) throws IOException {
        SessionSettings settings = SessionSettings.fromEnvironment(System.getenv());
        ExecutorConfig config = ExecutorConfig.judging();
        SandboxedExecutor executor = SandboxedExecutor.start(settings.sandbox(), config);
        SessionServer server = start(executor, config.maxSourceBytes(), settings.port());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            executor.close();
        }));
        LOG.info("session server listening on port {}", server.port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.close();
    }

    /** The health answer: {@code ok} with full isolation, else {@code degraded} and why. */
    public record Health(String status, Isolation isolation) {
    }

    private Health health() {
        Isolation isolation = executor.sandbox().isolation();
        return new Health(isolation.full() ? "ok" : "degraded", isolation);
    }

    private void execute(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
        }
        if (body.length > maxBodyBytes) {
            respond(exchange, 413, Map.of("error", "request body exceeds " + maxBodyBytes + " bytes"));
            return;
        }
        ExecutionRequest request;
        try {
            request = StoreJson.mapper().readValue(body, ExecutionRequest.class);
        } catch (JacksonException | NullPointerException e) {
            // NullPointerException: the record's constructor rejects a missing language, version, files or runs.
            respond(exchange, 400, Map.of("error", "request body is not a valid execution request: " + e.getMessage()));
            return;
        }
        long start = System.nanoTime();
        try {
            var result = executor.execute(request);
            LOG.info("executed {} ({} runs) in {} ms [correlation {}]", request.language(), request.runs().size(),
                    (System.nanoTime() - start) / 1_000_000, MDC.get(CORRELATION_MDC_KEY));
            respond(exchange, 200, result);
        } catch (InvalidRequestException e) {
            respond(exchange, 400, Map.of("error", e.getMessage()));
        }
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private static void handle(HttpExchange exchange, String method, Handler handler) throws IOException {
        String correlationId = exchange.getRequestHeaders().getFirst(CORRELATION_HEADER);
        if (correlationId != null && SANE_ID.matcher(correlationId).matches()) {
            MDC.put(CORRELATION_MDC_KEY, correlationId);
        }
        try {
            String context = exchange.getHttpContext().getPath();
            if (!exchange.getRequestURI().getPath().equals(context)) {
                respond(exchange, 404, Map.of("error", "no such path"));
            } else if (!exchange.getRequestMethod().equals(method)) {
                exchange.getResponseHeaders().set("Allow", method);
                respond(exchange, 405, Map.of("error", context + " accepts " + method + " only"));
            } else {
                handler.handle(exchange);
            }
        } catch (RuntimeException e) {
            LOG.error("request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e);
            respondQuietly(exchange);
        } finally {
            MDC.remove(CORRELATION_MDC_KEY);
            exchange.close();
        }
    }

    private static void respond(HttpExchange exchange, int status, Object value) throws IOException {
        byte[] json = StoreJson.write(value).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, json.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(json);
        }
    }

    /** A 500 without details (they are in the log), unless the answer had already started. */
    private static void respondQuietly(HttpExchange exchange) {
        try {
            if (exchange.getResponseCode() == -1) {
                respond(exchange, 500, Map.of("error", "internal error"));
            }
        } catch (IOException e) {
            LOG.debug("could not send the 500 answer", e);
        }
    }
}
