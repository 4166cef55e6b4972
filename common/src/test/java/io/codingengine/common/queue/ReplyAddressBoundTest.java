package io.codingengine.common.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
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

    /**
     * A live run's inbox is a queue of its own, bounded for the run: when one run's input is not
     * taken (its handler held here, as a stalled run would), sends to it are refused once its share
     * is full, while another run of the same worker gets every message at once.
     */
    @Test
    void aRunsFullInboxRefusesOnlyItsOwnInput() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        BlockingQueue<String> calmGot = new LinkedBlockingQueue<>();
        try (ArtemisReplyChannel worker = ArtemisReplyChannel.listening(broker.url());
                ArtemisReplyChannel api = ArtemisReplyChannel.listening(broker.inVmUrl());
                var flooded = worker.inbox("flooded", body -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                var calm = worker.inbox("calm", calmGot::add)) {
            try {
                assertNotEquals(flooded.address(), calm.address());
                assertNotEquals(worker.address(), calm.address());
                long sent = 0;
                boolean refused = false;
                while (!refused && sent < EmbeddedArtemisBroker.LIVE_RUN_ADDRESS_MAX_MESSAGES * 2) {
                    try {
                        api.reply(flooded.address(), "flooded", "x");
                        sent++;
                    } catch (QueueException e) {
                        refused = true;
                    }
                }
                assertTrue(refused, "a run's inbox is bounded: " + sent + " messages taken");
                assertTrue(sent >= EmbeddedArtemisBroker.LIVE_RUN_ADDRESS_MAX_MESSAGES / 2, "refused early: " + sent);
                for (int i = 0; i < 3; i++) {
                    api.reply(calm.address(), "calm", "fine-" + i);
                    assertEquals("fine-" + i, calmGot.poll(10, TimeUnit.SECONDS));
                }
                // A message under another run's id on this address is not this run's.
                api.reply(calm.address(), "flooded", "not yours");
                api.reply(calm.address(), "calm", "last");
                assertEquals("last", calmGot.poll(10, TimeUnit.SECONDS));
                // The worker's own reply address is untouched too.
                var reply = worker.expect("answer", Duration.ofSeconds(10));
                api.reply(worker.address(), "answer", "fine");
                assertEquals("fine", reply.get(10, TimeUnit.SECONDS));
            } finally {
                release.countDown();
            }
        }
    }
}
