package io.codingengine.api.judge;

import io.codingengine.api.access.CurrentPrincipal;
import io.codingengine.api.execution.ExecutionService;
import io.codingengine.common.contest.Contest;
import io.codingengine.common.contest.ContestStore;
import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.execution.StageLimits;
import io.codingengine.common.judge.Ids;
import io.codingengine.common.judge.SubmissionStatus;
import io.codingengine.common.problem.KattisPackage;
import io.codingengine.common.problem.Problem;
import io.codingengine.common.problem.ProblemStore;
import io.codingengine.common.problem.ProblemSummary;
import io.codingengine.common.store.SubmissionFilter;
import io.codingengine.common.store.SubmissionStore;
import io.codingengine.common.store.SubmissionSummary;
import io.codingengine.executor.ExecutorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Problems (Kattis packages) and regrades. A problem as returned here never holds secret test
 * data: {@link ProblemSummary} has no field that could.
 */
@RestController
@RequestMapping("/api/v1/problems")
public class ProblemController {

    private final ProblemStore problems;
    private final SubmissionStore store;
    private final Submissions submissions;
    private final TimeLimitCalibration calibration;
    private final CurrentPrincipal principal;
    private final StageLimits maxLimits;
    private final ContestStore contests;

    public ProblemController(
            ProblemStore problems,
            SubmissionStore store,
            Submissions submissions,
            ExecutionService execution,
            CurrentPrincipal principal,
            ContestStore contests,
            ExecutorConfig executor) {
        this.contests = contests;
        this.maxLimits = executor.max();
        this.problems = problems;
        this.store = store;
        this.submissions = submissions;
        this.calibration = new TimeLimitCalibration(execution, Clock.systemUTC());
        this.principal = principal;
    }

    /**
     * Imports a Kattis package sent as a zip body, under the given id. A package without a time
     * limit has its accepted submissions run first, in the request, to compute it
     * ({@link TimeLimitCalibration}).
     */
    @PutMapping(
            path = "/{id}",
            consumes = {"application/zip", "application/octet-stream"})
    ResponseEntity<ProblemSummary> importPackage(@PathVariable String id, @RequestBody byte[] zip) {
        if (!Ids.isValid(id)) {
            throw new InvalidRequestException("problem id must be " + Ids.SHAPE);
        }
        Path file = null;
        try {
            file = Files.createTempFile("ce-package-", ".zip");
            Files.write(file, zip);
            KattisPackage.Read read = KattisPackage.readForImport(id, file);
            ProblemLimits.check(read.problem(), maxLimits);
            Problem calibrated = calibration.apply(
                    read, principal.get().map(p -> p.subject()).orElse("import"));
            ProblemLimits.check(calibrated, maxLimits);
            ProblemSummary imported = problems.save(calibrated);
            return ResponseEntity.created(URI.create("/api/v1/problems/" + id)).body(imported);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(file);
        }
    }

    @GetMapping
    List<ProblemSummary> list() {
        return problems.list();
    }

    @GetMapping("/{id}")
    ProblemSummary get(@PathVariable String id) {
        return problems.get(id).orElseThrow(() -> new NoSuchElementException("unknown problem " + id));
    }

    /**
     * Deletes a problem and its test data; its submissions stay (with their verdicts), as a
     * deleted contest's do. Refused with 409 while a contest lists it: remove it from those
     * contests first, so that no contest shows a problem that is gone.
     */
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String id) {
        get(id);
        List<String> using = contests.list().stream()
                .filter(c -> c.problemIds().contains(id))
                .map(Contest::id)
                .toList();
        if (!using.isEmpty()) {
            throw new ResponseStatusException(
                    HttpStatus.CONFLICT,
                    "problem " + id + " is in contest(s) " + String.join(", ", using) + ": remove it from them first");
        }
        if (!problems.delete(id)) {
            throw new NoSuchElementException("unknown problem " + id);
        }
        return ResponseEntity.noContent().build();
    }

    /** A picture of the problem's statement, to whoever may read the problem. */
    @GetMapping("/{id}/statement/{name}")
    ResponseEntity<byte[]> statementFile(@PathVariable String id, @PathVariable String name) {
        return io.codingengine.api.contest.StatementFiles.response(problems, id, name);
    }

    /** The state of one regrade round of a problem: how many are judged, and their verdicts. */
    public record RegradeProgress(String problemId, long round, int total, int done, Map<String, Integer> verdicts) {}

    /**
     * Regrades every submission of the problem on the regrade lane (served after interactive runs
     * and contest submissions). Each keeps its earlier verdicts in its history. With
     * {@code allTests=true} every test runs, also those a rejection already decided (lazy judging
     * skips them): they are shown, and change no verdict or score but a pass-fail problem's share
     * of tests accepted.
     */
    @PostMapping("/{id}/regrade")
    ResponseEntity<RegradeProgress> regrade(
            @PathVariable String id, @RequestParam(name = "allTests", defaultValue = "false") boolean allTests) {
        get(id);
        long round = System.currentTimeMillis();
        List<SubmissionSummary> all = all(id);
        for (SubmissionSummary s : all) {
            submissions.regrade(s.id(), round, allTests);
        }
        return ResponseEntity.accepted()
                .location(URI.create("/api/v1/problems/" + id + "/regrades/" + round))
                .body(progress(id, round));
    }

    @GetMapping("/{id}/regrades/{round}")
    RegradeProgress progress(@PathVariable String id, @PathVariable long round) {
        int total = 0, done = 0;
        Map<String, Integer> verdicts = new java.util.TreeMap<>();
        for (SubmissionSummary s : all(id)) {
            if (s.round() < round) {
                continue;
            }
            total++;
            if (s.status() == SubmissionStatus.DONE && s.verdict() != null) {
                done++;
                verdicts.merge(s.verdict().name(), 1, Integer::sum);
            }
        }
        return new RegradeProgress(id, round, total, done, verdicts);
    }

    private List<SubmissionSummary> all(String problemId) {
        return store.listAll(SubmissionFilter.problem(problemId));
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file; the OS cleans /tmp
            }
        }
    }
}
