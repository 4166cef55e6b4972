package io.codingengine.api.execution;

import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.execution.RuntimeInfo;
import io.codingengine.common.json.Json;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.pipeline.LiveMessage;
import io.codingengine.common.pipeline.ReplyChannel;
import io.codingengine.common.pipeline.WorkItem;
import io.codingengine.common.queue.Lane;
import io.codingengine.common.queue.SubmissionQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/**
 * Piston's synchronous execute through the pipeline: the request goes on the interactive lane
 * (served before contest submissions and regrades) and this thread waits for the worker's reply,
 * which arrives on this process's reply channel the moment the run ends. Background work goes on
 * the regrade lane, served only when there is no other. A live run goes on the interactive lane
 * and talks with its worker over the reply channels ({@link QueuedLiveRun}).
 */
public final class QueueExecutionService implements ExecutionService {

    private final SubmissionQueue queue;
    private final ReplyChannel replies;
    private final List<RuntimeInfo> runtimes;
    private final Duration timeout;

    public QueueExecutionService(
            SubmissionQueue queue, ReplyChannel replies, List<RuntimeInfo> runtimes, Duration timeout) {
        this.queue = queue;
        this.replies = replies;
        this.runtimes = List.copyOf(runtimes);
        this.timeout = timeout;
    }

    @Override
    public ExecutionResult execute(ExecutionRequest request, String caller) {
        Instant now = Instant.now();
        return run(request, caller, Lane.INTERACTIVE, now.plus(timeout), timeout);
    }

    @Override
    public ExecutionResult executeInBackground(
            ExecutionRequest request, String caller, Instant startBy, Instant answerBy) {
        Duration wait = Duration.between(Instant.now(), answerBy);
        if (wait.isNegative() || wait.isZero()) {
            throw new BusyException("no time left to run it", Duration.ofSeconds(5));
        }
        return run(request, caller, Lane.REGRADE, startBy, wait);
    }

    @Override
    public Judgement judgeInBackground(
            Submission submission,
            Duration timeLimit,
            long memoryBytes,
            long outputBytes,
            String caller,
            Instant startBy,
            Instant answerBy) {
        Duration wait = Duration.between(Instant.now(), answerBy);
        if (wait.isNegative() || wait.isZero()) {
            throw new BusyException("no time left to run it", Duration.ofSeconds(5));
        }
        return ask(
                Lane.REGRADE,
                wait,
                id -> new WorkItem.Calibrate(
                        id,
                        replies.address(),
                        submission,
                        timeLimit,
                        memoryBytes,
                        outputBytes,
                        startBy,
                        Instant.now(),
                        caller,
                        org.slf4j.MDC.get(io.codingengine.api.web.CorrelationIdFilter.MDC_KEY)),
                Judgement.class);
    }

    /** Sends the request on {@code lane}, to be started by {@code deadline}, and waits {@code wait} for the answer. */
    private ExecutionResult run(ExecutionRequest request, String caller, Lane lane, Instant deadline, Duration wait) {
        return ask(
                lane,
                wait,
                id -> new WorkItem.Execute(
                        id,
                        replies.address(),
                        request,
                        deadline,
                        Instant.now(),
                        caller,
                        org.slf4j.MDC.get(io.codingengine.api.web.CorrelationIdFilter.MDC_KEY)),
                ExecutionResult.class);
    }

    /**
     * Sends the work {@code item} makes of a new request id on {@code lane} and waits {@code wait}
     * for the worker's answer: the result, or its refusal ({@code error}) or failure
     * ({@code internalError}) as exceptions.
     */
    private <T> T ask(Lane lane, Duration wait, Function<String, WorkItem> item, Class<T> type) {
        String id = UUID.randomUUID().toString();
        var reply = replies.expect(id, wait);
        String body = WorkItem.toJson(item.apply(id));
        try {
            queue.sendTransient(lane, id, body);
        } catch (IllegalArgumentException tooLarge) {
            reply.cancel(false);
            throw new InvalidRequestException("the request is too large to queue: " + tooLarge.getMessage());
        }
        String answer;
        try {
            answer = reply.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException) {
                throw new BusyException("no worker answered within " + wait.toSeconds() + " s", Duration.ofSeconds(5));
            }
            throw new IllegalStateException("waiting for the worker failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the worker", e);
        }
        return readAnswer(answer, type);
    }

    /**
     * The worker's answer ({@code SynchronousRuns}): {@code {"error": ...}} (the request cannot run),
     * {@code {"internalError": ...}}, each its only field, or the result. The first field name
     * tells them apart, so a result is read once, straight into its record, not into a tree first.
     */
    static ExecutionResult readAnswer(String answer) {
        return readAnswer(answer, ExecutionResult.class);
    }

    private static <T> T readAnswer(String answer, Class<T> type) {
        String first;
        try (JsonParser parser = Json.mapper().createParser(answer)) {
            first = parser.nextToken() == JsonToken.START_OBJECT ? parser.nextName() : null;
        }
        if ("error".equals(first) || "internalError".equals(first)) {
            JsonNode tree = Json.mapper().readTree(answer);
            if (tree.has("error")) {
                throw new InvalidRequestException(tree.get("error").asString());
            }
            throw new IllegalStateException(
                    "the worker failed: " + tree.get("internalError").asString());
        }
        return Json.mapper().readValue(answer, type);
    }

    /**
     * A {@link WorkItem.Converse} on the interactive lane, as an execute goes; its deadline and
     * the patience with its worker are the execute timeout.
     */
    @Override
    public Consumer<LiveMessage.Control> converse(
            ExecutionRequest request, String caller, Duration idleLimit, Consumer<LiveMessage.Event> events) {
        String id = UUID.randomUUID().toString();
        QueuedLiveRun run = new QueuedLiveRun(id, replies, events, timeout);
        run.listen();
        Instant now = Instant.now();
        String body = WorkItem.toJson(new WorkItem.Converse(
                id,
                replies.address(),
                request,
                now.plus(timeout),
                now,
                caller,
                org.slf4j.MDC.get(io.codingengine.api.web.CorrelationIdFilter.MDC_KEY),
                idleLimit));
        try {
            queue.sendTransient(Lane.INTERACTIVE, id, body);
        } catch (IllegalArgumentException tooLarge) {
            run.cancel();
            throw new InvalidRequestException("the request is too large to queue: " + tooLarge.getMessage());
        } catch (RuntimeException e) {
            run.cancel();
            throw e;
        }
        return run::control;
    }

    @Override
    public List<RuntimeInfo> runtimes() {
        return runtimes;
    }
}
