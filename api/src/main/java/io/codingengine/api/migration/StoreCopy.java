package io.codingengine.api.migration;

import io.codingengine.api.access.PostgresApiKeyStore;
import io.codingengine.api.access.TableApiKeyStore;
import io.codingengine.api.clarification.PostgresClarificationStore;
import io.codingengine.api.clarification.TableClarificationStore;
import io.codingengine.api.contest.PostgresAccountStore;
import io.codingengine.api.contest.PostgresDraftStore;
import io.codingengine.api.contest.TableAccountStore;
import io.codingengine.api.contest.TableDraftStore;
import io.codingengine.common.audit.PostgresAuditLog;
import io.codingengine.common.audit.TableAuditLog;
import io.codingengine.common.contest.Contest;
import io.codingengine.common.contest.PostgresContestStore;
import io.codingengine.common.contest.TableContestStore;
import io.codingengine.common.problem.BlobProblemStore;
import io.codingengine.common.problem.PostgresProblemStore;
import io.codingengine.common.problem.Problem;
import io.codingengine.common.problem.ProblemSummary;
import io.codingengine.common.problem.StatementFile;
import io.codingengine.common.store.Page;
import io.codingengine.common.store.PostgresSubmissionStore;
import io.codingengine.common.store.StorageAccount;
import io.codingengine.common.store.SubmissionFilter;
import io.codingengine.common.store.SubmissionSummary;
import io.codingengine.common.store.TableSubmissionStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * Copies a deployment's stores from Azure Table and Blob Storage (or Azurite) into PostgreSQL:
 * problems with their test data and pictures, contests, API keys (their hashes), open contests'
 * accounts, drafts, contests' clarifications and announcements (answered or not), submissions
 * with their state (whether the current round runs every test included, so that the sweeper sends
 * a queued {@code allTests} regrade round again as it was asked), judgement and history, and the
 * audit log. What
 * the database has already (the same id or key) stays as it is, so a second run copies nothing
 * and a run cut short can be run again. Rate-limit buckets are not copied: they refill within
 * their window.
 *
 * <p>Run it with the api and the workers stopped, so that nothing changes on either side meanwhile;
 * then point them at the database ({@code coding-engine.store=postgres}).
 */
public final class StoreCopy {

    /** What one kind's copy did. */
    public record Count(String kind, int copied, int present) {
        @Override
        public String toString() {
            return String.format("%-14s %7d copied, %7d already there", kind, copied, present);
        }
    }

    /** The stores of a deployment on Azure Storage, as they are read. */
    public record Source(
            BlobProblemStore problems,
            TableContestStore contests,
            TableApiKeyStore keys,
            TableAccountStore accounts,
            TableDraftStore drafts,
            TableClarificationStore clarifications,
            TableSubmissionStore submissions,
            TableAuditLog audit) {

        /** The tables and containers named with {@code prefix} ({@code coding-engine.table-prefix}). */
        public static Source of(StorageAccount.Clients storage, String prefix) {
            return new Source(
                    new BlobProblemStore(storage.blobs(), prefix),
                    new TableContestStore(storage.tables(), prefix),
                    new TableApiKeyStore(storage.tables(), prefix),
                    new TableAccountStore(storage.tables(), prefix),
                    new TableDraftStore(storage.tables(), prefix),
                    new TableClarificationStore(storage.tables(), prefix),
                    new TableSubmissionStore(storage.tables(), storage.blobs(), prefix),
                    new TableAuditLog(storage.tables(), prefix));
        }
    }

    /** The stores on PostgreSQL, as they are written. */
    public record Target(
            PostgresProblemStore problems,
            PostgresContestStore contests,
            PostgresApiKeyStore keys,
            PostgresAccountStore accounts,
            PostgresDraftStore drafts,
            PostgresClarificationStore clarifications,
            PostgresSubmissionStore submissions,
            PostgresAuditLog audit) {

        /** @param database a pool on a database that {@code PostgresSchema.migrate} brought up to date */
        public static Target of(DataSource database) {
            return new Target(
                    new PostgresProblemStore(database),
                    new PostgresContestStore(database),
                    new PostgresApiKeyStore(database),
                    new PostgresAccountStore(database),
                    new PostgresDraftStore(database),
                    new PostgresClarificationStore(database),
                    new PostgresSubmissionStore(database),
                    new PostgresAuditLog(database));
        }
    }

    private final Source from;
    private final Target to;

    public StoreCopy(Source from, Target to) {
        this.from = from;
        this.to = to;
    }

    /** Copies every kind, in that order (problems before the submissions that name them). */
    public List<Count> copy() {
        return List.of(
                problems(),
                contests(),
                count("api keys", from.keys().all(), to.keys()::importKey),
                count("accounts", from.accounts().all(), to.accounts()::create),
                count("drafts", from.drafts().all(), to.drafts()::importDraft),
                count("clarifications", from.clarifications().all(), to.clarifications()::importClarification),
                submissions(),
                count("audit", from.audit().all(), to.audit()::recordIfAbsent));
    }

    private Count problems() {
        List<String> all =
                from.problems().list().stream().map(ProblemSummary::id).toList();
        List<String> missing =
                all.stream().filter(id -> to.problems().get(id).isEmpty()).toList();
        missing.forEach(id -> to.problems().save(wholeProblem(id)));
        return new Count("problems", missing.size(), all.size() - missing.size());
    }

    /** A problem with its secret tests and its pictures' data, which a load for judging leaves out. */
    private Problem wholeProblem(String id) {
        Problem p =
                from.problems().load(id).orElseThrow(() -> new IllegalStateException("problem " + id + " vanished"));
        List<StatementFile> files = p.statementFiles().stream()
                .map(f -> from.problems()
                        .statementFile(id, f.name())
                        .orElseThrow(() -> new IllegalStateException(
                                "picture " + f.name() + " of problem " + id + " has no data")))
                .toList();
        return p.withStatementFiles(files);
    }

    private Count contests() {
        List<Contest> all = from.contests().list();
        List<Contest> missing =
                all.stream().filter(c -> to.contests().get(c.id()).isEmpty()).toList();
        missing.forEach(to.contests()::save);
        return new Count("contests", missing.size(), all.size() - missing.size());
    }

    /** Page by page, newest first; each record whole, with its history, in one transaction. */
    private Count submissions() {
        int copied = 0;
        int present = 0;
        String token = null;
        do {
            Page<SubmissionSummary> page = from.submissions().list(SubmissionFilter.all(), 1000, token);
            for (SubmissionSummary s : page.items()) {
                // One deleted since it was listed (retention) is neither.
                Optional<Boolean> written = from.submissions().get(s.id()).map(to.submissions()::importRecord);
                copied += written.orElse(false) ? 1 : 0;
                present += written.orElse(true) ? 0 : 1;
            }
            token = page.continuationToken();
        } while (token != null);
        return new Count("submissions", copied, present);
    }

    private static <T> Count count(String kind, Stream<T> rows, java.util.function.Predicate<T> write) {
        var written = rows.collect(Collectors.partitioningBy(write, Collectors.counting()));
        return new Count(kind, written.get(true).intValue(), written.get(false).intValue());
    }

    /** The report as the command prints it. */
    public static String report(List<Count> counts) {
        List<String> lines = new ArrayList<>(List.of("copied from Azure Storage to PostgreSQL:"));
        counts.forEach(c -> lines.add("  " + c));
        return String.join("\n", lines);
    }
}
