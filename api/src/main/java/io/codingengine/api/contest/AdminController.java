package io.codingengine.api.contest;

import io.codingengine.api.access.Authenticator;
import io.codingengine.api.judge.ProblemLimits;
import io.codingengine.api.judge.Submissions;
import io.codingengine.common.contest.Contest;
import io.codingengine.common.contest.ContestStore;
import io.codingengine.common.contest.Invitation;
import io.codingengine.common.contest.Scoring;
import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.execution.StageLimits;
import io.codingengine.common.judge.Ids;
import io.codingengine.common.judge.SubmissionStatus;
import io.codingengine.common.judge.TestCase;
import io.codingengine.common.pipeline.WorkItem;
import io.codingengine.common.problem.Problem;
import io.codingengine.common.problem.ProblemStore;
import io.codingengine.common.problem.ProblemSummary;
import io.codingengine.common.queue.DeadLetter;
import io.codingengine.common.queue.Lane;
import io.codingengine.common.queue.SubmissionQueue;
import io.codingengine.common.store.SubmissionFilter;
import io.codingengine.common.store.SubmissionStore;
import io.codingengine.executor.ExecutorConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * The admin screens' endpoints: contests (with their invitations), a problem's tests and limits,
 * and the state of the queue. Every call needs an admin key ({@code AccessRules}: {@code /api/v1/admin/**}).
 */
@RestController
@RequestMapping("/api/v1/admin")
public class AdminController {

    private static final Logger LOG = LoggerFactory.getLogger(AdminController.class);
    private static final int DEAD_LETTERS_SHOWN = 50;
    private static final int PREVIEW_CHARS = 200;
    /** Dead letters a requeue looks through for the one named. */
    private static final int REQUEUE_SCAN = 1000;

    private final ContestStore contests;
    private final ProblemStore problems;
    private final SubmissionStore store;
    private final SubmissionQueue queue;
    private final AccountStore accounts;
    private final StageLimits maxLimits;
    private final Authenticator authenticator;
    private final Submissions submissions;
    private final Clock clock = Clock.systemUTC();

    public AdminController(
            ContestStore contests,
            ProblemStore problems,
            SubmissionStore store,
            SubmissionQueue queue,
            AccountStore accounts,
            Submissions submissions,
            ExecutorConfig executor,
            Authenticator authenticator) {
        this.accounts = accounts;
        this.submissions = submissions;
        this.maxLimits = executor.max();
        this.authenticator = authenticator;
        this.contests = contests;
        this.problems = problems;
        this.store = store;
        this.queue = queue;
    }

    @GetMapping("/contests")
    List<Contest> contests() {
        return contests.list();
    }

    /** An open contest's account as an admin sees it: never its password or hash. */
    public record AccountView(String login, String participant, String displayName, Instant createdAt) {}

    /** The accounts registered in an open contest, by login. */
    @GetMapping("/contests/{id}/accounts")
    List<AccountView> accounts(@PathVariable String id) {
        requireContest(id);
        return accounts.list(id).stream()
                .map(a -> new AccountView(a.login(), a.participant(), a.displayName(), a.createdAt()))
                .toList();
    }

    /**
     * A new password for an account, shown once: the answer to a participant who forgot theirs,
     * or whose account someone else used. {@code revokedKeys}: the sessions it ended.
     */
    public record NewPassword(String login, String participant, String password, int revokedKeys) {}

    /**
     * Sets a new random password for an account and signs it out everywhere (every key of the
     * participant in the contest is revoked, so whoever else knew the old password is out too):
     * 200 with the password, to hand to its owner; it is not stored and not shown again.
     */
    @PostMapping("/contests/{id}/accounts/{login}/password")
    NewPassword resetPassword(@PathVariable String id, @PathVariable String login) {
        requireContest(id);
        AccountStore.Account account = accounts.get(id, login)
                .orElseThrow(() -> new NoSuchElementException("contest " + id + " has no account " + login));
        String password = Accounts.generatePassword();
        accounts.setPasswordHash(id, login, Accounts.hash(password));
        int revoked = authenticator.revokeAll(account.participant(), id);
        LOG.info("admin reset the password of account {} of contest {} and revoked its {} key(s)", login, id, revoked);
        return new NewPassword(login, account.participant(), password, revoked);
    }

    /** The sessions an admin ended. */
    public record SignedOut(String participant, int revokedKeys) {}

    /**
     * Signs a participant out of a contest everywhere: every key of theirs scoped to it is
     * revoked (an invitation's participant too; they enter again with their token).
     */
    @DeleteMapping("/contests/{id}/participants/{participant}/keys")
    SignedOut signOutEverywhere(@PathVariable String id, @PathVariable String participant) {
        requireContest(id);
        int revoked = authenticator.revokeAll(participant, id);
        LOG.info("admin revoked {} key(s) of participant {} in contest {}", revoked, participant, id);
        return new SignedOut(participant, revoked);
    }

    private void requireContest(String id) {
        if (contests.get(id).isEmpty()) {
            throw new NoSuchElementException("unknown contest " + id);
        }
    }

    /**
     * The body of a contest's create-or-replace; {@code scoring} defaults to ICPC,
     * {@code freezeMinutes} to 0 (no scoreboard freeze).
     */
    public record ContestRequest(
            String title,
            List<String> problemIds,
            Instant start,
            Instant end,
            Scoring scoring,
            List<InvitationRequest> invitations,
            Integer freezeMinutes) {}

    /** One invitation: without a {@code token} (null or blank) the api generates one ({@link InvitationTokens}). */
    public record InvitationRequest(String token, String participant) {}

    /**
     * Creates or replaces a contest. The answer is the contest as saved, with every invitation's
     * token (the generated ones too): the list the admin hands out. A token must not be guessable
     * ({@link InvitationTokens}: 400 naming the rule), except one the contest already has.
     */
    @PutMapping("/contests/{id}")
    Contest saveContest(@PathVariable String id, @RequestBody ContestRequest r) {
        Optional<Contest> before = Ids.isValid(id) ? contests.get(id) : Optional.empty();
        List<Invitation> stored = before.map(Contest::invitations).orElse(List.of());
        List<Invitation> invitations = InvitationTokens.prepare(r.invitations(), stored);
        Contest contest;
        try {
            // An unfreeze stays: saving the contest again does not hide what the admin revealed.
            contest = new Contest(
                    id,
                    r.title(),
                    r.problemIds(),
                    r.start(),
                    r.end(),
                    r.scoring() == null ? Scoring.ICPC : r.scoring(),
                    invitations,
                    r.freezeMinutes() == null ? 0 : r.freezeMinutes(),
                    before.map(Contest::unfrozenAt).orElse(null));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidRequestException(e.getMessage());
        }
        for (String problemId : contest.problemIds()) {
            if (problems.get(problemId).isEmpty()) {
                throw new InvalidRequestException("unknown problem " + problemId + ": import it first");
            }
        }
        contests.save(contest);
        List<String> weak = InvitationTokens.weakKept(invitations, stored);
        if (!weak.isEmpty()) {
            LOG.warn(
                    "contest {} keeps {} invitation tokens shorter than {} characters (participants {}): "
                            + "replace them with generated ones",
                    id,
                    weak.size(),
                    InvitationTokens.MIN_LENGTH,
                    weak);
        }
        return contest;
    }

    /**
     * Lifts a contest's scoreboard freeze: everyone sees every verdict again (the usual end of a
     * contest's award ceremony). 409 while the board is not frozen (no freeze, not begun yet, or
     * lifted already).
     */
    @PostMapping("/contests/{id}/unfreeze")
    Contest unfreeze(@PathVariable String id) {
        Contest c = contests.get(id).orElseThrow(() -> new NoSuchElementException("unknown contest " + id));
        Instant now = clock.instant();
        if (!c.frozenAt(now)) {
            throw new ResponseStatusException(
                    HttpStatus.CONFLICT,
                    c.freezesAt().isEmpty()
                            ? "contest " + id + " has no scoreboard freeze"
                            : c.unfrozenAt() != null
                                    ? "contest " + id + "'s scoreboard was unfrozen at " + c.unfrozenAt()
                                    : "contest " + id + "'s scoreboard freezes at "
                                            + c.freezesAt().get() + ", not yet");
        }
        Contest lifted = c.unfrozen(now);
        contests.save(lifted);
        LOG.info("admin unfroze the scoreboard of contest {}", id);
        return lifted;
    }

    @DeleteMapping("/contests/{id}")
    ResponseEntity<Void> deleteContest(@PathVariable String id) {
        if (!contests.delete(id)) {
            throw new NoSuchElementException("unknown contest " + id);
        }
        return ResponseEntity.noContent().build();
    }

    /** The answer to a rejudge: the round to watch at {@code GET /api/v1/submissions/{id}}. */
    public record Rejudge(String id, long round) {}

    /**
     * Judges one submission again (a contestant's appeal, a worker's internal error), on the
     * regrade lane; its verdict so far stays in its history. 202 with the new round. With
     * {@code allTests=true} every test runs, also those lazy judging skips.
     */
    @PostMapping("/submissions/{id}/rejudge")
    ResponseEntity<Rejudge> rejudge(
            @PathVariable String id, @RequestParam(name = "allTests", defaultValue = "false") boolean allTests) {
        if (!Ids.isValid(id) || store.get(id).isEmpty()) {
            throw new NoSuchElementException("unknown submission " + id);
        }
        long round = clock.millis();
        if (!submissions.regrade(id, round, allTests)) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "submission " + id + " has a later round already");
        }
        LOG.info("admin rejudges submission {} in round {}", id, round);
        return ResponseEntity.accepted()
                .location(java.net.URI.create("/api/v1/submissions/" + id))
                .body(new Rejudge(id, round));
    }

    /** One test as an admin sees it: its name and the start of its data. */
    public record TestPreview(
            String name, boolean sample, int inputChars, int answerChars, String input, String answer) {
        static TestPreview of(TestCase t) {
            return new TestPreview(
                    t.name(),
                    t.visible(),
                    t.input().length(),
                    t.expectedOutput().length(),
                    preview(t.input()),
                    preview(t.expectedOutput()));
        }
    }

    /** A problem with every test, secret ones included (their first characters). */
    public record ProblemDetail(ProblemSummary problem, List<TestPreview> tests) {}

    @GetMapping("/problems/{id}")
    ProblemDetail problem(@PathVariable String id) {
        Problem p = load(id);
        return new ProblemDetail(
                p.summary(), p.tests().stream().map(TestPreview::of).toList());
    }

    /** New limits for a problem; a missing one stays. */
    public record LimitsRequest(Long timeLimitMs, Long memoryLimitBytes, Long outputLimitBytes) {}

    @PutMapping("/problems/{id}/limits")
    ProblemSummary limits(@PathVariable String id, @RequestBody LimitsRequest r) {
        Problem p = load(id);
        Problem changed;
        try {
            changed = new Problem(
                    p.id(),
                    p.name(),
                    r.timeLimitMs() == null ? p.timeLimit() : Duration.ofMillis(r.timeLimitMs()),
                    r.memoryLimitBytes() == null ? p.memoryLimitBytes() : r.memoryLimitBytes(),
                    r.outputLimitBytes() == null ? p.outputLimitBytes() : r.outputLimitBytes(),
                    p.checker(),
                    p.samples(),
                    p.secretTests(),
                    p.statement(),
                    p.statementFiles(),
                    r.timeLimitMs() == null ? p.timeLimitSource() : "set by an admin",
                    p.grading(),
                    p.sampleInteractions());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
        ProblemLimits.check(changed, maxLimits);
        return problems.save(changed);
    }

    /** One lane: messages waiting and the latest dead letters with their reasons. */
    public record LaneState(long depth, List<DeadLetter> deadLetters) {}

    /**
     * @param lanes   each lane's depth and dead letters
     * @param running submissions a worker is judging now (how busy the workers are)
     */
    public record QueueState(Map<Lane, LaneState> lanes, int running) {}

    @GetMapping("/queue")
    QueueState queue() {
        Map<Lane, LaneState> lanes = new LinkedHashMap<>();
        for (Lane lane : Lane.values()) {
            lanes.put(lane, new LaneState(queue.depth(lane), queue.deadLetters(lane, DEAD_LETTERS_SHOWN)));
        }
        int running = store.list(SubmissionFilter.all().withStatus(SubmissionStatus.RUNNING), 1000, null)
                .items()
                .size();
        return new QueueState(lanes, running);
    }

    /**
     * What a requeue did: a dead-lettered judging became a new round of its submission (on the
     * regrade lane, {@code submissionId} and {@code round} set), or any other message went back to
     * its lane as it was.
     */
    public record Requeued(Lane lane, String messageId, String submissionId, Long round) {}

    /**
     * Sends a dead letter's work again once whatever failed it is fixed (a problem imported
     * again, a worker repaired), and takes it out of the dead letters. A judging is judged anew in
     * a new round, its internal error kept in its history (the message as it was would be
     * dropped as judged already); anything else goes back to its lane as it was. 404 when the
     * lane has no such dead letter, 400 for a lane that does not exist.
     */
    @PostMapping("/dead-letters/{lane}/{messageId}/requeue")
    ResponseEntity<Requeued> requeue(@PathVariable String lane, @PathVariable String messageId) {
        Lane l = lane(lane);
        DeadLetter letter = queue.deadLetters(l, REQUEUE_SCAN).stream()
                .filter(d -> d.messageId().equals(messageId))
                .findFirst()
                .orElseThrow(() -> new NoSuchElementException("lane " + l + " has no dead letter " + messageId));
        Requeued answer;
        WorkItem.Judge judging = judging(letter.body());
        String submission = judging == null ? null : judging.submissionId();
        if (submission != null && store.get(submission).isPresent()) {
            long round = clock.millis();
            if (!submissions.regrade(submission, round, judging.allTests())) {
                throw new ResponseStatusException(
                        HttpStatus.CONFLICT, "submission " + submission + " has a later round already");
            }
            answer = new Requeued(l, messageId, submission, round);
        } else {
            queue.send(l, messageId, letter.body());
            answer = new Requeued(l, messageId, null, null);
        }
        queue.removeDeadLetter(l, messageId);
        LOG.info(
                "admin requeued dead letter {} of lane {} ({})",
                messageId,
                l,
                submission == null ? "sent as it was" : "submission " + submission + " in round " + answer.round());
        return ResponseEntity.accepted().body(answer);
    }

    private static Lane lane(String name) {
        for (Lane l : Lane.values()) {
            if (l.name().equalsIgnoreCase(name)) {
                return l;
            }
        }
        throw new InvalidRequestException("lane must be one of " + java.util.Arrays.toString(Lane.values()));
    }

    /** The submission a dead letter was judging, or null: a run, or a body that is no work item. */
    /** The judging a dead letter asked for, or {@code null} when it is another kind of message. */
    private static WorkItem.Judge judging(String body) {
        try {
            return WorkItem.fromJson(body) instanceof WorkItem.Judge judge ? judge : null;
        } catch (RuntimeException notAWorkItem) {
            return null;
        }
    }

    private Problem load(String id) {
        return problems.load(id).orElseThrow(() -> new NoSuchElementException("unknown problem " + id));
    }

    private static String preview(String data) {
        return data.length() <= PREVIEW_CHARS ? data : data.substring(0, PREVIEW_CHARS) + "…";
    }
}
