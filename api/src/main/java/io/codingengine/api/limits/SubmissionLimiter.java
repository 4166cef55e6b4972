package io.codingengine.api.limits;

import io.codingengine.api.access.Principal;
import io.codingengine.api.access.Role;
import io.codingengine.api.config.EngineProperties;
import io.codingengine.api.web.ClientAddress;
import io.codingengine.common.queue.SubmissionQueue;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides whether new work may enter: global backpressure first (503 when the lanes together are
 * deeper than {@code max-queue-depth}), then the caller's rates (429): submissions per minute per
 * key and per participant, Piston executions per minute per key or client address (Bucket4j
 * buckets shared by every api process: {@link PostgresBuckets} or {@link TableBucketProxyManager}, drawn
 * on in {@link TokenLeases} where a limit is high), all before anything is stored. The waiting limit, checked after storing, is {@link WaitingLimit}'s.
 */
public final class SubmissionLimiter {

    private static final Duration BUSY_RETRY = Duration.ofSeconds(10);
    private static final Duration IN_FLIGHT_RETRY = Duration.ofSeconds(5);

    private final TokenLeases buckets;
    private final QueueDepth depth;
    private final EngineProperties.Limits limits;
    /** Executions running now, by caller (this process's only: see {@link #holdExecution}). */
    private final java.util.concurrent.ConcurrentHashMap<String, Integer> inFlight =
            new java.util.concurrent.ConcurrentHashMap<>();

    public SubmissionLimiter(LimitBuckets buckets, SubmissionQueue queue, EngineProperties.Limits limits) {
        this.buckets = new TokenLeases(buckets);
        this.depth = new QueueDepth(queue);
        this.limits = limits;
    }

    /**
     * Global backpressure, before any caller's own limit: the depth is the broker's of at most
     * {@link QueueDepth#FRESHNESS} ago plus what this process admitted since ({@link QueueDepth}).
     */
    private void checkQueue(int admitting) {
        long depth = this.depth.admitOrDepth(limits.maxQueueDepth(), admitting);
        if (depth >= 0) {
            throw LimitExceededException.busy(
                    "the queue holds " + depth + " submissions, more than " + limits.maxQueueDepth()
                            + "; try again later",
                    BUSY_RETRY);
        }
    }

    /**
     * Admits the submissions of one request, one participant per submission (backpressure and
     * rates), or throws. The queue is checked and the key's bucket drawn on once per request, not
     * once per participant: each is a storage or broker round trip, and a batch for many
     * participants would otherwise pay them per participant.
     */
    public void admit(Principal caller, List<String> participants) {
        checkQueue(participants.size());
        int keyRate = caller.role() == Role.PARTICIPANT
                ? limits.submissionsPerMinute()
                : limits.serviceSubmissionsPerMinute();
        take("key~" + caller.role() + "~" + caller.subject(), keyRate, participants.size(), "this key", "submissions");
        participants.stream()
                .collect(Collectors.groupingBy(p -> p, LinkedHashMap::new, Collectors.counting()))
                .forEach((participant, count) -> {
                    if (!(caller.role() == Role.PARTICIPANT && caller.subject().equals(participant))) {
                        take(
                                "participant~" + participant,
                                limits.submissionsPerMinute(),
                                count.intValue(),
                                "participant " + participant,
                                "submissions");
                    }
                });
    }

    /**
     * Admits one Piston execution (backpressure and {@code executions-per-minute}), or throws.
     *
     * @param caller the key's principal, or empty on an open Piston endpoint called without one
     * @param address the client's address, whose bucket (its /64 if IPv6) a call without a key draws on
     */
    public void admitExecution(Optional<Principal> caller, String address) {
        checkQueue(1);
        String group = ClientAddress.bucketOf(address);
        String key =
                caller.map(p -> "execute~key~" + p.role() + "~" + p.subject()).orElse("execute~address~" + group);
        take(key, limits.executionsPerMinute(), 1, caller.isPresent() ? "this key" : "address " + group, "executions");
    }

    /** An execution's place among its caller's {@link #holdExecution in flight}; closing it again is harmless. */
    public interface InFlight extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Holds one of the caller's {@code executions-in-flight} for an execute or a live run until
     * it ends (the returned handle is closed), or throws 429 when the caller has that many
     * running already: a rate alone let one address hold every slot with a few long runs a
     * minute. A run without a key counts against its client address (its /64 if IPv6); a run with
     * a participant key against that participant and against its address as well ({@code
     * executions-in-flight-per-address}), since a participant key costs nothing in an open
     * contest: counted apart, one person at one address ran two runs anonymously and two more
     * with each key they registered. Service and admin keys are not held to it. The count is this
     * api process's: with several api processes behind a balancer a caller may run that many on
     * each.
     */
    public InFlight holdExecution(Optional<Principal> caller, String address) {
        if (caller.isPresent() && caller.get().role() != Role.PARTICIPANT) {
            return () -> {};
        }
        String group = ClientAddress.bucketOf(address);
        int perAddress = caller.isPresent()
                ? limits.executionsInFlightPerAddress()
                : Math.min(limits.executionsInFlight(), limits.executionsInFlightPerAddress());
        // The participant's own count first, so that a key at its limit is told so; then its
        // address's, given back when that one is full.
        String participantKey = caller.map(p -> "key~" + p.subject()).orElse(null);
        if (participantKey != null && !hold(participantKey, limits.executionsInFlight())) {
            throw LimitExceededException.tooMany(
                    "this key may have " + limits.executionsInFlight() + " executions running at once",
                    IN_FLIGHT_RETRY);
        }
        String addressKey = "address~" + group;
        if (!hold(addressKey, perAddress)) {
            if (participantKey != null) {
                release(participantKey);
            }
            throw LimitExceededException.tooMany(
                    "address " + group + " may have " + perAddress + " executions running at once", IN_FLIGHT_RETRY);
        }
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                if (participantKey != null) {
                    release(participantKey);
                }
                release(addressKey);
            }
        };
    }

    /** Counts one more run for {@code key} unless it has {@code most} already. */
    private boolean hold(String key, int most) {
        boolean[] admitted = {false};
        inFlight.compute(key, (k, running) -> {
            int now = running == null ? 0 : running;
            if (now >= most) {
                return running;
            }
            admitted[0] = true;
            return now + 1;
        });
        return admitted[0];
    }

    private void release(String key) {
        inFlight.computeIfPresent(key, (k, running) -> running <= 1 ? null : running - 1);
    }

    private void take(String key, int perMinute, int count, String who, String what) {
        if (count > perMinute) {
            throw LimitExceededException.tooMany(
                    "more " + what + " at once than " + who + " may make in a minute (" + perMinute + ")",
                    Duration.ofMinutes(1));
        }
        ConsumptionProbe probe = buckets.take(key, perMinute, count);
        if (!probe.isConsumed()) {
            throw LimitExceededException.tooMany(
                    who + " may make " + perMinute + " " + what + " a minute",
                    Duration.ofNanos(probe.getNanosToWaitForRefill()).plusSeconds(1));
        }
    }
}
