package io.codingengine.common.audit;

import java.time.Instant;
import java.util.List;

/** The audit log of executions: written by workers as they store a verdict, read by admins. */
public interface AuditLog {

    /** Records an entry; recording the same submission and round again replaces it (redeliveries). */
    void record(AuditEntry entry);

    /** Entries matching {@code query}, oldest first. */
    List<AuditEntry> query(AuditQuery query);

    /** Deletes the entries of submissions made before {@code cutoff}; returns how many. */
    int purgeSubmittedBefore(Instant cutoff);
}
