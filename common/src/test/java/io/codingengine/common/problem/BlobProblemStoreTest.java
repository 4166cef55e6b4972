package io.codingengine.common.problem;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.TestCase;
import io.codingengine.common.store.AzureStorage;
import io.codingengine.common.store.AzuriteExtension;
import io.codingengine.common.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import static io.codingengine.common.problem.Packages.SECRET_ANSWER;
import static io.codingengine.common.problem.Packages.SECRET_INPUT;
import static io.codingengine.common.problem.Packages.directory;
import static io.codingengine.common.problem.Packages.hello;
import static io.codingengine.common.problem.Packages.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link BlobProblemStore} on a real Azurite. */
@ExtendWith(AzuriteExtension.class)
class BlobProblemStoreTest {

    private static BlobProblemStore store;
    private static BlobContainerClient container;

    @TempDir
    Path tmp;

    @BeforeAll
    static void connect() {
        String prefix = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        store = BlobProblemStore.fromConnectionString(AzuriteExtension.connectionString(), prefix);
        container = AzureStorage.blobs(AzuriteExtension.connectionString())
                .getBlobContainerClient(prefix + "-problems");
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The problem's blobs: its manifest and its data. */
    private static List<String> blobs(String id) {
        return java.util.stream.Stream.concat(
                container.listBlobs(new ListBlobsOptions().setPrefix("manifests/" + id + ".json"), null).stream(),
                container.listBlobs(new ListBlobsOptions().setPrefix("data/" + id + "/"), null).stream())
                .map(BlobItem::getName).toList();
    }

    @Test
    void importedDirectoryServesSummariesToClientsAndEveryTestToTheJudge() throws IOException {
        String id = unique("hello");
        ProblemSummary imported = store.importPackage(directory(tmp, id, hello()));

        assertEquals(id, imported.id());
        assertEquals("Hello World", imported.name());
        assertEquals(Duration.ofMillis(2500), imported.timeLimit());
        assertEquals(512L << 20, imported.memoryLimitBytes());
        assertEquals("TOKENS", imported.checker(), "Kattis's default validator, here with a float tolerance");
        assertEquals(2, imported.samples().size());
        assertTrue(imported.samples().stream().allMatch(TestCase::visible));
        assertEquals(2, imported.secretTestCount());
        assertEquals(imported, store.get(id).orElseThrow());

        Problem problem = store.load(id).orElseThrow();
        assertEquals(KattisPackage.read(tmp.resolve(id)), problem);
        List<TestCase> tests = store.tests(id);
        assertEquals(List.of("sample/1", "sample/2", "secret/02", "secret/group1/01"),
                tests.stream().map(TestCase::name).toList());
        assertEquals(List.of(true, true, false, false), tests.stream().map(TestCase::visible).toList());
        assertEquals(SECRET_ANSWER + " 1\n", tests.get(3).expectedOutput());
    }

    @Test
    void clientViewsNeverContainSecretData() throws IOException {
        String id = unique("secretive");
        store.importPackage(directory(tmp, id, hello()));

        List<ProblemSummary> listed = store.list();
        assertTrue(listed.stream().anyMatch(p -> p.id().equals(id)));
        for (Object clientView : List.of(listed, store.get(id).orElseThrow())) {
            String json = Json.write(clientView);
            assertFalse(json.contains(SECRET_INPUT), json);
            assertFalse(json.contains(SECRET_ANSWER), json);
            assertFalse(json.contains("secret/"), "not even the secret tests' names: " + json);
        }
        // The manifest that get() and list() read holds no secret data either.
        String manifest = container.getBlobClient("manifests/" + id + ".json").downloadContent().toString();
        assertFalse(manifest.contains(SECRET_INPUT) || manifest.contains(SECRET_ANSWER), manifest);
    }

    @Test
    void aZipBuiltHereImportsUnderAnExplicitIdWithItsCustomValidator() throws IOException {
        String id = unique("zipped");
        var files = with(with(hello(), "problem.yaml", "name: Zipped\nvalidation: custom\n"),
                "output_validators/v/validate.c", "int main(void) { return 42; }\n");
        Path zip = Packages.zip(tmp, "upload.zip", "some-dir/", files);

        ProblemSummary summary = store.importPackage(id, zip);
        assertEquals("CUSTOM", summary.checker());
        assertFalse(Json.write(summary).contains("return 42"), "the checker program stays on the server");
        CheckerSpec.Custom checker = (CheckerSpec.Custom) store.load(id).orElseThrow().checker();
        assertEquals("c", checker.language());
        assertEquals("validate.c", checker.files().getFirst().name());
    }

    @Test
    void reimportingReplacesTheDataAndDeletesTheOldVersion() throws IOException {
        String id = unique("again");
        store.importPackage(directory(tmp.resolve("v1"), id, hello()));
        assertEquals(5, blobs(id).size(), "manifest and two blobs per secret test: " + blobs(id));

        var changed = with(with(hello(), "data/secret/02.ans", "NEW ANSWER\n"), "data/secret/03.in", "3\n");
        store.importPackage(directory(tmp.resolve("v2"), id, with(changed, "data/secret/03.ans", "3\n")));

        Problem problem = store.load(id).orElseThrow();
        assertEquals(3, problem.secretTests().size());
        assertEquals("NEW ANSWER\n", problem.secretTests().getFirst().expectedOutput());
        assertEquals(7, blobs(id).size(), "only the new version is left: " + blobs(id));
    }

    @Test
    void concurrentSavesOfOneProblemLeaveOneWholeVersion() throws Exception {
        for (int round = 0; round < 3; round++) {
            String id = unique("raced");
            Problem a = problem(id, "A");
            Problem b = problem(id, "B");
            List<Object> outcomes = new CopyOnWriteArrayList<>();
            try (var threads = Executors.newFixedThreadPool(2)) {
                for (Problem problem : List.of(a, b)) {
                    threads.submit(() -> {
                        try {
                            outcomes.add(store.save(problem));
                        } catch (ConcurrentModificationException e) {
                            outcomes.add(e);
                        }
                    });
                }
            }
            assertEquals(2, outcomes.size());
            Problem stored = store.load(id).orElseThrow();
            assertTrue(stored.equals(a) || stored.equals(b), stored.toString());
            assertEquals(1 + 2 * 3, blobs(id).size(), "one manifest and one version's data: " + blobs(id));
        }
    }

    private static Problem problem(String id, String variant) {
        List<TestCase> secret = List.of(new TestCase("secret/1", variant + "1", variant, false),
                new TestCase("secret/2", variant + "2", variant, false),
                new TestCase("secret/3", variant + "3", variant, false));
        return new Problem(id, variant, Duration.ofSeconds(1), 1 << 26, Problem.DEFAULT_OUTPUT_LIMIT_BYTES, CheckerSpec.DEFAULT, List.of(), secret, null);
    }

    @Test
    void aRejectedPackageStoresNothing() throws IOException {
        String id = unique("broken");
        Path dir = directory(tmp, id, with(hello(), "data/secret/02.ans", null));
        assertThrows(InvalidPackageException.class, () -> store.importPackage(dir));
        assertTrue(store.get(id).isEmpty());
        assertTrue(blobs(id).isEmpty());
    }

    @Test
    void savedProblemsCanBeDeleted() {
        String id = unique("made");
        Problem problem = new Problem(id, "Made here", Duration.ofSeconds(1), 64L << 20, Problem.DEFAULT_OUTPUT_LIMIT_BYTES,
                CheckerSpec.DEFAULT, List.of(), List.of(new TestCase("secret/1", "in", "out", false)), null);
        ProblemSummary summary = store.save(problem);
        assertEquals(0, summary.samples().size());
        assertEquals(1, summary.secretTestCount());
        assertEquals("LINES", summary.checker());
        assertEquals(problem, store.load(id).orElseThrow());

        assertTrue(store.delete(id));
        assertFalse(store.delete(id));
        assertTrue(store.get(id).isEmpty());
        assertTrue(store.load(id).isEmpty());
        assertTrue(blobs(id).isEmpty());
        assertThrows(NoSuchElementException.class, () -> store.tests(id));
    }

    @Test
    void unknownAndInvalidIdsAreEmpty() {
        assertTrue(store.get(unique("none")).isEmpty());
        assertTrue(store.get("../x").isEmpty());
        assertTrue(store.load("a/b").isEmpty());
        assertFalse(store.delete(".."));
        assertThrows(IllegalArgumentException.class, () -> store.importPackage("../x", tmp));
    }

    @Test
    void statementPicturesAreServedKeptAcrossAChangeOfLimitsAndDeletedWhenNoLongerNamed() throws IOException {
        String id = unique("latex");
        ProblemSummary summary = store.importPackage(id, KattisPackageTest.resourcePackage("latexstatement"));
        assertTrue(summary.statement().contains("](statement/tower.png)"), summary.statement());
        byte[] tower = java.nio.file.Files.readAllBytes(
                KattisPackageTest.resourcePackage("latexstatement").resolve("problem_statement/tower.png"));
        StatementFile served = store.statementFile(id, "tower.png").orElseThrow();
        assertEquals("image/png", served.contentType());
        assertTrue(java.util.Arrays.equals(tower, served.data()));
        assertTrue(store.statementFile(id, "unused.png").isEmpty(), "a file the statement does not name is not kept");
        assertTrue(store.statementFile(id, "../manifests/" + id + ".json").isEmpty());

        Problem loaded = store.load(id).orElseThrow();
        assertEquals(null, loaded.statementFiles().getFirst().data(), "the judge does not download pictures");
        store.save(loaded.withTimeLimit(Duration.ofSeconds(7), "set by an admin"));
        assertEquals("set by an admin", store.get(id).orElseThrow().timeLimitSource());
        assertTrue(java.util.Arrays.equals(tower, store.statementFile(id, "tower.png").orElseThrow().data()));

        store.importPackage(id, directory(tmp, "hello", hello()));
        assertTrue(store.statementFile(id, "tower.png").isEmpty());
        assertTrue(container.listBlobs(new ListBlobsOptions().setPrefix("files/" + id + "/"), null).stream().findAny().isEmpty(),
                "the picture's blob is deleted with the statement that named it");
        store.delete(id);
    }
}
