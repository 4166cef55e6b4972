package io.codingengine.common.audit;

import java.time.Instant;
import java.util.List;

/** The audit log of executions: written by workers as they store a verdict, read by admins. */
public interface AuditLog {

    /** Records an entry; recording the same submission and round again replaces it (redeliveries). */
    void record(AuditEntry entry);

    /**
     * Records an entry unless the log has one of its submission and round, which it leaves as it
     * is: a later delivery writes the entry that the judging worker, dead between its verdict
     * and its entry, could not; and never replaces one that the judging worker wrote.
     *
     * @return {@code true} when it was written
     */
    boolean recordIfAbsent(AuditEntry entry);

    /** Entries matching {@code query}, oldest first. */
    List<AuditEntry> query(AuditQuery query);

    /** Deletes the entries of submissions made before {@code cutoff}; returns how many. */
    int purgeSubmittedBefore(Instant cutoff);
}
