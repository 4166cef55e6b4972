package io.codingengine.api.limits;

import java.time.Duration;

/**
 * How many clarification requests a participant may send: {@code questions-per-hour} of them at
 * once, coming back evenly over the hour. Every question lands on the admins' desk and a flood
 * from one participant would bury everyone else's, so the limit is per participant of a contest,
 * whichever device or key asks. A Bucket4j bucket in the same store as the other limits', so
 * every api process draws on the same one; over the limit is 429 with {@code Retry-After}.
 */
public final class QuestionLimiter {

    private static final Duration WINDOW = Duration.ofHours(1);

    private final LimitBuckets buckets;
    private final int perHour;

    public QuestionLimiter(LimitBuckets buckets, int perHour) {
        this.buckets = buckets;
        this.perHour = perHour;
    }

    /** Admits one question of {@code participant} in {@code contestId}, or throws (429). */
    public void admit(String contestId, String participant) {
        buckets.admit(
                "question~" + contestId + "~" + participant,
                perHour,
                WINDOW,
                "a participant may ask " + perHour + " questions an hour, and one more every "
                        + WINDOW.dividedBy(perHour).toSeconds() + " s after that");
    }
}
