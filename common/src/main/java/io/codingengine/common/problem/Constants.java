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
    static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern TAG = Pattern.compile("\\{\\{(" + NAME.pattern() + ")}}");

    Constants {
        values = Map.copyOf(values);
    }

    /** {@code text} with every tag naming a constant replaced by its value. */
    String apply(String text) {
        if (values.isEmpty() || text.indexOf("{{") < 0) {
            return text;
        }
        Matcher tag = TAG.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (tag.find()) {
            String value = values.get(tag.group(1));
            tag.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : tag.group()));
        }
        tag.appendTail(out);
        return out.toString();
    }
}
