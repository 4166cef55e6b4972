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
}
