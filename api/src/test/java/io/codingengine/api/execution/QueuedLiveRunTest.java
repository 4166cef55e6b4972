package io.codingengine.api.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.api.TestBroker;
import io.codingengine.common.pipeline.LiveMessage;
import io.codingengine.common.pipeline.ReplyChannel;
import io.codingengine.common.queue.ArtemisReplyChannel;
import io.codingengine.common.queue.EmbeddedArtemisBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The api's end of two live runs on one worker, over the embedded broker: the worker does not take
 * one run's input (its handler held, as a stalled run's would be), and the client of that run
 * goes on sending. Once the run's own queue is full, that run alone is stopped with a message for
 * its client; the other run's input still arrives, every message of it.
 */
class QueuedLiveRunTest {

    private EmbeddedArtemisBroker broker;

    @BeforeEach
    void startBroker(@TempDir Path dataDir) {
        broker = TestBroker.start(dataDir);
    }

    @AfterEach
    void stopBroker() {
        broker.stop();
    }

    /**
     * A worker promises a heartbeat every 200 ms: one that keeps it keeps its quiet run past five
     * missed beats, and its beats never reach the client; one that goes silent (dead, or stopped)
     * has its run given up after five missed beats and two of grace, not after the minute of
     * patience.
     */
    @Test
    void aRunWhoseWorkerStopsBeatingIsGivenUpWithinSecondsAndOneThatBeatsIsNot() throws Exception {
        try (ArtemisReplyChannel api = ArtemisReplyChannel.listening(broker.inVmUrl());
                ArtemisReplyChannel worker = ArtemisReplyChannel.listening(broker.url());
                ReplyChannel.Inbox deadInbox = worker.inbox("dead", body -> {});
                ReplyChannel.Inbox aliveInbox = worker.inbox("alive", body -> {})) {
            BlockingQueue<LiveMessage.Event> dead = beating(api, worker, "dead", deadInbox);
            BlockingQueue<LiveMessage.Event> alive = beating(api, worker, "alive", aliveInbox);
            long start = System.nanoTime();
            while (TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 2500) {
                worker.reply(api.address(), "alive", LiveMessage.toJson(new LiveMessage.Alive()));
                Thread.sleep(100);
            }
            LiveMessage.Event failed = dead.poll(5, TimeUnit.SECONDS);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertTrue(
                    failed instanceof LiveMessage.Failed f && f.message().contains("went silent"),
                    String.valueOf(failed));
            assertEquals(new LiveMessage.Ended(), dead.poll(1, TimeUnit.SECONDS));
            assertTrue(seconds < 10, "given up after " + seconds + " s");
            assertTrue(alive.isEmpty(), "the beating worker's run goes on, and no beat reaches its client: " + alive);
            worker.reply(api.address(), "alive", LiveMessage.toJson(new LiveMessage.Ended()));
            assertEquals(new LiveMessage.Ended(), alive.poll(10, TimeUnit.SECONDS));
        }
    }

    /**
     * An api that was paused (a long collection, a frozen VM) finds its timers expired before it
     * reads the beats that waited for it: a beat within the grace after the silence limit keeps
     * the run. Here the worker promises a beat every 500 ms and is silent for 2.9 s, past the
     * 2.5 s of five missed beats but within the second of grace, and then beats on.
     */
    @Test
    void aBeatWithinTheGraceAfterTheSilenceLimitKeepsTheRun() throws Exception {
        try (ArtemisReplyChannel api = ArtemisReplyChannel.listening(broker.inVmUrl());
                ArtemisReplyChannel worker = ArtemisReplyChannel.listening(broker.url());
                ReplyChannel.Inbox inbox = worker.inbox("late", body -> {})) {
            BlockingQueue<LiveMessage.Event> events = beating(api, worker, "late", inbox, 500);
            Thread.sleep(2900);
            for (int beat = 0; beat < 8; beat++) {
                worker.reply(api.address(), "late", LiveMessage.toJson(new LiveMessage.Alive()));
                Thread.sleep(250);
            }
            assertTrue(events.isEmpty(), "the run goes on: " + events);
            worker.reply(api.address(), "late", LiveMessage.toJson(new LiveMessage.Ended()));
            assertEquals(new LiveMessage.Ended(), events.poll(10, TimeUnit.SECONDS));
        }
    }

    /** The client's events of a run attached by a worker that promised a beat every 200 ms. */
    private static BlockingQueue<LiveMessage.Event> beating(
            ReplyChannel api, ReplyChannel worker, String requestId, ReplyChannel.Inbox inbox) {
        return beating(api, worker, requestId, inbox, 200);
    }

    /** The client's events of a run attached by a worker that promised a beat every {@code millis}. */
    private static BlockingQueue<LiveMessage.Event> beating(
            ReplyChannel api, ReplyChannel worker, String requestId, ReplyChannel.Inbox inbox, long millis) {
        BlockingQueue<LiveMessage.Event> events = new LinkedBlockingQueue<>();
        new QueuedLiveRun(requestId, api, events::add, Duration.ofSeconds(60)).listen();
        worker.reply(api.address(), requestId, LiveMessage.toJson(new LiveMessage.Attached(inbox.address(), millis)));
        return events;
    }

    @Test
    void aRunWhoseInputIsNotTakenIsStoppedAloneWhenItsQueueIsFull() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        BlockingQueue<String> calmGot = new LinkedBlockingQueue<>();
        List<LiveMessage.Event> floodedEvents = new CopyOnWriteArrayList<>();
        List<LiveMessage.Event> calmEvents = new CopyOnWriteArrayList<>();
        try (ArtemisReplyChannel api = ArtemisReplyChannel.listening(broker.inVmUrl());
                ArtemisReplyChannel worker = ArtemisReplyChannel.listening(broker.url());
                ReplyChannel.Inbox stalled = worker.inbox("flooded", body -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                ReplyChannel.Inbox calm = worker.inbox("calm", calmGot::add)) {
            try {
                QueuedLiveRun flooded = attached(api, worker, "flooded", stalled, floodedEvents);
                QueuedLiveRun other = attached(api, worker, "calm", calm, calmEvents);
                int sent = 0;
                while (floodedEvents.isEmpty() && sent < 100_000) {
                    flooded.control(new LiveMessage.Stdin("x"));
                    sent++;
                }
                assertEquals(
                        List.of(
                                new LiveMessage.Failed("the program's input could not be delivered (it has not taken "
                                        + "what came before): it was stopped"),
                                new LiveMessage.Ended()),
                        floodedEvents,
                        "after " + sent + " controls");
                for (int i = 0; i < 3; i++) {
                    other.control(new LiveMessage.Stdin("line " + i + "\n"));
                    assertEquals(
                            LiveMessage.toJson(new LiveMessage.Stdin("line " + i + "\n")),
                            calmGot.poll(10, TimeUnit.SECONDS));
                }
                assertTrue(calmEvents.isEmpty(), calmEvents.toString());
            } finally {
                release.countDown();
            }
        }
    }

    /** A run the worker has attached to {@code inbox}, as its first event says. */
    private static QueuedLiveRun attached(
            ReplyChannel api,
            ReplyChannel worker,
            String requestId,
            ReplyChannel.Inbox inbox,
            List<LiveMessage.Event> events)
            throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        QueuedLiveRun run = new QueuedLiveRun(
                requestId,
                api,
                event -> {
                    if (event instanceof LiveMessage.Started) {
                        started.countDown();
                    } else {
                        events.add(event);
                    }
                },
                Duration.ofSeconds(60));
        run.listen();
        worker.reply(api.address(), requestId, LiveMessage.toJson(new LiveMessage.Attached(inbox.address(), 0)));
        worker.reply(api.address(), requestId, LiveMessage.toJson(new LiveMessage.Started("python", "3")));
        assertTrue(started.await(10, TimeUnit.SECONDS), "the run is attached");
        return run;
    }
}
