package io.codingengine.api.contest;

import io.codingengine.api.access.ApiKeyStore;
import io.codingengine.api.access.Authenticator;
import io.codingengine.api.access.CurrentPrincipal;
import io.codingengine.api.access.NotPermittedException;
import io.codingengine.api.access.Principal;
import io.codingengine.api.access.Role;
import io.codingengine.api.config.EngineProperties;
import io.codingengine.api.judge.Disclosure;
import io.codingengine.api.judge.SubmissionController.Ticket;
import io.codingengine.api.judge.SubmissionRequest;
import io.codingengine.api.judge.Submissions;
import io.codingengine.api.limits.DraftLimiter;
import io.codingengine.api.limits.EntryLimiter;
import io.codingengine.api.limits.SubmissionLimiter;
import io.codingengine.api.limits.WaitingLimit;
import io.codingengine.api.web.ClientAddress;
import io.codingengine.common.contest.Contest;
import io.codingengine.common.contest.ContestStore;
import io.codingengine.common.contest.Scoreboard;
import io.codingengine.common.contest.Scoring;
import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.judge.Ids;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.problem.ProblemStore;
import io.codingengine.common.problem.ProblemSummary;
import io.codingengine.common.store.SubmissionFilter;
import io.codingengine.common.store.SubmissionRecord;
import io.codingengine.common.store.SubmissionStore;
import io.codingengine.common.store.SubmissionSummary;
import io.codingengine.executor.language.Catalogue;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
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
 * What participants do in a contest: see it, enter it (which issues their API key, scoped to the
 * contest; in an open contest by registering an account), sign in again and out, keep drafts,
 * submit as themselves, list their own submissions, and read the scoreboard. All but seeing,
 * entering, signing in and the scoreboard need a member's key ({@link ContestMembership}).
 */
@RestController
@RequestMapping("/api/v1/contests")
public class ContestController {

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
    private final AccountStore accounts;
    private final DraftStore drafts;
    private final Authenticator authenticator;
    private final DraftLimiter draftLimiter;
    private final Catalogue catalogue;
    private final EngineProperties.Limits limits;
    private final Clock clock = Clock.systemUTC();

    public ContestController(
            ContestStore contests,
            ProblemStore problems,
            SubmissionStore store,
            Submissions submissions,
            ApiKeyStore keys,
            CurrentPrincipal principal,
            SubmissionLimiter limiter,
            WaitingLimit waiting,
            EntryLimiter entries,
            ClientAddress clientAddress,
            Disclosure disclosure,
            AccountStore accounts,
            DraftStore drafts,
            Authenticator authenticator,
            DraftLimiter draftLimiter,
            Catalogue catalogue,
            EngineProperties properties) {
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
        this.accounts = accounts;
        this.drafts = drafts;
        this.authenticator = authenticator;
        this.draftLimiter = draftLimiter;
        this.catalogue = catalogue;
        this.limits = properties.limits();
    }

    @GetMapping
    List<ContestView> list() {
        return contests.list().stream()
                .map(c -> ContestView.of(c, clock.instant(), List.of()))
                .toList();
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
    ResponseEntity<byte[]> statementFile(
            @PathVariable String id, @PathVariable String problemId, @PathVariable String name) {
        Contest c = contest(id);
        if (!c.hasStarted(clock.instant()) || !c.problemIds().contains(problemId)) {
            throw new NoSuchElementException("no such statement file");
        }
        return StatementFiles.response(problems, problemId, name);
    }

    /**
     * The body of an entry: an invitation token, or for an open contest a new account's name and
     * password (the name is taken once in the contest).
     */
    public record EntryRequest(String name, String token, String password) {
        @Override
        public String toString() {
            return "EntryRequest[name=" + name + "]"; // never the token or the password
        }
    }

    /**
     * The answer to an entry or a sign-in: who the participant is, the name shown for them, and
     * the key to send on every call (shown once; each entry or sign-in issues a new one, so each
     * device has its own).
     */
    public record Entry(String contestId, String participant, String displayName, String key) {}

    /**
     * Enters a contest. With a valid invitation token the participant is the invitation's (the
     * same on every entry, on any device). In an open contest a name and a password register an
     * account ({@link AccountStore}; 409 when the name is taken or looks like one that is), with which its owner signs in
     * again ({@link #signIn}). Callable without a key: this is where a participant gets one. The
     * key is scoped to this contest: it acts in no other, and not on the free judge API. Limited
     * per client address ({@link EntryLimiter}: wrong tokens also per contest; 429 with Retry-After).
     */
    @PostMapping("/{id}/entries")
    ResponseEntity<Entry> enter(@PathVariable String id, @RequestBody EntryRequest request, HttpServletRequest http) {
        Contest c = contest(id);
        if (request.token() != null && !request.token().isBlank()) {
            String token = request.token().trim();
            String participant = entries.tryToken(
                            c.id(),
                            clientAddress.of(http),
                            () -> c.invitation(token).map(i -> i.participant()))
                    .orElseThrow(() -> new ResponseStatusException(HttpStatus.FORBIDDEN, "unknown invitation token"));
            return issued(c, participant, participant);
        }
        if (c.byInvitation()) {
            throw new ResponseStatusException(
                    HttpStatus.FORBIDDEN, "this contest is by invitation: enter with your token");
        }
        String login = Accounts.login(request.name());
        Accounts.checkPassword(request.password());
        entries.admitOpenEntry(clientAddress.of(http));
        String displayName = Accounts.displayName(request.name());
        String looks = Accounts.skeleton(displayName);
        for (AccountStore.Account other : accounts.list(c.id())) {
            if (!other.login().equals(login)
                    && Accounts.skeleton(other.displayName()).equals(looks)) {
                throw new ResponseStatusException(
                        HttpStatus.CONFLICT,
                        "the name " + displayName + " looks like "
                                + other.displayName() + ", who is in this contest already: sign in with its password,"
                                + " or choose a name that looks different");
            }
        }
        AccountStore.Account account = new AccountStore.Account(
                c.id(),
                login,
                Accounts.participant(login),
                displayName,
                Accounts.hash(request.password()),
                clock.instant());
        if (!accounts.create(account)) {
            throw new ResponseStatusException(
                    HttpStatus.CONFLICT,
                    "the name " + login + " is taken in this contest:"
                            + " sign in with its password, or choose another name");
        }
        return issued(c, account.participant(), account.displayName());
    }

    /** The body of a sign-in to an open contest: the account's name (as registered, or its login) and password. */
    public record SignIn(String name, String password) {
        @Override
        public String toString() {
            return "SignIn[name=" + name + "]";
        }
    }

    /**
     * Signs in to an open contest's account from any browser or device: a new key for the same
     * participant. A wrong name or password is 403 (the answer does not say which); wrong passwords
     * are limited per client address and per account ({@link EntryLimiter#tryPassword}: 429 with
     * Retry-After, even for the right password while locked out). A contest by invitation is
     * entered with the token again ({@link #enter}).
     */
    @PostMapping("/{id}/sessions")
    ResponseEntity<Entry> signIn(@PathVariable String id, @RequestBody SignIn request, HttpServletRequest http) {
        Contest c = contest(id);
        if (c.byInvitation()) {
            throw new ResponseStatusException(
                    HttpStatus.FORBIDDEN,
                    "this contest is by invitation: enter with your token again (POST /api/v1/contests/" + c.id()
                            + "/entries)");
        }
        String login = Accounts.login(request.name());
        Optional<String> former = Accounts.formerLogin(request.name());
        // both accounts the lookup may check are charged: no spelling of a name gets guesses of its own
        List<String> checked = new ArrayList<>(List.of(login));
        former.ifPresent(checked::add);
        AccountStore.Account account = entries.tryPassword(c.id(), checked, clientAddress.of(http), () -> {
                    Optional<AccountStore.Account> found =
                            accounts.get(c.id(), login).or(() -> former.flatMap(f -> accounts.get(c.id(), f)));
                    return Accounts.matches(request.password(), found) ? found : Optional.empty();
                })
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.FORBIDDEN, "unknown name or wrong password"));
        return issued(c, account.participant(), account.displayName());
    }

    private ResponseEntity<Entry> issued(Contest c, String participant, String displayName) {
        String key = keys.issue(new Principal(participant, Role.PARTICIPANT, c.id()));
        authenticator.revokeAllButNewest(participant, c.id(), limits.keysPerParticipant());
        return ResponseEntity.status(HttpStatus.CREATED).body(new Entry(c.id(), participant, displayName, key));
    }

    /** Who the caller is in this contest. */
    public record Me(String contestId, String participant, String displayName) {}

    /** The caller, as a member of the contest: a browser checks its key with this after a reload. */
    @GetMapping("/{id}/me")
    Me me(@PathVariable String id) {
        Principal caller = principal.require();
        Contest c = contest(id);
        ContestMembership.require(caller, c);
        return new Me(c.id(), caller.subject(), displayName(c, caller.subject()));
    }

    /**
     * Signs out: revokes the key the request was made with, at once in this process (within the
     * key cache's lifetime in others). Only a participant's contest key signs out here; other keys
     * are revoked at {@code POST /api/v1/admin/keys/revoke}.
     */
    @DeleteMapping("/{id}/session")
    ResponseEntity<Void> signOut(@PathVariable String id, HttpServletRequest http) {
        Principal caller = principal.require();
        ContestMembership.require(caller, contest(id));
        if (caller.role() != Role.PARTICIPANT) {
            throw new NotPermittedException("only a participant's key signs out here; revoke other keys at"
                    + " POST /api/v1/admin/keys/revoke");
        }
        String header = http.getHeader("Authorization");
        authenticator.revoke(header.substring("Bearer ".length()).trim());
        return ResponseEntity.noContent().build();
    }

    /** The sessions a sign-out everywhere ended, this one included. */
    public record SignedOut(int revokedKeys) {}

    /**
     * Signs out on every device: revokes every key of the caller in this contest (for a
     * participant who signed in somewhere they should not have stayed).
     */
    @DeleteMapping("/{id}/sessions")
    SignedOut signOutEverywhere(@PathVariable String id) {
        Principal caller = principal.require();
        ContestMembership.require(caller, contest(id));
        if (caller.role() != Role.PARTICIPANT) {
            throw new NotPermittedException(
                    "only a participant's key signs out here; an admin signs participants out at"
                            + " DELETE /api/v1/admin/contests/{id}/participants/{participant}/keys");
        }
        return new SignedOut(authenticator.revokeAll(caller.subject(), id));
    }

    /** The name shown for a participant: their account's, or the participant id (invitations, admin-issued keys). */
    private String displayName(Contest c, String participant) {
        int dash = participant.lastIndexOf('-');
        if (!c.byInvitation() && dash > 0 && participant.length() - dash == 7) {
            Optional<AccountStore.Account> a = accounts.get(c.id(), participant.substring(0, dash));
            if (a.isPresent() && a.get().participant().equals(participant)) {
                return a.get().displayName();
            }
        }
        return participant;
    }

    /** A draft as saved: what the editor keeps across reloads, browsers and devices. */
    public record DraftBody(String code, Long baseRevision) {}

    /** The caller's drafts of one of the contest's problems, one per language. */
    @GetMapping("/{id}/drafts/{problemId}")
    List<DraftStore.Draft> drafts(@PathVariable String id, @PathVariable String problemId) {
        Principal caller = principal.require();
        Contest c = contest(id);
        ContestMembership.require(caller, c);
        startedProblemOf(c, problemId);
        return drafts.list(c.id(), caller.subject(), problemId, draftLanguages());
    }

    /**
     * Saves the caller's draft of a problem in a language, if it is based on the stored revision
     * ({@code baseRevision}, 0 for none): 200 with the new revision; otherwise 409 with the stored
     * draft as {@code current}, so that a second tab or device never silently overwrites the first.
     */
    @PutMapping("/{id}/drafts/{problemId}/{language}")
    ResponseEntity<?> saveDraft(
            @PathVariable String id,
            @PathVariable String problemId,
            @PathVariable String language,
            @RequestBody DraftBody body) {
        Principal caller = principal.require();
        Contest c = contest(id);
        ContestMembership.require(caller, c);
        startedProblemOf(c, problemId);
        if (!draftLanguages().contains(language)) {
            throw new InvalidRequestException(
                    "language must be one of the runtimes' languages " + draftLanguages() + ", was " + language);
        }
        if (body == null || body.code() == null) {
            throw new InvalidRequestException("code is required");
        }
        long base = body.baseRevision() == null ? 0 : body.baseRevision();
        if (base < 0) {
            throw new InvalidRequestException("baseRevision must be 0 or more");
        }
        if (body.code().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > DraftStore.MAX_BYTES) {
            throw new io.codingengine.api.web.PayloadTooLargeException(
                    "a draft holds at most " + DraftStore.MAX_BYTES / 1024 + " KiB of code (UTF-8)");
        }
        draftLimiter.admit(c.id(), caller.subject());
        DraftStore.Saved saved = drafts.save(c.id(), caller.subject(), problemId, language, body.code(), base);
        if (saved.saved()) {
            return ResponseEntity.ok(saved.draft());
        }
        ProblemDetail conflict = ProblemDetail.forStatusAndDetail(
                HttpStatus.CONFLICT,
                "this draft was saved elsewhere"
                        + " (another tab or device) since revision " + base + "; the stored one is revision "
                        + saved.draft().revision());
        conflict.setTitle("Draft changed elsewhere");
        conflict.setProperty("current", saved.draft());
        return ResponseEntity.status(HttpStatus.CONFLICT).body(conflict);
    }

    /**
     * The languages a draft may be in: the catalogue's (a runtime's name, as the editor's picker
     * offers them), one draft each per problem, so a participant keeps at most problems ×
     * languages drafts and a listing is at most languages × 64 KiB.
     */
    private SortedSet<String> draftLanguages() {
        return catalogue.runtimes().stream()
                .map(r -> r.definition().language())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * A problem of a contest that has started: before, every problem id gets the same 409, so the
     * drafts do not tell which ids the contest has while its page still hides them.
     */
    private void startedProblemOf(Contest c, String problemId) {
        if (!c.hasStarted(clock.instant())) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "the contest has not started yet");
        }
        if (!c.problemIds().contains(problemId)) {
            throw new NoSuchElementException("contest " + c.id() + " has no problem " + problemId);
        }
    }

    /** The body of a contest submission: the caller and the contest come from the key and the path. */
    public record ContestSubmission(String problemId, String language, String version, List<SourceFile> files) {}

    @PostMapping("/{id}/submissions")
    ResponseEntity<Ticket> submit(@PathVariable String id, @RequestBody ContestSubmission body) {
        Principal caller = principal.require();
        Contest c = contest(id);
        ContestMembership.require(caller, c);
        if (!c.isRunning(clock.instant())) {
            throw new ResponseStatusException(
                    HttpStatus.CONFLICT,
                    !c.hasStarted(clock.instant()) ? "the contest has not started yet" : "the contest is over");
        }
        if (body.problemId() == null || !c.problemIds().contains(body.problemId())) {
            throw new InvalidRequestException("problemId must be one of the contest's problems " + c.problemIds());
        }
        var submission = submissions.validate(new SubmissionRequest(
                body.problemId(), c.id(), caller.subject(), body.language(), body.version(), body.files(), null, null));
        limiter.admit(caller, List.of(submission.participant()));
        String ticket = submissions.submit(List.of(submission), waiting::hold).getFirst();
        return ResponseEntity.accepted()
                .location(URI.create("/api/v1/submissions/" + ticket))
                .body(Ticket.of(ticket));
    }

    /**
     * The caller's own submissions to the contest, newest first, optionally of one problem; as
     * the caller may see them ({@link Disclosure}: no scores in an ICPC contest).
     */
    @GetMapping("/{id}/submissions")
    List<SubmissionSummary> mine(@PathVariable String id, @RequestParam(required = false) String problemId) {
        Principal caller = principal.require();
        ContestMembership.require(caller, contest(id));
        return disclosure.summaries(store.list(
                        SubmissionFilter.participant(caller.subject())
                                .withContestId(id)
                                .withProblemId(problemId),
                        100,
                        null)
                .items());
    }

    /** A submission's code, as its owner sent it. */
    public record Source(
            String id, String problemId, String language, String version, List<SourceFile> files, Instant createdAt) {}

    /**
     * The code of one of the caller's own submissions to the contest, to read it again or submit
     * it anew. Only its owner (and an admin) reads it: any other caller, another participant or a
     * service, gets the 404 of a submission that does not exist, so an id tells nobody anything.
     */
    @GetMapping("/{id}/submissions/{submissionId}/source")
    Source source(@PathVariable String id, @PathVariable String submissionId) {
        Principal caller = principal.require();
        Contest c = contest(id);
        ContestMembership.require(caller, c);
        Submission s = (Ids.isValid(submissionId) ? store.get(submissionId) : Optional.<SubmissionRecord>empty())
                .map(SubmissionRecord::submission)
                .filter(sub -> c.id().equals(sub.contestId()))
                .filter(sub -> sub.participant().equals(caller.subject())
                        || caller.role().includes(Role.ADMIN))
                .orElseThrow(() -> new NoSuchElementException(
                        "contest " + c.id() + " has no submission " + submissionId + " of yours"));
        return new Source(s.id(), s.problemId(), s.language(), s.version(), s.files(), s.createdAt());
    }

    /**
     * The scoreboard, with the names participants chose for it: {@code displayNames} maps the
     * participant ids of open contests' accounts on the board to their names (participants by
     * invitation are shown by their id). {@code frozen}: this answer shows the submissions made
     * from {@code freezesAt} on as pending (see {@link #scoreboard}).
     */
    public record ScoreboardView(
            String contestId,
            Scoring scoring,
            List<String> problemIds,
            List<Scoreboard.Row> rows,
            Map<String, String> displayNames,
            Instant freezesAt,
            boolean frozen) {}

    /**
     * The scoreboard as the caller may see it. While the contest is frozen ({@link
     * Contest#frozenAt}: from {@code freezeMinutes} before the end until an admin unfreezes it)
     * everyone but an admin sees the verdicts of submissions made since the freeze as pending,
     * their own row included: the board is one picture for all. A participant still sees their own
     * verdicts in their submissions.
     */
    @GetMapping("/{id}/scoreboard")
    ScoreboardView scoreboard(@PathVariable String id) {
        Contest c = contest(id);
        boolean frozen = c.frozenAt(clock.instant()) && !disclosure.seesEverything();
        Scoreboard b = Scoreboard.of(
                c,
                store.listAll(SubmissionFilter.contest(id)),
                frozen ? c.freezesAt().orElseThrow() : null);
        Map<String, String> names = new TreeMap<>();
        if (!c.byInvitation() && !b.rows().isEmpty()) {
            Set<String> shown =
                    b.rows().stream().map(Scoreboard.Row::participant).collect(Collectors.toSet());
            accounts.list(c.id()).stream()
                    .filter(a -> shown.contains(a.participant()))
                    .forEach(a -> names.put(a.participant(), a.displayName()));
        }
        // Before the start the contest's page hides its problems; so does its board.
        boolean problemsHidden = !c.hasStarted(clock.instant()) && !disclosure.seesEverything();
        return new ScoreboardView(
                b.contestId(),
                b.scoring(),
                problemsHidden ? List.of() : b.problemIds(),
                b.rows(),
                names,
                c.freezesAt().orElse(null),
                frozen);
    }

    private Contest contest(String id) {
        return contests.get(id).orElseThrow(() -> new NoSuchElementException("unknown contest " + id));
    }
}
