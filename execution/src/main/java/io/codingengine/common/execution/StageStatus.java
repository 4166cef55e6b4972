package io.codingengine.common.execution;

/**
 * Why a stage did not end normally. The two-letter codes are Piston's (which are isolate's),
 * plus {@link #ML}, which Piston reports as a plain SIGKILL.
 */
public enum StageStatus {
    /** Exited with a non-zero code. */
    RE("Exited with error status %d"),
    /** Killed by a signal it raised or received. */
    SG("Caught fatal signal %d"),
    /** CPU or wall time limit exceeded. */
    TO("Time limit exceeded"),
    /** Memory limit exceeded: the cgroup's OOM killer ended it. */
    ML("Memory limit exceeded"),
    /** stdout went past the output limit. */
    OL("stdout length exceeded"),
    /** stderr went past the output limit. */
    EL("stderr length exceeded"),
    /** The engine failed; not the program's fault. */
    XX("Internal error");

    private final String messageFormat;

    StageStatus(String messageFormat) {
        this.messageFormat = messageFormat;
    }

    /** The human message for this status; {@code detail} fills a {@code %d} where there is one. */
    public String message(int detail) {
        return messageFormat.contains("%d") ? messageFormat.formatted(detail) : messageFormat;
    }
}
