package io.codingengine.common.problem;

import io.codingengine.common.judge.Ids;
import io.codingengine.common.judge.TestCase;
import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Problems and their test data. Two views, kept apart by type: {@link ProblemSummary} for
 * anything that answers clients ({@link #get}, {@link #list}, the import results), and
 * {@link Problem} with the secret tests for the judge only ({@link #load}, {@link #tests}).
 * Thread-safe. Failures of the underlying storage surface as the storage client's unchecked
 * exceptions.
 */
public interface ProblemStore {

    /**
     * Imports a Kattis problem package (a directory or a {@code .zip}) under its short name: the
     * directory's name, the zip's single top-level directory, or the zip's file name without
     * {@code .zip}. See {@link KattisPackage} for what is read. Replaces a problem with that id.
     *
     * @throws InvalidPackageException when the package is unsafe, incomplete or unsupported;
     *                                 nothing was stored
     */
    default ProblemSummary importPackage(Path dirOrZip) {
        return save(KattisPackage.read(dirOrZip));
    }

    /** As {@link #importPackage(Path)}, under the given id. */
    default ProblemSummary importPackage(String problemId, Path dirOrZip) {
        return save(KattisPackage.read(Ids.require(problemId, "problem id"), dirOrZip));
    }

    /** Stores {@code problem}, replacing one with its id. */
    ProblemSummary save(Problem problem);

    /** The client's view of a problem, or empty. */
    Optional<ProblemSummary> get(String id);

    /** The client's view of every problem, by id. */
    List<ProblemSummary> list();

    /** The judge's view of a problem: limits, checker and every test. Server side only. */
    Optional<Problem> load(String id);

    /**
     * Every test of a problem in run order (samples first), secret ones included. Server side only.
     *
     * @throws NoSuchElementException when there is no such problem
     */
    default List<TestCase> tests(String id) {
        return load(id).orElseThrow(() -> new NoSuchElementException("no problem " + id))
                .tests();
    }

    /**
     * A picture of a problem's statement with its data, or empty when the problem or the picture
     * does not exist. Whoever may read the statement may read it.
     */
    Optional<StatementFile> statementFile(String problemId, String name);

    /** Deletes a problem and its data; {@code false} when there was none. */
    boolean delete(String id);
}
