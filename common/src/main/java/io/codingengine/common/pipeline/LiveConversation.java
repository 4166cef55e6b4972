package io.codingengine.common.pipeline;

import io.codingengine.common.audit.AuditEntry;
import io.codingengine.common.execution.Conversation;
import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.Executor;
import io.codingengine.common.execution.ExecutorBusyException;
import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.execution.StageResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live run on an executor, wherever the executor is (a worker's, or the api's own with
 * {@code execution=local}): what the executor tells becomes {@link LiveMessage.Event}s, in order,
 * ending with {@link LiveMessage.Ended}; the client's {@link LiveMessage.Control}s become the
 * program's input. A client that hangs up has the program killed.
 *
 * <p>Output is gathered for {@link #OUTPUT_WINDOW} into one {@link LiveMessage.Output}: a program
 * that writes a byte at a time (each a frame of the relay) would otherwise cost a broker message
 * per byte, up to its output limit, for every run an attacker starts. A person reading sees no
 * delay.
 */
public final class LiveConversation implements Conversation {

    private static final Logger LOG = LoggerFactory.getLogger(LiveConversation.class);
    private static final int SIGKILL = 9;
    private static final Duration OUTPUT_WINDOW = Duration.ofMillis(20);
    static final int MAX_QUEUED_INPUTS = 10_000;
    private static final Duration KILL_AGAIN = Duration.ofMillis(100);
    static final long MAX_QUEUED_BYTES = 16L << 20;
    /** One platform thread for every live run's output window. */
    private static final ScheduledExecutorService WINDOWS = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("live-output-window").factory());

    private final Consumer<LiveMessage.Event> events;
    private final Duration idleLimit;
    /**
     * Input the program has not taken yet, at most {@link #MAX_QUEUED_INPUTS} entries and
     * {@link #MAX_QUEUED_BYTES}: the api holds each connection to fewer messages and bytes, and a
     * backlog past these ends the run rather than the worker's memory.
     */
    private final BlockingQueue<Input> inputs = new LinkedBlockingQueue<>(MAX_QUEUED_INPUTS + 1);

    private final java.util.concurrent.atomic.AtomicLong queuedBytes = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicBoolean overflowed =
            new java.util.concurrent.atomic.AtomicBoolean();
    /** The client hung up (or the backlog overflowed): every take is a kill from then on. */
    private volatile boolean killed;
    /** Output of the current window, not yet told; guarded by this. */
    private final List<LiveMessage.Chunk> window = new ArrayList<>();

    /** @param events told in order, from the executor's thread or the output window's */
    public LiveConversation(Consumer<LiveMessage.Event> events, Duration idleLimit) {
        this.events = events;
        this.idleLimit = idleLimit;
    }

    /** How the run went, for the audit entry and metrics. */
    public record Outcome(ExecutionResult result, String status) {}

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
            tell(new LiveMessage.Failed(e.getMessage()));
            outcome = new Outcome(null, "INVALID");
        } catch (UnsupportedOperationException e) {
            tell(new LiveMessage.Failed(e.getMessage()));
            outcome = new Outcome(null, "ERROR");
        } catch (ExecutorBusyException e) {
            tell(new LiveMessage.Failed("no room to run this now, try again"));
            outcome = new Outcome(null, "BUSY");
        } catch (RuntimeException e) {
            // The cause stays in the log: it may name the engine's own paths.
            LOG.error("a live run failed", e);
            tell(new LiveMessage.Failed("internal error"));
            outcome = new Outcome(null, "ERROR");
        }
        tell(new LiveMessage.Ended());
        return outcome;
    }

    /**
     * The client's control, from any thread: queued for the program, never blocking. Past the
     * backlog's bounds the program is killed and the client told why; a hang-up always gets through.
     */
    public void control(LiveMessage.Control control) {
        Input input = switch (control) {
            case LiveMessage.Stdin stdin -> new Input.Stdin(stdin.text().getBytes(StandardCharsets.UTF_8));
            case LiveMessage.EndOfInput end -> new Input.EndOfInput();
            case LiveMessage.Signal signal -> new Input.Signal(signal.number());
            case LiveMessage.HangUp hangUp -> new Input.Signal(SIGKILL);
        };
        if (control instanceof LiveMessage.HangUp) {
            killed = true;
        }
        if (overflowed.get()) {
            return;
        }
        long bytes = input instanceof Input.Stdin stdin ? stdin.bytes().length : 0;
        if (inputs.size() >= MAX_QUEUED_INPUTS
                || queuedBytes.addAndGet(bytes) > MAX_QUEUED_BYTES
                || !inputs.offer(input)) {
            if (overflowed.compareAndSet(false, true)) {
                killed = true;
                inputs.clear();
                inputs.offer(new Input.Signal(SIGKILL));
                tell(new LiveMessage.Failed("the program's unread input passed " + MAX_QUEUED_INPUTS + " messages or "
                        + (MAX_QUEUED_BYTES >> 20) + " MiB: it was stopped"));
            }
        }
    }

    @Override
    public void started(String language, String version) {
        tell(new LiveMessage.Started(language, version));
    }

    @Override
    public void stage(Stage stage) {
        tell(new LiveMessage.StageBegan(stage));
    }

    /** Into the current window (the first output opens one); a chunk of the same stream as the last grows it. */
    @Override
    public synchronized void output(Stream stream, String text) {
        if (window.isEmpty()) {
            WINDOWS.schedule(this::flush, OUTPUT_WINDOW.toMillis(), TimeUnit.MILLISECONDS);
        }
        int last = window.size() - 1;
        if (last >= 0 && window.get(last).stream() == stream) {
            window.set(last, new LiveMessage.Chunk(stream, window.get(last).text() + text));
        } else {
            window.add(new LiveMessage.Chunk(stream, text));
        }
    }

    @Override
    public void exit(Stage stage, StageResult result) {
        tell(new LiveMessage.Exit(stage, result));
    }

    /** Any other event: the output before it first. */
    private synchronized void tell(LiveMessage.Event event) {
        flush();
        events.accept(event);
    }

    private synchronized void flush() {
        if (!window.isEmpty()) {
            events.accept(new LiveMessage.Output(window));
            window.clear();
        }
    }

    @Override
    public Input next(Duration wait) throws InterruptedException {
        if (killed) {
            // A kill that came before the program was there (a client that hung up during its
            // init, or while the run was still being set up) reached no process: it is sent again
            // until the run is over.
            Thread.sleep(Math.min(wait.toMillis(), KILL_AGAIN.toMillis()));
            return new Input.Signal(SIGKILL);
        }
        Input input = inputs.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (input instanceof Input.Stdin stdin) {
            queuedBytes.addAndGet(-stdin.bytes().length);
        }
        return input;
    }

    @Override
    public Duration idleLimit() {
        return idleLimit;
    }
}
