package io.codingengine.common.store;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableServiceException;
import io.codingengine.common.judge.SubmissionStatus;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The property names of the Table adapter's rows (see the package documentation), their typed
 * reads, and the bits of the Tables protocol that every part of the adapter speaks.
 */
final class Rows {

    static final String STATUS = "Status",
            ROUND = "Round",
            ATTEMPT = "Attempt",
            TESTS_DONE = "TestsDone",
            TESTS_TOTAL = "TestsTotal",
            PROBLEM = "ProblemId",
            CONTEST = "ContestId",
            PARTICIPANT = "Participant",
            LANGUAGE = "Language",
            CREATED = "CreatedAt",
            UPDATED = "UpdatedAt",
            VERDICT = "Verdict",
            SCORE = "Score",
            FIRST_FAILURE = "FirstFailure",
            SUBMISSION = "Submission",
            JUDGEMENT = "Judgement",
            SUBMISSION_ID = "SubmissionId",
            ALL_TESTS = "AllTests";

    private Rows() {}

    /** A boolean property; absent (a row written before it existed) is {@code false}. */
    static boolean flagOf(TableEntity entity, String name) {
        return Boolean.TRUE.equals(entity.getProperty(name));
    }

    static void putIfNotNull(TableEntity entity, String name, String value) {
        if (value != null) {
            entity.addProperty(name, value);
        }
    }

    static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instantOf(TableEntity entity, String name) {
        Object value = entity.getProperty(name);
        return value == null ? null : ((OffsetDateTime) value).toInstant();
    }

    static long longOf(TableEntity entity, String name) {
        Object value = entity.getProperty(name);
        return value == null ? 0 : ((Number) value).longValue();
    }

    static int intOf(TableEntity entity, String name) {
        Object value = entity.getProperty(name);
        return value == null ? 0 : ((Number) value).intValue();
    }

    static SubmissionStatus statusOf(TableEntity entity) {
        return SubmissionStatus.valueOf((String) entity.getProperty(STATUS));
    }

    /** An OData string literal. */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    static int status(TableServiceException e) {
        return e.getResponse() == null ? -1 : e.getResponse().getStatusCode();
    }

    static void deleteQuietly(TableClient table, String partition, String row) {
        try {
            table.deleteEntity(partition, row);
        } catch (TableServiceException e) {
            if (status(e) != 404) {
                throw e; // 404: another purge got there first
            }
        }
    }
}
