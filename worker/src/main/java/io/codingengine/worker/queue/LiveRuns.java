package io.codingengine.worker.queue;

import io.codingengine.common.audit.AuditEntry;
import io.codingengine.common.execution.Executor;
import io.codingengine.common.pipeline.LiveConversation;
import io.codingengine.common.pipeline.LiveMessage;
import io.codingengine.common.pipeline.ReplyChannel;
import io.codingengine.common.pipeline.WorkItem;
import io.codingengine.common.queue.Delivery;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the live runs ({@link WorkItem.Converse}) a worker takes: the program stays in this
 * worker's sandbox, and what it does goes to the api that holds the client, as
 * {@link LiveMessage.Event}s on the reply channel; the client's input comes back on the run's own
 * address ({@link ReplyChannel#inbox}), which the first event ({@link LiveMessage.Attached})
 * names: one client's flood fills its run's queue only, never the input of this worker's other
 * runs. Audited as a Piston execute is.
 */
final class LiveRuns {

    private static final Logger LOG = LoggerFactory.getLogger(LiveRuns.class);
    /**
     * How often a live run tells its api that this worker is alive: the api ends the run for its
     * client after a few missed beats ({@code QueuedLiveRun}), instead of waiting its whole
     * patience (the execute timeout) when a worker dies or stops under a quiet program.
     */
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    /** One platform thread sends every live run's beats, whatever the slots' threads do. */
    private static final ScheduledExecutorService BEATS = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("live-run-heartbeat").factory());

    private final Executor executor;
    private final ReplyChannel replies;
    private final JudgingMetrics metrics;
    private final Clock clock;
    private final String workerId;
    private final Consumer<AuditEntry> audit;

    LiveRuns(
            Executor executor,
            ReplyChannel replies,
            JudgingMetrics metrics,
            Clock clock,
            String workerId,
            Consumer<AuditEntry> audit) {
        this.executor = executor;
        this.replies = replies;
        this.metrics = metrics;
        this.clock = clock;
        this.workerId = workerId;
        this.audit = audit;
    }

    void converse(Delivery delivery, WorkItem.Converse item) {
        if (clock.instant().isAfter(item.deadline())) {
            delivery.complete(); // the api told its client no worker answered
            return;
        }
        // Settled at once: a client that saw part of a run cannot be shown another one. A worker
        // that dies under it stops its heartbeat, and the api ends the connection.
        delivery.complete();
        metrics.queued(
                "interactive", "live run " + item.requestId(), Duration.between(item.enqueuedAt(), clock.instant()));
        Consumer<LiveMessage.Event> toApi = event -> send(item, event);
        LiveConversation.Outcome outcome;
        if (!replies.receives()) {
            toApi.accept(new LiveMessage.Failed("live runs are not available on this deployment"));
            toApi.accept(new LiveMessage.Ended());
            outcome = new LiveConversation.Outcome(null, "ERROR");
        } else {
            outcome = converse(item, toApi);
        }
        switch (outcome.status()) {
            case "BUSY" -> metrics.backPressure("execute");
            case "ERROR" -> metrics.sandboxFailure("execute");
            default -> {
                if (outcome.result() != null) {
                    metrics.executed(item.request().language(), outcome.result());
                }
            }
        }
        metrics.ran(item.request().language(), outcome.status());
        audit.accept(AuditEntry.execute(
                item.requestId(),
                item.caller(),
                item.enqueuedAt(),
                clock.instant(),
                item.request(),
                outcome.result(),
                outcome.status(),
                workerId,
                item.correlationId()));
    }

    /** The run with its inbox; one that cannot be opened (the broker failed) is the engine's error. */
    private LiveConversation.Outcome converse(WorkItem.Converse item, Consumer<LiveMessage.Event> toApi) {
        LiveConversation conversation = new LiveConversation(toApi, item.idleLimit());
        ReplyChannel.Inbox inbox;
        try {
            inbox = replies.inbox(item.requestId(), body -> control(item, conversation, body));
        } catch (RuntimeException e) {
            LOG.error("live run {}: no inbox for its input", item.requestId(), e);
            toApi.accept(new LiveMessage.Failed("internal error"));
            toApi.accept(new LiveMessage.Ended());
            return new LiveConversation.Outcome(null, "ERROR");
        }
        try (inbox) {
            toApi.accept(new LiveMessage.Attached(inbox.address(), HEARTBEAT.toMillis()));
            ScheduledFuture<?> beats = BEATS.scheduleAtFixedRate(
                    () -> beat(item), HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
            try {
                return conversation.run(executor, item.request());
            } finally {
                beats.cancel(false);
            }
        }
    }

    private void send(WorkItem.Converse item, LiveMessage.Event event) {
        try {
            replies.reply(item.replyTo(), item.requestId(), LiveMessage.toJson(event));
        } catch (RuntimeException e) {
            // The api (and its client) may be gone; the run ends at its limits all the same.
            LOG.warn(
                    "live run {}: cannot send {}: {}",
                    item.requestId(),
                    event.getClass().getSimpleName(),
                    e.toString());
        }
    }

    /** One heartbeat; one that cannot be sent is not logged: the run's own events say so. */
    private void beat(WorkItem.Converse item) {
        try {
            replies.reply(item.replyTo(), item.requestId(), LiveMessage.toJson(new LiveMessage.Alive()));
        } catch (RuntimeException e) {
            // the api is gone or the broker failed: the next event's send logs it
        }
    }

    /** A control from the client, on the reply channel's thread. */
    private static void control(WorkItem.Converse item, LiveConversation conversation, String body) {
        try {
            if (LiveMessage.fromJson(body) instanceof LiveMessage.Control control) {
                conversation.control(control);
                return;
            }
        } catch (RuntimeException e) {
            LOG.warn("live run {}: unreadable control: {}", item.requestId(), e.toString());
            return;
        }
        LOG.warn("live run {}: an event sent to the worker ignored", item.requestId());
    }
}
