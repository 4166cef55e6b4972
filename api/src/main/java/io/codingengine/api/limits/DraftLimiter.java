package io.codingengine.api.limits;

import java.time.Duration;

/**
 * How often a participant may save drafts: {@code draft-saves-per-minute} at once, coming back
 * evenly over the minute. The editor saves a draft 0.8 s after typing stops, so a typist stays
 * well within it; a script that saves in a loop meets the 429 (with {@code Retry-After}, after
 * which the editor saves again). Per participant of a contest, whichever device or key saves; a
 * Bucket4j bucket in the same store as the other limits', so every api process draws on the same one.
 */
public final class DraftLimiter {

    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final LimitBuckets buckets;
    private final int perMinute;

    public DraftLimiter(LimitBuckets buckets, int perMinute) {
        this.buckets = buckets;
        this.perMinute = perMinute;
    }

    /** Admits one save of a draft of {@code participant} in {@code contestId}, or throws (429). */
    public void admit(String contestId, String participant) {
        buckets.admit(
                "draft~" + contestId + "~" + participant,
                perMinute,
                WINDOW,
                "a participant may save drafts " + perMinute + " times a minute; wait before saving again");
    }
}
