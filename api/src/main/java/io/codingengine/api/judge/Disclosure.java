package io.codingengine.api.judge;

import io.codingengine.api.access.CurrentPrincipal;
import io.codingengine.api.access.Role;
import io.codingengine.common.contest.Contest;
import io.codingengine.common.contest.ContestStore;
import io.codingengine.common.contest.Scoring;
import io.codingengine.common.store.SubmissionRecord;
import io.codingengine.common.store.SubmissionSummary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * What the caller may see of submissions: the one place that decides it, for the poll, the
 * listings and the contest's listing alike. An admin key sees everything; every other key (a
 * participant's, and a service's, which may pass results on to participants) gets the
 * participant view, which never carries a hidden test's data or anything derived from it (see
 * {@link SubmissionView}).
 *
 * <p>ICPC rules (no score, no per-test results of hidden tests, just the verdict of the first
 * failing test and its number) apply to a submission to a problem of an ICPC contest it names, and
 * to one to a problem of any ICPC contest when it names no contest that has that problem:
 * otherwise a contest's participant could submit to its problem outside the contest, or have a
 * service name another contest ({@code POST /api/v1/submissions} takes any {@code contestId} from
 * a service or admin key), and read per-test results of its hidden tests.
 */
@Component
public class Disclosure {

    private final CurrentPrincipal caller;
    private final ContestStore contests;

    public Disclosure(CurrentPrincipal caller, ContestStore contests) {
        this.caller = caller;
        this.contests = contests;
    }

    /** Whether the caller sees every stored detail. */
    public boolean seesEverything() {
        return caller.get().map(p -> p.role().includes(Role.ADMIN)).orElse(false);
    }

    /** The submission as the caller may see it. */
    public SubmissionView view(SubmissionRecord r) {
        if (seesEverything()) {
            return SubmissionView.full(r);
        }
        return SubmissionView.forParticipant(
                r,
                new Rules(contests)
                        .icpc(r.submission().contestId(), r.submission().problemId()));
    }

    /**
     * Listed submissions as the caller may see them: where ICPC rules apply no score, and the
     * verdict of the first failing test ({@link SubmissionSummary#icpcVerdict}).
     */
    public List<SubmissionSummary> summaries(List<SubmissionSummary> items) {
        if (seesEverything() || items.isEmpty()) {
            return items;
        }
        Rules rules = new Rules(contests);
        return items.stream()
                .map(s -> s.verdict() != null && rules.icpc(s.contestId(), s.problemId())
                        ? new SubmissionSummary(
                                s.id(),
                                s.problemId(),
                                s.contestId(),
                                s.participant(),
                                s.language(),
                                s.createdAt(),
                                s.status(),
                                s.round(),
                                s.icpcVerdict(),
                                null,
                                s.testsDone(),
                                s.testsTotal(),
                                s.updatedAt(),
                                s.firstFailure())
                        : s)
                .toList();
    }

    /**
     * Whether ICPC rules apply to a submission of {@code problemId} naming {@code contestId}
     * (which may be {@code null}), as they do to what its participant sees.
     */
    public static boolean icpcRules(ContestStore contests, String contestId, String problemId) {
        return new Rules(contests).icpc(contestId, problemId);
    }

    /** The contests one request needs, read once each. */
    private static final class Rules {

        private final ContestStore contests;
        private final Map<String, Optional<Contest>> byId = new HashMap<>();
        private Set<String> icpcProblems;

        Rules(ContestStore contests) {
            this.contests = contests;
        }

        boolean icpc(String contestId, String problemId) {
            if (contestId != null) {
                Optional<Contest> contest = byId.computeIfAbsent(contestId, contests::get);
                if (contest.isPresent()
                        && (problemId == null || contest.get().problemIds().contains(problemId))) {
                    return contest.get().scoring() == Scoring.ICPC;
                }
            }
            if (problemId == null) {
                return false; // inline tests: the submitter's own
            }
            if (icpcProblems == null) {
                icpcProblems = contests.list().stream()
                        .filter(c -> c.scoring() == Scoring.ICPC)
                        .flatMap(c -> c.problemIds().stream())
                        .collect(Collectors.toSet());
            }
            return icpcProblems.contains(problemId);
        }
    }
}
