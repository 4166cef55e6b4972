package io.codingengine.api.contest;

import io.codingengine.api.limits.EntryLimiter;
import io.codingengine.api.limits.SubmissionLimiter;
import io.codingengine.api.limits.WaitingLimit;
import io.codingengine.api.access.ApiKeyStore;
import io.codingengine.api.access.CurrentPrincipal;
import io.codingengine.api.access.Principal;
import io.codingengine.api.access.Role;
import io.codingengine.api.judge.Disclosure;
import io.codingengine.api.judge.SubmissionController.Ticket;
import io.codingengine.api.judge.SubmissionRequest;
import io.codingengine.api.judge.Submissions;
import io.codingengine.api.web.ClientAddress;
import io.codingengine.common.contest.Contest;
import io.codingengine.common.contest.ContestStore;
import io.codingengine.common.contest.Scoreboard;
import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.problem.ProblemStore;
import io.codingengine.common.problem.ProblemSummary;
import io.codingengine.common.store.SubmissionFilter;
import io.codingengine.common.store.SubmissionStore;
import io.codingengine.common.store.SubmissionSummary;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * What participants do in a contest: see it, enter it (which issues their API key, scoped to the
 * contest), submit as themselves, list their own submissions, and read the scoreboard. Submitting
 * and listing need a member's key ({@link ContestMembership}).
 */
@RestController
@RequestMapping("/api/v1/contests")
public class ContestController {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_NAME = 40;

    private final ContestStore contests;
    private final ProblemStore problems;
    private final SubmissionStore store;
    private final Submissions submissions;
    private final ApiKeyStore keys;
    private final CurrentPrincipal principal;
    private final SubmissionLimiter limiter;
    private final WaitingLimit waiting;
    private final EntryLimiter entries;
    private final ClientAddress clientAddress;
    private final Disclosure disclosure;
    private final Clock clock = Clock.systemUTC();

    public ContestController(ContestStore contests, ProblemStore problems, SubmissionStore store,
                             Submissions submissions, ApiKeyStore keys, CurrentPrincipal principal,
                             SubmissionLimiter limiter, WaitingLimit waiting, EntryLimiter entries,
                             ClientAddress clientAddress, Disclosure disclosure) {
        this.contests = contests;
        this.problems = problems;
        this.store = store;
        this.submissions = submissions;
        this.keys = keys;
        this.principal = principal;
        this.limiter = limiter;
        this.waiting = waiting;
        this.entries = entries;
        this.clientAddress = clientAddress;
        this.disclosure = disclosure;
    }

    @GetMapping
    List<ContestView> list() {
        return contests.list().stream().map(c -> ContestView.of(c, clock.instant(), List.of())).toList();
    }

    @GetMapping("/{id}")
    ContestView get(@PathVariable String id) {
        Contest c = contest(id);
        List<ProblemSummary> shown = new ArrayList<>();
        for (String problemId : c.problemIds()) {
            problems.get(problemId).ifPresent(shown::add);
        }
        return ContestView.of(c, clock.instant(), shown);
    }

    /**
     * A picture of a problem's statement ({@code statement/<name>} in its Markdown), to anyone
     * once the contest has started, as the statement itself is ({@link #get}); 404 before, and
     * for a problem that is not the contest's.
     */
    @GetMapping("/{id}/problems/{problemId}/statement/{name}")
    ResponseEntity<byte[]> statementFile(@PathVariable String id, @PathVariable String problemId, @PathVariable String name) {
        Contest c = contest(id);
        if (clock.instant().isBefore(c.start()) || !c.problemIds().contains(problemId)) {
            throw new NoSuchElementException("no such statement file");
        }
        return StatementFiles.response(problems, problemId, name);
    }

    /** The body of an entry: a display name for an open contest, or an invitation token. */
    public record EntryRequest(String name, String token) {
    }

    /** The answer to an entry: who the participant is, and the key to send on every call. */
    public record Entry(String contestId, String participant, String key) {
    }

    /**
     * Enters a contest. With a valid invitation token the participant is the invitation's (the
     * same on every entry); otherwise, in an open contest, a fresh id made from the name.
     * Callable without a key: this is where a participant gets one. The key is scoped to this
     * contest: it acts in no other, and not on the free judge API. Both ways are limited per
     * client address ({@link EntryLimiter}: wrong tokens also per contest; 429 with Retry-After).
     */
    @PostMapping("/{id}/entries")
    ResponseEntity<Entry> enter(@PathVariable String id, @RequestBody EntryRequest request, HttpServletRequest http) {
        Contest c = contest(id);
        String participant;
        if (request.token() != null && !request.token().isBlank()) {
            String token = request.token().trim();
            participant = entries.tryToken(c.id(), clientAddress.of(http),
                            () -> c.invitation(token).map(i -> i.participant()))
                    .orElseThrow(() -> new ResponseStatusException(HttpStatus.FORBIDDEN, "unknown invitation token"));
        } else if (c.byInvitation()) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "this contest is by invitation: enter with your token");
        } else {
            participant = participantId(request.name());
            entries.admitOpenEntry(clientAddress.of(http));
        }
        String key = keys.issue(new Principal(participant, Role.PARTICIPANT, c.id()));
        return ResponseEntity.status(HttpStatus.CREATED).body(new Entry(c.id(), participant, key));
    }

    /** The body of a contest submission: the caller and the contest come from the key and the path. */
    public record ContestSubmission(String problemId, String language, String version, List<SourceFile> files) {
    }

    @PostMapping("/{id}/submissions")
    ResponseEntity<Ticket> submit(@PathVariable String id, @RequestBody ContestSubmission body) {
        Principal caller = principal.require();
        Contest c = contest(id);
        ContestMembership.require(caller, c);
        if (!c.isRunning(clock.instant())) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, clock.instant().isBefore(c.start())
                    ? "the contest has not started yet" : "the contest is over");
        }
        if (body.problemId() == null || !c.problemIds().contains(body.problemId())) {
            throw new InvalidRequestException("problemId must be one of the contest's problems " + c.problemIds());
        }
        var submission = submissions.validate(new SubmissionRequest(body.problemId(), c.id(), caller.subject(),
                body.language(), body.version(), body.files(), null, null));
        limiter.admit(caller, List.of(submission.participant()));
        String ticket = submissions.submit(List.of(submission), waiting::hold).getFirst();
        return ResponseEntity.accepted().location(URI.create("/api/v1/submissions/" + ticket)).body(Ticket.of(ticket));
    }

    /**
     * The caller's own submissions to the contest, newest first, optionally of one problem; as
     * the caller may see them ({@link Disclosure}: no scores in an ICPC contest).
     */
    @GetMapping("/{id}/submissions")
    List<SubmissionSummary> mine(@PathVariable String id, @RequestParam(required = false) String problemId) {
        Principal caller = principal.require();
        ContestMembership.require(caller, contest(id));
        return disclosure.summaries(store.list(SubmissionFilter.participant(caller.subject()).withContestId(id)
                .withProblemId(problemId), 100, null).items());
    }

    @GetMapping("/{id}/scoreboard")
    Scoreboard scoreboard(@PathVariable String id) {
        return Scoreboard.of(contest(id), store.listAll(SubmissionFilter.contest(id)));
    }

    private Contest contest(String id) {
        return contests.get(id).orElseThrow(() -> new NoSuchElementException("unknown contest " + id));
    }

    /** A participant id from a display name: its safe characters and a random suffix, so names may repeat. */
    static String participantId(String name) {
        String cleaned = Optional.ofNullable(name).orElse("").trim().toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (cleaned.isEmpty()) {
            throw new InvalidRequestException("name is required (or an invitation token)");
        }
        byte[] suffix = new byte[3];
        RANDOM.nextBytes(suffix);
        return cleaned.substring(0, Math.min(MAX_NAME, cleaned.length())) + "-" + HexFormat.of().formatHex(suffix);
    }
}
