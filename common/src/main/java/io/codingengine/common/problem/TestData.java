package io.codingengine.common.problem;

import io.codingengine.common.judge.Grading;
import io.codingengine.common.judge.TestCase;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
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
 *   <li>The groups of each are built by {@link LegacyTestGroups} and {@link TestGroups2025}; the
 *       tests, the settings files and the refusals are read here.</li>
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

    private TestData() {}

    /** One file of settings: where it is, and what it says. */
    record Settings(String path, Map<?, ?> values) {}

    /** A setting in force for a test, and the file it came from. */
    private record Setting(Object value, String from) {}

    /** A directory of tests as read: its tests (stem → test) and subdirectories, by name. */
    static final class Directory {
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
                ? TestGroups2025.root(sample, secret, files, yaml.scoring())
                : LegacyTestGroups.root(sample, secret, files, yaml);
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
                        if (!LegacyTestGroups.GRADER_FLAGS.contains(flag)) {
                            throw new InvalidPackageException(path + ": grader flag " + flag + " is not supported (the"
                                    + " default grader's flags: "
                                    + String.join(", ", new java.util.TreeSet<>(LegacyTestGroups.GRADER_FLAGS))
                                    + "; custom graders are not implemented)");
                        }
                    }
                }
                case "accept_score", "reject_score" -> LegacyTestGroups.number(value, path + ": " + key);
                case "range" -> LegacyTestGroups.range(value, path);
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
