package io.codingengine.api.limits;

import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.SubmissionStatus;
import io.codingengine.common.store.SubmissionFilter;
import io.codingengine.common.store.SubmissionStore;
import io.codingengine.common.store.SubmissionSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code max-waiting}: how many submissions of one participant may wait for a verdict at once,
 * held by storing first and counting after.
 *
 * <p>Why this cannot be overshot across api processes: each request counts after its own store
 * (Table Storage reads are strongly consistent), so of two racing requests the one that counts
 * last sees both new submissions and refuses when together they cross the limit; the other may
 * refuse too (it may still see the first one before it is deleted). Racing requests may thus
 * both be refused, never both admitted. Counting before storing, as a plain check would, lets
 * both see the old count and both in. The count covers the participant's newest
 * {@code max-waiting + 1} submissions by creation time, which is stamped when a request is
 * checked, moments before it is stored: racing submissions are the newest unless a request
 * stalls between check and store for longer than another of the same participant's submissions
 * takes to be stored and judged, or api hosts' clocks disagree by that much.
 */
public final class WaitingLimit {

    private static final Duration WAITING_RETRY = Duration.ofSeconds(5);

    private final SubmissionStore store;
    private final int maxWaiting;

    public WaitingLimit(SubmissionStore store, int maxWaiting) {
        this.store = store;
        this.maxWaiting = maxWaiting;
    }

    /**
     * Checked after {@code stored} were stored and before they are queued: for each participant
     * among them, the newest {@code max-waiting + 1} of their submissions (the new ones
     * included) are read; if all are unfinished, every submission of {@code stored} is deleted
     * again and the request is refused (429).
     */
    public void hold(List<Submission> stored) {
        for (String participant :
                stored.stream().map(Submission::participant).distinct().toList()) {
            int window = maxWaiting + 1;
            List<SubmissionSummary> newest = new ArrayList<>();
            String token = null;
            do {
                var page = store.list(
                        SubmissionFilter.participant(participant), Math.min(1000, window - newest.size()), token);
                newest.addAll(page.items());
                token = page.continuationToken();
            } while (token != null && newest.size() < window);
            if (newest.size() >= window && newest.stream().noneMatch(s -> s.status() == SubmissionStatus.DONE)) {
                stored.forEach(store::delete);
                throw LimitExceededException.tooMany(
                        "participant " + participant + " would have more than " + maxWaiting
                                + " submissions waiting for a verdict; poll them first",
                        WAITING_RETRY);
            }
        }
    }
}
