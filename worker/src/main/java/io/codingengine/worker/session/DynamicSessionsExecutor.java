package io.codingengine.worker.session;

import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.Executor;
import io.codingengine.common.execution.ExecutorBusyException;
import io.codingengine.common.execution.InteractionRequest;
import io.codingengine.common.execution.InteractionResult;
import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.execution.RequestTooLargeException;
import io.codingengine.common.execution.RuntimeInfo;
import io.codingengine.common.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.databind.JsonNode;

/**
 * The executor port over an Azure Container Apps Dynamic Sessions pool of custom containers
 * running the session image ({@code io.codingengine.session.SessionServer}). A request goes
 * to {@code <endpoint>/execute?identifier=<id>} with a bearer token for
 * {@code https://dynamicsessions.io}; the pool allocates a session for an unknown identifier and
 * forwards the path to the container's target port. Each attempt uses a fresh random identifier,
 * so no session ever serves two submissions (nor a retry a session that may be broken); the
 * result's {@link ExecutionResult#session() session} is {@code dynamic-sessions:<identifier>} of the
 * attempt that answered. The caller's correlation id (the {@code correlationId} of its log MDC)
 * goes along as {@code X-Correlation-Id}, which the session server logs with.
 *
 * <p>Back-pressure is retried here with exponential back-off, honouring {@code Retry-After}, up
 * to {@link DynamicSessionsSettings#patience()}, and then reported as an
 * {@link ExecutorBusyException}, on which the worker keeps waiting with the message it holds (its
 * lock renewed) instead of burning a delivery. Back-pressure is:
 * <ul>
 *   <li>404 from the pool gateway: the pool has no session left to allocate ("Requests that come
 *       in after the max limit is met are returned a 404 server error", Microsoft Learn, "Use
 *       session pools in Azure Container Apps", Configuration). It is told from the session
 *       server's own 404 (a path the server does not serve, a deployment mistake that fails at
 *       once) by the body: the server's carries {@code "server": "coding-engine-session"};
 *   <li>429 and 503 (throttled, or a session that already answered its one request), 502 and 504
 *       (the gateway could not reach or wait for the session's container);
 *   <li>no connection to the gateway at all.
 * </ul>
 */
public final class DynamicSessionsExecutor implements Executor {

    /** The built-in role the caller's identity needs on the pool. */
    public static final String SESSION_EXECUTOR_ROLE = "Azure ContainerApps Session Executor";

    private static final Logger LOG = LoggerFactory.getLogger(DynamicSessionsExecutor.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    static final String CORRELATION_HEADER = "X-Correlation-Id";
    private static final String CORRELATION_MDC_KEY = "correlationId";
    /** What is read of an error answer's body. */
    private static final int ERROR_BODY_BYTES = 64 * 1024;
    /** The {@code server} of the session server's own 404 body (session-image's {@code SessionServer.SERVER_MARK}). */
    static final String SESSION_SERVER_MARK = "coding-engine-session";

    private final DynamicSessionsSettings settings;
    private final TokenProvider tokens;
    private final HttpClient http;
    private volatile List<RuntimeInfo> runtimes;

    public DynamicSessionsExecutor(DynamicSessionsSettings settings, TokenProvider tokens) {
        this.settings = settings;
        this.tokens = tokens;
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Override
    public ExecutionResult execute(ExecutionRequest request) {
        Answer answer = call("POST", "/execute", HttpRequest.BodyPublishers.ofString(Json.write(request)));
        return answer.read(ExecutionResult.class).withSession("dynamic-sessions:" + answer.identifier());
    }

    /**
     * An interactive or multi-pass problem's tests in one session: the submission and its output
     * validator in two boxes of that session's sandbox ({@code POST /interact}).
     */
    @Override
    public InteractionResult interact(InteractionRequest request) {
        Answer answer = call("POST", "/interact", HttpRequest.BodyPublishers.ofString(Json.write(request)));
        return answer.read(InteractionResult.class).withSession("dynamic-sessions:" + answer.identifier());
    }

    /** A session's 200 answer, its body not read yet, and the identifier of the session that gave it. */
    private record Answer(HttpResponse<InputStream> response, String identifier) {

        /**
         * The body, parsed as it arrives: the runs' outputs of a judging's call are held once, as
         * the result's strings, not also as the raw body and a string of it (the judge's output
         * budget counts them once).
         */
        <T> T read(Class<T> type) {
            try (InputStream in = response.body()) {
                return Json.mapper().readValue(in, type);
            } catch (IOException e) {
                throw new SessionPoolException("cannot read the session pool's answer", e);
            }
        }
    }

    /** Asked of one session once: every session runs the same image. */
    @Override
    public List<RuntimeInfo> runtimes() {
        if (runtimes == null) {
            runtimes = List.of(call("GET", "/runtimes", HttpRequest.BodyPublishers.noBody())
                    .read(RuntimeInfo[].class));
        }
        return runtimes;
    }

    @Override
    public int capacity() {
        return settings.capacity();
    }

    /**
     * Requests kept for the interactive lane: the worker's receivers of that lane alone send them,
     * each to a session of its own, so a Run is sent to the pool while every judging request is
     * out. The pool's sessions are shared, so its {@code maxConcurrentSessions} should cover
     * {@code capacity + interactiveCapacity} of every worker.
     */
    @Override
    public int interactiveCapacity() {
        return settings.interactiveCapacity();
    }

    private Answer call(String method, String path, HttpRequest.BodyPublisher body) {
        Instant deadline = Instant.now().plus(settings.patience());
        Duration backoff = settings.firstBackoff();
        String correlationId = MDC.get(CORRELATION_MDC_KEY);
        for (int attempt = 1; ; attempt++) {
            String identifier = UUID.randomUUID().toString();
            URI uri = URI.create(settings.endpoint() + path + "?identifier=" + identifier);
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                    .method(method, body)
                    .timeout(settings.requestTimeout())
                    .header("Content-Type", "application/json");
            String token = tokens.token();
            if (token != null) { // null: TokenProviders.NONE, docker-compose's session container
                builder.header("Authorization", "Bearer " + token);
            }
            if (correlationId != null) {
                builder.header(CORRELATION_HEADER, correlationId);
            }
            HttpRequest request = builder.build();
            Duration wait;
            String problem;
            try {
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                int status = response.statusCode();
                switch (status) {
                    case 200 -> {
                        return new Answer(response, identifier);
                    }
                    case 400 -> throw new InvalidRequestException(errorOf(text(response)));
                    case 413 -> throw new RequestTooLargeException(errorOf(text(response)));
                    case 401, 403 -> {
                        text(response);
                        throw new SessionPoolException("the session pool " + settings.endpoint()
                                + " refused the worker's identity (HTTP " + status + "): assign it the role \""
                                + SESSION_EXECUTOR_ROLE + "\" on the session pool (infra/ does this on deployment)");
                    }
                    case 404 -> {
                        String text = text(response);
                        if (fromSessionServer(text)) {
                            throw new SessionPoolException(
                                    "the session server has no " + method + " " + path
                                            + " (HTTP 404 from the session itself): the pool runs another image than this worker expects");
                        }
                        wait = retryAfter(response).orElse(backoff);
                        problem = "HTTP 404 from the pool gateway, not the session: no session left to allocate ("
                                + abbreviate(text) + ")";
                    }
                    case 429, 502, 503, 504 -> {
                        text(response);
                        wait = retryAfter(response).orElse(backoff);
                        problem = "HTTP " + status;
                    }
                    default ->
                        throw new SessionPoolException("the session pool answered HTTP " + status + " to " + method
                                + " " + path + ": " + abbreviate(text(response)));
                }
            } catch (IOException e) {
                wait = backoff;
                problem = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SessionPoolException("interrupted while calling the session pool", e);
            }
            if (Instant.now().plus(wait).isAfter(deadline)) {
                throw new ExecutorBusyException(
                        "the session pool " + settings.endpoint() + " stayed busy or unreachable for "
                                + settings.patience() + " (" + attempt + " attempts, last: " + problem + ")");
            }
            LOG.warn(
                    "session pool {} {}: {}; attempt {} retries in {} ms",
                    method,
                    path,
                    problem,
                    attempt + 1,
                    wait.toMillis());
            sleep(jitter(wait));
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    /** {@code Retry-After} as delta-seconds or an HTTP date (RFC 9110 10.2.3). */
    static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(value -> {
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim()))));
            } catch (NumberFormatException notSeconds) {
                try {
                    Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                            .toInstant();
                    Duration d = Duration.between(Instant.now(), at);
                    return Optional.of(d.isNegative() ? Duration.ZERO : d);
                } catch (DateTimeParseException unusable) {
                    return Optional.empty();
                }
            }
        });
    }

    /** Up to a tenth more, so workers throttled together do not come back together. */
    private static Duration jitter(Duration wait) {
        return wait.plusMillis(ThreadLocalRandom.current().nextLong(wait.toMillis() / 10 + 1));
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SessionPoolException("interrupted while waiting for the session pool", e);
        }
    }

    /** The first {@value #ERROR_BODY_BYTES} bytes of an answer that is not a result, which is then closed. */
    private static String text(HttpResponse<InputStream> response) throws IOException {
        try (InputStream in = response.body()) {
            return new String(in.readNBytes(ERROR_BODY_BYTES), StandardCharsets.UTF_8);
        }
    }

    /** Whether a 404's body is the session server's own (a JSON object with its mark), not the gateway's. */
    static boolean fromSessionServer(String body) {
        try {
            JsonNode server = Json.mapper().readTree(body).get("server");
            return server != null && SESSION_SERVER_MARK.equals(server.asString());
        } catch (RuntimeException notJson) {
            return false;
        }
    }

    /** The session server's {@code {"error": ...}}, else the body as it came. */
    private static String errorOf(String body) {
        try {
            JsonNode error = Json.mapper().readTree(body).get("error");
            if (error != null && error.isString()) {
                return error.asString();
            }
        } catch (RuntimeException notJson) {
            // A 400 from the pool's own front end rather than from the session server.
        }
        return abbreviate(body);
    }

    private static String abbreviate(String body) {
        return body.length() > 500 ? body.substring(0, 500) + "…" : body;
    }
}
