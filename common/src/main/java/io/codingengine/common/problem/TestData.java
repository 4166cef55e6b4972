package io.codingengine.common.problem;

import io.codingengine.common.judge.Grading;
import io.codingengine.common.judge.TestCase;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The tests of a package, its test data groups and the settings that change how they are judged
 * ({@link Grading}).
 * <ul>
 *   <li>Tests: {@code data/sample/**}{@code /X.in} with {@code X.ans} are visible tests named
 *       {@code sample/X}; {@code data/secret/**}{@code /X.in} with {@code X.ans} hidden ones named
 *       {@code secret/X}; an {@code .in} without {@code .ans} or the reverse is refused. An
 *       interactive or multi-pass problem's {@code data/sample/**}{@code /X.interaction} is the
 *       sample interaction {@code sample/X} shown with its statement ({@link SampleInteraction}),
 *       with or without a test of that name. Other files ({@code .desc}, {@code .hint}, images,
 *       another problem's {@code .interaction}...) are for people.</li>
 *   <li>Groups: {@code data} (the root), {@code data/sample}, {@code data/secret} and every
 *       directory below them holding tests; a group's items (tests and subgroups) are judged in
 *       name order. In a 2025-09 package the groups are {@code secret}'s direct subdirectories,
 *       deeper directories only ordering their tests.</li>
 *   <li>Legacy and 2023-07 settings ({@code testdata.yaml}, as problemtools reads them: a
 *       group's file overlaid on its parent's settings, defaults below): {@code on_reject}
 *       ({@code break}, default, or {@code continue}), {@code grading: default},
 *       {@code grader_flags} (the default grader's: {@code worst_error}, {@code first_error},
 *       {@code always_accept}, {@code sum}, {@code avg}, {@code min}, {@code max},
 *       {@code ignore_sample} at the root only, {@code accept_if_any_accepted}),
 *       {@code accept_score} (1), {@code reject_score} (0), {@code range} ({@code -inf +inf}),
 *       {@code output_validator_flags} (or 2023-07's {@code output_validator_args}), which the
 *       group's tests' output validator gets after the problem's {@code validator_flags}; the
 *       legacy {@code problem.yaml grading} map overrides its keys in every group. 2023-07's
 *       {@code X.yaml} beside a test sets its own output validator arguments.</li>
 *   <li>2025-09 settings ({@code test_group.yaml}): {@code score_aggregation} ({@code sum} in
 *       {@code secret}, else {@code pass-fail}; or {@code min}), {@code max_score} (100 in
 *       {@code secret}, groups' required while {@code secret}'s is bounded, or
 *       {@code unbounded}), {@code output_validator_args}; a test in a {@code sum} group may
 *       score its group's maximum over its number of tests, in a {@code min} group its group's
 *       maximum. Pass-fail and {@code min} groups stop at their first rejected test.</li>
 *   <li>Refused, naming the file and the key: custom graders ({@code grading: custom}),
 *       unknown grader flags, {@code require_pass}, static validation, arguments to the
 *       submission ({@code args}), input files ({@code X.files/}), an output validator chosen per
 *       group, a key of another format version's scoring and unknown keys. Input validator flags,
 *       visualizer arguments, hints and descriptions do not change a verdict and are ignored.</li>
 * </ul>
 */
final class TestData {

    /**
     * The tests in judging order, and how their results add up.
     *
     * @param commonValidatorArgs the default output validator's arguments from the test data when
     *                            every test has the same (then none are per test), else empty
     */
    record Tests(
            List<TestCase> samples,
            List<TestCase> secret,
            Grading grading,
            List<String> commonValidatorArgs,
            List<SampleInteraction> interactions) {}

    private static final Set<String> CONFIG_FILES = Set.of("testdata.yaml", "test_group.yaml");
    /** Keys that do not change a verdict or a score, in every version. */
    private static final Set<String> IGNORED = Set.of(
            "input_validator_flags",
            "input_validator_args",
            "input_visualizer_args",
            "output_visualizer_args",
            "full_feedback",
            "hint",
            "description");

    private static final Set<String> LEGACY_SCORING =
            Set.of("on_reject", "grading", "grader_flags", "accept_score", "reject_score", "range");
    private static final Set<String> V2025_SCORING = Set.of("max_score", "score_aggregation", "require_pass");
    private static final Set<String> TEST_KEYS = Set.of(
            "args",
            "input_validator_args",
            "output_validator_args",
            "input_visualizer_args",
            "output_visualizer_args",
            "full_feedback",
            "hint",
            "description");
    private static final Set<String> GRADER_FLAGS = Set.of(
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
    private static final Map<String, Object> LEGACY_DEFAULTS = Map.of(
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

    private TestData() {}

    /** One file of settings: where it is, and what it says. */
    private record Settings(String path, Map<?, ?> values) {}

    /** A setting in force for a test, and the file it came from. */
    private record Setting(Object value, String from) {}

    /** A directory of tests as read: its tests (stem → test) and subdirectories, by name. */
    private static final class Directory {
        final String path;
        final TreeMap<String, TestCase> tests = new TreeMap<>();
        final TreeMap<String, Directory> directories = new TreeMap<>();

        Directory(String path) {
            this.path = path;
        }

        boolean empty() {
            return tests.isEmpty() && directories.values().stream().allMatch(Directory::empty);
        }
    }

    static Tests read(PackageArchive archive, ProblemYaml yaml, boolean customValidator, boolean talks)
            throws IOException {
        ProblemYaml.Format format = yaml.format();
        Constants constants = yaml.constants();
        Map<String, Settings> files = new HashMap<>(); // directory -> its settings file
        for (String path : archive.under("data/")) {
            String directory = path.substring(0, path.lastIndexOf('/'));
            if (CONFIG_FILES.contains(path.substring(path.lastIndexOf('/') + 1)) && isTestDirectory(directory)) {
                Settings settings = new Settings(path, load(archive, path, constants));
                checkKeys(settings, format, yaml.scoring());
                if (files.put(directory, settings) != null) {
                    throw new InvalidPackageException(directory + " has both testdata.yaml and test_group.yaml");
                }
            }
        }
        Map<String, List<String>> validatorArgs = new HashMap<>();
        Directory sample =
                tests(archive, "sample", true, format, files, constants, yaml, customValidator, validatorArgs);
        Directory secret =
                tests(archive, "secret", false, format, files, constants, yaml, customValidator, validatorArgs);
        if (talks && !validatorArgs.isEmpty()) {
            var first = validatorArgs.entrySet().iterator().next();
            throw new InvalidPackageException("output validator arguments for an interactive or multi-pass problem are"
                    + " not supported (" + first.getKey() + " has " + first.getValue() + ")");
        }
        Grading.Group root = format == ProblemYaml.Format.V2025_09
                ? Since2025.root(sample, secret, files, yaml.scoring())
                : legacyRoot(sample, secret, files, yaml);
        List<String> common = List.of();
        int total = root.tests().size();
        if (!customValidator
                && validatorArgs.size() == total
                && total > 0
                && validatorArgs.values().stream().distinct().count() == 1) {
            // The same for every test: the problem's checker holds them.
            common = validatorArgs.values().iterator().next();
            validatorArgs.clear();
        }
        Grading grading = new Grading(yaml.scoring(), root, validatorArgs, format != ProblemYaml.Format.V2025_09);
        Map<String, TestCase> byName = new HashMap<>();
        collect(sample, byName);
        collect(secret, byName);
        List<TestCase> samples = new ArrayList<>(), secrets = new ArrayList<>();
        for (String name : grading.tests()) {
            (name.startsWith("sample/") ? samples : secrets).add(byName.get(name));
        }
        return new Tests(samples, secrets, grading, common, talks ? interactions(archive) : List.of());
    }

    /** The sample interactions of an interactive or multi-pass package, by name. */
    private static List<SampleInteraction> interactions(PackageArchive archive) throws IOException {
        TreeMap<String, SampleInteraction> byName = new TreeMap<>();
        for (String path : archive.under("data/sample/")) {
            if (path.endsWith(".interaction")) {
                String name = path.substring("data/".length(), path.length() - ".interaction".length());
                byName.put(name, SampleInteraction.read(path, name, archive.text(path)));
            }
        }
        return List.copyOf(byName.values());
    }

    private static void collect(Directory directory, Map<String, TestCase> byName) {
        directory.tests.values().forEach(t -> byName.put(t.name(), t));
        directory.directories.values().forEach(d -> collect(d, byName));
    }

    private static boolean isTestDirectory(String directory) {
        return directory.equals("data")
                || directory.equals("data/sample")
                || directory.equals("data/secret")
                || directory.startsWith("data/sample/")
                || directory.startsWith("data/secret/");
    }

    private static Directory tests(
            PackageArchive archive,
            String group,
            boolean visible,
            ProblemYaml.Format format,
            Map<String, Settings> files,
            Constants constants,
            ProblemYaml yaml,
            boolean customValidator,
            Map<String, List<String>> validatorArgs)
            throws IOException {
        String prefix = "data/" + group + "/";
        Directory top = new Directory("data/" + group);
        for (String path : archive.under(prefix)) {
            String[] segments = path.split("/");
            for (int i = 2; i < segments.length - 1; i++) {
                if (segments[i].endsWith(".files")) {
                    throw new InvalidPackageException(path + ": input files for a test (.files directories)"
                            + " are not supported: the engine gives a submission its standard input only");
                }
            }
            if (path.endsWith(".ans") && !archive.has(path.substring(0, path.length() - 4) + ".in")) {
                throw new InvalidPackageException(path + " has no matching .in file");
            }
            if (!path.endsWith(".in")) {
                continue;
            }
            String stem = path.substring(0, path.length() - 3);
            if (!archive.has(stem + ".ans")) {
                throw new InvalidPackageException(path + " has no matching .ans file");
            }
            Map<String, Setting> settings = settingsOf(archive, stem, format, files, constants);
            Setting args = settings.get("args");
            if (args != null && !ProblemYaml.words(args.value(), "args").isEmpty()) {
                throw new InvalidPackageException(args.from() + ": args " + args.value() + " is not supported:"
                        + " the engine runs a submission without command-line arguments");
            }
            String name = stem.substring("data/".length());
            List<String> arguments = new ArrayList<>(customValidator ? yaml.validatorFlags() : List.of());
            arguments.addAll(outputValidatorArgs(settings));
            if (!customValidator && !arguments.isEmpty()) {
                List<String> all = new ArrayList<>(yaml.validatorFlags());
                all.addAll(arguments);
                try {
                    io.codingengine.common.judge.CheckerSpec.Tokens.kattis(all); // refuses a flag it does not know
                } catch (IllegalArgumentException e) {
                    throw new InvalidPackageException(name + ": output validator arguments: " + e.getMessage());
                }
            }
            if (!arguments.isEmpty()) {
                validatorArgs.put(name, List.copyOf(arguments));
            }
            Directory at = top;
            for (int i = 2; i < segments.length - 1; i++) {
                Directory parent = at;
                at = parent.directories.computeIfAbsent(segments[i], d -> new Directory(parent.path + "/" + d));
            }
            at.tests.put(
                    segments[segments.length - 1].substring(0, segments[segments.length - 1].length() - 3),
                    new TestCase(name, archive.text(path), archive.text(stem + ".ans"), visible));
        }
        return top;
    }

    // ------------------------------------------------------------------ legacy and 2023-07

    private static Grading.Group legacyRoot(
            Directory sample, Directory secret, Map<String, Settings> files, ProblemYaml yaml) {
        Map<String, Object> settings = new LinkedHashMap<>(LEGACY_DEFAULTS);
        Settings own = files.get("data");
        if (own != null) {
            own.values().forEach((k, v) -> settings.put(String.valueOf(k), v));
        }
        settings.putAll(yaml.gradingOverrides());
        List<Grading.Item> items = new ArrayList<>();
        if (!sample.empty()) {
            items.add(Grading.Item.group(legacyGroup(sample, "sample", settings, files, yaml)));
        }
        if (!secret.empty()) {
            items.add(Grading.Item.group(legacyGroup(secret, "secret", settings, files, yaml)));
        }
        return legacyGroup("data", settings, own == null ? "data/testdata.yaml" : own.path(), items, true);
    }

    private static Grading.Group legacyGroup(
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
                items.put(sub, Grading.Item.group(legacyGroup(d, name + "/" + sub, settings, files, yaml)));
            }
        });
        return legacyGroup(
                name,
                settings,
                own == null ? directory.path + "/testdata.yaml" : own.path(),
                List.copyOf(items.values()),
                false);
    }

    private static Grading.Group legacyGroup(
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

    private static double number(Object value, String what) {
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

    private static double[] range(Object value, String from) {
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

    // ------------------------------------------------------------------ 2025-09

    /** 2025-09's result aggregation: max_score, score_aggregation. */
    private static final class Since2025 {

        static Grading.Group root(Directory sample, Directory secret, Map<String, Settings> files, boolean scoring) {
            List<Grading.Item> items = new ArrayList<>();
            if (!sample.empty()) {
                items.add(Grading.Item.group(
                        group("sample", flat(sample), false, Grading.Aggregation.SUM, 0.0, 0.0, true)));
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
            Grading.Aggregation aggregation =
                    aggregation(values.get("score_aggregation"), Grading.Aggregation.SUM, from);
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

    // ------------------------------------------------------------------ settings

    /**
     * A test's settings: each key from {@code X.yaml} (2023-07 on) or else the nearest settings
     * file that sets it (as problemtools overlays a group's file on its parent's settings).
     */
    private static Map<String, Setting> settingsOf(
            PackageArchive archive,
            String stem,
            ProblemYaml.Format format,
            Map<String, Settings> groups,
            Constants constants)
            throws IOException {
        Map<String, Setting> settings = new HashMap<>();
        if (format != ProblemYaml.Format.LEGACY && archive.has(stem + ".yaml")) {
            String path = stem + ".yaml";
            Map<?, ?> own = load(archive, path, constants);
            for (var entry : own.entrySet()) {
                if (!TEST_KEYS.contains(String.valueOf(entry.getKey()))) {
                    throw new InvalidPackageException(path + ": unknown key " + entry.getKey());
                }
                settings.put(String.valueOf(entry.getKey()), new Setting(entry.getValue(), path));
            }
        }
        for (String directory = stem; directory.contains("/"); ) {
            directory = directory.substring(0, directory.lastIndexOf('/'));
            Settings group = groups.get(directory);
            if (group != null) {
                group.values()
                        .forEach((key, value) ->
                                settings.putIfAbsent(String.valueOf(key), new Setting(value, group.path())));
            }
        }
        return settings;
    }

    /** The test's output validator arguments: 2023-07's {@code output_validator_args}, legacy's {@code _flags}. */
    private static List<String> outputValidatorArgs(Map<String, Setting> settings) {
        Setting args = settings.containsKey("output_validator_args")
                ? settings.get("output_validator_args")
                : settings.get("output_validator_flags");
        return args == null ? List.of() : ProblemYaml.words(args.value(), args.from() + ": output validator arguments");
    }

    private static Map<?, ?> load(PackageArchive archive, String path, Constants constants) throws IOException {
        Object document;
        try {
            document = ProblemYaml.yaml().load(constants.apply(archive.text(path), path));
        } catch (YAMLException e) {
            throw new InvalidPackageException(path + " is not valid YAML: " + e.getMessage(), e);
        }
        if (document == null) {
            return Map.of();
        }
        if (!(document instanceof Map<?, ?> map)) {
            throw new InvalidPackageException(path + " is not a mapping of keys to values");
        }
        return map;
    }

    private static void checkKeys(Settings settings, ProblemYaml.Format format, boolean scoring) {
        String path = settings.path();
        boolean since2025 = format == ProblemYaml.Format.V2025_09;
        for (var entry : settings.values().entrySet()) {
            String key = String.valueOf(entry.getKey());
            Object value = entry.getValue();
            if (since2025 && LEGACY_SCORING.contains(key) || !since2025 && V2025_SCORING.contains(key)) {
                throw new InvalidPackageException(path + ": " + key + " is not a key of problem_format_version "
                        + format.label + " ("
                        + (since2025
                                ? "2025-09 scores with max_score and score_aggregation"
                                : "2025-09's max_score, score_aggregation and require_pass need problem_format_version 2025-09")
                        + ")");
            }
            switch (key) {
                case "args", "output_validator_args" -> ProblemYaml.words(value, path + ": " + key);
                case "output_validator_flags" -> {
                    if (value instanceof Map<?, ?>) {
                        throw new InvalidPackageException(path + ": output_validator_flags naming a validator is not"
                                + " supported: the engine judges all of a problem's tests with one output validator");
                    }
                    ProblemYaml.words(value, path + ": " + key);
                }
                case "grading" -> {
                    if (!"default".equals(String.valueOf(value).strip())) {
                        throw new InvalidPackageException(path + ": grading " + value + " is not supported:"
                                + " custom graders (graders/) are not implemented");
                    }
                }
                case "on_reject" -> {
                    if (!Set.of("break", "continue")
                            .contains(String.valueOf(value).strip())) {
                        throw new InvalidPackageException(path + ": on_reject must be break or continue, not " + value);
                    }
                }
                case "grader_flags" -> {
                    for (String flag : ProblemYaml.words(value, path + ": grader_flags")) {
                        if (!GRADER_FLAGS.contains(flag)) {
                            throw new InvalidPackageException(path + ": grader flag " + flag + " is not supported (the"
                                    + " default grader's flags: "
                                    + String.join(", ", new java.util.TreeSet<>(GRADER_FLAGS))
                                    + "; custom graders are not implemented)");
                        }
                    }
                }
                case "accept_score", "reject_score" -> number(value, path + ": " + key);
                case "range" -> range(value, path);
                case "max_score", "score_aggregation" -> {
                    // read for a scoring problem (Since2025); a pass-fail one's verdict does not depend on them
                }
                case "require_pass" -> {
                    if (!ProblemYaml.words(value, path + ": require_pass").isEmpty()) {
                        throw new InvalidPackageException(
                                path + ": require_pass is not supported: group dependencies" + " are not implemented");
                    }
                }
                case "static_validation_score", "static_validator_args" ->
                    throw new InvalidPackageException(
                            path + ": " + key + " is not supported: static validation is not implemented");
                default -> {
                    if (!IGNORED.contains(key)) {
                        throw new InvalidPackageException(path + ": unknown key " + key);
                    }
                }
            }
        }
    }
}
