package io.codingengine.common.problem;

import static io.codingengine.common.problem.Packages.SECRET_ANSWER;
import static io.codingengine.common.problem.Packages.SECRET_INPUT;
import static io.codingengine.common.problem.Packages.directory;
import static io.codingengine.common.problem.Packages.hello;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import io.codingengine.common.store.AzureStorage;
import io.codingengine.common.store.AzuriteExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link ProblemStoreContract} against {@link BlobProblemStore} on a real Azurite, and what only blobs show. */
@ExtendWith(AzuriteExtension.class)
class BlobProblemStoreTest extends ProblemStoreContract {

    private static BlobProblemStore store;
    private static BlobContainerClient container;

    @BeforeAll
    static void connect() {
        String prefix = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        store = BlobProblemStore.fromConnectionString(AzuriteExtension.connectionString(), prefix);
        container =
                AzureStorage.blobs(AzuriteExtension.connectionString()).getBlobContainerClient(prefix + "-problems");
    }

    @Override
    protected ProblemStore store() {
        return store;
    }

    /**
     * The manifest and two data blobs per secret test of the current version, and one blob per
     * content of its statement files, named by its SHA-256; nothing else.
     */
    @Override
    protected void assertStoresExactly(String id, Problem problem) {
        int expected = problem == null ? 0 : 1 + 2 * problem.secretTests().size();
        assertEquals(expected, blobs(id).size(), "the manifest and one version's data: " + blobs(id));
        Set<String> pictures = problem == null
                ? Set.of()
                : problem.statementFiles().stream()
                        .map(file -> "files/" + id + "/" + file.sha256())
                        .collect(Collectors.toSet());
        assertEquals(pictures, Set.copyOf(pictureBlobs(id)));
    }

    /** The blobs of the problem's statement files. */
    private static List<String> pictureBlobs(String id) {
        return container.listBlobs(new ListBlobsOptions().setPrefix("files/" + id + "/"), null).stream()
                .map(BlobItem::getName)
                .toList();
    }

    /** The problem's blobs: its manifest and its data. */
    private static List<String> blobs(String id) {
        return java.util.stream.Stream.concat(
                        container
                                .listBlobs(new ListBlobsOptions().setPrefix("manifests/" + id + ".json"), null)
                                .stream(),
                        container.listBlobs(new ListBlobsOptions().setPrefix("data/" + id + "/"), null).stream())
                .map(BlobItem::getName)
                .toList();
    }

    @Test
    void theManifestThatClientViewsReadHoldsNoSecretData() throws IOException {
        String id = unique("secretive");
        store.importPackage(directory(tmp, id, hello()));
        String manifest = container
                .getBlobClient("manifests/" + id + ".json")
                .downloadContent()
                .toString();
        assertFalse(manifest.contains(SECRET_INPUT) || manifest.contains(SECRET_ANSWER), manifest);
    }

    @Test
    void statementPicturesAreBlobsNamedByTheirContentAndGoWithTheProblem() throws IOException {
        String id = unique("latex");
        Path latex = KattisPackageTest.resourcePackage("latexstatement");
        store.importPackage(id, latex);
        byte[] tower = Files.readAllBytes(latex.resolve("problem_statement/tower.png"));
        assertEquals(List.of("files/" + id + "/" + KattisPackage.sha256(tower)), pictureBlobs(id));
        String manifest = container
                .getBlobClient("manifests/" + id + ".json")
                .downloadContent()
                .toString();
        assertTrue(
                manifest.contains("\"tower.png\"") && !manifest.contains("\"data\":\""),
                "the manifest names the picture without its data: " + manifest);

        assertTrue(store.delete(id));
        assertTrue(pictureBlobs(id).isEmpty(), pictureBlobs(id).toString());
    }
}
