package io.codingengine.api.limits;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.store.PostgresExtension;
import io.codingengine.common.store.PostgresSchema;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** {@link TokenLeases} on PostgreSQL's shared buckets, two api processes each with a pool of its own. */
class TokenLeasesTest {

    private final PostgresExtension.Database database = PostgresExtension.newDatabase("leases");
    private final AtomicLong clock = new AtomicLong();
    private final LimitBuckets first;
    private final LimitBuckets second;

    TokenLeasesTest() {
        DataSource one = database.dataSource();
        PostgresSchema.migrate(one);
        first = new LimitBuckets(PostgresBuckets.on(one), 1);
        second = new LimitBuckets(PostgresBuckets.on(database.dataSource()), 1);
    }

    private final long started = System.nanoTime();

    /** The shared bucket holds {@code expected} tokens, plus what it refilled since the test started. */
    private void assertAvailable(long expected, String key, long perMinute, String why) {
        long available = first.bucket(key, perMinute, Duration.ofMinutes(1)).getAvailableTokens();
        long refilled = (long) Math.ceil((System.nanoTime() - started) / 1e9 * perMinute / 60);
        assertTrue(
                available >= expected && available <= expected + refilled,
                why + ": " + available + " available, " + expected + " expected, " + refilled + " refilled since");
    }

    @Test
    void aHighLimitIsDrawnOnASecondsRefillAtATime() {
        TokenLeases leases = new TokenLeases(first, clock::get);
        assertTrue(leases.take("k", 600, 1).isConsumed());
        assertAvailable(590, "k", 600, "one draw took a second's refill, 10 tokens");
        for (int i = 0; i < 9; i++) {
            assertTrue(leases.take("k", 600, 1).isConsumed());
        }
        assertAvailable(590, "k", 600, "nine more came from the lease, without the store");
        assertTrue(leases.take("k", 600, 1).isConsumed());
        assertAvailable(580, "k", 600, "the eleventh drew the next lease");
    }

    @Test
    void aLowLimitDrawsEachTokenFromTheSharedBucket() {
        TokenLeases leases = new TokenLeases(first, clock::get);
        assertTrue(leases.take("low", 60, 1).isConsumed());
        assertAvailable(59, "low", 60, "after a take");
        assertTrue(leases.take("low", 60, 1).isConsumed());
        assertAvailable(58, "low", 60, "after a take");
    }

    @Test
    void unusedLeasedTokensLapseAndAreNeverHandedOutLater() {
        TokenLeases leases = new TokenLeases(first, clock::get);
        assertTrue(leases.take("lapse", 600, 1).isConsumed());
        clock.addAndGet(TokenLeases.LEASE.toNanos());
        assertTrue(leases.take("lapse", 600, 1).isConsumed());
        assertAvailable(580, "lapse", 600, "the lapsed lease's nine tokens were not used, a new one was drawn");
    }

    @Test
    void twoProcessesTogetherNeverHandOutMoreThanTheSharedBucketHolds() {
        TokenLeases one = new TokenLeases(first, System::nanoTime);
        TokenLeases two = new TokenLeases(second, System::nanoTime);
        long started = System.nanoTime();
        int handedOut = 0;
        boolean oneRefused = false;
        boolean twoRefused = false;
        while (!(oneRefused && twoRefused)) {
            oneRefused = !one.take("shared", 1200, 1).isConsumed();
            twoRefused = !two.take("shared", 1200, 1).isConsumed();
            handedOut += (oneRefused ? 0 : 1) + (twoRefused ? 0 : 1);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        // 1200 at the start, 20 a second refilled meanwhile; nothing more.
        assertTrue(handedOut <= 1200 + Math.ceil(20 * seconds) + 1, handedOut + " in " + seconds + " s");
        assertTrue(handedOut >= 1200 - 2 * 20, handedOut + " handed out");
    }

    @Test
    void aRefusalIsTheSharedBucketsWithItsWait() {
        TokenLeases leases = new TokenLeases(first, clock::get);
        int taken = 0;
        ConsumptionProbe refused;
        while ((refused = leases.take("full", 120, 1)).isConsumed()) {
            taken++;
        }
        assertTrue(taken >= 120, taken + " taken before the first refusal");
        assertFalse(refused.isConsumed());
        assertTrue(refused.getNanosToWaitForRefill() > 0, refused.toString());
    }
}
