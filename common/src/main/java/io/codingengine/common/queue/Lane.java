package io.codingengine.common.queue;

/**
 * The lanes of the submission queue, declared in the order they are served: a receiver takes
 * interactive work whenever there is any, contest work next, and regrades only when both are empty,
 * so a batch regrade never delays a person waiting for a verdict.
 */
public enum Lane {
    /** A person waits for the verdict: the judge API and the Piston-style API. */
    INTERACTIVE,
    /** Submissions of a running contest. */
    CONTEST,
    /** Re-judging existing submissions of a problem or contest. */
    REGRADE;

    /**
     * Whether a person waits for this lane's work (a contestant, a caller of the API), as nobody
     * waits for a regrade: an idle receiver looks at a lane nobody waits for less often.
     */
    public boolean awaited() {
        return this != REGRADE;
    }

    /** Every lane, in the order they are served by default. */
    public static final java.util.List<Lane> SERVED_ORDER = java.util.List.of(values());
}
