package io.codingengine.api.clarification;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@link ClarificationStore} on Azure Table Storage (or Azurite), table
 * {@code <prefix>clarifications}: PartitionKey = contest id, RowKey = the clarification's id;
 * properties {@code ProblemId}, {@code Participant}, {@code Question}, {@code AskedAt},
 * {@code Answer}, {@code ToAll}, {@code AnsweredBy}, {@code AnsweredAt} (absent when null). A
 * contest's clarifications are one partition, read by one query. An answer merges into a row read
 * as a question just before: a question's row is never deleted (only an announcement's is) and an
 * announcement never becomes a question, so the row it merges into is still that question (of two
 * answers at once the later stays). An announcement's change replaces its row, read as an
 * announcement just before, for the same reason.
 */
public final class TableClarificationStore implements ClarificationStore {

    private final TableClient table;

    public TableClarificationStore(TableServiceClient tables, String tablePrefix) {
        tables.createTableIfNotExists(tablePrefix + "clarifications");
        this.table = tables.getTableClient(tablePrefix + "clarifications");
    }

    @Override
    public void create(Clarification c) {
        table.createEntity(entity(c));
    }

    private static TableEntity entity(Clarification c) {
        TableEntity row = new TableEntity(c.contestId(), c.id())
                .addProperty("AskedAt", c.askedAt().toString())
                .addProperty("ToAll", c.toAll());
        put(row, "ProblemId", c.problemId());
        put(row, "Participant", c.participant());
        put(row, "Question", c.question());
        put(row, "Answer", c.answer());
        put(row, "AnsweredBy", c.answeredBy());
        put(row, "AnsweredAt", c.answeredAt() == null ? null : c.answeredAt().toString());
        return row;
    }

    @Override
    public Optional<Clarification> answer(
            String contestId, String id, String answer, boolean toAll, String answeredBy, Instant answeredAt) {
        Optional<Clarification> question =
                query("PartitionKey eq " + quote(contestId) + " and RowKey eq " + quote(id)).stream()
                        .filter(c -> !c.isAnnouncement())
                        .findFirst();
        if (question.isEmpty()) {
            return Optional.empty();
        }
        TableEntity row = new TableEntity(contestId, id)
                .addProperty("Answer", answer)
                .addProperty("ToAll", toAll)
                .addProperty("AnsweredAt", answeredAt.toString());
        put(row, "AnsweredBy", answeredBy);
        try {
            table.updateEntity(row, TableEntityUpdateMode.MERGE);
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
        Clarification q = question.get();
        return Optional.of(new Clarification(
                contestId,
                id,
                q.problemId(),
                q.participant(),
                q.question(),
                q.askedAt(),
                answer,
                toAll,
                answeredBy,
                answeredAt));
    }

    @Override
    public Optional<Clarification> editAnnouncement(
            String contestId, String id, String problemId, String text, String editedBy, Instant editedAt) {
        Optional<Clarification> before = announcement(contestId, id);
        if (before.isEmpty()) {
            return Optional.empty();
        }
        Clarification changed = new Clarification(
                contestId, id, problemId, null, null, before.get().askedAt(), text, true, editedBy, editedAt);
        try {
            table.updateEntity(entity(changed), TableEntityUpdateMode.REPLACE);
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.of(changed);
    }

    @Override
    public boolean deleteAnnouncement(String contestId, String id) {
        if (announcement(contestId, id).isEmpty()) {
            return false;
        }
        try {
            table.deleteEntity(contestId, id);
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() == 404) {
                return false;
            }
            throw e;
        }
        return true;
    }

    private Optional<Clarification> announcement(String contestId, String id) {
        return query("PartitionKey eq " + quote(contestId) + " and RowKey eq " + quote(id)).stream()
                .filter(Clarification::isAnnouncement)
                .findFirst();
    }

    @Override
    public List<Clarification> list(String contestId) {
        return query("PartitionKey eq " + quote(contestId)).stream()
                .sorted(Comparator.comparing(Clarification::askedAt).thenComparing(Clarification::id))
                .toList();
    }

    /** Every contest's clarifications, in no order (a scan: for a move to another store). */
    public java.util.stream.Stream<Clarification> all() {
        return table.listEntities().stream().map(TableClarificationStore::clarification);
    }

    private List<Clarification> query(String filter) {
        return table.listEntities(new ListEntitiesOptions().setFilter(filter), null, null).stream()
                .map(TableClarificationStore::clarification)
                .toList();
    }

    private static Clarification clarification(TableEntity row) {
        String answeredAt = (String) row.getProperty("AnsweredAt");
        return new Clarification(
                row.getPartitionKey(),
                row.getRowKey(),
                (String) row.getProperty("ProblemId"),
                (String) row.getProperty("Participant"),
                (String) row.getProperty("Question"),
                Instant.parse((String) row.getProperty("AskedAt")),
                (String) row.getProperty("Answer"),
                Boolean.TRUE.equals(row.getProperty("ToAll")),
                (String) row.getProperty("AnsweredBy"),
                answeredAt == null ? null : Instant.parse(answeredAt));
    }

    private static void put(TableEntity row, String property, String value) {
        if (value != null) {
            row.addProperty(property, value);
        }
    }

    /** An OData string literal. */
    private static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
