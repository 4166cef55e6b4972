package io.codingengine.api.execution;

import io.codingengine.common.pipeline.LiveMessage;
import io.codingengine.common.pipeline.ReplyChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The api's end of a live run on a worker: the worker's events come in on this process's reply
 * channel and go to the client in order; the client's controls go to the worker's address once
 * the worker named it ({@link LiveMessage.Attached}), and are kept until then. A run no worker
 * took within the patience ends with {@link LiveMessage.Failed}, and so does one whose worker then
 * went silent (it died or stopped): for {@link #MISSED_BEATS} and {@link #GRACE_BEATS} of the
 * heartbeats it promised, or for the whole patience when it promised none.
 */
final class QueuedLiveRun {

    private static final Logger LOG = LoggerFactory.getLogger(QueuedLiveRun.class);
    /** One platform thread for every live run's patience. */
    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("live-run-patience").factory());
    /**
     * Controls kept while no worker has the run: the connection's own budget
     * ({@code connect-max-messages}) keeps far below this; it is a bound of its own all the same.
     */
    static final int MAX_EARLY = 10_000;
    /**
     * Heartbeats a worker may miss before its run is given up: enough for a garbage collection or
     * a busy broker, few enough that a client learns of a dead worker within seconds.
     */
    static final int MISSED_BEATS = 5;
    /**
     * Beats more that a run whose worker seemed silent is given before it is given up: an api that
     * was itself paused (a long collection, a frozen VM or container) finds its timers expired
     * when it resumes, before it has read the beats that waited for it on the broker.
     */
    static final int GRACE_BEATS = 2;

    private final String requestId;
    private final ReplyChannel replies;
    private final Consumer<LiveMessage.Event> events;
    private final Duration patience;
    /** How long the run's worker may be silent: the patience, or a few of its heartbeats. */
    private Duration silence;
    /** The worker's heartbeat, or null when it promised none. */
    private Duration heartbeat;
    /** Counts the timers set: a timer that fires after a newer one was set does nothing. */
    private long timers;

    private final List<LiveMessage.Control> early = new ArrayList<>();
    private ReplyChannel.Listening listening;
    private ScheduledFuture<?> timer;
    private String worker;
    private boolean ended;

    /** @param patience how long to wait for a worker to take the run, and then for each of its events */
    QueuedLiveRun(String requestId, ReplyChannel replies, Consumer<LiveMessage.Event> events, Duration patience) {
        this.requestId = requestId;
        this.replies = replies;
        this.events = events;
        this.patience = patience;
        this.silence = patience;
    }

    /** Listens for the worker's events; call before the run is queued. */
    synchronized void listen() {
        listening = replies.listen(requestId, this::arrived);
        schedule(patience, () -> giveUp("no worker answered within " + patience.toSeconds() + " s"));
    }

    /** The run could not be queued: nothing will come. */
    synchronized void cancel() {
        ended = true;
        timer.cancel(false);
        listening.close();
    }

    /** A worker's event, on the reply channel's thread. */
    private synchronized void arrived(String body) {
        if (ended) {
            return;
        }
        LiveMessage message;
        try {
            message = LiveMessage.fromJson(body);
        } catch (RuntimeException e) {
            LOG.warn("live run {}: unreadable event ignored: {}", requestId, e.toString());
            return;
        }
        switch (message) {
            case LiveMessage.Attached attached -> {
                worker = attached.address();
                if (attached.heartbeatMillis() > 0) {
                    heartbeat = Duration.ofMillis(attached.heartbeatMillis());
                    silence = heartbeat.multipliedBy(MISSED_BEATS);
                }
                restartTimer();
                for (LiveMessage.Control control : early) {
                    if (!deliver(control)) {
                        break;
                    }
                }
                early.clear();
            }
            case LiveMessage.Alive alive -> restartTimer();
            case LiveMessage.Ended end -> {
                events.accept(end);
                finish();
            }
            case LiveMessage.Event event -> {
                events.accept(event);
                restartTimer();
            }
            case LiveMessage.Control control -> LOG.warn("live run {}: a control sent to the api ignored", requestId);
        }
    }

    /** The client's control, from its connection's thread. */
    synchronized void control(LiveMessage.Control control) {
        if (ended) {
            return;
        }
        if (worker == null) {
            if (early.size() >= MAX_EARLY) {
                giveUp("more than " + MAX_EARLY + " messages before the run started");
                return;
            }
            early.add(control);
        } else {
            deliver(control);
        }
    }

    /**
     * Sends a control to the run's own address on its worker; one that cannot be sent (the run's
     * queue is full: its worker has not taken what came before, or the broker is gone) stops this
     * run: a program that silently lost part of its input would go on with the wrong input.
     */
    private boolean deliver(LiveMessage.Control control) {
        if (toWorker(control) || control instanceof LiveMessage.HangUp) {
            return true;
        }
        giveUp("the program's input could not be delivered (it has not taken what came before): it was stopped");
        return false;
    }

    private boolean toWorker(LiveMessage.Control control) {
        try {
            replies.reply(worker, requestId, LiveMessage.toJson(control));
            return true;
        } catch (RuntimeException e) {
            // The worker stops the run at its limits; a lost hang-up costs it no more than that.
            LOG.warn("live run {}: cannot reach its worker: {}", requestId, e.toString());
            return false;
        }
    }

    private synchronized void giveUp(String why) {
        if (ended) {
            return;
        }
        LOG.warn("live run {}: {}", requestId, why);
        if (worker != null) {
            toWorker(new LiveMessage.HangUp());
        }
        // A worker that takes it later finds its deadline passed and drops it.
        events.accept(new LiveMessage.Failed(why));
        events.accept(new LiveMessage.Ended());
        finish();
    }

    /**
     * A worker with a heartbeat is silent at most for a few of its beats; one without, for a
     * compile or a run without output (each within the executor's maxima).
     */
    private void restartTimer() {
        if (heartbeat == null) {
            schedule(silence, () -> giveUp("its worker went silent for " + silence.toSeconds() + " s"));
            return;
        }
        Duration grace = heartbeat.multipliedBy(GRACE_BEATS);
        String why = "its worker went silent for " + silence.plus(grace).toMillis() / 1000.0 + " s: it stopped or died";
        schedule(silence, () -> schedule(grace, () -> giveUp(why)));
    }

    /**
     * Runs {@code then} after {@code delay}, on this run's lock, unless the run ended or another
     * timer was set meanwhile (an event that came while this one was firing).
     */
    private void schedule(Duration delay, Runnable then) {
        if (timer != null) {
            timer.cancel(false);
        }
        long mine = ++timers;
        timer = TIMERS.schedule(
                () -> {
                    synchronized (this) {
                        if (!ended && timers == mine) {
                            then.run();
                        }
                    }
                },
                delay.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void finish() {
        ended = true;
        timer.cancel(false);
        listening.close();
    }
}
