package io.codingengine.api.judge;

import io.codingengine.api.access.CurrentPrincipal;
import io.codingengine.api.access.NotPermittedException;
import io.codingengine.api.access.Principal;
import io.codingengine.api.access.Role;
import io.codingengine.api.limits.SubmissionLimiter;
import io.codingengine.api.limits.WaitingLimit;
import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.judge.Ids;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.SubmissionStatus;
import io.codingengine.common.store.Page;
import io.codingengine.common.store.SubmissionFilter;
import io.codingengine.common.store.SubmissionRecord;
import io.codingengine.common.store.SubmissionStore;
import io.codingengine.common.store.SubmissionSummary;
import java.net.URI;
import java.util.List;
import java.util.NoSuchElementException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The judge API's submissions: submit, then poll by ticket. A participant key submits here
 * outside any contest only: naming a {@code contestId} is refused, as contests take submissions at
 * {@code POST /api/v1/contests/{id}/submissions}, which checks membership, window and problems. A
 * key scoped to a contest does not submit here at all ({@code AccessRules#scopedKeyMay}) and
 * reads only its contest's submissions.
 */
@RestController
@RequestMapping("/api/v1/submissions")
public class SubmissionController {

    private final Submissions submissions;
    private final SubmissionStore store;
    private final CurrentPrincipal caller;
    private final SubmissionLimiter limiter;
    private final WaitingLimit waiting;
    private final Disclosure disclosure;

    public SubmissionController(
            Submissions submissions,
            SubmissionStore store,
            CurrentPrincipal caller,
            SubmissionLimiter limiter,
            WaitingLimit waiting,
            Disclosure disclosure) {
        this.submissions = submissions;
        this.store = store;
        this.caller = caller;
        this.limiter = limiter;
        this.waiting = waiting;
        this.disclosure = disclosure;
    }

    /** The answer to a submit: the ticket to poll. */
    public record Ticket(String ticket, SubmissionStatus status, String location) {
        public static Ticket of(String id) {
            return new Ticket(id, SubmissionStatus.QUEUED, "/api/v1/submissions/" + id);
        }
    }

    @PostMapping
    ResponseEntity<Ticket> submit(@RequestBody SubmissionRequest request) {
        Submission checked = submissions.validate(asCaller(request));
        limiter.admit(caller.require(), List.of(checked.participant()));
        String id = submissions.submit(List.of(checked), waiting::hold).getFirst();
        return ResponseEntity.accepted()
                .location(URI.create("/api/v1/submissions/" + id))
                .body(Ticket.of(id));
    }

    /** All or nothing: every submission is checked before any is stored. */
    @PostMapping("/batch")
    ResponseEntity<List<Ticket>> batch(@RequestBody List<SubmissionRequest> requests) {
        if (requests.isEmpty()) {
            throw new InvalidRequestException("a batch needs at least one submission");
        }
        List<Submission> checked = new java.util.ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            try {
                if (requests.get(i) == null) {
                    throw new InvalidRequestException("a submission must be an object, not null");
                }
                checked.add(submissions.validate(asCaller(requests.get(i))));
            } catch (RuntimeException e) {
                throw new BatchItemException(i, e);
            }
        }
        limiter.admit(
                caller.require(), checked.stream().map(Submission::participant).toList());
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(submissions.submit(checked, waiting::hold).stream()
                        .map(Ticket::of)
                        .toList());
    }

    /** The submission as the caller may see it ({@link Disclosure}). */
    @GetMapping("/{id}")
    SubmissionView get(@PathVariable String id) {
        SubmissionRecord record = store.get(id).orElseThrow(() -> new NoSuchElementException("unknown ticket " + id));
        if (!caller.mayRead(record.submission().participant())) {
            throw new NotPermittedException("submission " + id + " belongs to another participant");
        }
        String scope = caller.require().contestId();
        if (scope != null && !scope.equals(record.submission().contestId())) {
            throw new NotPermittedException("this key was issued by the entry to contest " + scope
                    + " and reads only that contest's submissions; submission " + id + " is not one of them");
        }
        return disclosure.view(record);
    }

    @GetMapping
    Page<SubmissionSummary> list(
            @RequestParam(required = false) String problemId,
            @RequestParam(required = false) String contestId,
            @RequestParam(required = false) String participant,
            @RequestParam(required = false) SubmissionStatus status,
            @RequestParam(defaultValue = "50") int pageSize,
            @RequestParam(required = false) String continuationToken) {
        Principal p = caller.require();
        if (p.role() == Role.PARTICIPANT) {
            if (participant != null && !participant.equals(p.subject())) {
                throw new NotPermittedException("a participant key lists only its own submissions");
            }
            participant = p.subject();
            if (p.contestId() != null) {
                if (contestId != null && !contestId.equals(p.contestId())) {
                    throw new NotPermittedException("this key was issued by the entry to contest " + p.contestId()
                            + " and lists only that contest's submissions");
                }
                contestId = p.contestId();
            }
        }
        try {
            Page<SubmissionSummary> page = store.list(
                    new SubmissionFilter(problemId, contestId, participant, status), pageSize, continuationToken);
            return new Page<>(disclosure.summaries(page.items()), page.continuationToken());
        } catch (IllegalArgumentException e) {
            // The store's documented refusals: a page size out of range, a token of another listing.
            throw new InvalidRequestException(e.getMessage());
        }
    }

    /**
     * The request with its participant as the caller's key decides (see {@link
     * CurrentPrincipal#participantFor}); a participant key naming a contest is refused.
     */
    private SubmissionRequest asCaller(SubmissionRequest r) {
        Principal p = caller.require();
        if (p.role() == Role.PARTICIPANT) {
            if (p.contestId() != null) { // AccessRules keeps these keys out; this is the second lock
                throw new NotPermittedException("this key was issued by the entry to contest " + p.contestId()
                        + ": submit at POST /api/v1/contests/" + p.contestId() + "/submissions");
            }
            if (r.contestId() != null) {
                String path =
                        "/api/v1/contests/" + (Ids.isValid(r.contestId()) ? r.contestId() : "{id}") + "/submissions";
                throw new NotPermittedException(
                        "a participant key submits to a contest only as a member of it, at POST " + path
                                + " (with a key from the contest's entry); here it submits outside contests, without contestId");
            }
        }
        return new SubmissionRequest(
                r.problemId(),
                r.contestId(),
                caller.participantFor(r.participant()),
                r.language(),
                r.version(),
                r.files(),
                r.tests(),
                r.checker());
    }

    /** A batch item's mistake, reported with its index. */
    static final class BatchItemException extends RuntimeException {
        final int index;

        BatchItemException(int index, RuntimeException cause) {
            super("submissions[" + index + "]: " + cause.getMessage(), cause);
            this.index = index;
        }
    }
}
