package io.codingengine.common.pipeline;

import io.codingengine.common.audit.AuditEntry;
import io.codingengine.common.execution.Conversation;
import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.Executor;
import io.codingengine.common.execution.ExecutorBusyException;
import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.execution.StageResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One live run on an executor, wherever the executor is (a worker's, or the api's own with
 * {@code execution=local}): what the executor tells becomes {@link LiveMessage.Event}s, in order,
 * ending with {@link LiveMessage.Ended}; the client's {@link LiveMessage.Control}s become the
 * program's input. A client that hangs up has the program killed.
 */
public final class LiveConversation implements Conversation {

    private static final Logger LOG = LoggerFactory.getLogger(LiveConversation.class);
    private static final int SIGKILL = 9;

    private final Consumer<LiveMessage.Event> events;
    private final Duration idleLimit;
    /** Bounded by the api, which refuses stdin past its limit. */
    private final BlockingQueue<Input> inputs = new LinkedBlockingQueue<>();

    /** @param events told in order, from the executor's thread */
    public LiveConversation(Consumer<LiveMessage.Event> events, Duration idleLimit) {
        this.events = events;
        this.idleLimit = idleLimit;
    }

    /** How the run went, for the audit entry and metrics. */
    public record Outcome(ExecutionResult result, String status) {
    }

    /**
     * Runs {@code request} live and tells its end: {@link LiveMessage.Failed} with a message for
     * the client when it could not run or the engine failed, then {@link LiveMessage.Ended}.
     *
     * @return the result (null when nothing ran) and the audit status: the result's
     *         ({@link AuditEntry#executeStatus}), {@code INVALID}, {@code BUSY} or {@code ERROR}
     */
    public Outcome run(Executor executor, ExecutionRequest request) {
        Outcome outcome;
        try {
            ExecutionResult result = executor.converse(request, this);
            outcome = new Outcome(result, AuditEntry.executeStatus(result));
        } catch (InvalidRequestException e) {
            events.accept(new LiveMessage.Failed(e.getMessage()));
            outcome = new Outcome(null, "INVALID");
        } catch (UnsupportedOperationException e) {
            events.accept(new LiveMessage.Failed(e.getMessage()));
            outcome = new Outcome(null, "ERROR");
        } catch (ExecutorBusyException e) {
            events.accept(new LiveMessage.Failed("no room to run this now, try again"));
            outcome = new Outcome(null, "BUSY");
        } catch (RuntimeException e) {
            // The cause stays in the log: it may name the engine's own paths.
            LOG.error("a live run failed", e);
            events.accept(new LiveMessage.Failed("internal error"));
            outcome = new Outcome(null, "ERROR");
        }
        events.accept(new LiveMessage.Ended());
        return outcome;
    }

    /** The client's control, from any thread: queued for the program, never blocking. */
    public void control(LiveMessage.Control control) {
        inputs.add(switch (control) {
            case LiveMessage.Stdin stdin -> new Input.Stdin(stdin.text().getBytes(StandardCharsets.UTF_8));
            case LiveMessage.EndOfInput end -> new Input.EndOfInput();
            case LiveMessage.Signal signal -> new Input.Signal(signal.number());
            case LiveMessage.HangUp hangUp -> new Input.Signal(SIGKILL);
        });
    }

    @Override
    public void started(String language, String version) {
        events.accept(new LiveMessage.Started(language, version));
    }

    @Override
    public void stage(Stage stage) {
        events.accept(new LiveMessage.StageBegan(stage));
    }

    @Override
    public void output(Stream stream, String text) {
        events.accept(new LiveMessage.Output(stream, text));
    }

    @Override
    public void exit(Stage stage, StageResult result) {
        events.accept(new LiveMessage.Exit(stage, result));
    }

    @Override
    public Input next(Duration wait) throws InterruptedException {
        return inputs.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public Duration idleLimit() {
        return idleLimit;
    }
}
