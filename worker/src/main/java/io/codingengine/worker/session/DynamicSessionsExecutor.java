package io.codingengine.worker.session;

import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.Executor;
import io.codingengine.common.execution.InteractionRequest;
import io.codingengine.common.execution.InteractionResult;
import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.execution.RequestTooLargeException;
import io.codingengine.common.execution.RuntimeInfo;
import io.codingengine.common.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

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
 * <p>A busy pool (429, 503) or a network failure is retried here, honouring {@code Retry-After},
 * up to {@link DynamicSessionsSettings#patience()}: waiting in place keeps the queue message
 * (its lock is renewed by the worker) instead of burning a delivery.
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

    private final DynamicSessionsSettings settings;
    private final TokenProvider tokens;
    private final HttpClient http;
    private volatile List<RuntimeInfo> runtimes;

    public DynamicSessionsExecutor(DynamicSessionsSettings settings, TokenProvider tokens) {
        this.settings = settings;
        this.tokens = tokens;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
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
            runtimes = List.of(call("GET", "/runtimes", HttpRequest.BodyPublishers.noBody()).read(RuntimeInfo[].class));
        }
        return runtimes;
    }

    @Override
    public int capacity() {
        return settings.capacity();
    }

    private Answer call(String method, String path, HttpRequest.BodyPublisher body) {
        Instant deadline = Instant.now().plus(settings.patience());
        Duration backoff = settings.firstBackoff();
        String correlationId = MDC.get(CORRELATION_MDC_KEY);
        for (int attempt = 1; ; attempt++) {
            String identifier = UUID.randomUUID().toString();
            URI uri = URI.create(settings.endpoint() + path + "?identifier=" + identifier);
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri).method(method, body)
                    .timeout(settings.requestTimeout())
                    .header("Authorization", "Bearer " + tokens.token())
                    .header("Content-Type", "application/json");
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
                    case 429, 503 -> {
                        text(response);
                        wait = retryAfter(response).orElse(backoff);
                        problem = "HTTP " + status;
                    }
                    default -> throw new SessionPoolException("the session pool answered HTTP " + status + " to "
                            + method + " " + path + ": " + abbreviate(text(response)));
                }
            } catch (IOException e) {
                wait = backoff;
                problem = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SessionPoolException("interrupted while calling the session pool", e);
            }
            if (Instant.now().plus(wait).isAfter(deadline)) {
                throw new SessionPoolException("the session pool stayed unavailable for " + settings.patience()
                        + " (" + attempt + " attempts, last: " + problem + ")");
            }
            LOG.warn("session pool {} {}: {}; attempt {} retries in {} ms", method, path, problem, attempt + 1, wait.toMillis());
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
                    Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
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
