package io.codingengine.api.limits;

import io.codingengine.api.access.Principal;
import io.codingengine.api.access.Role;
import io.codingengine.api.config.EngineProperties;
import io.codingengine.common.judge.SubmissionStatus;
import io.codingengine.common.queue.Lane;
import io.codingengine.common.queue.SubmissionQueue;
import io.codingengine.common.store.SubmissionFilter;
import io.codingengine.common.store.SubmissionStore;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.proxy.ProxyManager;

import java.time.Duration;
import java.util.Arrays;

/**
 * Decides whether new work may enter, before anything is stored: global backpressure first (503
 * when the lanes together are deeper than {@code max-queue-depth}), then the caller's rates (429):
 * submissions per minute per key and per participant (Bucket4j buckets shared by every api
 * process through {@link TableBucketProxyManager}) and submissions of one participant waiting at
 * once (read from the shared store: its newest {@code max-waiting} submissions all unfinished).
 */
public final class SubmissionLimiter {

    private static final Duration BUSY_RETRY = Duration.ofSeconds(10);
    private static final Duration WAITING_RETRY = Duration.ofSeconds(5);

    private final ProxyManager<String> buckets;
    private final SubmissionQueue queue;
    private final SubmissionStore store;
    private final EngineProperties.Limits limits;

    public SubmissionLimiter(ProxyManager<String> buckets, SubmissionQueue queue, SubmissionStore store,
                             EngineProperties.Limits limits) {
        this.buckets = buckets;
        this.queue = queue;
        this.store = store;
        this.limits = limits;
    }

    /** Global backpressure only: for work that has no participant (a Piston execute). */
    public void checkQueue() {
        long depth = Arrays.stream(Lane.values()).mapToLong(queue::depth).sum();
        if (depth > limits.maxQueueDepth()) {
            throw LimitExceededException.busy("the queue holds " + depth + " submissions, more than "
                    + limits.maxQueueDepth() + "; try again later", BUSY_RETRY);
        }
    }

    /** Admits {@code count} submissions of {@code participant} by {@code caller}, or throws. */
    public void admit(Principal caller, String participant, int count) {
        checkQueue();
        int keyRate = caller.role() == Role.PARTICIPANT ? limits.submissionsPerMinute() : limits.serviceSubmissionsPerMinute();
        take("key~" + caller.role() + "~" + caller.subject(), keyRate, count, "this key");
        if (!(caller.role() == Role.PARTICIPANT && caller.subject().equals(participant))) {
            take("participant~" + participant, limits.submissionsPerMinute(), count, "participant " + participant);
        }
        var newest = store.list(SubmissionFilter.participant(participant), limits.maxWaiting(), null).items();
        if (newest.size() >= limits.maxWaiting()
                && newest.stream().noneMatch(s -> s.status() == SubmissionStatus.DONE)) {
            throw LimitExceededException.tooMany("participant " + participant + " has " + limits.maxWaiting()
                    + " submissions waiting for a verdict; poll them first", WAITING_RETRY);
        }
    }

    private void take(String key, int perMinute, int count, String who) {
        if (count > perMinute) {
            throw LimitExceededException.tooMany("more submissions at once than " + who + " may make in a minute ("
                    + perMinute + ")", Duration.ofMinutes(1));
        }
        ConsumptionProbe probe = buckets.getProxy(key, () -> BucketConfiguration.builder()
                        .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)))
                        .build())
                .tryConsumeAndReturnRemaining(count);
        if (!probe.isConsumed()) {
            throw LimitExceededException.tooMany(who + " may make " + perMinute + " submissions a minute",
                    Duration.ofNanos(probe.getNanosToWaitForRefill()).plusSeconds(1));
        }
    }
}
