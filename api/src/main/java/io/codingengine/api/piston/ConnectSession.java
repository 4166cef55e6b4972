package io.codingengine.api.piston;

import io.codingengine.common.json.Json;
import io.codingengine.common.pipeline.LiveMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import tools.jackson.databind.JsonNode;

/**
 * One client of {@code /api/v2/connect}: Piston's protocol on one WebSocket, and the live run it
 * starts. Messages are handled one at a time (the container's thread); the run's events come from
 * another thread and never wait for the client: they go to an outbox that a virtual thread of the
 * connection sends in order (socket writes, never process pipes), a close last.
 */
final class ConnectSession {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectSession.class);
    private static final int SIGKILL = 9;

    /** What starts a run for this client: checks and admits the init, or throws with a message for it. */
    @FunctionalInterface
    interface Starter {
        Consumer<LiveMessage.Control> start(JsonNode init, Consumer<LiveMessage.Event> events);
    }

    private sealed interface Outgoing {
        record Text(String json) implements Outgoing {}

        record Close(CloseStatus status) implements Outgoing {}
    }

    private final WebSocketSession socket;
    private final Starter starter;
    private final long maxStdinBytes;
    private final Budget budget;
    /** Bounded by the run's output limits: its events are all that comes besides a few of our own. */
    private final BlockingQueue<Outgoing> outbox = new LinkedBlockingQueue<>();

    private boolean initialized;
    private boolean closing;
    private Consumer<LiveMessage.Control> run;
    private boolean runEnded;
    private long stdinBytes;
    /** Messages after {@code init}, and the rate bucket they draw on (guarded by this). */
    private long messages;

    private double tokens;
    private long refilledAt;

    /**
     * What one connection may send after its {@code init}: every message (data of any size, even
     * empty, signals, {@code eof}, {@code kill}, types nobody knows) counts, so a flood of tiny
     * messages cannot pile up in the broker or the worker however few bytes it carries.
     */
    record Budget(long maxMessages, int messagesPerSecond) {}

    ConnectSession(WebSocketSession socket, Starter starter, long maxStdinBytes, Budget budget) {
        this.socket = socket;
        this.starter = starter;
        this.maxStdinBytes = maxStdinBytes;
        this.budget = budget;
        this.tokens = budget.messagesPerSecond();
        this.refilledAt = System.nanoTime();
        Thread.ofVirtual().name("connect-sender-" + socket.getId()).start(this::sendAll);
    }

    /**
     * A text message from the client, handled as Piston handles it. Controls go to the run
     * outside this object's lock: the run tells its events under its own lock, and takes this one.
     */
    void received(String payload) {
        JsonNode message;
        try {
            message = Json.mapper().readTree(payload);
        } catch (RuntimeException e) {
            fail("message is not valid JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
            hangUp();
            return;
        }
        if (!withinBudget(message)) {
            hangUp();
            return;
        }
        LiveMessage.Control control = switch (ConnectMessage.of(message)) {
            case ConnectMessage.Init init -> {
                init(init.body());
                yield null;
            }
            case ConnectMessage.Data data -> ready() ? stdin(data) : null;
            case ConnectMessage.Signal signal -> ready() ? signal(signal) : null;
            case ConnectMessage.Kill kill -> ready() ? new LiveMessage.Signal(SIGKILL) : null;
            case ConnectMessage.EndOfInput end -> ready() ? new LiveMessage.EndOfInput() : null;
            case ConnectMessage.Other other -> null; // Piston ignores a type it does not know
        };
        if (control != null) {
            Consumer<LiveMessage.Control> target = liveRun();
            if (target != null) {
                target.accept(control);
            }
        } else {
            hangUp();
        }
    }

    /** No {@code init} in time. */
    synchronized void initTimeout() {
        if (!initialized) {
            close(ConnectClose.INITIALIZATION_TIMEOUT);
        }
    }

    /** The connection closed, either way: a run still going is stopped. */
    void closed() {
        synchronized (this) {
            closing = true;
            outbox.add(new Outgoing.Close(CloseStatus.NORMAL));
        }
        hangUp();
    }

    private void init(JsonNode body) {
        synchronized (this) {
            if (initialized) {
                close(ConnectClose.ALREADY_INITIALIZED);
                return;
            }
            initialized = true;
        }
        try {
            Consumer<LiveMessage.Control> started = starter.start(body, this::event);
            synchronized (this) {
                run = started;
            }
            // The connection may have closed while the run was being admitted: closed() found
            // no run to hang up then, so it is hung up now.
            hangUp();
        } catch (ConnectRefused e) {
            fail(e.getMessage());
        }
    }

    /**
     * Counts a message after {@code init} against the connection's budget: past
     * {@code connect-max-messages} in all, or faster than {@code connect-messages-per-second}
     * (a bucket of one second's worth), the client gets an error event and 4002, and its run is
     * stopped.
     */
    private synchronized boolean withinBudget(JsonNode message) {
        if (!initialized || closing || message.path("type").asString("").equals("init")) {
            return true;
        }
        messages++;
        if (messages > budget.maxMessages()) {
            fail("too many messages: at most " + budget.maxMessages() + " after init");
            return false;
        }
        long now = System.nanoTime();
        tokens = Math.min(budget.messagesPerSecond(), tokens + (now - refilledAt) * budget.messagesPerSecond() / 1e9);
        refilledAt = now;
        if (tokens < 1) {
            fail("too many messages: at most " + budget.messagesPerSecond() + " a second");
            return false;
        }
        tokens--;
        return true;
    }

    /** Piston answers a message before {@code init} with 4003; after a close nothing goes on. */
    private synchronized boolean ready() {
        if (!initialized) {
            close(ConnectClose.NOT_YET_INITIALIZED);
        }
        return run != null && !closing;
    }

    private synchronized LiveMessage.Control stdin(ConnectMessage.Data data) {
        if (!"stdin".equals(data.stream())) {
            close(ConnectClose.CAN_ONLY_WRITE_TO_STDIN);
            return null;
        }
        if (data.data() == null || !data.data().isString()) {
            fail("data must be a string");
            return null;
        }
        String text = data.data().asString();
        stdinBytes += text.getBytes(StandardCharsets.UTF_8).length;
        if (stdinBytes > maxStdinBytes) {
            fail("stdin must not exceed " + maxStdinBytes + " bytes");
            return null;
        }
        return new LiveMessage.Stdin(text);
    }

    private synchronized LiveMessage.Control signal(ConnectMessage.Signal signal) {
        if (signal.number().isEmpty()) {
            close(ConnectClose.INVALID_SIGNAL);
            return null;
        }
        return new LiveMessage.Signal(signal.number().getAsInt());
    }

    /** The run, while it goes on. */
    private synchronized Consumer<LiveMessage.Control> liveRun() {
        return run != null && !runEnded ? run : null;
    }

    /** Once the connection is closing, a run still going is stopped (outside this object's lock). */
    private void hangUp() {
        Consumer<LiveMessage.Control> target;
        synchronized (this) {
            target = closing ? liveRun() : null;
        }
        if (target != null) {
            target.accept(new LiveMessage.HangUp());
        }
    }

    /** The run's event, from its thread. */
    private synchronized void event(LiveMessage.Event event) {
        switch (event) {
            case LiveMessage.Started started -> send(new ConnectEvent.Runtime(started.language(), started.version()));
            case LiveMessage.StageBegan stage -> send(new ConnectEvent.Stage(ConnectEvent.name(stage.stage())));
            case LiveMessage.Output output ->
                output.chunks()
                        .forEach(chunk -> send(new ConnectEvent.Data(ConnectEvent.name(chunk.stream()), chunk.text())));
            case LiveMessage.Exit exit -> send(ConnectEvent.Exit.of(ConnectEvent.name(exit.stage()), exit.result()));
            case LiveMessage.Failed failed -> fail(failed.message());
            case LiveMessage.Ended ended -> {
                runEnded = true;
                close(ConnectClose.JOB_COMPLETED);
            }
            case LiveMessage.Attached attached -> {
                // The transport's own: the api's end of a queued run keeps it.
            }
            case LiveMessage.Alive alive -> {
                // The transport's own, as Attached.
            }
        }
    }

    /** Piston's error event, then 4002 (a close reason is too short for a message). */
    private synchronized void fail(String message) {
        send(new ConnectEvent.Error(message));
        close(ConnectClose.NOTIFIED_ERROR);
    }

    private synchronized void send(ConnectEvent event) {
        if (!closing) {
            outbox.add(new Outgoing.Text(Json.write(event)));
        }
    }

    /** Closes with {@code code} after what was sent; a run still going is stopped by {@link #hangUp}. */
    private synchronized void close(ConnectClose code) {
        if (!closing) {
            closing = true;
            outbox.add(new Outgoing.Close(code.status()));
        }
    }

    private void sendAll() {
        try {
            while (true) {
                switch (outbox.take()) {
                    case Outgoing.Text text -> socket.sendMessage(new TextMessage(text.json()));
                    case Outgoing.Close close -> {
                        if (socket.isOpen()) {
                            socket.close(close.status());
                        }
                        return;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("connect {}: the client is gone: {}", socket.getId(), e.toString());
            try {
                socket.close(CloseStatus.SERVER_ERROR);
            } catch (IOException ignored) {
                // gone already
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
