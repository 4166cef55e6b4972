package io.codingengine.common.judge;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * How a problem's test results add up to its verdict and score: its test data groups
 * ({@code data/sample}, {@code data/secret} and their subgroups), each with the settings of its
 * {@code testdata.yaml} or {@code test_group.yaml}, judged as the problem package format's default
 * grader does (problemtools' reference behaviour).
 * <ul>
 *   <li>A group's items (tests and subgroups, in name order) are judged in order; with
 *       {@code on_reject: break} ({@link Group#breakOnReject}) the first item that is not accepted
 *       ends the group: the items after it do not count, and the judge does not run their tests
 *       (lazy judging) unless asked to run every test.</li>
 *   <li>A group's verdict: {@code worst_error} (the first of IE, RE, MLE, TLE, OLE, WA among its
 *       items), {@code first_error} (its first item not accepted) or {@code always_accept};
 *       {@code accept_if_any_accepted} accepts it when one item is; an IE item makes it IE.
 *       {@code ignore_sample} (the root's) takes the verdict and score of {@code secret} alone.</li>
 *   <li>A group's score: {@code sum} (default), {@code avg}, {@code min} or {@code max} of its
 *       items' scores, or 2025-09's pass-fail aggregation (its maximum when every item is accepted,
 *       else 0). An accepted test scores its validator's {@code score.txt} (or
 *       {@code score_multiplier.txt} times its maximum, 2025-09) or else its group's
 *       {@code accept_score}; a rejected one its {@code reject_score}. A score outside the
 *       group's {@code range} is a judge error (IE).</li>
 * </ul>
 *
 * @param scoring             whether the problem is a scoring problem: each judgement gets the
 *                            root group's score; otherwise the share of tests accepted
 * @param root                the whole test data ({@code data}), its items {@code sample} and
 *                            {@code secret}
 * @param outputValidatorArgs per test name, the arguments its output validator gets after those
 *                            the problem's checker holds (a group's
 *                            {@code output_validator_flags}); tests without any are absent
 * @param acceptedScoresOnly  the legacy rule that a scoring submission's score counts only when
 *                            its verdict is accepted ("for non-Accepted results on scoring
 *                            problems, the score provided by the grader will always be ignored");
 *                            2025-09 gives every submission its score
 */
public record Grading(
        boolean scoring,
        Group root,
        Map<String, List<String>> outputValidatorArgs,
        @JsonSetter(nulls = Nulls.AS_EMPTY) boolean acceptedScoresOnly) {

    /** The name of the root group in group results. */
    public static final String ROOT = "data";

    public Grading {
        Objects.requireNonNull(root, "root");
        outputValidatorArgs = Map.copyOf(Objects.requireNonNullElse(outputValidatorArgs, Map.of()));
    }

    /** How a group's items' scores add up. */
    public enum Aggregation {
        SUM,
        AVG,
        MIN,
        MAX,
        /** 2025-09's {@code pass-fail}: the group's maximum when every item is accepted, else 0. */
        PASS_FAIL
    }

    /** How a group's verdict follows from its items'. */
    public enum VerdictMode {
        WORST_ERROR,
        FIRST_ERROR,
        ALWAYS_ACCEPT
    }

    /**
     * One test data group and its settings, parents' settings already applied.
     *
     * @param name                {@code sample}, {@code secret}, {@code secret/g1}..., or
     *                            {@link #ROOT}
     * @param breakOnReject       {@code on_reject: break}
     * @param acceptScore         score of an accepted test without {@code score.txt}; {@code null}
     *                            when such a test is a judge error (a 2025-09 unbounded group)
     * @param rejectScore         score of a rejected test
     * @param minScore            {@code range}'s lower end, or {@code null} for none
     * @param maxScore            {@code range}'s upper end or {@code max_score}, or {@code null}
     * @param scoreMultiplier     whether a validator's {@code score_multiplier.txt} is read
     *                            (2025-09), times {@code acceptScore}
     * @param items               its tests and subgroups, in judging order
     */
    public record Group(
            String name,
            boolean breakOnReject,
            Aggregation aggregation,
            VerdictMode verdictMode,
            boolean ignoreSample,
            boolean acceptIfAnyAccepted,
            Double acceptScore,
            double rejectScore,
            Double minScore,
            Double maxScore,
            boolean scoreMultiplier,
            List<Item> items) {

        public Group {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(aggregation, "aggregation");
            Objects.requireNonNull(verdictMode, "verdictMode");
            items = List.copyOf(items);
        }

        /** Every test in it and its subgroups, in order. */
        public List<String> tests() {
            List<String> all = new ArrayList<>();
            for (Item item : items) {
                if (item.test() != null) {
                    all.add(item.test());
                } else {
                    all.addAll(item.group().tests());
                }
            }
            return all;
        }
    }

    /** A test (its name) or a subgroup: exactly one is set. */
    public record Item(String test, Group group) {
        public Item {
            if ((test == null) == (group == null)) {
                throw new IllegalArgumentException("an item is a test or a group");
            }
        }

        public static Item test(String name) {
            return new Item(name, null);
        }

        public static Item group(Group group) {
            return new Item(null, group);
        }
    }

    /**
     * One test's result as the grader reads it.
     *
     * @param verdict         the test's verdict
     * @param score           its validator's {@code score.txt}, or {@code null}
     * @param scoreMultiplier its validator's {@code score_multiplier.txt}, or {@code null}
     */
    public record TestOutcome(Verdict verdict, Double score, Double scoreMultiplier) {
        public TestOutcome {
            Objects.requireNonNull(verdict, "verdict");
        }

        public static TestOutcome of(Verdict verdict) {
            return new TestOutcome(verdict, null, null);
        }
    }

    /**
     * The grade of a judging: the verdict, the score, the tests whose results count, and one
     * result per group (the root last).
     *
     * @param score   the root's score (0 when the root is IE, or not accepted under
     *                {@link #acceptedScoresOnly}); for a pass-fail problem the share of tests
     *                accepted, 0 to 100
     * @param counted the tests whose results count, in order
     */
    public record Grade(Verdict verdict, double score, Set<String> counted, List<GroupResult> groups) {}

    /** Every test of the problem, in judging order. */
    @JsonIgnore
    public List<String> tests() {
        return root.tests();
    }

    /**
     * The tests that will not count whatever the tests not yet run do: those after a rejection
     * that ends a group holding them. Tests not run are taken as accepted, which can only make
     * fewer groups end early, so what this says holds for every later outcome.
     */
    public Set<String> notNeeded(Map<String, TestOutcome> known) {
        Set<String> counted = new HashSet<>();
        // Judge errors of scores (a range, a missing score.txt) are left out: taken-as-accepted
        // tests could make them up, and they only ever make a group end later.
        evaluate(root, name -> known.getOrDefault(name, UNKNOWN), counted, new ArrayList<>(), true);
        Set<String> skipped = new HashSet<>(tests());
        skipped.removeAll(counted);
        return skipped;
    }

    /**
     * Grades a judging. Tests missing from {@code outcomes} count as not run ({@link Verdict#NR}).
     */
    public Grade grade(Map<String, TestOutcome> outcomes) {
        Set<String> counted = new HashSet<>();
        List<GroupResult> groups = new ArrayList<>();
        Result root = evaluate(
                this.root, name -> outcomes.getOrDefault(name, TestOutcome.of(Verdict.NR)), counted, groups, false);
        List<String> order = tests();
        Set<String> inOrder = new java.util.LinkedHashSet<>();
        for (String test : order) {
            if (counted.contains(test)) {
                inOrder.add(test);
            }
        }
        double score;
        if (scoring) {
            score = root.verdict() == Verdict.AC || !acceptedScoresOnly && root.verdict() != Verdict.IE
                    ? root.score()
                    : 0;
        } else {
            long accepted = inOrder.stream()
                    .filter(t ->
                            outcomes.get(t) != null && outcomes.get(t).verdict().accepted())
                    .count();
            score = order.isEmpty() ? 0 : 100.0 * accepted / order.size();
        }
        return new Grade(root.verdict(), score, inOrder, groups);
    }

    private record Result(Verdict verdict, double score, int run, int accepted, String message) {}

    /** Kattis's order of errors, worst first (worst_error picks the first present). */
    private static final List<Verdict> WORST_FIRST =
            List.of(Verdict.IE, Verdict.RE, Verdict.MLE, Verdict.TLE, Verdict.OLE, Verdict.WA, Verdict.NR);

    /** A test not run yet, taken as accepted by {@link #notNeeded}. */
    private static final TestOutcome UNKNOWN = TestOutcome.of(Verdict.AC);

    private Result evaluate(
            Group group,
            Function<String, TestOutcome> outcomes,
            Set<String> counted,
            List<GroupResult> results,
            boolean optimistic) {
        List<Result> children = new ArrayList<>();
        List<String> childNames = new ArrayList<>();
        List<Group> skippedGroups = new ArrayList<>();
        int run = 0, accepted = 0;
        boolean stopped = false;
        for (Item item : group.items()) {
            if (stopped) {
                if (item.group() != null) {
                    skippedGroups.add(item.group());
                }
                continue;
            }
            Result child;
            if (item.test() != null) {
                TestOutcome outcome = outcomes.apply(item.test());
                child = optimistic && outcome.verdict().accepted()
                        ? new Result(Verdict.AC, 0, 1, 1, null)
                        : test(group, outcome);
                if (child.verdict() != Verdict.NR) {
                    counted.add(item.test());
                    run++;
                    accepted += child.verdict().accepted() ? 1 : 0;
                }
                childNames.add(item.test());
            } else {
                child = evaluate(item.group(), outcomes, counted, results, optimistic);
                run += child.run();
                accepted += child.accepted();
                childNames.add(item.group().name());
            }
            children.add(child);
            if (!child.verdict().accepted() && group.breakOnReject()) {
                stopped = true;
            }
        }
        for (Group skipped : skippedGroups) {
            notRun(skipped, results);
        }
        Result result = aggregate(group, children, childNames, run, accepted, optimistic);
        results.add(new GroupResult(
                group.name(),
                result.verdict(),
                scoring ? result.score() : null,
                scoring ? group.maxScore() : null,
                group.tests().size(),
                run,
                accepted,
                result.message()));
        return result;
    }

    private void notRun(Group group, List<GroupResult> results) {
        for (Item item : group.items()) {
            if (item.group() != null) {
                notRun(item.group(), results);
            }
        }
        results.add(new GroupResult(
                group.name(),
                Verdict.NR,
                scoring ? 0.0 : null,
                scoring ? group.maxScore() : null,
                group.tests().size(),
                0,
                0,
                null));
    }

    private static Result test(Group group, TestOutcome outcome) {
        Verdict verdict = outcome.verdict();
        if (verdict == Verdict.NR) {
            return new Result(verdict, 0, 0, 0, null);
        }
        if (!verdict.accepted()) {
            return new Result(verdict, group.rejectScore(), 1, 0, null);
        }
        if (outcome.score() != null && outcome.scoreMultiplier() != null) {
            return new Result(Verdict.IE, 0, 1, 0, "the validator wrote both score.txt and score_multiplier.txt");
        }
        if (outcome.scoreMultiplier() != null) {
            if (!group.scoreMultiplier() || group.acceptScore() == null) {
                return new Result(
                        Verdict.IE,
                        0,
                        1,
                        0,
                        "the validator wrote score_multiplier.txt where the" + " test has no maximum score");
            }
            return new Result(verdict, outcome.scoreMultiplier() * group.acceptScore(), 1, 1, null);
        }
        if (outcome.score() != null) {
            return new Result(verdict, outcome.score(), 1, 1, null);
        }
        if (group.acceptScore() == null) {
            return new Result(
                    Verdict.IE,
                    0,
                    1,
                    0,
                    "the validator accepted a test of an unbounded group" + " without writing score.txt");
        }
        return new Result(verdict, group.acceptScore(), 1, 1, null);
    }

    private Result aggregate(
            Group group, List<Result> children, List<String> names, int run, int accepted, boolean optimistic) {
        List<Result> used = new ArrayList<>();
        for (int i = 0; i < children.size(); i++) {
            if (!group.ignoreSample() || !names.get(i).equals("sample")) {
                used.add(children.get(i));
            }
        }
        String message = null;
        for (Result child : used) {
            if (child.message() != null) {
                message = child.message();
                break;
            }
        }
        Verdict verdict;
        if (used.stream().anyMatch(r -> r.verdict() == Verdict.IE)) {
            verdict = Verdict.IE;
        } else if (group.verdictMode() == VerdictMode.ALWAYS_ACCEPT
                || group.acceptIfAnyAccepted()
                        && used.stream().anyMatch(r -> r.verdict().accepted())) {
            verdict = Verdict.AC;
        } else if (group.verdictMode() == VerdictMode.FIRST_ERROR) {
            verdict = used.stream()
                    .map(Result::verdict)
                    .filter(v -> !v.accepted())
                    .findFirst()
                    .orElse(Verdict.AC);
        } else {
            verdict = WORST_FIRST.stream()
                    .filter(v -> used.stream().anyMatch(r -> r.verdict() == v))
                    .findFirst()
                    .orElse(Verdict.AC);
        }
        if (!used.isEmpty() && used.stream().allMatch(r -> r.verdict() == Verdict.NR)) {
            verdict = Verdict.NR;
        }
        double score = 0;
        if (!used.isEmpty()) {
            var scores = used.stream().mapToDouble(Result::score);
            score = switch (group.aggregation()) {
                case SUM -> scores.sum();
                case AVG -> scores.average().orElse(0);
                case MIN -> scores.min().orElse(0);
                case MAX -> scores.max().orElse(0);
                case PASS_FAIL ->
                    used.stream().allMatch(r -> r.verdict().accepted())
                                    && used.size() == groupItems(group)
                                    && group.maxScore() != null
                            ? group.maxScore()
                            : 0;
            };
        }
        if (scoring
                && !optimistic
                && verdict != Verdict.IE
                && verdict != Verdict.NR
                && (group.minScore() != null && score < group.minScore() - 1e-9
                        || group.maxScore() != null && score > group.maxScore() + 1e-9)) {
            message = "group " + group.name() + " scored " + format(score) + ", outside its range "
                    + (group.minScore() == null ? "-inf" : format(group.minScore())) + " "
                    + (group.maxScore() == null ? "+inf" : format(group.maxScore()));
            verdict = Verdict.IE;
        }
        return new Result(verdict, score, run, accepted, verdict == Verdict.IE ? message : null);
    }

    private static int groupItems(Group group) {
        return group.ignoreSample()
                ? (int) group.items().stream()
                        .filter(i -> i.group() == null || !i.group().name().equals("sample"))
                        .count()
                : group.items().size();
    }

    /** A score as people read it: no trailing {@code .0}. */
    public static String format(double score) {
        return score == Math.rint(score) && Math.abs(score) < 1e15
                ? Long.toString((long) score)
                : Double.toString(score);
    }

    /** Every group of the tree, parents before their subgroups, by name. */
    @JsonIgnore
    public Map<String, Group> groups() {
        Map<String, Group> all = new LinkedHashMap<>();
        collect(root, all);
        return all;
    }

    private static void collect(Group group, Map<String, Group> all) {
        all.put(group.name(), group);
        for (Item item : group.items()) {
            if (item.group() != null) {
                collect(item.group(), all);
            }
        }
    }
}
