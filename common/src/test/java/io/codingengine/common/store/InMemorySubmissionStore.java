package io.codingengine.common.store;

import io.codingengine.common.judge.Ids;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.SubmissionStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link SubmissionStore} in this JVM's memory, for tests that need a store but no database: the
 * fast tier ({@code mvn test -Dgroups=fast}) and the web slices. It passes
 * {@link SubmissionStoreContract} like the PostgreSQL and Table Storage adapters
 * ({@code InMemorySubmissionStoreTest}). Every call holds the store's lock, so each is one atomic
 * step as the contract asks; nothing survives the JVM.
 */
public final class InMemorySubmissionStore implements SubmissionStore {

    private static final int MAX_PAGE_SIZE = 1000;
    private static final Comparator<SubmissionSummary> NEWEST_FIRST = Comparator.comparing(SubmissionSummary::createdAt)
            .thenComparing(SubmissionSummary::id)
            .reversed();

    private final Map<String, SubmissionRecord> records = new HashMap<>();

    @Override
    public synchronized boolean create(Submission submission) {
        Objects.requireNonNull(submission, "submission");
        SubmissionRecord existing = records.get(submission.id());
        if (existing != null) {
            if (existing.submission().equals(submission)) {
                return false;
            }
            throw new IllegalStateException("another submission has the id " + submission.id());
        }
        records.put(
                submission.id(),
                new SubmissionRecord(
                        submission, SubmissionStatus.QUEUED, 0, false, 0, 0, 0, null, List.of(), Instant.now()));
        return true;
    }

    @Override
    public synchronized Optional<SubmissionRecord> get(String id) {
        return Optional.ofNullable(records.get(id));
    }

    @Override
    public synchronized UpdateOutcome markRunning(String id, long round, int attempt, int testsTotal) {
        requireAttempt(attempt);
        if (testsTotal < 0) {
            throw new IllegalArgumentException("testsTotal must be >= 0, was " + testsTotal);
        }
        UpdateOutcome refused = refusal(id, round, attempt);
        if (refused != null) {
            return refused;
        }
        SubmissionRecord r = records.get(id);
        if (attempt == r.attempt() && r.status() == SubmissionStatus.RUNNING) {
            return UpdateOutcome.UNCHANGED;
        }
        return put(new SubmissionRecord(
                r.submission(),
                SubmissionStatus.RUNNING,
                r.round(),
                r.allTests(),
                attempt,
                0,
                testsTotal,
                null,
                r.history(),
                Instant.now()));
    }

    @Override
    public synchronized UpdateOutcome reportProgress(String id, long round, int attempt, int testsDone) {
        requireAttempt(attempt);
        UpdateOutcome refused = refusal(id, round, attempt);
        if (refused != null) {
            return refused;
        }
        SubmissionRecord r = records.get(id);
        if (attempt > r.attempt() || r.status() != SubmissionStatus.RUNNING) {
            throw new IllegalStateException(
                    "attempt " + attempt + " of submission " + id + " reports progress without markRunning");
        }
        if (testsDone > r.testsTotal()) {
            throw new IllegalArgumentException("testsDone " + testsDone + " is past the total " + r.testsTotal());
        }
        if (testsDone <= r.testsDone()) {
            return UpdateOutcome.UNCHANGED;
        }
        return put(new SubmissionRecord(
                r.submission(),
                r.status(),
                r.round(),
                r.allTests(),
                r.attempt(),
                testsDone,
                r.testsTotal(),
                null,
                r.history(),
                Instant.now()));
    }

    @Override
    public synchronized UpdateOutcome complete(String id, Judgement judgement) {
        Objects.requireNonNull(judgement, "judgement");
        // Any attempt may complete the round: the first judgement wins, whoever sent it.
        UpdateOutcome refused = refusal(id, judgement.round(), 0);
        if (refused != null) {
            return refused;
        }
        SubmissionRecord r = records.get(id);
        int tests = judgement.tests().size();
        return put(new SubmissionRecord(
                r.submission(),
                SubmissionStatus.DONE,
                r.round(),
                r.allTests(),
                judgement.attempt(),
                tests,
                Math.max(r.testsTotal(), tests),
                judgement,
                r.history(),
                Instant.now()));
    }

    @Override
    public synchronized UpdateOutcome startRegrade(String id, long regradeRound, boolean allTests) {
        if (regradeRound <= 0) {
            throw new IllegalArgumentException("regradeRound must be positive, was " + regradeRound);
        }
        SubmissionRecord r = records.get(id);
        if (r == null) {
            return UpdateOutcome.NOT_FOUND;
        }
        if (regradeRound < r.round()) {
            return UpdateOutcome.STALE;
        }
        if (regradeRound == r.round()) {
            return UpdateOutcome.UNCHANGED;
        }
        List<Judgement> history = new ArrayList<>(r.history());
        if (r.judgement() != null) {
            history.add(r.judgement());
        }
        return put(new SubmissionRecord(
                r.submission(),
                SubmissionStatus.QUEUED,
                regradeRound,
                allTests,
                0,
                0,
                0,
                null,
                history,
                Instant.now()));
    }

    @Override
    public synchronized UpdateOutcome heartbeat(String id, long round, int attempt) {
        requireAttempt(attempt);
        UpdateOutcome refused = refusal(id, round, attempt);
        if (refused != null) {
            return refused;
        }
        SubmissionRecord r = records.get(id);
        if (r.status() != SubmissionStatus.RUNNING || r.attempt() != attempt) {
            return UpdateOutcome.UNCHANGED;
        }
        return put(touched(r));
    }

    /** Oldest change first. */
    @Override
    public synchronized List<StalledRound> stalled(Instant unchangedSince, int max) {
        Objects.requireNonNull(unchangedSince, "unchangedSince");
        if (max < 1 || max > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("max must be 1.." + MAX_PAGE_SIZE + ", was " + max);
        }
        return records.values().stream()
                .filter(r ->
                        r.status() != SubmissionStatus.DONE && r.updatedAt().isBefore(unchangedSince))
                .sorted(Comparator.comparing(SubmissionRecord::updatedAt))
                .limit(max)
                .map(r -> new StalledRound(r.id(), r.round(), r.status(), r.attempt(), r.updatedAt(), r.allTests()))
                .toList();
    }

    @Override
    public synchronized UpdateOutcome claimStalled(String id, long round, Instant unchangedSince) {
        Objects.requireNonNull(unchangedSince, "unchangedSince");
        UpdateOutcome refused = refusal(id, round, 0);
        if (refused != null) {
            return refused;
        }
        SubmissionRecord r = records.get(id);
        return r.updatedAt().isBefore(unchangedSince) ? put(touched(r)) : UpdateOutcome.UNCHANGED;
    }

    /** {@code r} changed now, nothing else. */
    private static SubmissionRecord touched(SubmissionRecord r) {
        return new SubmissionRecord(
                r.submission(),
                r.status(),
                r.round(),
                r.allTests(),
                r.attempt(),
                r.testsDone(),
                r.testsTotal(),
                r.judgement(),
                r.history(),
                Instant.now());
    }

    /**
     * Why a call of {@code round} and {@code attempt} changes nothing: {@code NOT_FOUND},
     * {@code STALE} for an older round or an attempt older than the running one ({@code attempt} 0
     * skips that check), {@code ALREADY_DONE} when the round is judged; {@code null} when it may go on.
     */
    private UpdateOutcome refusal(String id, long round, int attempt) {
        SubmissionRecord r = records.get(id);
        if (r == null) {
            return UpdateOutcome.NOT_FOUND;
        }
        if (round < r.round()) {
            return UpdateOutcome.STALE;
        }
        if (round > r.round()) {
            throw new IllegalStateException("round " + round + " of submission " + r.id()
                    + " was never started; the current round is " + r.round());
        }
        if (r.status() == SubmissionStatus.DONE) {
            return UpdateOutcome.ALREADY_DONE;
        }
        return attempt != 0 && attempt < r.attempt() ? UpdateOutcome.STALE : null;
    }

    private UpdateOutcome put(SubmissionRecord record) {
        records.put(record.id(), record);
        return UpdateOutcome.APPLIED;
    }

    private static void requireAttempt(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
        }
    }

    /** Newest first; the token is the filter and the last item's creation time and id. */
    @Override
    public synchronized Page<SubmissionSummary> list(SubmissionFilter filter, int pageSize, String continuationToken) {
        Objects.requireNonNull(filter, "filter");
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("pageSize must be 1.." + MAX_PAGE_SIZE + ", was " + pageSize);
        }
        SubmissionSummary after = continuationToken == null ? null : decode(continuationToken, filter);
        List<SubmissionSummary> matching = records.values().stream()
                .map(SubmissionRecord::summary)
                .filter(filter::matches)
                .filter(s -> after == null || NEWEST_FIRST.compare(s, after) > 0)
                .sorted(NEWEST_FIRST)
                .limit(pageSize + 1L)
                .toList();
        if (matching.size() <= pageSize) {
            return new Page<>(matching, null);
        }
        List<SubmissionSummary> page = matching.subList(0, pageSize);
        return new Page<>(page, encode(filter, page.getLast()));
    }

    private static String encode(SubmissionFilter filter, SubmissionSummary last) {
        String token = String.join("\n", "v1", listing(filter), last.createdAt().toString(), last.id());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token.getBytes(StandardCharsets.UTF_8));
    }

    /** The listing a token belongs to: its filter, in one line. */
    private static String listing(SubmissionFilter filter) {
        return Base64.getUrlEncoder().encodeToString(filter.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The position a token names, as a summary to compare with; refuses tokens of other listings. */
    private static SubmissionSummary decode(String token, SubmissionFilter filter) {
        String[] parts;
        Instant createdAt;
        try {
            parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\n", -1);
            createdAt = parts.length == 4 ? Instant.parse(parts[2]) : null;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a continuation token of this store");
        }
        if (parts.length != 4 || !parts[0].equals("v1") || !Ids.isValid(parts[3])) {
            throw new IllegalArgumentException("not a continuation token of this store");
        }
        if (!parts[1].equals(listing(filter))) {
            throw new IllegalArgumentException("the continuation token belongs to another listing");
        }
        return new SubmissionSummary(
                parts[3],
                null,
                null,
                null,
                null,
                createdAt,
                SubmissionStatus.QUEUED,
                0,
                null,
                null,
                0,
                0,
                createdAt,
                null);
    }

    @Override
    public synchronized int purgeCreatedBefore(Instant cutoff) {
        List<String> old = records.values().stream()
                .filter(r -> r.submission().createdAt().isBefore(cutoff))
                .map(SubmissionRecord::id)
                .toList();
        old.forEach(records::remove);
        return old.size();
    }

    @Override
    public synchronized void delete(Submission submission) {
        records.remove(submission.id());
    }
}
