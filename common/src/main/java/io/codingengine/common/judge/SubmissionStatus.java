package io.codingengine.common.judge;

/** Where a submission is on its way through the judge, as {@code GET /submissions/{ticket}} tells it. */
public enum SubmissionStatus {
    /** Stored and enqueued; no worker has started it yet (also after a regrade put it back). */
    QUEUED,
    /** A worker is compiling or running it; progress tells how many tests are done. */
    RUNNING,
    /** Judged: the judgement (verdict, score, per-test results) is final for this grading round. */
    DONE
}
