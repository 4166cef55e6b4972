package io.codingengine.api.clarification;

import io.codingengine.api.clarification.ClarificationStore.Clarification;
import io.codingengine.api.limits.QuestionLimiter;
import io.codingengine.common.contest.Contest;
import io.codingengine.common.execution.InvalidRequestException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

/**
 * The rules of clarifications: who may ask and announce what, and who sees what. A participant
 * sees their own questions with their answers, every question answered to all (without who asked
 * it) and every announcement; never another participant's question that is unanswered or
 * answered to them alone. Admins see everything.
 *
 * <p>Participants poll their view every few seconds; a contest's clarifications are therefore
 * read from the store at most once every {@link #FRESH} per api process (on Table Storage one
 * partition serves a whole contest, and 200 participants polling it directly would read past a
 * partition's throughput), and afresh after every write through this process. Another process's
 * write reaches this process's callers within {@link #FRESH}.
 */
@Component
public final class Clarifications {

    static final Duration FRESH = Duration.ofSeconds(2);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A clarification as a participant sees it: whether it is theirs, and never who asked another's. */
    public record ParticipantView(
            String id,
            Kind kind,
            String problemId,
            String question,
            Instant askedAt,
            boolean mine,
            String answer,
            boolean toAll,
            Instant answeredAt) {}

    /** A clarification as an admin sees it: who asked and who answered. */
    public record AdminView(
            String id,
            Kind kind,
            String problemId,
            String participant,
            String question,
            Instant askedAt,
            String answer,
            boolean toAll,
            String answeredBy,
            Instant answeredAt) {
        static AdminView of(Clarification c) {
            return new AdminView(
                    c.id(),
                    Kind.of(c),
                    c.problemId(),
                    c.participant(),
                    c.question(),
                    c.askedAt(),
                    c.answer(),
                    c.toAll(),
                    c.answeredBy(),
                    c.answeredAt());
        }
    }

    public enum Kind {
        QUESTION,
        ANNOUNCEMENT;

        static Kind of(Clarification c) {
            return c.isAnnouncement() ? ANNOUNCEMENT : QUESTION;
        }
    }

    /** A contest's clarifications as read when {@code readAt} (System.nanoTime) was. */
    private record Snapshot(List<Clarification> all, long readAt) {}

    private final ClarificationStore store;
    private final QuestionLimiter limiter;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();
    /** When a write through this process last finished, per contest: a snapshot read before it is stale. */
    private final Map<String, Long> written = new ConcurrentHashMap<>();

    public Clarifications(ClarificationStore store, QuestionLimiter limiter) {
        this.store = store;
        this.limiter = limiter;
    }

    /**
     * A participant's question, about one of the contest's problems or (no {@code problemId})
     * general. Until the contest's end; limited per participant ({@link QuestionLimiter}).
     */
    public ParticipantView ask(Contest contest, String participant, String problemId, String text) {
        Instant now = now();
        if (!now.isBefore(contest.end())) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "the contest is over: questions are closed");
        }
        Clarification q = Clarification.question(
                contest.id(),
                newId(now),
                problemOf(contest, problemId),
                participant,
                ClarificationText.check(text, "text"),
                now);
        limiter.admit(contest.id(), participant);
        store.create(q);
        wrote(contest.id());
        return view(q, participant);
    }

    /** An admin's announcement to every participant, about a problem or general. */
    public AdminView announce(Contest contest, String admin, String problemId, String text) {
        Instant now = now();
        Clarification a = Clarification.announcement(
                contest.id(),
                newId(now),
                problemOf(contest, problemId),
                ClarificationText.check(text, "text"),
                admin,
                now);
        store.create(a);
        wrote(contest.id());
        return AdminView.of(a);
    }

    /**
     * Changes an announcement's text and problem: participants see it as new again.
     *
     * @throws NoSuchElementException (404) when the contest has no announcement with that id
     */
    public AdminView editAnnouncement(Contest contest, String admin, String id, String problemId, String text) {
        String checked = ClarificationText.check(text, "text");
        Clarification changed = store.editAnnouncement(
                        contest.id(), id, problemOf(contest, problemId), checked, admin, now())
                .orElseThrow(
                        () -> new NoSuchElementException("contest " + contest.id() + " has no announcement " + id));
        wrote(contest.id());
        return AdminView.of(changed);
    }

    /**
     * Deletes an announcement: participants no longer see it.
     *
     * @throws NoSuchElementException (404) when the contest has no announcement with that id
     */
    public void deleteAnnouncement(Contest contest, String id) {
        if (!store.deleteAnnouncement(contest.id(), id)) {
            throw new NoSuchElementException("contest " + contest.id() + " has no announcement " + id);
        }
        wrote(contest.id());
    }

    /**
     * Answers a question (again: the new answer replaces the old), to its asker alone or to every
     * participant.
     *
     * @throws NoSuchElementException (404) when the contest has no question with that id
     */
    public AdminView answer(Contest contest, String admin, String id, String text, boolean toAll) {
        String answer = ClarificationText.check(text, "text");
        Clarification answered = store.answer(contest.id(), id, answer, toAll, admin, now())
                .orElseThrow(() -> new NoSuchElementException("contest " + contest.id() + " has no question " + id));
        wrote(contest.id());
        return AdminView.of(answered);
    }

    /** What {@code participant} sees of the contest's clarifications, oldest first. */
    public List<ParticipantView> visibleTo(String contestId, String participant) {
        return all(contestId).stream()
                .filter(c -> participant.equals(c.participant()) || (c.toAll() && c.answer() != null))
                .map(c -> view(c, participant))
                .toList();
    }

    /** Every clarification of the contest, as admins see them, oldest first. */
    public List<AdminView> everything(String contestId) {
        return all(contestId).stream().map(AdminView::of).toList();
    }

    private List<Clarification> all(String contestId) {
        long now = System.nanoTime();
        Snapshot s = snapshots.get(contestId);
        Long write = written.get(contestId);
        if (s != null && now - s.readAt() < FRESH.toNanos() && (write == null || s.readAt() - write > 0)) {
            return s.all();
        }
        List<Clarification> read = store.list(contestId);
        snapshots.put(contestId, new Snapshot(read, now));
        return read;
    }

    private void wrote(String contestId) {
        written.put(contestId, System.nanoTime());
    }

    private static ParticipantView view(Clarification c, String participant) {
        return new ParticipantView(
                c.id(),
                Kind.of(c),
                c.problemId(),
                c.question(),
                c.askedAt(),
                participant.equals(c.participant()),
                c.answer(),
                c.toAll(),
                c.answeredAt());
    }

    /**
     * Before the contest starts no question names a problem, real or guessed alike: its page hides
     * the problems, and an answer that differed would tell which ids it has.
     */
    private String problemOf(Contest contest, String problemId) {
        if (problemId == null || problemId.isBlank()) {
            return null;
        }
        if (!contest.hasStarted(clock.instant())) {
            throw new InvalidRequestException(
                    "problemId cannot be given before the contest starts: leave it out for a general question");
        }
        if (!contest.problemIds().contains(problemId)) {
            throw new InvalidRequestException("problemId must be one of the contest's problems " + contest.problemIds()
                    + ", or left out for a general question");
        }
        return problemId;
    }

    /** Milliseconds, as ids have them; PostgreSQL would cut nanoseconds anyway. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** The time in milliseconds, then random digits: ids sort as they were made, and never collide. */
    private static String newId(Instant at) {
        byte[] suffix = new byte[5];
        RANDOM.nextBytes(suffix);
        return String.format("%013d-%s", at.toEpochMilli(), HexFormat.of().formatHex(suffix));
    }
}
