package io.codingengine.common.audit;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import io.codingengine.common.store.AzureStorage;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link AuditLog} on Table Storage, table {@code <prefix>audit}: PartitionKey = the UTC day the
 * submission was made ({@code yyyy-MM-dd}), so a time range reads only its days and retention
 * deletes whole days; RowKey = {@code <submittedAt ms, 13 digits>~<submission id>~<round>}, so
 * a redelivered judgement upserts the same row (an execute's id is its request id, a UUID, so
 * it never meets a submission's). {@code Kind} is {@code JUDGE} or {@code EXECUTE}; rows written
 * before it existed have none and are judgements.
 */
public final class TableAuditLog implements AuditLog {

    private final TableClient table;

    public TableAuditLog(TableServiceClient tables, String tablePrefix) {
        tables.createTableIfNotExists(tablePrefix + "audit");
        this.table = tables.getTableClient(tablePrefix + "audit");
    }

    public static TableAuditLog fromConnectionString(String connectionString, String tablePrefix) {
        return new TableAuditLog(AzureStorage.tables(connectionString), tablePrefix);
    }

    @Override
    public void record(AuditEntry e) {
        table.upsertEntityWithResponse(row(e), TableEntityUpdateMode.REPLACE, null, Context.NONE);
    }

    /** An insert: 409 when the row exists. */
    @Override
    public boolean recordIfAbsent(AuditEntry e) {
        try {
            table.createEntity(row(e));
            return true;
        } catch (TableServiceException conflict) {
            if (conflict.getResponse() != null && conflict.getResponse().getStatusCode() == 409) {
                return false;
            }
            throw conflict;
        }
    }

    private static TableEntity row(AuditEntry e) {
        TableEntity row = new TableEntity(
                        day(e.submittedAt()),
                        String.format("%013d~%s~%d", e.submittedAt().toEpochMilli(), e.submissionId(), e.round()))
                .addProperty("Kind", e.kind().name())
                .addProperty("SubmissionId", e.submissionId())
                .addProperty("Round", e.round())
                .addProperty("Participant", e.participant())
                .addProperty("SubmittedAt", e.submittedAt().toString())
                .addProperty("JudgedAt", e.judgedAt().toString())
                .addProperty("Language", e.language())
                .addProperty("SourceSha256", e.sourceSha256())
                .addProperty("Verdict", e.verdict())
                .addProperty("TimeMs", e.timeMs())
                .addProperty("MemoryBytes", e.memoryBytes())
                .addProperty("Worker", e.worker())
                .addProperty("Session", e.session());
        if (e.problemId() != null) {
            row.addProperty("ProblemId", e.problemId());
        }
        if (e.correlationId() != null) {
            row.addProperty("CorrelationId", e.correlationId());
        }
        if (e.problemType() != null) {
            row.addProperty("ProblemType", e.problemType());
        }
        return row;
    }

    @Override
    public List<AuditEntry> query(AuditQuery q) {
        List<AuditEntry> out = new ArrayList<>();
        for (LocalDate d = LocalDate.ofInstant(q.from(), ZoneOffset.UTC);
                !d.isAfter(LocalDate.ofInstant(q.to(), ZoneOffset.UTC)) && out.size() < q.max();
                d = d.plusDays(1)) {
            StringBuilder filter = new StringBuilder("PartitionKey eq '")
                    .append(d)
                    .append("'")
                    .append(" and RowKey ge '")
                    .append(String.format("%013d", q.from().toEpochMilli()))
                    .append("'")
                    .append(" and RowKey lt '")
                    .append(String.format("%013d", q.to().toEpochMilli()))
                    .append("'");
            equal(filter, "Participant", q.participant());
            equal(filter, "ProblemId", q.problemId());
            equal(filter, "Language", q.language());
            equal(filter, "Verdict", q.verdict());
            for (TableEntity row :
                    table.listEntities(new ListEntitiesOptions().setFilter(filter.toString()), null, Context.NONE)) {
                AuditEntry e = entry(row);
                // Kind is compared here: rows from before it existed have none (judgements), and a
                // table filter never matches a missing property.
                if (q.kind() == null || e.kind() == q.kind()) {
                    out.add(e);
                }
                if (out.size() >= q.max()) {
                    break;
                }
            }
        }
        return out;
    }

    /** Every entry, day by day (a scan of the table): what a move to another store copies. */
    public java.util.stream.Stream<AuditEntry> all() {
        return table.listEntities().stream().map(TableAuditLog::entry);
    }

    @Override
    public int purgeSubmittedBefore(Instant cutoff) {
        String filter = "RowKey lt '" + String.format("%013d", cutoff.toEpochMilli()) + "'";
        int purged = 0;
        for (TableEntity row : table.listEntities(
                new ListEntitiesOptions().setFilter(filter).setSelect(List.of("PartitionKey", "RowKey")),
                null,
                Context.NONE)) {
            try {
                table.deleteEntity(row.getPartitionKey(), row.getRowKey());
                purged++;
            } catch (TableServiceException ex) {
                if (ex.getResponse().getStatusCode() != 404) {
                    throw ex;
                }
            }
        }
        return purged;
    }

    private static void equal(StringBuilder filter, String property, String value) {
        if (value != null && !value.isBlank()) {
            filter.append(" and ")
                    .append(property)
                    .append(" eq '")
                    .append(value.replace("'", "''"))
                    .append("'");
        }
    }

    private static AuditEntry entry(TableEntity r) {
        Object kind = r.getProperty("Kind");
        return new AuditEntry(
                kind == null ? AuditEntry.Kind.JUDGE : AuditEntry.Kind.valueOf((String) kind),
                (String) r.getProperty("SubmissionId"),
                ((Number) r.getProperty("Round")).longValue(),
                (String) r.getProperty("Participant"),
                Instant.parse((String) r.getProperty("SubmittedAt")),
                Instant.parse((String) r.getProperty("JudgedAt")),
                (String) r.getProperty("Language"),
                (String) r.getProperty("SourceSha256"),
                (String) r.getProperty("ProblemId"),
                (String) r.getProperty("Verdict"),
                ((Number) r.getProperty("TimeMs")).longValue(),
                ((Number) r.getProperty("MemoryBytes")).longValue(),
                (String) r.getProperty("Worker"),
                (String) r.getProperty("Session"),
                (String) r.getProperty("CorrelationId"),
                (String) r.getProperty("ProblemType"));
    }

    private static String day(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC).toString();
    }
}
