package io.codingengine.api.judge;

import io.codingengine.api.config.EngineProperties;
import io.codingengine.api.web.PayloadTooLargeException;
import io.codingengine.common.contest.ContestStore;
import io.codingengine.common.contest.Scoring;
import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.Ids;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.Verdict;
import io.codingengine.common.pipeline.WorkItem;
import io.codingengine.common.problem.ProblemStore;
import io.codingengine.common.queue.Lane;
import io.codingengine.common.queue.SubmissionQueue;
import io.codingengine.common.store.SubmissionStore;
import io.codingengine.common.store.UpdateOutcome;
import io.codingengine.executor.ExecutorConfig;
import io.codingengine.executor.language.Catalogue;
import io.codingengine.executor.language.SourceLayout;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Accepting submissions: check everything first (nothing is stored for a bad request), store,
 * then enqueue. If the queue refuses after the store accepted, the submission is closed as IE
 * rather than left QUEUED forever; if the api dies in between, the {@link Sweeper} sends it.
 */
@Service
public class Submissions {

    private final SubmissionStore store;
    private final ProblemStore problems;
    private final SubmissionQueue queue;
    private final Catalogue catalogue;
    private final ExecutorConfig limits;
    private final EngineProperties.Limits requestLimits;
    private final Clock clock;
    private final ContestStore contests;
    /** Test aid: a participant whose submissions are stored and then not queued; empty: none. */
    private final String pauseBeforeQueueing;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Submissions.class);
    /** The longest participant id a submission may name. */
    public static final int MAX_PARTICIPANT_CHARS = 128;

    public Submissions(
            SubmissionStore store,
            ProblemStore problems,
            SubmissionQueue queue,
            Catalogue catalogue,
            ExecutorConfig limits,
            EngineProperties properties,
            ContestStore contests) {
        this.store = store;
        this.contests = contests;
        this.problems = problems;
        this.queue = queue;
        this.catalogue = catalogue;
        this.limits = limits;
        this.requestLimits = properties.limits();
        this.pauseBeforeQueueing = properties.faultInjection().pauseBeforeQueueing();
        this.clock = Clock.systemUTC();
    }

    /**
     * Checks a participant id (or a key's subject, which is the participant of what it submits):
     * present, at most {@value #MAX_PARTICIPANT_CHARS} characters (it is part of storage keys,
     * which have a size limit) and without control characters (PostgreSQL's text refuses NUL, and
     * Table Storage keys refuse every control character).
     */
    public static void checkParticipant(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException(field + " is required");
        }
        if (value.length() > MAX_PARTICIPANT_CHARS) {
            throw new InvalidRequestException(field + " is at most " + MAX_PARTICIPANT_CHARS + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRequestException(field + " must not contain control characters");
        }
    }

    /** Checks a request and turns it into a submission with a fresh id; throws on any mistake. */
    public Submission validate(SubmissionRequest r) {
        if (r.language() == null || r.language().isBlank()) {
            throw new InvalidRequestException("language is required");
        }
        String version = r.version() == null || r.version().isBlank() ? "*" : r.version();
        var runtime = catalogue.resolve(r.language(), version);
        if (r.files() == null || r.files().isEmpty()) {
            throw new InvalidRequestException("files must contain at least one file");
        }
        SourceLayout.of(runtime.definition(), r.files(), limits.maxFiles(), limits.maxSourceBytes());
        checkParticipant("participant", r.participant());
        if (r.contestId() != null && !Ids.isValid(r.contestId())) {
            throw new InvalidRequestException("contestId must be " + Ids.SHAPE);
        }
        if (r.problemId() != null) {
            if (!Ids.isValid(r.problemId()) || problems.get(r.problemId()).isEmpty()) {
                throw new NoSuchElementException("unknown problem " + r.problemId());
            }
            if (r.tests() != null && !r.tests().isEmpty() || r.checker() != null) {
                throw new InvalidRequestException("a submission to a problem uses the problem's tests and checker");
            }
        } else if (r.tests() == null || r.tests().isEmpty()) {
            throw new InvalidRequestException("tests are required when no problemId is given");
        } else if (r.tests().size() > requestLimits.maxTests()) {
            throw new PayloadTooLargeException("at most " + requestLimits.maxTests() + " tests");
        } else {
            long maxInput = requestLimits.maxStdinBytes().toBytes();
            for (int i = 0; i < r.tests().size(); i++) {
                var t = r.tests().get(i);
                if (t == null) {
                    throw new InvalidRequestException("tests[" + i + "] must be an object, not null");
                }
                if (utf8Length(t.input()) > maxInput || utf8Length(t.expectedOutput()) > maxInput) {
                    throw new PayloadTooLargeException(
                            "tests[" + i + "]: input and expected output are limited to " + maxInput + " bytes each");
                }
            }
        }
        if (r.checker() instanceof CheckerSpec.Custom custom) {
            if (custom.files() == null || custom.files().isEmpty()) {
                throw new InvalidRequestException("checker.files must contain at least one file");
            }
            var checkerRuntime = catalogue.resolve(custom.language(), custom.version());
            SourceLayout.of(checkerRuntime.definition(), custom.files(), limits.maxFiles(), limits.maxSourceBytes());
        }
        try {
            return new Submission(
                    UUID.randomUUID().toString(),
                    r.problemId(),
                    r.contestId(),
                    r.participant(),
                    r.language(),
                    version,
                    r.files(),
                    r.tests(),
                    r.checker(),
                    clock.instant());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidRequestException(e.getMessage());
        }
    }

    private static long utf8Length(String s) {
        return s == null ? 0 : s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    /**
     * Stores checked submissions, lets {@code admitStored} refuse them (it deletes what it
     * refuses, see {@link io.codingengine.api.limits.WaitingLimit#hold}), then
     * enqueues them; returns their ids.
     */
    public List<String> submit(
            List<Submission> submissions, java.util.function.Consumer<List<Submission>> admitStored) {
        submissions.forEach(store::create);
        admitStored.accept(submissions);
        pauseForFaultInjection(submissions);
        for (Submission s : submissions) {
            boolean every = allTests(s);
            enqueue(s.id(), 0, Lane.CONTEST, every, !every && endsAtFirstRejection(s));
        }
        return submissions.stream().map(Submission::id).toList();
    }

    /** Stored, not queued: where the system tests kill the api ({@link EngineProperties.FaultInjection}). */
    private void pauseForFaultInjection(List<Submission> submissions) {
        if (pauseBeforeQueueing.isEmpty()
                || submissions.stream().noneMatch(s -> s.participant().equals(pauseBeforeQueueing))) {
            return;
        }
        LOG.error(
                "fault injection: {} stored, pausing before queueing them",
                submissions.stream().map(Submission::id).toList());
        try {
            Thread.sleep(Duration.ofHours(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Judges a stored submission again in {@code round} (later than its current one) on the
     * regrade lane, keeping its verdict in its history; {@code false} when the store refused the
     * round (an older round than the submission's).
     */
    public boolean regrade(String id, long round) {
        return regrade(id, round, false);
    }

    /**
     * {@link #regrade(String, long)}, running every test when {@code allTests} (also those a
     * rejection already decided, which lazy judging skips) or when its contest scores POINTS.
     */
    public boolean regrade(String id, long round, boolean allTests) {
        boolean every = allTests || runsEveryTest(id);
        if (store.startRegrade(id, round, every) != UpdateOutcome.APPLIED) {
            return false;
        }
        enqueue(id, round, Lane.REGRADE, every, !every && endsAtFirstRejection(id));
        return true;
    }

    /**
     * Whether judging submission {@code id} runs every test whatever a regrade asks: its contest
     * scores POINTS ({@code false} for a submission not stored). The {@link Sweeper} asks it of a
     * first judging it sends again.
     */
    public boolean runsEveryTest(String id) {
        return store.get(id).map(r -> allTests(r.submission())).orElse(false);
    }

    /**
     * Whether judging submission {@code id} ends at its first rejected test: ICPC rules apply to
     * it, under which nothing past the first failing test may show, not even how long the tests
     * after it took ({@code false} for a submission not stored). The {@link Sweeper} asks it too.
     */
    public boolean endsAtFirstRejection(String id) {
        return store.get(id).map(r -> endsAtFirstRejection(r.submission())).orElse(false);
    }

    private boolean endsAtFirstRejection(Submission s) {
        return Disclosure.icpcRules(contests, s.contestId(), s.problemId());
    }

    /**
     * Whether a submission's judging runs every test: in a POINTS contest a pass-fail problem
     * scores the share of its tests accepted, which lazy judging would cut short.
     */
    private boolean allTests(Submission s) {
        return s.contestId() != null
                && contests.get(s.contestId())
                        .map(c -> c.scoring() == Scoring.POINTS)
                        .orElse(false);
    }

    /** Puts one grading round of a stored submission on a lane. */
    private void enqueue(String id, long round, Lane lane, boolean allTests, boolean firstRejectionEnds) {
        try {
            send(
                    queue,
                    lane,
                    new WorkItem.Judge(
                            id,
                            round,
                            org.slf4j.MDC.get(io.codingengine.api.web.CorrelationIdFilter.MDC_KEY),
                            0,
                            allTests,
                            firstRejectionEnds));
        } catch (RuntimeException e) {
            store.complete(
                    id,
                    new Judgement(
                            Verdict.IE,
                            0,
                            "the submission could not be queued",
                            List.of(),
                            clock.instant(),
                            "api",
                            round,
                            1));
            throw e;
        }
    }

    /** Round r of a submission travels as message "&lt;id&gt;-&lt;r&gt;", whoever sends it ({@link Sweeper} too). */
    static void send(SubmissionQueue queue, Lane lane, WorkItem.Judge item) {
        queue.send(lane, item.submissionId() + "-" + item.round(), WorkItem.toJson(item));
    }
}
