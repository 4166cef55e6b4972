package io.codingengine.common.store;

/** What a state-changing call of {@link SubmissionStore} did. Only {@link #APPLIED} changed anything. */
public enum UpdateOutcome {
    /** The call changed the record. */
    APPLIED,
    /**
     * The record already said what the call says (the same attempt is already running, progress
     * is not ahead of what is stored, the regrade round has already started). The caller goes on
     * as if the call had been applied.
     */
    UNCHANGED,
    /**
     * The grading round is already judged: the first judgement of the round stays, and this call
     * changed nothing. A worker drops its work and acknowledges the message (a duplicate delivery).
     */
    ALREADY_DONE,
    /**
     * The call belongs to an older grading round, or to an older attempt than the one running.
     * It changed nothing; a worker drops its work and acknowledges the message.
     */
    STALE,
    /** There is no submission with that id. */
    NOT_FOUND
}
