package io.codingengine.common.problem;

import io.codingengine.common.judge.Grading;
import io.codingengine.common.problem.TestData.Directory;
import io.codingengine.common.problem.TestData.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** 2025-09's test data groups and result aggregation ({@code test_group.yaml}: max_score, score_aggregation), for {@link TestData}. */
final class TestGroups2025 {

    private TestGroups2025() {}

    static Grading.Group root(Directory sample, Directory secret, Map<String, Settings> files, boolean scoring) {
        List<Grading.Item> items = new ArrayList<>();
        if (!sample.empty()) {
            items.add(
                    Grading.Item.group(group("sample", flat(sample), false, Grading.Aggregation.SUM, 0.0, 0.0, true)));
        }
        if (!secret.empty()) {
            items.add(Grading.Item.group(scoring ? secret(secret, files) : passFail(secret, "secret")));
        }
        // A scoring problem's samples do not count: its secret data is judged whatever they did.
        return new Grading.Group(
                Grading.ROOT,
                !scoring,
                Grading.Aggregation.SUM,
                Grading.VerdictMode.FIRST_ERROR,
                false,
                false,
                0.0,
                0,
                null,
                null,
                false,
                items);
    }

    private static Grading.Group passFail(Directory directory, String name) {
        List<Grading.Item> items = new ArrayList<>();
        directory.tests.values().forEach(t -> items.add(Grading.Item.test(t.name())));
        directory.directories.forEach((sub, d) -> {
            if (!d.empty()) {
                items.add(Grading.Item.group(passFail(d, name + "/" + sub)));
            }
        });
        return group(name, items, true, Grading.Aggregation.SUM, 0.0, null, false);
    }

    private static Grading.Group secret(Directory secret, Map<String, Settings> files) {
        Settings own = files.get(secret.path);
        String from = own == null ? "data/secret/test_group.yaml" : own.path();
        Map<?, ?> values = own == null ? Map.of() : own.values();
        Grading.Aggregation aggregation = aggregation(values.get("score_aggregation"), Grading.Aggregation.SUM, from);
        Double max = maxScore(values, 100.0, from);
        boolean hasGroups = secret.directories.values().stream().anyMatch(d -> !d.empty());
        if (hasGroups && !secret.tests.isEmpty()) {
            throw new InvalidPackageException(
                    "data/secret has both tests and test data groups (2025-09 allows" + " one or the other)");
        }
        List<Grading.Item> items = new ArrayList<>();
        if (!hasGroups) {
            return scored("secret", flat(secret), aggregation, max);
        }
        for (var entry : secret.directories.entrySet()) {
            Directory d = entry.getValue();
            if (d.empty()) {
                continue;
            }
            Settings groupFile = files.get(d.path);
            String groupFrom = groupFile == null ? d.path + "/test_group.yaml" : groupFile.path();
            Map<?, ?> groupValues = groupFile == null ? Map.of() : groupFile.values();
            Grading.Aggregation groupAggregation =
                    aggregation(groupValues.get("score_aggregation"), Grading.Aggregation.PASS_FAIL, groupFrom);
            if (aggregation == Grading.Aggregation.PASS_FAIL && groupAggregation != Grading.Aggregation.PASS_FAIL) {
                throw new InvalidPackageException(
                        groupFrom + ": secret has pass-fail aggregation, so must its" + " groups");
            }
            Double groupMax = maxScore(groupValues, null, groupFrom);
            if (groupMax == null && !groupValues.containsKey("max_score") && max != null) {
                throw new InvalidPackageException(groupFrom + ": max_score is required: secret's maximum score "
                        + Grading.format(max) + " is bounded, so every group's is");
            }
            if (groupMax == null && max != null) {
                throw new InvalidPackageException(groupFrom + ": max_score unbounded needs secret's unbounded too");
            }
            items.add(Grading.Item.group(scored("secret/" + entry.getKey(), flat(d), groupAggregation, groupMax)));
        }
        return group("secret", items, aggregation != Grading.Aggregation.SUM, aggregation, null, max, true);
    }

    private static Grading.Group scored(
            String name, List<Grading.Item> tests, Grading.Aggregation aggregation, Double max) {
        if (aggregation == Grading.Aggregation.PASS_FAIL && max == null) {
            throw new InvalidPackageException("data/" + name + ": a pass-fail group needs a bounded max_score");
        }
        Double perTest = max == null
                ? null
                : aggregation == Grading.Aggregation.SUM ? (tests.isEmpty() ? 0 : max / tests.size()) : max;
        return group(name, tests, aggregation != Grading.Aggregation.SUM, aggregation, perTest, max, true);
    }

    private static Grading.Group group(
            String name,
            List<Grading.Item> items,
            boolean breakOnReject,
            Grading.Aggregation aggregation,
            Double acceptScore,
            Double max,
            boolean multiplier) {
        return new Grading.Group(
                name,
                breakOnReject,
                aggregation,
                Grading.VerdictMode.FIRST_ERROR,
                false,
                false,
                acceptScore,
                0,
                max == null ? null : 0.0,
                max,
                multiplier && max != null,
                items);
    }

    /** A group's tests, its subdirectories' in order (they only order them). */
    private static List<Grading.Item> flat(Directory directory) {
        TreeMap<String, List<Grading.Item>> entries = new TreeMap<>();
        directory.tests.forEach((stem, t) -> entries.put(stem, List.of(Grading.Item.test(t.name()))));
        directory.directories.forEach((sub, d) -> entries.put(sub, flat(d)));
        List<Grading.Item> all = new ArrayList<>();
        entries.values().forEach(all::addAll);
        return all;
    }

    private static Grading.Aggregation aggregation(Object value, Grading.Aggregation otherwise, String from) {
        if (value == null) {
            return otherwise;
        }
        return switch (String.valueOf(value).strip()) {
            case "sum" -> Grading.Aggregation.SUM;
            case "min" -> Grading.Aggregation.MIN;
            case "pass-fail" -> Grading.Aggregation.PASS_FAIL;
            default ->
                throw new InvalidPackageException(
                        from + ": score_aggregation must be pass-fail, sum or min," + " not " + value);
        };
    }

    /** {@code max_score}: a non-negative integer, or {@code null} for unbounded. */
    private static Double maxScore(Map<?, ?> values, Double otherwise, String from) {
        if (!values.containsKey("max_score")) {
            return otherwise;
        }
        Object value = values.get("max_score");
        if ("unbounded".equals(String.valueOf(value).strip())) {
            return null;
        }
        if (!(value instanceof Integer n) || n < 0) {
            throw new InvalidPackageException(
                    from + ": max_score must be a non-negative integer or unbounded, not " + value);
        }
        return n.doubleValue();
    }
}
