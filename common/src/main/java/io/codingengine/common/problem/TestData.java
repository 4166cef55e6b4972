package io.codingengine.common.problem;

import io.codingengine.common.judge.TestCase;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tests of a package and the settings that change how they are judged.
 * <ul>
 *   <li>Tests: {@code data/sample/**}{@code /X.in} with {@code X.ans} are visible tests named
 *       {@code sample/X}; {@code data/secret/**}{@code /X.in} with {@code X.ans} hidden ones named
 *       {@code secret/X}; each in path order. An {@code .in} without {@code .ans} or the reverse
 *       is refused. Other files ({@code .desc}, {@code .hint}, images, {@code .interaction},
 *       {@code .in.statement}...) are for people and ignored.</li>
 *   <li>Settings: {@code testdata.yaml} (legacy, 2023-07) or {@code test_group.yaml} (2025-09) in
 *       {@code data/} and the directories below it, and {@code X.yaml} beside a test (2023-07 on).
 *       A legacy test takes the nearest {@code testdata.yaml} whole; a 2023-07 test takes each
 *       key from the nearest file that sets it. What the engine cannot honour is refused, naming
 *       the file: arguments to the submission ({@code args}), input files ({@code X.files/}),
 *       custom graders and grader flags that change whether a submission is accepted
 *       ({@code always_accept}, {@code accept_if_any_accepted}, {@code ignore_sample}), static
 *       validation, an output validator chosen per group, unknown keys, and output validator
 *       arguments that differ between tests (the engine judges a problem with one checker).
 *       Score settings ({@code range}, {@code accept_score}, {@code max_score}...) and
 *       {@code on_reject} do not change whether a pass-fail submission is accepted and are
 *       ignored; with {@code on_reject: continue} Kattis's default grader reports the worst of
 *       several failures, the engine the first.</li>
 * </ul>
 */
final class TestData {

    /** The tests, and the output validator arguments every test shares. */
    record Tests(List<TestCase> samples, List<TestCase> secret, List<String> outputValidatorArgs) {
    }

    private static final Set<String> CONFIG_FILES = Set.of("testdata.yaml", "test_group.yaml");
    /** Keys of a group's settings that do not change a pass-fail verdict. */
    private static final Set<String> IGNORED = Set.of("on_reject", "accept_score", "reject_score", "range",
            "max_score", "score_aggregation", "require_pass", "input_validator_flags", "input_validator_args",
            "input_visualizer_args", "output_visualizer_args", "full_feedback", "hint", "description");
    private static final Set<String> TEST_KEYS = Set.of("args", "input_validator_args", "output_validator_args",
            "input_visualizer_args", "output_visualizer_args", "full_feedback", "hint", "description");
    /** Grader flags that only say how scores add up or which failure is reported. */
    private static final Set<String> HARMLESS_GRADER_FLAGS = Set.of("first_error", "worst_error", "sum", "avg",
            "min", "max");

    private TestData() {
    }

    /** One file of settings: where it is, and what it says. */
    private record Settings(String path, Map<?, ?> values) {
    }

    /** A setting in force for a test, and the file it came from. */
    private record Setting(Object value, String from) {
    }

    static Tests read(PackageArchive archive, ProblemYaml.Format format, Constants constants) throws IOException {
        Map<String, Settings> groups = new HashMap<>(); // directory -> its settings file
        for (String path : archive.under("data/")) {
            String directory = path.substring(0, path.lastIndexOf('/'));
            if (CONFIG_FILES.contains(path.substring(path.lastIndexOf('/') + 1)) && isTestDirectory(directory)) {
                Settings settings = new Settings(path, load(archive, path, constants));
                checkGroupKeys(settings);
                if (groups.put(directory, settings) != null) {
                    throw new InvalidPackageException(directory + " has both testdata.yaml and test_group.yaml");
                }
            }
        }
        Map<List<String>, String> firstTestByArgs = new LinkedHashMap<>();
        List<TestCase> samples = tests(archive, "sample", true, format, groups, constants, firstTestByArgs);
        List<TestCase> secret = tests(archive, "secret", false, format, groups, constants, firstTestByArgs);
        if (firstTestByArgs.size() > 1) {
            List<String> cases = new ArrayList<>();
            firstTestByArgs.forEach((args, test) -> cases.add(test + " has " + args));
            throw new InvalidPackageException("output validator arguments differ between tests (" + String.join(", ", cases)
                    + "): the engine judges all of a problem's tests with one checker");
        }
        return new Tests(samples, secret, firstTestByArgs.isEmpty() ? List.of() : firstTestByArgs.keySet().iterator().next());
    }

    private static boolean isTestDirectory(String directory) {
        return directory.equals("data") || directory.equals("data/sample") || directory.equals("data/secret")
                || directory.startsWith("data/sample/") || directory.startsWith("data/secret/");
    }

    private static List<TestCase> tests(PackageArchive archive, String group, boolean visible,
                                        ProblemYaml.Format format, Map<String, Settings> groups,
                                        Constants constants, Map<List<String>, String> firstTestByArgs) throws IOException {
        String prefix = "data/" + group + "/";
        List<TestCase> tests = new ArrayList<>();
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
            Map<String, Setting> settings = settingsOf(archive, stem, format, groups, constants);
            Setting args = settings.get("args");
            if (args != null && !ProblemYaml.words(args.value(), "args").isEmpty()) {
                throw new InvalidPackageException(args.from() + ": args " + args.value() + " is not supported:"
                        + " the engine runs a submission without command-line arguments");
            }
            String name = stem.substring("data/".length());
            firstTestByArgs.putIfAbsent(outputValidatorArgs(settings), name);
            tests.add(new TestCase(name, archive.text(path), archive.text(stem + ".ans"), visible));
        }
        return tests;
    }

    /**
     * A test's settings: legacy, those of the nearest {@code testdata.yaml} as a whole; from
     * 2023-07, each key from {@code X.yaml} or else the nearest settings file that sets it.
     */
    private static Map<String, Setting> settingsOf(PackageArchive archive, String stem, ProblemYaml.Format format,
                                                   Map<String, Settings> groups, Constants constants)
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
                group.values().forEach((key, value) ->
                        settings.putIfAbsent(String.valueOf(key), new Setting(value, group.path())));
                if (format == ProblemYaml.Format.LEGACY) {
                    break;
                }
            }
        }
        return settings;
    }

    /** The test's output validator arguments: 2023-07's {@code output_validator_args}, legacy's {@code _flags}. */
    private static List<String> outputValidatorArgs(Map<String, Setting> settings) {
        Setting args = settings.containsKey("output_validator_args") ? settings.get("output_validator_args")
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

    private static void checkGroupKeys(Settings settings) {
        String path = settings.path();
        for (var entry : settings.values().entrySet()) {
            String key = String.valueOf(entry.getKey());
            Object value = entry.getValue();
            switch (key) {
                case "args", "output_validator_args" -> ProblemYaml.words(value, path + ": " + key);
                case "output_validator_flags" -> {
                    if (value instanceof Map<?, ?>) {
                        throw new InvalidPackageException(path + ": output_validator_flags naming a validator is not"
                                + " supported: the engine judges all of a problem's tests with one checker");
                    }
                    ProblemYaml.words(value, path + ": " + key);
                }
                case "grading" -> {
                    if (!"default".equals(String.valueOf(value).strip())) {
                        throw new InvalidPackageException(path + ": grading " + value + " is not supported:"
                                + " custom graders (graders/) are not implemented");
                    }
                }
                case "grader_flags" -> {
                    for (String flag : ProblemYaml.words(value, path + ": grader_flags")) {
                        if (!HARMLESS_GRADER_FLAGS.contains(flag)) {
                            throw new InvalidPackageException(path + ": grader flag " + flag + " is not supported:"
                                    + " the engine accepts a submission only when it passes every test");
                        }
                    }
                }
                case "static_validation_score", "static_validator_args" -> throw new InvalidPackageException(path
                        + ": " + key + " is not supported: static validation is not implemented");
                default -> {
                    if (!IGNORED.contains(key)) {
                        throw new InvalidPackageException(path + ": unknown key " + key);
                    }
                }
            }
        }
    }
}
