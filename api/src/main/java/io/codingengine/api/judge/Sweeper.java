package io.codingengine.api.judge;

import io.codingengine.common.pipeline.WorkItem;
import io.codingengine.common.queue.Lane;
import io.codingengine.common.queue.SubmissionQueue;
import io.codingengine.common.store.StalledRound;
import io.codingengine.common.store.SubmissionStore;
import io.codingengine.common.store.UpdateOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends again the grading rounds that no queue message carries any more, so that none stays
 * QUEUED or RUNNING for ever (counted as pending on listings, scoreboards and the waiting limit):
 * a submission stored but never queued (the api died between the two), a regrade round started
 * but not queued, a round whose worker is gone while its message did not come back. It takes every
 * round not judged whose record has not changed for {@code stuckAfter}; a worker judging a round
 * keeps its record fresh with heartbeats ({@code coding-engine.worker.heartbeat}). Verdicts are
 * idempotent per round, so a round sent twice is judged once: the first judgement wins.
 *
 * <p>Every api process sweeps every {@code interval}. A round is claimed before it is sent
 * ({@link SubmissionStore#claimStalled}, a compare-and-swap on the record), so of several api
 * processes one sends it, and nobody sends it again before it has stalled for as long once more.
 *
 * <p>A round is sent the way it was asked: every test ({@link WorkItem.Judge#allTests}) when
 * its regrade asked for that (the store keeps the flag with the round, {@link
 * StalledRound#allTests}) or, for a first judging, when its contest scores POINTS ({@code
 * everyTest}, asked of the submission only then); else to end at its first rejected test where
 * ICPC rules apply ({@code firstRejectionEnds}, {@link WorkItem.Judge#firstRejectionEnds}).
 */
public final class Sweeper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);
    /** Rounds one sweep looks at; the next sweep takes the rest. */
    private static final int BATCH = 100;

    private final SubmissionStore store;
    private final SubmissionQueue queue;
    private final Duration stuckAfter;
    private final Clock clock;
    /** Whether a submission's first judging runs every test (its contest scores POINTS). */
    private final Predicate<String> everyTest;
    /** Whether a submission's judging ends at its first rejected test (ICPC rules apply to it). */
    private final Predicate<String> firstRejectionEnds;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("sweeper").factory());

    public Sweeper(
            SubmissionStore store,
            SubmissionQueue queue,
            Duration stuckAfter,
            Clock clock,
            Predicate<String> everyTest,
            Predicate<String> firstRejectionEnds) {
        if (!stuckAfter.isPositive()) {
            throw new IllegalArgumentException("coding-engine.sweeper.stuck-after must be positive, was " + stuckAfter);
        }
        this.store = store;
        this.queue = queue;
        this.stuckAfter = stuckAfter;
        this.clock = clock;
        this.everyTest = everyTest;
        this.firstRejectionEnds = firstRejectionEnds;
    }

    /** Runs {@link #sweep} every {@code interval}, the first one after an interval. */
    public void schedule(Duration interval) {
        timer.scheduleWithFixedDelay(
                this::sweepLogged, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * One sweep now: claims and sends each stalled round it finds.
     *
     * @return the rounds this process sent again
     * @throws RuntimeException when the store or the queue fails; a round claimed but not sent
     *                          is sent by a sweep after {@code stuckAfter} more
     */
    public List<StalledRound> sweep() {
        Instant cutoff = clock.instant().minus(stuckAfter);
        List<StalledRound> sent = new ArrayList<>();
        for (StalledRound round : store.stalled(cutoff, BATCH)) {
            if (store.claimStalled(round.id(), round.round(), cutoff) != UpdateOutcome.APPLIED) {
                continue; // judged, moved on, or another process claimed it first
            }
            // On its lane (a regrade's round on the regrade lane), counting on from its attempts.
            boolean allTests = round.allTests() || (round.round() == 0 && everyTest.test(round.id()));
            Submissions.send(
                    queue,
                    round.round() == 0 ? Lane.CONTEST : Lane.REGRADE,
                    new WorkItem.Judge(
                            round.id(),
                            round.round(),
                            null,
                            round.attempt(),
                            allTests,
                            !allTests && firstRejectionEnds.test(round.id())));
            LOG.warn(
                    "sent {} round {} again{}: {} (attempt {}) without a change since {}",
                    round.id(),
                    round.round(),
                    allTests ? " (every test)" : "",
                    round.status(),
                    round.attempt(),
                    round.updatedAt());
            sent.add(round);
        }
        return sent;
    }

    private void sweepLogged() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("the sweep for stalled submissions failed; the next one tries again", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
