package io.codingengine.api.limits;

import io.codingengine.api.config.EngineProperties;
import io.codingengine.common.store.PostgresExtension;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A limit changed in the settings holds once the api restarts, although the shared bucket keeps
 * the configuration it was made with: the later start's configuration replaces it, with the
 * tokens carried over; an earlier process still running does not put its own back.
 */
class LimitChangeTest {

    private static EngineProperties.Limits openEntries(int perWindow) {
        return new EngineProperties.Limits(20, 6000, 60, 5, 2000, 1000, DataSize.ofMegabytes(1), perWindow, 10, 100, 10,
                Duration.ofHours(1), Duration.ofSeconds(10), 100, 20, 2);
    }

    private static int admitted(EntryLimiter limiter, String address, int tries) {
        int admitted = 0;
        for (int i = 0; i < tries; i++) {
            try {
                limiter.admitOpenEntry(address);
                admitted++;
            } catch (LimitExceededException refused) {
                // over the limit
            }
        }
        return admitted;
    }

    @Test
    void aRaisedLimitHoldsAfterARestartAndAnOlderProcessDoesNotLowerIt() {
        ProxyManager<String> store = PostgresBuckets.on(PostgresExtension.newMigratedDatabase("limitchange"));
        EntryLimiter before = new EntryLimiter(new LimitBuckets(store, 1), openEntries(2));
        assertEquals(2, admitted(before, "203.0.113.7", 5));

        EntryLimiter restarted = new EntryLimiter(new LimitBuckets(store, 2), openEntries(5));
        assertEquals(3, admitted(restarted, "203.0.113.7", 5), "5 an hour now: 3 more than the 2 taken");
        assertThrows(LimitExceededException.class, () -> restarted.admitOpenEntry("203.0.113.7"));

        EntryLimiter older = new EntryLimiter(new LimitBuckets(store, 1), openEntries(2));
        assertEquals(0, admitted(older, "203.0.113.7", 1), "the bucket stays as the later start set it");
        assertEquals(2, admitted(older, "198.51.100.9", 6), "a bucket the older process makes has its configuration");
        assertEquals(3, admitted(restarted, "198.51.100.9", 6), "until the later start uses it");
    }
}
