package io.codingengine.common.problem;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import io.codingengine.common.json.Json;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.Grading;
import io.codingengine.common.judge.Ids;
import io.codingengine.common.judge.TestCase;
import io.codingengine.common.store.AzureStorage;
import io.codingengine.common.store.Parallel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * {@link ProblemStore} on Azure Blob Storage (or Azurite), in the container
 * {@code <prefix>-problems}.
 *
 * <h2>Layout</h2>
 * <ul>
 *   <li>{@code manifests/<id>.json}: the <em>manifest</em>: name, limits, checker, statement, the
 *       sample tests with their data, the current version, and for each secret test its name and
 *       the names of its two data blobs. Everything {@link #get} and {@link #list} read, so that
 *       answering a client never touches secret data; {@link #list} is one flat listing of
 *       {@code manifests/} (no delimiter listing, which Azurite answers differently).</li>
 *   <li>{@code data/<id>/<version>/<n>.in} and {@code .ans}: the secret tests' data, one blob
 *       each.</li>
 *   <li>{@code files/<id>/<sha256>}: the pictures of the statement, by content, so that a save
 *       of a problem loaded without them (a change of limits) keeps them as they are; a save
 *       deletes those its manifest no longer names.</li>
 * </ul>
 * A save writes a new version's data blobs first, then replaces the manifest with a write
 * conditioned on the ETag it read (or on there being none), so readers switch from the old
 * version to the new one at once; then it deletes the old version's blobs. Two concurrent saves
 * of one problem cannot interleave: the second manifest write fails, that save deletes its own
 * blobs and throws {@link ConcurrentModificationException}. A {@link #load} that finds a data blob
 * gone (a save replaced the version meanwhile) reads the manifest again.
 */
public final class BlobProblemStore implements ProblemStore {

    private static final String MANIFESTS = "manifests/";
    private static final String DATA = "data/";
    private static final String FILES = "files/";
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,29}|");
    private static final int LOAD_TRIES = 3;

    /**
     * The manifest as stored; secret data stays in the blobs it names. An {@code outputLimitBytes}
     * of 0 is a manifest stored before problems had one: the default; a {@code grading} of
     * {@code null}, a problem without test data groups (as every one stored before); no
     * {@code sampleInteractions}, none (a manifest stored before problems had them).
     */
    record Manifest(
            String id,
            String name,
            long timeLimitMs,
            long memoryLimitBytes,
            long outputLimitBytes,
            CheckerSpec checker,
            String statement,
            List<TestCase> samples,
            String version,
            List<SecretRef> secret,
            Instant savedAt,
            List<StatementFile> statementFiles,
            String timeLimitSource,
            Grading grading,
            List<SampleInteraction> sampleInteractions) {

        Manifest {
            statementFiles = statementFiles == null ? List.of() : statementFiles;
            sampleInteractions = sampleInteractions == null ? List.of() : sampleInteractions;
        }

        ProblemSummary summary() {
            return new ProblemSummary(
                    id,
                    name,
                    Duration.ofMillis(timeLimitMs),
                    memoryLimitBytes,
                    ProblemSummary.kindOf(checker),
                    samples,
                    secret.size(),
                    statement,
                    timeLimitSource,
                    sampleInteractions);
        }
    }

    /** One secret test: its name and its data blobs. */
    record SecretRef(String name, String inputBlob, String answerBlob) {}

    private final BlobContainerClient container;

    /**
     * Uses (and creates when missing) the container {@code <namePrefix>-problems}, or
     * {@code problems} for an empty prefix.
     *
     * @param namePrefix empty, or a letter and up to 29 letters and digits
     */
    public BlobProblemStore(BlobServiceClient blobs, String namePrefix) {
        if (!PREFIX.matcher(namePrefix).matches()) {
            throw new IllegalArgumentException("namePrefix must be empty or [A-Za-z][A-Za-z0-9]{0,29}: " + namePrefix);
        }
        this.container = blobs.getBlobContainerClient(
                namePrefix.isEmpty() ? "problems" : namePrefix.toLowerCase() + "-problems");
        container.createIfNotExists();
    }

    /** A store on the account of {@code connectionString} (see {@link AzureStorage}). */
    public static BlobProblemStore fromConnectionString(String connectionString, String namePrefix) {
        return new BlobProblemStore(AzureStorage.blobs(connectionString), namePrefix);
    }

    @Override
    public ProblemSummary save(Problem problem) {
        Objects.requireNonNull(problem, "problem");
        String id = problem.id();
        Versioned current = readManifest(id);
        String version = Instant.now().toEpochMilli() + "-"
                + UUID.randomUUID().toString().substring(0, 8);

        List<SecretRef> refs = new ArrayList<>();
        List<Callable<Void>> uploads = new ArrayList<>();
        List<TestCase> secret = problem.secretTests();
        for (int i = 0; i < secret.size(); i++) {
            TestCase test = secret.get(i);
            String base = DATA + id + "/" + version + "/" + String.format("%05d", i);
            refs.add(new SecretRef(test.name(), base + ".in", base + ".ans"));
            uploads.add(() -> upload(base + ".in", test.input()));
            uploads.add(() -> upload(base + ".ans", test.expectedOutput()));
        }
        List<StatementFile> files = new ArrayList<>();
        for (StatementFile file : problem.statementFiles()) {
            files.add(file.withoutData());
            if (file.data() != null) {
                uploads.add(() -> {
                    container
                            .getBlobClient(FILES + id + "/" + file.sha256())
                            .upload(BinaryData.fromBytes(file.data()), true);
                    return null;
                });
            }
        }
        Manifest manifest = new Manifest(
                id,
                problem.name(),
                problem.timeLimit().toMillis(),
                problem.memoryLimitBytes(),
                problem.outputLimitBytes(),
                problem.checker(),
                problem.statement(),
                problem.samples(),
                version,
                refs,
                Instant.now(),
                files,
                problem.timeLimitSource(),
                problem.grading(),
                problem.sampleInteractions());
        try {
            Parallel.all(uploads);
            BlobRequestConditions conditions = current == null
                    ? new BlobRequestConditions().setIfNoneMatch("*")
                    : new BlobRequestConditions().setIfMatch(current.eTag());
            container
                    .getBlobClient(MANIFESTS + id + ".json")
                    .uploadWithResponse(
                            new BlobParallelUploadOptions(BinaryData.fromString(Json.write(manifest)))
                                    .setRequestConditions(conditions),
                            null,
                            Context.NONE);
        } catch (RuntimeException e) {
            deletePrefix(DATA + id + "/" + version + "/");
            if (e instanceof BlobStorageException storage
                    && (storage.getStatusCode() == 412 || storage.getStatusCode() == 409)) {
                throw new ConcurrentModificationException(
                        "problem " + id + " was saved by someone else meanwhile; nothing of this save was kept", e);
            }
            throw e;
        }
        if (current != null && !current.manifest().version().equals(version)) {
            deletePrefix(DATA + id + "/" + current.manifest().version() + "/");
        }
        deleteUnnamedFiles(id, files);
        return manifest.summary();
    }

    @Override
    public Optional<ProblemSummary> get(String id) {
        if (!Ids.isValid(id)) {
            return Optional.empty();
        }
        return Optional.ofNullable(readManifest(id)).map(v -> v.manifest().summary());
    }

    @Override
    public List<ProblemSummary> list() {
        List<Callable<Optional<ProblemSummary>>> reads = new ArrayList<>();
        for (BlobItem item : container.listBlobs(new ListBlobsOptions().setPrefix(MANIFESTS), null)) {
            String name = item.getName();
            if (name.endsWith(".json")) {
                String id = name.substring(MANIFESTS.length(), name.length() - ".json".length());
                reads.add(() -> get(id));
            }
        }
        return Parallel.all(reads).stream().flatMap(Optional::stream).toList();
    }

    @Override
    public Optional<Problem> load(String id) {
        if (!Ids.isValid(id)) {
            return Optional.empty();
        }
        for (int attempt = 1; ; attempt++) {
            Versioned versioned = readManifest(id);
            if (versioned == null) {
                return Optional.empty();
            }
            Manifest manifest = versioned.manifest();
            List<Callable<TestCase>> downloads = new ArrayList<>();
            for (SecretRef ref : manifest.secret()) {
                downloads.add(
                        () -> new TestCase(ref.name(), download(ref.inputBlob()), download(ref.answerBlob()), false));
            }
            try {
                List<TestCase> secret = Parallel.all(downloads);
                return Optional.of(new Problem(
                        manifest.id(),
                        manifest.name(),
                        Duration.ofMillis(manifest.timeLimitMs()),
                        manifest.memoryLimitBytes(),
                        manifest.outputLimitBytes() > 0
                                ? manifest.outputLimitBytes()
                                : Problem.DEFAULT_OUTPUT_LIMIT_BYTES,
                        manifest.checker(),
                        manifest.samples(),
                        secret,
                        manifest.statement(),
                        manifest.statementFiles(),
                        manifest.timeLimitSource(),
                        manifest.grading(),
                        manifest.sampleInteractions()));
            } catch (BlobStorageException e) {
                if (e.getStatusCode() != 404 || attempt >= LOAD_TRIES) {
                    throw e;
                }
                // A save replaced the version while we read it: read the new manifest.
            }
        }
    }

    @Override
    public boolean delete(String id) {
        if (!Ids.isValid(id)) {
            return false;
        }
        boolean existed = container.getBlobClient(MANIFESTS + id + ".json").deleteIfExists();
        deletePrefix(DATA + id + "/");
        deletePrefix(FILES + id + "/");
        return existed;
    }

    @Override
    public Optional<StatementFile> statementFile(String problemId, String name) {
        if (!Ids.isValid(problemId) || name == null) {
            return Optional.empty();
        }
        Versioned versioned = readManifest(problemId);
        if (versioned == null) {
            return Optional.empty();
        }
        for (StatementFile file : versioned.manifest().statementFiles()) {
            if (file.name().equals(name)) {
                try {
                    byte[] data = container
                            .getBlobClient(FILES + problemId + "/" + file.sha256())
                            .downloadContent()
                            .toBytes();
                    return Optional.of(new StatementFile(file.name(), file.contentType(), file.sha256(), data));
                } catch (BlobStorageException e) {
                    if (e.getStatusCode() == 404) {
                        return Optional.empty();
                    }
                    throw e;
                }
            }
        }
        return Optional.empty();
    }

    /** Deletes the pictures of a problem that {@code kept} does not name. */
    private void deleteUnnamedFiles(String id, List<StatementFile> kept) {
        java.util.Set<String> named = new java.util.HashSet<>();
        kept.forEach(file -> named.add(FILES + id + "/" + file.sha256()));
        List<Callable<Void>> deletions = new ArrayList<>();
        for (BlobItem item : container.listBlobs(new ListBlobsOptions().setPrefix(FILES + id + "/"), null)) {
            if (!named.contains(item.getName())) {
                deletions.add(() -> {
                    container.getBlobClient(item.getName()).deleteIfExists();
                    return null;
                });
            }
        }
        Parallel.all(deletions);
    }

    // ------------------------------------------------------------------------------ helpers

    private record Versioned(Manifest manifest, String eTag) {}

    private Versioned readManifest(String id) {
        try {
            var response = container
                    .getBlobClient(MANIFESTS + id + ".json")
                    .downloadContentWithResponse(null, null, null, Context.NONE);
            return new Versioned(
                    Json.read(response.getValue().toString(), Manifest.class),
                    response.getDeserializedHeaders().getETag());
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    private Void upload(String name, String content) {
        container.getBlobClient(name).upload(BinaryData.fromString(content), true);
        return null;
    }

    private String download(String name) {
        return container.getBlobClient(name).downloadContent().toString();
    }

    private void deletePrefix(String prefix) {
        List<Callable<Void>> deletions = new ArrayList<>();
        for (BlobItem item : container.listBlobs(new ListBlobsOptions().setPrefix(prefix), null)) {
            deletions.add(() -> {
                container.getBlobClient(item.getName()).deleteIfExists();
                return null;
            });
        }
        Parallel.all(deletions);
    }
}
