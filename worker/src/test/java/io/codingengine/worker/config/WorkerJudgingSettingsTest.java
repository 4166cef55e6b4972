package io.codingengine.worker.config;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.codingengine.common.queue.DeadLetter;
import io.codingengine.common.queue.Delivery;
import io.codingengine.common.queue.Lane;
import io.codingengine.common.queue.SubmissionQueue;
import io.codingengine.worker.judge.Judge;
import io.codingengine.worker.queue.QueueConsumer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/** The judging's settings as a worker reads them, and the health it reports of its slots. */
@Tag("fast")
class WorkerJudgingSettingsTest {

    private static WorkerProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("coding-engine.worker", WorkerProperties.class);
    }

    @Test
    void theBudgetsHaveDefaultsAndSettings() {
        assertEquals(Judge.Settings.DEFAULTS, bind(Map.of()).judging());
        assertEquals(
                new Judge.Settings(2, 32L << 20, Duration.ofMinutes(10)),
                bind(Map.of(
                                "coding-engine.worker.parallel-tests", "2",
                                "coding-engine.worker.output-budget-bytes", "33554432",
                                "coding-engine.worker.judging-budget", "10m"))
                        .judging());
    }

    @Test
    void healthIsDownOnceASlotDied() {
        AtomicBoolean poison = new AtomicBoolean();
        SubmissionQueue queue = new SubmissionQueue() {
            @Override
            public void send(Lane lane, String messageId, String body) {}

            @Override
            public Optional<Delivery> receive(List<Lane> order, Duration maxWait) {
                if (poison.getAndSet(false)) {
                    return Optional.of(new Delivery() {
                        public String messageId() {
                            return "flood";
                        }

                        public String body() {
                            return "{}";
                        }

                        public Lane lane() {
                            return Lane.CONTEST;
                        }

                        public int deliveryCount() {
                            return 1;
                        }

                        public void complete() {}

                        public void abandon(Duration delay) {}

                        public void deadLetter(String reason) {}

                        public java.time.Instant renewLock() {
                            return java.time.Instant.now();
                        }
                    });
                }
                try {
                    Thread.sleep(maxWait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Optional.empty();
            }

            @Override
            public long depth(Lane lane) {
                return 0;
            }

            @Override
            public Optional<DeadLetter> removeDeadLetter(Lane lane, String messageId) {
                return Optional.empty();
            }

            @Override
            public List<DeadLetter> deadLetters(Lane lane, int max) {
                return List.of();
            }

            @Override
            public void close() {}
        };
        CompletableFuture<Throwable> died = new CompletableFuture<>();
        QueueConsumer consumer = new QueueConsumer(
                queue,
                d -> {
                    throw new OutOfMemoryError("Java heap space");
                },
                2,
                Duration.ofMillis(20),
                died::complete);
        HealthIndicator judging = new WorkerConfiguration().judgingHealthIndicator(consumer);
        consumer.start();
        try {
            assertEquals(Status.UP, judging.health().getStatus());
            poison.set(true);
            died.orTimeout(30, TimeUnit.SECONDS).join();
            Health health = await().atMost(Duration.ofSeconds(10))
                    .until(
                            judging::health,
                            h -> Integer.valueOf(1).equals(h.getDetails().get("alive")));
            assertEquals(Status.DOWN, health.getStatus());
            assertEquals(2, health.getDetails().get("slots"));
        } finally {
            consumer.stop();
        }
    }
}
