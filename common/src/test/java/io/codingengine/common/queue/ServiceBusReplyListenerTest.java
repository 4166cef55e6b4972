package io.codingengine.common.queue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * The reply channel's listener keeps listening when its session receiver ends, whether it
 * completes or fails. Service Bus cannot be reached here, so {@link CompletingSessionFake} stands
 * in for the one Azure call the listener makes: accepting the reply session and receiving its
 * messages ({@code acceptSession(address).flatMapMany(receiveMessages)}).
 */
@Tag("fast")
class ServiceBusReplyListenerTest {

    /**
     * FAKE at the Azure boundary: the session receiver's message flux. Each subscription is one
     * accepted session; its flux emits that session's replies and then ends as the script says:
     * it completes (the broker closed the session or its link) or fails (the connection dropped).
     */
    private static final class CompletingSessionFake implements Supplier<Flux<String>> {

        private final List<Flux<String>> script;
        private final AtomicInteger accepted = new AtomicInteger();

        CompletingSessionFake(List<Flux<String>> script) {
            this.script = script;
        }

        @Override
        public Flux<String> get() {
            int n = accepted.getAndIncrement();
            // After the script: a session that stays open with nothing to deliver.
            return n < script.size() ? script.get(n) : Flux.never();
        }

        int accepted() {
            return accepted.get();
        }
    }

    @Test
    void aReceiverThatCompletesIsAcceptedAgainAndItsRepliesArrive() {
        CompletingSessionFake sessions = new CompletingSessionFake(List.of(
                Flux.just("reply-1"), // completes: the broker closed the session
                Flux.just("reply-2", "reply-3"), // completes again
                Flux.just("reply-4")));
        List<String> received = new CopyOnWriteArrayList<>();
        Disposable listening = ServiceBusReplyChannel.listen(sessions, received::add, Duration.ofMillis(20));
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 4);
            assertEquals(List.of("reply-1", "reply-2", "reply-3", "reply-4"), received);
            assertEquals(4, sessions.accepted(), "accepted again after each completion, then kept open");
        } finally {
            listening.dispose();
        }
    }

    @Test
    void aReceiverThatFailsIsAcceptedAgainToo() {
        CompletingSessionFake sessions = new CompletingSessionFake(List.of(
                Flux.concat(Flux.just("before"), Flux.error(new IllegalStateException("connection dropped"))),
                Flux.just("after")));
        List<String> received = new CopyOnWriteArrayList<>();
        Disposable listening = ServiceBusReplyChannel.listen(sessions, received::add, Duration.ofMillis(20));
        try {
            // The first retry waits the backoff's first second (with jitter).
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);
            assertEquals(List.of("before", "after"), received);
        } finally {
            listening.dispose();
        }
    }

    @Test
    void disposingStopsTheListener() throws InterruptedException {
        CompletingSessionFake sessions = new CompletingSessionFake(List.of(Flux.empty(), Flux.empty(), Flux.empty()));
        Disposable listening = ServiceBusReplyChannel.listen(sessions, reply -> {}, Duration.ofMillis(50));
        await().atMost(Duration.ofSeconds(10)).until(() -> sessions.accepted() >= 2);
        listening.dispose();
        int accepted = sessions.accepted();
        Thread.sleep(300);
        assertTrue(
                sessions.accepted() <= accepted + 1, "no more sessions accepted after dispose: " + sessions.accepted());
    }
}
