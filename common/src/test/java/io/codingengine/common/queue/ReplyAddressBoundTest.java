package io.codingengine.common.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker's reply addresses are bounded: a process that does not take its replies
 * (a worker whose live run's client floods it with controls) holds at most so many on the broker;
 * past that, sends to that address fail, and neither the api's heap nor paging holds the rest,
 * while every other reply address goes on as before.
 */
class ReplyAddressBoundTest {

    @TempDir
    Path dataDir;

    private EmbeddedArtemisBroker broker;

    @BeforeEach
    void start() {
        broker = EmbeddedArtemisBroker.start(dataDir, 0);
    }

    @AfterEach
    void stop() {
        broker.stop();
    }

    @Test
    void aFloodedReplyAddressIsCappedAndOthersStillGetTheirs() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger flooded = new AtomicInteger();
        int sent = (int) EmbeddedArtemisBroker.REPLY_ADDRESS_MAX_MESSAGES + 20_000;
        try (ArtemisReplyChannel slow = ArtemisReplyChannel.listening(broker.url());
                ArtemisReplyChannel other = ArtemisReplyChannel.listening(broker.url());
                ArtemisReplyChannel sender = ArtemisReplyChannel.listening(broker.inVmUrl())) {
            slow.listen("flood", body -> {
                try {
                    release.await(); // a consumer that takes nothing while the flood goes on
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                flooded.incrementAndGet();
            });
            int refused = 0;
            for (int i = 0; i < sent; i++) {
                try {
                    sender.reply(slow.address(), "flood", "x");
                } catch (QueueException e) {
                    refused++;
                }
            }
            // Another process's reply address is untouched by the full one.
            for (int i = 0; i < 3; i++) {
                var reply = other.expect("ok-" + i, Duration.ofSeconds(10));
                sender.reply(other.address(), "ok-" + i, "fine");
                assertEquals("fine", reply.get(10, TimeUnit.SECONDS));
            }
            release.countDown();
            int delivered = -1;
            while (delivered != flooded.get()) { // until what the address kept is all delivered
                delivered = flooded.get();
                Thread.sleep(1000);
            }
            assertTrue(
                    delivered <= EmbeddedArtemisBroker.REPLY_ADDRESS_MAX_MESSAGES + 1000,
                    "the address holds at most its bound, not all " + sent + ": " + delivered + " delivered, " + refused
                            + " refused at the producer");
            assertTrue(delivered > 0, "the flooded address still delivers what it kept");
        }
    }
}
