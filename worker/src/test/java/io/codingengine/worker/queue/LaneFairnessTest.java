package io.codingengine.worker.queue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.codingengine.common.queue.ArtemisSubmissionQueue;
import io.codingengine.common.queue.EmbeddedArtemisBroker;
import io.codingengine.common.queue.Lane;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With both lanes full, a slot alternates between interactive and contest work: a stream of Runs
 * or Piston executes (which anyone may send) cannot keep every slot from judging, and a backlog of
 * judging cannot keep a Run waiting for more than one judging per slot. Against a real broker.
 */
class LaneFairnessTest {

    @TempDir
    Path dir;

    @Test
    void aSlotAlternatesBetweenInteractiveAndContestWork() throws Exception {
        EmbeddedArtemisBroker broker = EmbeddedArtemisBroker.start(dir.resolve("broker"), 0);
        try (ArtemisSubmissionQueue queue = ArtemisSubmissionQueue.connect(broker.url())) {
            for (int i = 0; i < 6; i++) {
                queue.send(Lane.INTERACTIVE, "run-" + i, "{}");
                queue.send(Lane.CONTEST, "judge-" + i, "{}");
            }
            queue.send(Lane.REGRADE, "regrade-0", "{}");
            List<Lane> served = new CopyOnWriteArrayList<>();
            QueueConsumer consumer = new QueueConsumer(
                    queue,
                    delivery -> {
                        served.add(delivery.lane());
                        delivery.complete();
                    },
                    1,
                    Duration.ofMillis(200),
                    e -> {});
            consumer.start();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> served.size() == 13);
            } finally {
                consumer.stop();
            }
            assertEquals(
                    List.of(
                            Lane.INTERACTIVE,
                            Lane.CONTEST,
                            Lane.INTERACTIVE,
                            Lane.CONTEST,
                            Lane.INTERACTIVE,
                            Lane.CONTEST,
                            Lane.INTERACTIVE,
                            Lane.CONTEST,
                            Lane.INTERACTIVE,
                            Lane.CONTEST,
                            Lane.INTERACTIVE,
                            Lane.CONTEST,
                            Lane.REGRADE),
                    served);
        } finally {
            broker.stop();
        }
    }

    /**
     * Long interactive work (live runs, minute-long executes) sent while the contest lane is empty
     * never holds every judging slot: with 2 judging slots and 1 kept, at most the kept slot and one
     * judging slot hold it, and a contest submission sent later starts at once on the other. Without
     * a kept slot (the reservation off) every slot serves interactive work as before.
     */
    @Test
    void interactiveWorkNeverHoldsEveryJudgingSlot() throws Exception {
        EmbeddedArtemisBroker broker = EmbeddedArtemisBroker.start(dir.resolve("broker"), 0);
        CountDownLatch release = new CountDownLatch(1);
        try (ArtemisSubmissionQueue queue = ArtemisSubmissionQueue.connect(broker.url())) {
            List<String> started = new CopyOnWriteArrayList<>();
            QueueConsumer consumer = new QueueConsumer(
                    queue,
                    delivery -> {
                        started.add(delivery.messageId());
                        if (delivery.lane() == Lane.INTERACTIVE) {
                            try {
                                release.await(60, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        delivery.complete();
                    },
                    2,
                    1,
                    Duration.ofMillis(100),
                    e -> {});
            consumer.start();
            try {
                for (int i = 0; i < 4; i++) {
                    queue.send(Lane.INTERACTIVE, "run-" + i, "{}");
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> started.size() >= 2);
                Thread.sleep(1000); // time for a third slot to take a run, as it did before the bound
                assertEquals(2, started.size(), "the kept slot and one judging slot only: " + started);
                queue.send(Lane.CONTEST, "judge-0", "{}");
                await().atMost(Duration.ofSeconds(10)).until(() -> started.contains("judge-0"));
                release.countDown();
                await().atMost(Duration.ofSeconds(20)).until(() -> started.size() == 5);
            } finally {
                release.countDown();
                consumer.stop();
            }
            assertEquals(0, QueueConsumer.borrowable(1, 1), "the kept slot serves interactive work");
            assertEquals(1, QueueConsumer.borrowable(1, 0), "the only slot serves both lanes");
            assertEquals(2, QueueConsumer.borrowable(2, 0), "no kept slot: the reservation is off");
            assertEquals(3, QueueConsumer.borrowable(4, 1));
        } finally {
            broker.stop();
        }
    }
}
