package io.codingengine.api.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.api.access.Principal;
import io.codingengine.api.access.Role;
import io.codingengine.api.clarification.ClarificationStore.Clarification;
import io.codingengine.api.contest.AccountStore;
import io.codingengine.api.contest.DraftStore;
import io.codingengine.common.audit.AuditEntry;
import io.codingengine.common.audit.AuditQuery;
import io.codingengine.common.contest.Contest;
import io.codingengine.common.contest.Scoring;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.Grading;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.TestCase;
import io.codingengine.common.judge.TestResult;
import io.codingengine.common.judge.Verdict;
import io.codingengine.common.problem.Problem;
import io.codingengine.common.problem.SampleInteraction;
import io.codingengine.common.problem.StatementFile;
import io.codingengine.common.store.AzuriteExtension;
import io.codingengine.common.store.PostgresExtension;
import io.codingengine.common.store.StalledRound;
import io.codingengine.common.store.StorageAccount;
import io.codingengine.common.store.SubmissionRecord;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The move of a deployment from Azure Storage (Azurite) to PostgreSQL, by the command itself:
 * every kind arrives whole (a large submission's blobs, a regrade's history, a queued regrade
 * round that runs every test and is sent again so, a problem's secret tests and pictures, a key
 * that still signs in, a contest's questions, answers and announcements), the report counts it,
 * and a second run copies nothing.
 */
@ExtendWith(AzuriteExtension.class)
class CopyToPostgresTest {

    private static final Instant AT = Instant.parse("2026-11-30T10:15:30.123456Z");

    @Test
    void aDeploymentOnAzureStorageMovesWholeAndASecondRunCopiesNothing() throws Exception {
        String prefix = "m" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        StoreCopy.Source azure = StoreCopy.Source.of(
                new StorageAccount(AzuriteExtension.connectionString(), "", "", "").connect(), prefix);

        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
        Problem problem = new Problem(
                "sum",
                "Sum",
                Duration.ofSeconds(2),
                256L << 20,
                8L << 20,
                CheckerSpec.DEFAULT,
                List.of(new TestCase("1", "1 2\n", "3\n", true)),
                List.of(new TestCase("2", "5 5\n", "10\n", false)),
                "Add two numbers. ![](statement/fig.png)",
                List.of(new StatementFile("fig.png", "image/png", sha256(png), png)),
                "the package's",
                grading(),
                List.of(new SampleInteraction("sample/1", "< 1 2\n> 3\n")));
        azure.problems().save(problem);
        Contest contest = new Contest("cup", "Cup", List.of("sum"), AT, AT.plusSeconds(3600), Scoring.ICPC, List.of());
        azure.contests().save(contest);
        Principal alice = new Principal("alice", Role.PARTICIPANT, "cup");
        String key = azure.keys().issue(alice);
        AccountStore.Account account = new AccountStore.Account("cup", "alice", "p-1", "Alice", "$2a$10$hash", AT);
        azure.accounts().create(account);
        DraftStore.Draft draft = azure.drafts()
                .save("cup", "p-1", "sum", "c++", "int main(){}", 0)
                .draft();
        List<Clarification> clarifications = List.of(
                Clarification.question("cup", "c-1", "sum", "alice", "Are inputs negative?", AT),
                new Clarification(
                        "cup",
                        "c-2",
                        null,
                        "alice",
                        "May I use C?",
                        AT.plusSeconds(5),
                        "Yes",
                        true,
                        "admin",
                        AT.plusSeconds(60)),
                Clarification.announcement("cup", "c-3", null, "Ten minutes left.", "admin", AT.plusSeconds(3000)));
        clarifications.forEach(azure.clarifications()::create);

        Submission queued = submission("print(1)");
        Submission large = submission("#" + "x".repeat(40_000) + "\nprint(2)"); // kept in a blob
        Submission regraded = submission("print(3)");
        Submission everyTest = submission("print(4)"); // an allTests regrade, queued when the engine stopped
        for (Submission s : List.of(queued, large, regraded, everyTest)) {
            azure.submissions().create(s);
        }
        azure.submissions().markRunning(large.id(), 0, 1, 1);
        azure.submissions().complete(large.id(), judgement(0, "y".repeat(40_000)));
        azure.submissions().complete(regraded.id(), judgement(0, "first"));
        azure.submissions().startRegrade(regraded.id(), 5);
        azure.submissions().complete(regraded.id(), judgement(5, "second"));
        azure.submissions().complete(everyTest.id(), judgement(0, "lazy"));
        azure.submissions().startRegrade(everyTest.id(), 6, true);
        AuditEntry entry = new AuditEntry(
                AuditEntry.Kind.JUDGE,
                regraded.id(),
                5,
                "alice",
                regraded.createdAt(),
                AT.plusSeconds(9),
                "python",
                "ab".repeat(32),
                null,
                "AC",
                12,
                4096,
                "w1",
                "local:host/slot-0",
                "c-1",
                null);
        azure.audit().record(entry);

        PostgresExtension.Database database = PostgresExtension.newDatabase("copy");
        String[] args = {
            "--coding-engine.storage=" + AzuriteExtension.connectionString(),
            "--coding-engine.table-prefix=" + prefix,
            "--spring.datasource.url=" + database.jdbcUrl(),
            "--spring.datasource.username=" + database.user()
        };
        String report = CopyToPostgres.run(args);

        assertCounts(report, true);

        StoreCopy.Target postgres = StoreCopy.Target.of(database.dataSource());
        StatementFile picture = problem.statementFiles().getFirst();
        assertEquals(
                problem.withStatementFiles(List.of(picture.withoutData())),
                postgres.problems().load("sum").orElseThrow(),
                "secret tests, groups and all (a load for judging leaves the pictures' data out)");
        assertEquals(
                picture, postgres.problems().statementFile("sum", "fig.png").orElseThrow());
        assertEquals(contest, postgres.contests().get("cup").orElseThrow());
        assertEquals(alice, postgres.keys().authenticate(key).orElseThrow(), "the key signs in on PostgreSQL");
        assertEquals(account, postgres.accounts().get("cup", "alice").orElseThrow());
        DraftStore.Draft moved =
                postgres.drafts().list("cup", "p-1", "sum", List.of("c++")).getFirst();
        assertEquals(
                draft,
                new DraftStore.Draft(
                        moved.problemId(), moved.language(), moved.code(), moved.revision(), draft.savedAt()));
        assertTrue(Duration.between(draft.savedAt(), moved.savedAt()).abs().toNanos() < 1000, "to the microsecond");
        assertEquals(clarifications, postgres.clarifications().list("cup"), "questions, answers and announcements");
        for (Submission s : List.of(queued, large, regraded, everyTest)) {
            assertSameRecord(
                    azure.submissions().get(s.id()).orElseThrow(),
                    postgres.submissions().get(s.id()).orElseThrow());
        }
        assertTrue(postgres.submissions().get(everyTest.id()).orElseThrow().allTests());
        StalledRound resent = postgres.submissions().stalled(Instant.now(), 10).stream()
                .filter(r -> r.id().equals(everyTest.id()))
                .findFirst()
                .orElseThrow();
        assertEquals(6, resent.round());
        assertTrue(resent.allTests(), "the sweeper sends the copied round again running every test");
        assertEquals(
                List.of(entry),
                postgres.audit()
                        .query(new AuditQuery(
                                AT.minusSeconds(60), AT.plusSeconds(60), "alice", null, null, null, null, 10)));

        assertCounts(CopyToPostgres.run(args), false);
    }

    /** A scoring problem's groups: a secret group that stops at its first rejected test, its own scores and flags. */
    private static Grading grading() {
        Grading.Group sample = new Grading.Group(
                "sample",
                false,
                Grading.Aggregation.SUM,
                Grading.VerdictMode.WORST_ERROR,
                false,
                false,
                0.0,
                0,
                null,
                null,
                false,
                List.of(Grading.Item.test("1")));
        Grading.Group secret = new Grading.Group(
                "secret",
                true,
                Grading.Aggregation.MIN,
                Grading.VerdictMode.FIRST_ERROR,
                false,
                false,
                40.0,
                0,
                0.0,
                40.0,
                false,
                List.of(Grading.Item.test("2")));
        Grading.Group root = new Grading.Group(
                Grading.ROOT,
                false,
                Grading.Aggregation.SUM,
                Grading.VerdictMode.WORST_ERROR,
                true,
                false,
                null,
                0,
                null,
                null,
                false,
                List.of(Grading.Item.group(sample), Grading.Item.group(secret)));
        return new Grading(true, root, Map.of("2", List.of("float_tolerance", "1e-6")), false);
    }

    /** Each kind's count, all of them copied the first time, all of them there already the next. */
    private static void assertCounts(String report, boolean first) {
        Map<String, Integer> seeded = new LinkedHashMap<>();
        List.of("problems", "contests", "api keys", "accounts", "drafts", "audit")
                .forEach(kind -> seeded.put(kind, 1));
        seeded.put("clarifications", 3);
        seeded.put("submissions", 4);
        seeded.forEach((kind, n) -> assertTrue(
                report.contains(
                        String.format("%-14s %7d copied, %7d already there", kind, first ? n : 0, first ? 0 : n)),
                report));
    }

    /** Equal, but for the time of the last change, which PostgreSQL rounds to the microsecond. */
    private static void assertSameRecord(SubmissionRecord azure, SubmissionRecord postgres) {
        assertTrue(
                Duration.between(azure.updatedAt(), postgres.updatedAt()).abs().toNanos() < 1000,
                azure.updatedAt() + " kept as " + postgres.updatedAt());
        assertEquals(
                new SubmissionRecord(
                        azure.submission(),
                        azure.status(),
                        azure.round(),
                        azure.allTests(),
                        azure.attempt(),
                        azure.testsDone(),
                        azure.testsTotal(),
                        azure.judgement(),
                        azure.history(),
                        postgres.updatedAt()),
                postgres);
    }

    private static Submission submission(String source) {
        return new Submission(
                "s-" + UUID.randomUUID(),
                null,
                "cup",
                "alice",
                "python",
                "*",
                List.of(SourceFile.utf8("main.py", source)),
                List.of(new TestCase("t", "", "1\n", true)),
                null,
                AT);
    }

    private static Judgement judgement(long round, String output) {
        return new Judgement(
                Verdict.AC,
                100,
                null,
                List.of(new TestResult("t", Verdict.AC, 10, 1 << 20, output, output, null, null, true)),
                AT,
                "w1",
                round,
                1);
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
