package io.codingengine.common.problem;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * What {@code problem.yaml} says that judging depends on, checked against the format version it
 * names. The rule is that nothing is imported half-understood: a key is either read, or known
 * not to change how a submission is judged (credits, license, keywords, limits the engine sets
 * for itself), or the package is refused with a message naming it. That covers:
 * <ul>
 *   <li>{@code problem_format_version}: absent, {@code legacy} or {@code legacy-icpc} (the legacy
 *       keys), {@code 2023-07-draft}, {@code 2023-07}, {@code 2025-09-draft} or {@code 2025-09};
 *       any other version is refused, as its keys could mean anything.</li>
 *   <li>Unknown keys are refused (the format says they are errors): a misspelt {@code limits}
 *       must not silently give the default limits.</li>
 *   <li>Problem types but pass-fail, {@code scoring} (its groups read by {@link TestData}),
 *       {@code interactive} and {@code multi-pass} (read by {@link ProblemType}) are refused
 *       ({@code submit-answer}, in {@code type}), as is a {@code languages} list other than
 *       {@code all}.</li>
 *   <li>The legacy {@code grading} map: {@code objective: max} (the default; {@code min} is
 *       refused), {@code show_test_data_groups} (for people), and {@code accept_score},
 *       {@code reject_score}, {@code range} and {@code on_reject} ({@code first_error},
 *       {@code grade}), which override every group's settings as problemtools has it.</li>
 * </ul>
 *
 * @param format           the format version
 * @param name             the display name (English preferred), or {@code null}
 * @param timeLimitSeconds {@code limits.time_limit}, or {@code null}
 * @param memoryMib        {@code limits.memory}, or {@code null}
 * @param outputMib        {@code limits.output}, or {@code null}
 * @param customValidation the legacy {@code validation: custom}
 * @param validatorFlags   the legacy {@code validator_flags}, split into words
 * @param constants        the 2023-07 {@code constants}
 * @param timeRule         how a limit is computed from the accepted submissions' times when
 *                         there is no {@code time_limit}
 * @param scoring          {@code type: scoring}, or the legacy {@code validation: custom score}
 * @param gradingOverrides the legacy {@code grading}'s settings that override every test data
 *                         group's, as {@code testdata.yaml} keys ({@code on_reject: break} for
 *                         {@code first_error}, {@code continue} for {@code grade})
 */
record ProblemYaml(
        Format format,
        String name,
        Double timeLimitSeconds,
        Double memoryMib,
        Double outputMib,
        boolean customValidation,
        List<String> validatorFlags,
        Constants constants,
        TimeLimitRule timeRule,
        boolean scoring,
        Map<String, Object> gradingOverrides) {

    /** The format versions read, with the keys each allows in {@code problem.yaml} and {@code limits}. */
    enum Format {
        LEGACY(
                "legacy",
                Set.of(
                        "problem_format_version",
                        "type",
                        "name",
                        "uuid",
                        "author",
                        "source",
                        "source_url",
                        "license",
                        "rights_owner",
                        "limits",
                        "validation",
                        "validator_flags",
                        "grading",
                        "keywords"),
                // time_limit is not a legacy key, but read there too as this importer always has
                Set.of(
                        "time_multiplier",
                        "time_safety_margin",
                        "time_limit",
                        "memory",
                        "output",
                        "code",
                        "compilation_time",
                        "compilation_memory",
                        "validation_time",
                        "validation_memory",
                        "validation_output")),
        V2023_07(
                "2023-07",
                Set.of(
                        "problem_format_version",
                        "type",
                        "name",
                        "uuid",
                        "version",
                        "credits",
                        "source",
                        "license",
                        "rights_owner",
                        "embargo_until",
                        "limits",
                        "keywords",
                        "languages",
                        "allow_file_writing",
                        "constants"),
                Set.of(
                        "time_multipliers",
                        "time_limit",
                        "time_resolution",
                        "memory",
                        "output",
                        "code",
                        "compilation_time",
                        "compilation_memory",
                        "validation_time",
                        "validation_memory",
                        "validation_output",
                        "validation_passes")),
        V2025_09("2025-09", V2023_07.keys, V2023_07.limits);

        final String label;
        final Set<String> keys;
        final Set<String> limits;

        Format(String label, Set<String> keys, Set<String> limits) {
            this.label = label;
            this.keys = keys;
            this.limits = limits;
        }

        static Format of(Object version) {
            return switch (version == null ? "legacy" : String.valueOf(version).strip()) {
                case "legacy", "legacy-icpc" -> LEGACY;
                case "2023-07-draft", "2023-07" -> V2023_07;
                case "2025-09-draft", "2025-09" -> V2025_09;
                default ->
                    throw new InvalidPackageException("problem.yaml: problem_format_version " + version
                            + " is not supported (supported: legacy, legacy-icpc, 2023-07-draft, 2023-07,"
                            + " 2025-09-draft, 2025-09)");
            };
        }
    }

    /** Why each problem type the engine does not judge is refused. */
    private static final Map<String, String> UNSUPPORTED_TYPES =
            Map.of("submit-answer", "submissions are programs, not answer files");
    /** The types judged: scoring ones as {@link TestData} says, interactive and multi-pass ones as {@link ProblemType} does. */
    private static final Set<String> SUPPORTED_TYPES = Set.of("pass-fail", "scoring", "interactive", "multi-pass");

    /**
     * Reads {@code problem.yaml}'s text.
     *
     * @throws InvalidPackageException when it is no YAML mapping, or names something unsupported
     */
    static ProblemYaml parse(String text) {
        Map<?, ?> yaml = load(text);
        Format format = Format.of(yaml.get("problem_format_version"));
        for (Object key : yaml.keySet()) {
            if (!format.keys.contains(String.valueOf(key))) {
                boolean moved = format != Format.LEGACY
                        && Set.of("validation", "validator_flags").contains(String.valueOf(key));
                throw new InvalidPackageException("problem.yaml: unknown key " + key + " for problem_format_version "
                        + format.label
                        + (moved
                                ? " (since 2023-07 a custom output validator is output_validator/"
                                        + " and its arguments are output_validator_args in test_group.yaml)"
                                : ""));
            }
        }
        boolean custom = refuseUnsupportedTypes(yaml, format);
        if (yaml.containsKey("languages") && !onlyAll(yaml.get("languages"))) {
            throw new InvalidPackageException("problem.yaml: languages " + yaml.get("languages") + " is not supported:"
                    + " the engine takes every language for every problem and would judge submissions the"
                    + " problem does not allow");
        }
        Map<?, ?> limits = limits(yaml.get("limits"), format);
        return new ProblemYaml(
                format,
                name(yaml.get("name")),
                positive(limits.get("time_limit"), "limits.time_limit"),
                positive(limits.get("memory"), "limits.memory"),
                positive(limits.get("output"), "limits.output"),
                custom,
                words(yaml.get("validator_flags"), "validator_flags"),
                yaml.containsKey("constants") ? constants(text) : Constants.NONE,
                timeRule(limits, format),
                scoring(yaml, format),
                gradingOverrides(yaml.get("grading")));
    }

    private static boolean scoring(Map<?, ?> yaml, Format format) {
        Object type = yaml.get("type");
        boolean scoring = type instanceof Collection<?> list
                ? list.stream().anyMatch(t -> "scoring".equals(String.valueOf(t).strip()))
                : type != null && "scoring".equals(String.valueOf(type).strip());
        if (format == Format.LEGACY && yaml.containsKey("validation")) {
            scoring |= List.of(String.valueOf(yaml.get("validation")).strip().split("\\s+"))
                    .contains("score");
        }
        return scoring;
    }

    /** The legacy {@code grading} map's overrides of every group's settings. */
    private static Map<String, Object> gradingOverrides(Object grading) {
        if (grading == null) {
            return Map.of();
        }
        if (!(grading instanceof Map<?, ?> map)) {
            throw new InvalidPackageException("problem.yaml: grading must be a mapping, not " + grading);
        }
        Map<String, Object> overrides = new LinkedHashMap<>();
        for (var entry : map.entrySet()) {
            String key = String.valueOf(entry.getKey());
            Object value = entry.getValue();
            switch (key) {
                case "objective" -> {
                    if (!"max".equals(String.valueOf(value).strip())) {
                        throw new InvalidPackageException("problem.yaml: grading.objective " + value + " is not"
                                + " supported: the engine ranks higher scores better (objective: max)");
                    }
                }
                case "show_test_data_groups" -> {
                    // for people: the engine shows group results anyway
                }
                case "accept_score", "reject_score", "range" -> overrides.put(key, value);
                case "on_reject" ->
                    overrides.put(
                            key,
                            switch (String.valueOf(value).strip()) {
                                case "first_error" -> "break";
                                case "grade" -> "continue";
                                default ->
                                    throw new InvalidPackageException(
                                            "problem.yaml: grading.on_reject must be first_error" + " or grade, not "
                                                    + value);
                            });
                default -> throw new InvalidPackageException("problem.yaml: unknown key grading." + key);
            }
        }
        return overrides;
    }

    /** Refuses every type but pass-fail; true when legacy {@code validation} is {@code custom}. */
    private static boolean refuseUnsupportedTypes(Map<?, ?> yaml, Format format) {
        Map<String, String> refused = new LinkedHashMap<>(); // type -> where it was said
        Object type = yaml.get("type");
        for (String value : type instanceof Collection<?> list
                ? list.stream().map(String::valueOf).toList()
                : type == null
                        ? List.<String>of()
                        : List.of(String.valueOf(type).strip())) {
            if (UNSUPPORTED_TYPES.containsKey(value)) {
                refused.put(value, "type: " + value);
            } else if (!SUPPORTED_TYPES.contains(value)) {
                throw new InvalidPackageException("problem.yaml: unknown problem type " + value);
            }
        }
        boolean custom = false;
        if (format == Format.LEGACY && yaml.containsKey("validation")) {
            String validation = String.valueOf(yaml.get("validation")).strip();
            List<String> words = List.of(validation.split("\\s+"));
            custom = words.getFirst().equals("custom");
            boolean plainDefault = words.size() == 1 && words.getFirst().equals("default");
            if (!custom && !plainDefault) {
                throw new InvalidPackageException("problem.yaml: validation must be default, or custom followed by"
                        + " any of score, interactive and multi-pass; it is " + validation);
            }
            for (String word : words.subList(1, words.size())) {
                switch (word) {
                    case "interactive", "multi-pass" -> {
                        // judged (ProblemType)
                    }
                    case "score" -> {
                        // a scoring problem (scoring())
                    }
                    default ->
                        throw new InvalidPackageException(
                                "problem.yaml: validation " + validation + ": unknown word " + word);
                }
            }
        }
        if (!refused.isEmpty()) {
            List<String> reasons = new ArrayList<>();
            refused.forEach((what, where) -> reasons.add(
                    what + " problems are not supported (problem.yaml " + where + "): " + UNSUPPORTED_TYPES.get(what)));
            throw new InvalidPackageException(String.join("; ", reasons));
        }
        return custom;
    }

    /** The format's rule over {@code limits}: legacy multiplier and margin, or 2023-07 multipliers and resolution. */
    private static TimeLimitRule timeRule(Map<?, ?> limits, Format format) {
        if (format == Format.LEGACY) {
            return TimeLimitRule.legacy(
                    orDefault(positive(limits.get("time_multiplier"), "limits.time_multiplier"), 5.0),
                    orDefault(positive(limits.get("time_safety_margin"), "limits.time_safety_margin"), 2.0));
        }
        Object multipliers = limits.get("time_multipliers");
        Map<?, ?> values = Map.of();
        if (multipliers instanceof Map<?, ?> map) {
            for (Object key : map.keySet()) {
                if (!Set.of("ac_to_time_limit", "time_limit_to_tle").contains(String.valueOf(key))) {
                    throw new InvalidPackageException("problem.yaml: unknown key limits.time_multipliers." + key);
                }
            }
            values = map;
        } else if (multipliers != null) {
            throw new InvalidPackageException(
                    "problem.yaml: limits.time_multipliers must be a mapping, not " + multipliers);
        }
        return TimeLimitRule.since2023(
                orDefault(positive(values.get("ac_to_time_limit"), "limits.time_multipliers.ac_to_time_limit"), 2.0),
                orDefault(positive(values.get("time_limit_to_tle"), "limits.time_multipliers.time_limit_to_tle"), 1.5),
                orDefault(positive(limits.get("time_resolution"), "limits.time_resolution"), 1.0));
    }

    private static double orDefault(Double value, double otherwise) {
        return value != null ? value : otherwise;
    }

    private static boolean onlyAll(Object languages) {
        return languages instanceof Collection<?> list
                ? list.size() == 1
                        && "all".equals(String.valueOf(list.iterator().next()))
                : "all".equals(String.valueOf(languages).strip());
    }

    private static Map<?, ?> limits(Object value, Format format) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> limits)) {
            throw new InvalidPackageException("problem.yaml: limits must be a mapping, not " + value);
        }
        for (Object key : limits.keySet()) {
            if (!format.limits.contains(String.valueOf(key))) {
                throw new InvalidPackageException("problem.yaml: unknown key limits." + key);
            }
        }
        return limits;
    }

    private static Map<?, ?> load(String text) {
        Object document;
        try {
            document = yaml().load(text);
        } catch (YAMLException e) {
            throw new InvalidPackageException("problem.yaml is not valid YAML: " + e.getMessage(), e);
        }
        if (document == null) {
            return Map.of();
        }
        if (!(document instanceof Map<?, ?> map)) {
            throw new InvalidPackageException("problem.yaml is not a mapping of keys to values");
        }
        return map;
    }

    /** A loader of YAML from an upload: safe types only, few aliases, bounded text. */
    static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(20);
        options.setCodePointLimit(1 << 20);
        return new Yaml(new SafeConstructor(options));
    }

    /** The constants, their values as written (from the node tree, not the parsed values). */
    private static Constants constants(String text) {
        Node root = yaml().compose(new StringReader(text));
        Map<String, String> values = new LinkedHashMap<>();
        for (NodeTuple entry : ((MappingNode) root).getValue()) {
            if (!(entry.getKeyNode() instanceof ScalarNode key)
                    || !key.getValue().equals("constants")) {
                continue;
            }
            if (!(entry.getValueNode() instanceof MappingNode constants)) {
                throw new InvalidPackageException("problem.yaml: constants must be a mapping of names to values");
            }
            for (NodeTuple constant : constants.getValue()) {
                String name = constant.getKeyNode() instanceof ScalarNode n ? n.getValue() : "";
                if (!Constants.NAME.matcher(name).matches()) {
                    throw new InvalidPackageException(
                            "problem.yaml: constant name " + name + " is not " + Constants.NAME.pattern());
                }
                if (!(constant.getValueNode() instanceof ScalarNode value)) {
                    throw new InvalidPackageException(
                            "problem.yaml: constant " + name + " must be a number or a string");
                }
                values.put(name, value.getValue());
            }
        }
        return new Constants(values);
    }

    private static String name(Object value) {
        if (value instanceof Map<?, ?> byLanguage && !byLanguage.isEmpty()) {
            Object english = byLanguage.get("en");
            return String.valueOf(
                            english != null
                                    ? english
                                    : byLanguage.values().iterator().next())
                    .strip();
        }
        return value == null || String.valueOf(value).isBlank()
                ? null
                : String.valueOf(value).strip();
    }

    /** A positive number from YAML or text, or {@code null} when absent. */
    static Double positive(Object value, String what) {
        if (value == null) {
            return null;
        }
        double number;
        try {
            number = value instanceof Number n
                    ? n.doubleValue()
                    : Double.parseDouble(String.valueOf(value).strip());
        } catch (NumberFormatException e) {
            throw new InvalidPackageException(what + " is not a number: " + value);
        }
        if (!(number > 0) || Double.isInfinite(number)) {
            throw new InvalidPackageException(what + " must be positive: " + value);
        }
        return number;
    }

    /** Arguments given as one string of words or as a list of scalars. */
    static List<String> words(Object value, String what) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof Collection<?> list) {
            List<String> words = new ArrayList<>();
            for (Object word : list) {
                if (word instanceof Map<?, ?> || word instanceof Collection<?>) {
                    throw new InvalidPackageException(what + " must be a string or a list of strings: " + value);
                }
                words.add(String.valueOf(word));
            }
            return List.copyOf(words);
        }
        if (value instanceof Map<?, ?>) {
            throw new InvalidPackageException(what + " must be a string or a list of strings: " + value);
        }
        String text = String.valueOf(value).strip();
        return text.isEmpty() ? List.of() : List.of(text.split("\\s+"));
    }
}
