package io.codingengine.common.problem;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code constants} of a 2023-07 or later {@code problem.yaml}: each {@code {{name}}} in a
 * Markdown statement, an output validator's source and a {@code test_group.yaml} (the places the
 * format names that the importer reads) becomes the constant's value. A tag whose name is not a
 * constant stays as it is, as the format says ({@code {{nextsample}}} in a statement is a command
 * for the statement's renderer, not a constant). Values are the YAML scalars as written:
 * {@code 1e-6} stays {@code 1e-6}, not the {@code 1.0E-6} a parsed double would print.
 *
 * @param values constant names (matching {@link #NAME}) to values
 */
record Constants(Map<String, String> values) {

    static final Constants NONE = new Constants(Map.of());
    /** The longest text substitution may make: a statement's limit, the longest text it is for. */
    static final int MAX_RESULT = Problem.MAX_STATEMENT_CHARS;

    static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern TAG = Pattern.compile("\\{\\{(" + NAME.pattern() + ")}}");

    Constants {
        values = Map.copyOf(values);
    }

    /**
     * {@code text} with every tag naming a constant replaced by its value.
     *
     * @param path the file {@code text} is, for the refusal's message
     * @throws InvalidPackageException when the result would be longer than {@link #MAX_RESULT}, or
     *                                 than {@code text} when that is longer (checked before each
     *                                 value is appended: a 200 KB constant used 20 000 times is
     *                                 refused, not built)
     */
    String apply(String text, String path) {
        if (values.isEmpty() || text.indexOf("{{") < 0) {
            return text;
        }
        int max = Math.max(MAX_RESULT, text.length());
        Matcher tag = TAG.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        int from = 0;
        while (tag.find()) {
            String value = values.getOrDefault(tag.group(1), tag.group());
            if ((long) out.length() + (tag.start() - from) + value.length() > max) {
                throw tooLong(path, max);
            }
            out.append(text, from, tag.start()).append(value);
            from = tag.end();
        }
        if ((long) out.length() + (text.length() - from) > max) {
            throw tooLong(path, max);
        }
        return out.append(text, from, text.length()).toString();
    }

    private static InvalidPackageException tooLong(String path, int max) {
        return new InvalidPackageException(
                "with its constants substituted, " + path + " would be longer than " + max + " characters");
    }
}
