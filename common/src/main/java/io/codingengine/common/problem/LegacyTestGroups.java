package io.codingengine.common.problem;

import io.codingengine.common.judge.Grading;
import io.codingengine.common.problem.TestData.Directory;
import io.codingengine.common.problem.TestData.Settings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The test data groups of a legacy or 2023-07 package ({@code testdata.yaml}, as problemtools
 * reads them), for {@link TestData}: a group's file overlaid on its parent's settings, the
 * defaults below, and the legacy {@code problem.yaml grading} map over every group.
 */
final class LegacyTestGroups {

    /** The default grader's flags ({@code grader_flags}). */
    static final Set<String> GRADER_FLAGS = Set.of(
            "worst_error",
            "first_error",
            "always_accept",
            "sum",
            "avg",
            "min",
            "max",
            "ignore_sample",
            "accept_if_any_accepted");
    /** problemtools' defaults of a legacy group's settings. */
    private static final Map<String, Object> DEFAULTS = Map.of(
            "on_reject",
            "break",
            "grading",
            "default",
            "grader_flags",
            "",
            "accept_score",
            1.0,
            "reject_score",
            0.0,
            "range",
            "-inf +inf");

    private LegacyTestGroups() {}

    static Grading.Group root(Directory sample, Directory secret, Map<String, Settings> files, ProblemYaml yaml) {
        Map<String, Object> settings = new LinkedHashMap<>(DEFAULTS);
        Settings own = files.get("data");
        if (own != null) {
            own.values().forEach((k, v) -> settings.put(String.valueOf(k), v));
        }
        settings.putAll(yaml.gradingOverrides());
        List<Grading.Item> items = new ArrayList<>();
        if (!sample.empty()) {
            items.add(Grading.Item.group(group(sample, "sample", settings, files, yaml)));
        }
        if (!secret.empty()) {
            items.add(Grading.Item.group(group(secret, "secret", settings, files, yaml)));
        }
        return group("data", settings, own == null ? "data/testdata.yaml" : own.path(), items, true);
    }

    private static Grading.Group group(
            Directory directory,
            String name,
            Map<String, Object> parent,
            Map<String, Settings> files,
            ProblemYaml yaml) {
        Map<String, Object> settings = new LinkedHashMap<>(parent);
        Settings own = files.get(directory.path);
        if (own != null) {
            own.values().forEach((k, v) -> settings.put(String.valueOf(k), v));
        }
        settings.putAll(yaml.gradingOverrides());
        // Items in name order, tests and subgroups together (problemtools sorts a directory's entries).
        TreeMap<String, Grading.Item> items = new TreeMap<>(Comparator.naturalOrder());
        directory.tests.forEach((stem, test) -> items.put(stem, Grading.Item.test(test.name())));
        directory.directories.forEach((sub, d) -> {
            if (!d.empty()) {
                items.put(sub, Grading.Item.group(group(d, name + "/" + sub, settings, files, yaml)));
            }
        });
        return group(
                name,
                settings,
                own == null ? directory.path + "/testdata.yaml" : own.path(),
                List.copyOf(items.values()),
                false);
    }

    private static Grading.Group group(
            String name, Map<String, Object> settings, String from, List<Grading.Item> items, boolean root) {
        String onReject = String.valueOf(settings.get("on_reject")).strip();
        if (!onReject.equals("break") && !onReject.equals("continue")) {
            throw new InvalidPackageException(from + ": on_reject must be break or continue, not " + onReject);
        }
        Grading.VerdictMode mode = Grading.VerdictMode.WORST_ERROR;
        Grading.Aggregation aggregation = Grading.Aggregation.SUM;
        boolean ignoreSample = false, anyAccepted = false;
        for (String flag : ProblemYaml.words(settings.get("grader_flags"), from + ": grader_flags")) {
            switch (flag) {
                case "worst_error" -> mode = Grading.VerdictMode.WORST_ERROR;
                case "first_error" -> mode = Grading.VerdictMode.FIRST_ERROR;
                case "always_accept" -> mode = Grading.VerdictMode.ALWAYS_ACCEPT;
                case "sum" -> aggregation = Grading.Aggregation.SUM;
                case "avg" -> aggregation = Grading.Aggregation.AVG;
                case "min" -> aggregation = Grading.Aggregation.MIN;
                case "max" -> aggregation = Grading.Aggregation.MAX;
                case "ignore_sample" -> ignoreSample = true;
                case "accept_if_any_accepted" -> anyAccepted = true;
                default ->
                    throw new InvalidPackageException(
                            from + ": grader flag " + flag + " is not supported (the" + " default grader's flags: "
                                    + String.join(", ", new java.util.TreeSet<>(GRADER_FLAGS)) + ")");
            }
        }
        // problemtools hands a group its parent's flags when it has none: ignore_sample means
        // something at the root only, and a group without a sample item ignores nothing.
        ignoreSample &= root;
        double[] range = range(settings.get("range"), from);
        return new Grading.Group(
                name,
                onReject.equals("break"),
                aggregation,
                mode,
                ignoreSample,
                anyAccepted,
                number(settings.get("accept_score"), from + ": accept_score"),
                number(settings.get("reject_score"), from + ": reject_score"),
                Double.isInfinite(range[0]) ? null : range[0],
                Double.isInfinite(range[1]) ? null : range[1],
                false,
                items);
    }

    static double number(Object value, String what) {
        try {
            double number = value instanceof Number n
                    ? n.doubleValue()
                    : Double.parseDouble(String.valueOf(value).strip());
            if (!Double.isFinite(number)) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new InvalidPackageException(what + " must be a finite number, not " + value);
        }
    }

    static double[] range(Object value, String from) {
        List<String> words = ProblemYaml.words(value, from + ": range");
        if (words.size() != 2) {
            throw new InvalidPackageException(from + ": range must be two numbers, not " + value);
        }
        double[] range = new double[2];
        for (int i = 0; i < 2; i++) {
            String word = words.get(i).strip();
            range[i] = switch (word) {
                case "inf", "+inf" -> Double.POSITIVE_INFINITY;
                case "-inf" -> Double.NEGATIVE_INFINITY;
                default -> number(word, from + ": range");
            };
        }
        if (range[0] > range[1]) {
            throw new InvalidPackageException(from + ": range " + value + " is empty");
        }
        return range;
    }
}
