package io.codingengine.session;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.InteractionRequest;
import io.codingengine.common.execution.InteractionResult;
import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.json.Json;
import io.codingengine.executor.ExecutorConfig;
import io.codingengine.executor.SandboxedExecutor;
import io.codingengine.executor.sandbox.Isolation;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * The process inside each session container: the sandboxed executor over HTTP, on the port the
 * Dynamic Sessions pool forwards to. The pool forwards the request path after its management
 * endpoint unchanged (the {@code identifier} query parameter included, which this server ignores:
 * one container is one session).
 *
 * <p><b>Who can call it, and what it trusts.</b> The server authenticates nobody: it relies on
 * the pool being its only client. On Azure the session container has no endpoint of its own (the
 * pool's {@code ingress.targetPort} is only where the pool forwards to); the only way in is the
 * pool's management endpoint, which requires a Microsoft Entra token of an identity holding
 * "Azure ContainerApps Session Executor" on the pool ({@code infra/main.bicep} gives it to the
 * deployment's one user-assigned identity: the worker's, also the api's). It does not read the
 * {@code Authorization} header, whether or not the pool passes it on. So whoever holds that role
 * is trusted with all a session does: running any code the catalogue runs, with any input, up to
 * the maximum limits, as often as the pool allows, and getting the results back unsigned; the
 * role is the access control. Its {@code X-Correlation-Id} is logged only when it has the api's
 * id shape. Nothing else about a request is trusted: the body is read under {@link RequestLimits}
 * (size, runs, read time) by a strict JSON reader (nesting depth, token count, no trailing data,
 * no duplicate keys, limits as exact values), and the executor refuses limits, files and options
 * outside its configuration.
 * Each refusal is a 4xx with {@code {"error": ...}} naming what was refused and the maximum;
 * nothing is clamped. The programs it runs are not callers: the sandbox gives them no network
 * (their own network namespace with only loopback; with {@code PROCESS} isolation no network
 * sockets, with {@code UID} isolation no sockets at all), so they cannot reach this port, nor
 * forge the result it returns. Under docker-compose there is no pool: any container on the
 * compose network can call it (the port is not published to the host).
 *
 * <ul>
 *   <li>{@code POST /execute}: an {@link ExecutionRequest} as JSON; answers the
 *       {@link io.codingengine.common.execution.ExecutionResult}, or {@code {"error": ...}} with
 *       400 for an invalid request (malformed JSON, more runs than {@link RequestLimits#maxRuns()},
 *       anything the executor refuses, such as a limit over its maximum: "run wall time cannot
 *       exceed the configured limit of 60000 ms", the Piston API's wording with the executor's
 *       names), 413 for a body over {@link RequestLimits#maxBodyBytes()}, 503 with
 *       {@code Retry-After} while the bodies in progress leave no room for this one
 *   <li>{@code POST /interact}: an {@link InteractionRequest} (an interactive or multi-pass
 *       problem's tests: the submission and its output validator in two boxes of the session's
 *       sandbox) as JSON; answers the {@link InteractionResult}, refusals as for
 *       {@code /execute} (more tests than {@link RequestLimits#maxRuns()} is 400). Under UID
 *       isolation nothing runs: the result's compile stage is {@code XX}, with why
 *       ({@link io.codingengine.executor.sandbox.Sandbox#interactionRefusal()}), which the worker
 *       judges IE with that reason after its retries, rather than a 503 it would wait on forever
 *   <li>{@code GET /runtimes}: the installed languages
 *   <li>{@code GET /health}: the sandbox's isolation level and what it does not isolate, for the
 *       container health check; {@code 503} with why when the container has no sandbox at all
 *   <li>any other path: 404 with {@code {"error": ..., "server": "coding-engine-session"}}, so that
 *       a caller tells this server's 404 (a path it does not serve) from the pool gateway's 404
 *       (the pool has no session left to allocate), which has another body
 * </ul>
 * With {@link SessionSettings#exitAfterAnswer()} (the image on Azure, whose pool destroys a
 * session when its container exits) the server answers one {@code /execute}, {@code /interact} or
 * {@code /runtimes}, then stops and exits; a request after that one is answered 503 with {@code Retry-After}, which
 * the worker retries in another session.
 * A container where no isolation level can start (not even UID isolation, which needs no more than
 * Docker's default capabilities) still serves, so that it can say so: {@code /health} answers
 * {@code 503} {@code {"status": "unavailable", "error": ...}}, {@code /execute}, {@code /interact}
 * and {@code /runtimes} {@code 500} with the same reason, and nothing runs.
 * JSON is {@link Json}'s form, the one the worker writes, read more strictly (above). A
 * request's {@code X-Correlation-Id} (the id the api gave the client's request, sent on by the
 * worker) is in the log MDC as {@code correlationId} while it is served, and in the line logged
 * per execution and per refusal; the image logs JSON lines with the MDC ({@code session-logback.xml}).
 *
 * <p>Headers are bounded by the JDK server's defaults (200 header names, 380 KiB; past them the
 * connection is closed without an answer). The read timeout is the JDK server's
 * {@code sun.net.httpserver.maxReqTime}, a JVM-wide setting read when the JVM's first HTTP server
 * starts: {@link #start} sets it unless it is set already, so it holds in the image (this is its
 * only server) but not in a JVM that started another HTTP server first.
 */
public final class SessionServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SessionServer.class);
    static final String CORRELATION_HEADER = "X-Correlation-Id";
    static final String CORRELATION_MDC_KEY = "correlationId";
    /** The api's own rule for a correlation id; anything else is not logged. */
    private static final java.util.regex.Pattern SANE_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");

    static final String READ_TIMEOUT_PROPERTY = "sun.net.httpserver.maxReqTime";
    /** An execution request is four levels deep (request, runs, run, args). */
    static final int MAX_JSON_DEPTH = 16;
    /** Every token can become an object; this bounds what a small body can make the heap hold. */
    static final long MIN_JSON_TOKENS = 1_000_000;
    /**
     * The {@code server} of this server's own 404 body. The pool gateway answers 404 too, when it
     * has no session left ({@code maxConcurrentSessions}; Microsoft Learn, "Use session pools in
     * Azure Container Apps", Configuration), with a body of its own; the worker tells them apart by this.
     */
    public static final String SERVER_MARK = "coding-engine-session";

    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Engine engine;
    private final RequestLimits limits;
    private final JsonMapper reader;
    /** Bytes of bodies held at once (as declared, or the maximum when undeclared), up to the maximum body. */
    private final Semaphore bodies;
    /** Run once the one answer has been sent; null: the server answers for as long as it runs. */
    private final Runnable afterAnswer;
    /** Whether the one answer was claimed (only with {@link #afterAnswer}). */
    private final AtomicBoolean answered = new AtomicBoolean();
    /** The exchange of the one answer (the JDK server's exchange attributes are its context's, shared). */
    private final java.util.concurrent.atomic.AtomicReference<HttpExchange> oneAnswer =
            new java.util.concurrent.atomic.AtomicReference<>();

    /** What the session runs code with: the sandboxed executor, or why it has none. */
    private sealed interface Engine {
        record Ready(SandboxedExecutor executor) implements Engine {}

        record Unavailable(String reason) implements Engine {}
    }

    private SessionServer(Engine engine, RequestLimits limits, int port, Runnable afterAnswer) throws IOException {
        this.engine = engine;
        this.limits = limits;
        this.afterAnswer = afterAnswer;
        this.reader = reader(limits);
        this.bodies = new Semaphore((int) limits.maxBodyBytes());
        if (System.getProperty(READ_TIMEOUT_PROPERTY) == null) {
            System.setProperty(
                    READ_TIMEOUT_PROPERTY, Long.toString(limits.readTimeout().toSeconds()));
        }
        this.server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext(
                "/execute", exchange -> handle(exchange, "POST", e -> serve(e, ExecutionRequest.class, this::execute)));
        server.createContext(
                "/interact",
                exchange -> handle(exchange, "POST", e -> serve(e, InteractionRequest.class, this::interact)));
        server.createContext("/runtimes", exchange -> handle(exchange, "GET", this::runtimes));
        server.createContext("/health", exchange -> handle(exchange, "GET", this::health));
        // Every other path: this server's own 404, which the worker tells from the pool gateway's.
        server.createContext("/", exchange -> handle(exchange, null, e -> notFound(e)));
        // Requests wait for a sandbox slot inside the executor; a virtual thread each costs little.
        server.setExecutor(threads);
        server.start();
    }

    /**
     * Serves {@code executor} on {@code port} (0: any free port) with {@link RequestLimits#defaults}
     * for an executor that takes up to {@code maxSourceBytes}. The caller keeps owning the executor.
     */
    public static SessionServer start(SandboxedExecutor executor, long maxSourceBytes, int port) throws IOException {
        return start(executor, RequestLimits.defaults(maxSourceBytes), port);
    }

    /** Serves {@code executor} on {@code port} (0: any free port). The caller keeps owning the executor. */
    public static SessionServer start(SandboxedExecutor executor, RequestLimits limits, int port) throws IOException {
        return new SessionServer(new Engine.Ready(executor), limits, port, null);
    }

    /**
     * Serves one answer ({@code /execute}, {@code /interact} or {@code /runtimes}) and then runs {@code afterAnswer}
     * (on its own thread, once the answer has been sent); later requests are answered 503.
     */
    public static SessionServer startForOneAnswer(
            SandboxedExecutor executor, RequestLimits limits, int port, Runnable afterAnswer) throws IOException {
        return new SessionServer(
                new Engine.Ready(executor), limits, port, java.util.Objects.requireNonNull(afterAnswer, "afterAnswer"));
    }

    public static void main(String[] args) throws IOException {
        ExecutorConfig config = ExecutorConfig.judging();
        SessionSettings settings = SessionSettings.fromEnvironment(System.getenv(), config);
        Engine engine;
        try {
            engine = new Engine.Ready(SandboxedExecutor.start(settings.sandbox(), config));
        } catch (RuntimeException e) {
            // Dying would only make the pool start another container like this one, and tell no one why.
            LOG.error("NO SANDBOX: this session cannot run any code, and says so on /health: {}", e.getMessage(), e);
            engine = new Engine.Unavailable(e.getMessage());
        }
        Runnable afterAnswer = settings.exitAfterAnswer()
                ? () -> {
                    LOG.info("answered its one request: exiting, so that the pool destroys this session");
                    System.exit(0);
                }
                : null;
        SessionServer server = new SessionServer(engine, settings.requests(), settings.port(), afterAnswer);
        // The shutdown hook stops the server and closes the sandbox, whatever ends the JVM.
        Engine started = engine;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            if (started instanceof Engine.Ready ready) {
                ready.executor().close();
            }
        }));
        RequestLimits limits = settings.requests();
        LOG.info(
                "session server listening on port {}: bodies up to {} bytes, {} runs, read within {} s{}",
                server.port(),
                limits.maxBodyBytes(),
                limits.maxRuns(),
                System.getProperty(READ_TIMEOUT_PROPERTY),
                settings.exitAfterAnswer() ? "; exits after one answer" : "");
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.close();
    }

    /**
     * The health answer: {@code ok} with full isolation, else {@code degraded}, with the level,
     * why, and what it does not isolate.
     */
    public record Health(String status, Isolation isolation) {}

    private void health(HttpExchange exchange) throws IOException {
        switch (engine) {
            case Engine.Ready ready -> {
                Isolation isolation = ready.executor().sandbox().isolation();
                respond(exchange, 200, new Health(isolation.full() ? "ok" : "degraded", isolation));
            }
            case Engine.Unavailable unavailable ->
                respond(exchange, 503, Map.of("status", "unavailable", "error", unavailable.reason()));
        }
    }

    /** The executor; or, when the session has none, {@code null} after refusing with 500 and why. */
    private SandboxedExecutor executorOrRefuse(HttpExchange exchange) throws IOException {
        return switch (engine) {
            case Engine.Ready ready -> ready.executor();
            case Engine.Unavailable unavailable -> {
                closeAfter(exchange); // a body is not read
                refuse(exchange, 500, "this session cannot run code: " + unavailable.reason());
                yield null;
            }
        };
    }

    /**
     * Whether this request may be answered: always, unless the server answers once and has
     * answered already (then it is refused 503 and the caller tries another session).
     */
    private boolean claimAnswer(HttpExchange exchange) throws IOException {
        if (afterAnswer == null) {
            return true;
        }
        if (!answered.compareAndSet(false, true)) {
            closeAfter(exchange); // its body is not read
            exchange.getResponseHeaders().set("Retry-After", "1");
            refuse(exchange, 503, "this session has answered its one request and is ending; use another session");
            return false;
        }
        oneAnswer.set(exchange);
        return true;
    }

    private void runtimes(HttpExchange exchange) throws IOException {
        if (claimAnswer(exchange)) {
            SandboxedExecutor executor = executorOrRefuse(exchange);
            if (executor != null) {
                respond(exchange, 200, executor.runtimes());
            }
        }
    }

    private static void notFound(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        respond(
                exchange,
                404,
                Map.of(
                        "error",
                        "no such path: " + (path.length() > 200 ? path.substring(0, 200) + "…" : path),
                        "server",
                        SERVER_MARK));
    }

    /** What a request of type {@code T} asks the executor, or why it is refused. */
    private interface Runner<T> {
        Object run(SandboxedExecutor executor, T request) throws Refusal;
    }

    /** Reads a body of type {@code T} under the limits, runs it and answers (the one answer, if there is one). */
    private <T> void serve(HttpExchange exchange, Class<T> type, Runner<T> runner) throws IOException {
        if (!claimAnswer(exchange)) {
            return;
        }
        SandboxedExecutor executor = executorOrRefuse(exchange);
        if (executor == null) {
            return;
        }
        long declared = declaredLength(exchange);
        if (declared > limits.maxBodyBytes()) {
            // Refused before reading: the rest of the body is not waited for.
            closeAfter(exchange);
            refuse(exchange, 413, bodyTooLarge());
            return;
        }
        int held = (int) (declared >= 0 ? declared : limits.maxBodyBytes());
        if (!bodies.tryAcquire(held)) {
            closeAfter(exchange);
            exchange.getResponseHeaders().set("Retry-After", "1");
            refuse(exchange, 503, "the session is holding other requests' bodies; retry later");
            return;
        }
        Object result = null;
        Refusal refusal = null;
        try {
            result = runner.run(executor, read(exchange, type));
        } catch (Refusal r) {
            refusal = r;
        } finally {
            // Before answering, so that a caller who has the answer finds the room free again.
            bodies.release(held);
        }
        if (refusal != null) {
            if (refusal.bodyUnread) {
                closeAfter(exchange);
            }
            refuse(exchange, refusal.status, refusal.getMessage());
        } else {
            respondStreaming(exchange, result);
        }
    }

    /** Checks and runs an execution request. */
    private ExecutionResult execute(SandboxedExecutor executor, ExecutionRequest request) throws Refusal {
        if (request.runs().size() > limits.maxRuns()) {
            throw new Refusal(400, "runs must not contain more than " + limits.maxRuns() + " runs");
        }
        long start = System.nanoTime();
        ExecutionResult result;
        try {
            result = executor.execute(request);
        } catch (InvalidRequestException e) {
            throw new Refusal(400, e.getMessage());
        }
        LOG.info(
                "executed {} ({} runs) in {} ms [correlation {}]",
                request.language(),
                request.runs().size(),
                (System.nanoTime() - start) / 1_000_000,
                MDC.get(CORRELATION_MDC_KEY));
        return result;
    }

    /** Checks and runs an interaction request: a test counts as a run. */
    private InteractionResult interact(SandboxedExecutor executor, InteractionRequest request) throws Refusal {
        if (request.tests().size() > limits.maxRuns()) {
            throw new Refusal(400, "tests must not contain more than " + limits.maxRuns() + " tests");
        }
        long start = System.nanoTime();
        InteractionResult result;
        try {
            result = executor.interact(request);
        } catch (InvalidRequestException e) {
            throw new Refusal(400, e.getMessage());
        }
        LOG.info(
                "interacted {} with a {} validator ({} tests) in {} ms [correlation {}]",
                request.submission().language(),
                request.validator().language(),
                request.tests().size(),
                (System.nanoTime() - start) / 1_000_000,
                MDC.get(CORRELATION_MDC_KEY));
        return result;
    }

    /** A client's mistake, to answer with {@code status} and the message. */
    private static final class Refusal extends Exception {

        final int status;
        /** Whether the body was left before its end, so that the connection cannot serve another request. */
        final boolean bodyUnread;

        Refusal(int status, String message) {
            this(status, message, false);
        }

        Refusal(int status, String message, boolean bodyUnread) {
            super(message, null, false, false);
            this.status = status;
            this.bodyUnread = bodyUnread;
        }
    }

    /**
     * Says {@code Connection: close} in the answer: the JDK server closes a connection whose
     * request body was not read to its end after answering, and a client that was not told would
     * send its next request on it.
     */
    private static void closeAfter(HttpExchange exchange) {
        exchange.getResponseHeaders().set("Connection", "close");
    }

    private <T> T read(HttpExchange exchange, Class<T> type) throws Refusal {
        byte[] body;
        try {
            body = exchange.getRequestBody().readNBytes((int) limits.maxBodyBytes() + 1);
        } catch (IOException | IndexOutOfBoundsException e) {
            // A bad chunk header, or a connection closed mid-body (then the answer is not read).
            // IndexOutOfBoundsException: the JDK's chunked decoder reads a chunk length of 2^31 or more as negative.
            // Closed here, as broken, so that sending the answer does not drain it (and fail again).
            try {
                exchange.getRequestBody().close();
            } catch (IOException | RuntimeException broken) {
                LOG.debug("the broken request body could not be drained", broken);
            }
            throw new Refusal(
                    400,
                    "request body could not be read: "
                            + (e instanceof IndexOutOfBoundsException
                                    ? "invalid chunk length"
                                    : e.getMessage() != null ? e.getMessage() : "the connection was closed"),
                    true);
        }
        if (body.length > limits.maxBodyBytes()) {
            throw new Refusal(413, bodyTooLarge(), true);
        }
        T request;
        try {
            request = reader.readValue(body, type);
        } catch (JacksonException e) {
            throw new Refusal(400, describe(e));
        }
        if (request == null) {
            throw new Refusal(400, "request body is not a valid execution request: it is null, not an object");
        }
        return request;
    }

    private String bodyTooLarge() {
        return "request body must not exceed " + limits.maxBodyBytes() + " bytes";
    }

    /** The body's declared length; -1 when it is not declared (chunked). The JDK server has checked the header. */
    private static long declaredLength(HttpExchange exchange) {
        String value = exchange.getRequestHeaders().getFirst("Content-Length");
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A client's mistake: logged as a warning (the pool is the only client, so it is news) and answered. */
    private static void refuse(HttpExchange exchange, int status, String message) throws IOException {
        LOG.warn(
                "refused {} {} with {}: {} [correlation {}]",
                exchange.getRequestMethod(),
                exchange.getRequestURI().getPath(),
                status,
                message,
                MDC.get(CORRELATION_MDC_KEY));
        respond(exchange, status, Map.of("error", message));
    }

    /**
     * What was wrong with a body the reader refused, in words and with the JSON path where it
     * applies, never with a stack trace.
     */
    static String describe(JacksonException e) {
        String path = path(e);
        String at = path.isEmpty() ? "" : " (at " + path + ")";
        if (e instanceof StreamConstraintsException) {
            return "request body is past a limit of the JSON reader: " + e.getOriginalMessage();
        }
        if (e instanceof StreamReadException && !(e instanceof InputCoercionException)) {
            TokenStreamLocation location = e.getLocation();
            String where = location == null || location.getLineNr() < 1
                    ? ""
                    : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
            return "request body is not valid JSON: " + e.getOriginalMessage() + where;
        }
        Throwable cause = e.getCause();
        if (cause instanceof InvalidRequestException invalid) {
            return invalid.getMessage() + at;
        }
        if (cause instanceof NullPointerException npe) {
            // The records' constructors: Objects.requireNonNull(value, "name"), or a null in a list or map.
            String name = npe.getMessage();
            return "request body is not a valid execution request: "
                    + (name != null && name.matches("[a-z][A-Za-z]*")
                            ? name + " is required"
                            : "a required value is missing or null")
                    + at;
        }
        // Jackson's advice on its own configuration is no help to the caller.
        String message = e.getOriginalMessage()
                .replaceFirst(" \\(but could if coercion was enabled using `CoercionConfig`\\)", "");
        return "request body is not a valid execution request: " + message + at;
    }

    /** {@code runLimits.cpuTime}, {@code files[2].content}: where in the body the reader was. */
    private static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /**
     * {@link Json}'s form (record components, unknown properties ignored), read under the
     * request limits and without the lenient conversions that could change what a limit says: a
     * fraction is not truncated to a whole number of bytes, and a duration is an ISO-8601 string
     * (what {@link Json} writes), never a number of seconds that could wrap around.
     */
    private static JsonMapper reader(RequestLimits limits) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_JSON_DEPTH)
                        .maxStringLength((int) limits.maxBodyBytes())
                        .maxTokenCount(Math.max(MIN_JSON_TOKENS, 16L * limits.maxRuns()))
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        return JsonMapper.builder(factory)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .changeDefaultVisibility(v -> v.withIsGetterVisibility(JsonAutoDetect.Visibility.NONE))
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .addModule(new SimpleModule("session-request").addDeserializer(Duration.class, new IsoDuration()))
                .build();
    }

    /** A duration as ISO-8601 text ({@code PT3S}) whose milliseconds fit a long; nothing else. */
    private static final class IsoDuration extends StdDeserializer<Duration> {

        IsoDuration() {
            super(Duration.class);
        }

        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                return ctxt.reportInputMismatch(this, "a duration must be an ISO-8601 string such as \"PT3S\"");
            }
            String text = p.getString();
            String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
            Duration value;
            try {
                value = Duration.parse(text);
            } catch (java.time.format.DateTimeParseException e) {
                return ctxt.reportInputMismatch(this, "\"%s\" is not an ISO-8601 duration such as \"PT3S\"", shown);
            }
            try {
                value.toMillis();
            } catch (ArithmeticException e) {
                return ctxt.reportInputMismatch(this, "\"%s\" is longer than a duration can be in milliseconds", shown);
            }
            return value;
        }
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    /** {@code method} null: any method (the catch-all 404). */
    private void handle(HttpExchange exchange, String method, Handler handler) throws IOException {
        String correlationId = exchange.getRequestHeaders().getFirst(CORRELATION_HEADER);
        if (correlationId != null && SANE_ID.matcher(correlationId).matches()) {
            MDC.put(CORRELATION_MDC_KEY, correlationId);
        }
        try {
            String context = exchange.getHttpContext().getPath();
            boolean served = method != null
                    && exchange.getRequestURI().getPath().equals(context)
                    && exchange.getRequestMethod().equals(method);
            boolean body =
                    exchange.getRequestHeaders().containsKey("Transfer-Encoding") || declaredLength(exchange) > 0;
            if (body && !(served && method.equals("POST"))) {
                closeAfter(exchange); // a body nobody reads
            }
            if (method == null) {
                handler.handle(exchange);
            } else if (!exchange.getRequestURI().getPath().equals(context)) {
                notFound(exchange);
            } else if (!exchange.getRequestMethod().equals(method)) {
                exchange.getResponseHeaders().set("Allow", method);
                respond(exchange, 405, Map.of("error", context + " accepts " + method + " only"));
            } else {
                handler.handle(exchange);
            }
        } catch (RuntimeException e) {
            LOG.error(
                    "request {} {} failed",
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    e);
            respondQuietly(exchange);
        } finally {
            MDC.remove(CORRELATION_MDC_KEY);
            exchange.close();
            if (afterAnswer != null && oneAnswer.compareAndSet(exchange, null)) {
                // After the close: the answer has been handed to the connection.
                Thread.ofPlatform().name("after-answer").start(afterAnswer);
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, Object value) throws IOException {
        byte[] json = Json.write(value).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, json.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(json);
        }
    }

    /**
     * A result, streamed (chunked): one with many runs' outputs is not copied into a string and
     * then into bytes before it is sent.
     */
    private static void respondStreaming(HttpExchange exchange, Object value) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            Json.mapper().writeValue(out, value);
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
