package io.codingengine.worker.queue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.LimitRequest;
import io.codingengine.common.execution.RunInput;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.queue.ArtemisSubmissionQueue;
import io.codingengine.common.queue.EmbeddedArtemisBroker;
import io.codingengine.common.queue.Lane;
import io.codingengine.executor.ExecutorConfig;
import io.codingengine.executor.SandboxedExecutor;
import io.codingengine.executor.sandbox.SandboxConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Run sent while every judging slot is busy with slow judgings is answered at once, from the
 * slot kept for interactive work, not after them; and judging never takes that slot. A real broker
 * and a real sandbox, one judging slot and one interactive slot.
 */
class InteractiveSlotsTest {

    @TempDir
    Path dir;

    private static ExecutionRequest python(String source) {
        return new ExecutionRequest(
                "python",
                "*",
                List.of(SourceFile.utf8(null, source)),
                Map.of(),
                null,
                new LimitRequest(Duration.ofSeconds(5), Duration.ofSeconds(10), null, null),
                List.of(new RunInput("", List.of())));
    }

    @Test
    void aRunIsAnsweredWhileJudgingsHoldEveryJudgingSlot() throws Exception {
        EmbeddedArtemisBroker broker = EmbeddedArtemisBroker.start(dir.resolve("broker"), 0);
        try (ArtemisSubmissionQueue queue = ArtemisSubmissionQueue.connect(broker.url());
                SandboxedExecutor executor = SandboxedExecutor.start(
                        SandboxConfig.defaults()
                                .withDataDir(dir.resolve("sandbox"))
                                .withSlots(2)
                                .withInteractiveSlots(1)
                                .withUidBase(62800)
                                .withCgroupName("coding-engine-interactive-slots-test"),
                        ExecutorConfig.defaults())) {
            assertEquals(1, executor.capacity());
            assertEquals(1, executor.interactiveCapacity());
            List<String> started = new CopyOnWriteArrayList<>();
            List<String> finished = new CopyOnWriteArrayList<>();
            QueueConsumer consumer = new QueueConsumer(
                    queue,
                    delivery -> {
                        started.add(delivery.messageId());
                        ExecutionResult r = delivery.lane() == Lane.INTERACTIVE
                                ? executor.executeInteractive(python("print('run')"))
                                : executor.execute(python("import time\ntime.sleep(3)\nprint('judged')"));
                        finished.add(delivery.messageId() + ":"
                                + r.runs().getFirst().stdout().strip());
                        delivery.complete();
                    },
                    executor.capacity(),
                    executor.interactiveCapacity(),
                    Duration.ofMillis(100),
                    e -> {});
            consumer.start();
            try {
                queue.send(Lane.CONTEST, "judging-1", "{}");
                queue.send(Lane.CONTEST, "judging-2", "{}");
                await().atMost(Duration.ofSeconds(30)).until(() -> started.contains("judging-1"));
                queue.send(Lane.INTERACTIVE, "run", "{}");
                await().atMost(Duration.ofSeconds(60)).until(() -> finished.size() == 3);
            } finally {
                consumer.stop();
            }
            assertEquals(
                    List.of("run:run", "judging-1:judged", "judging-2:judged"),
                    finished,
                    "the Run did not wait for the judging that held the judging slot");
        } finally {
            broker.stop();
        }
    }
}
