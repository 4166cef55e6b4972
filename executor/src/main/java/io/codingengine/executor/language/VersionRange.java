package io.codingengine.executor.language;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node-semver ranges Piston accepts in {@code version}: {@code *}, {@code x}, partial versions
 * ({@code 3}, {@code 3.10}), exact versions, comparators ({@code >=3.9 <4}), caret and tilde
 * ranges, hyphen ranges ({@code 3.9 - 3.11}) and alternatives joined with {@code ||}. Text that
 * is not a range matches nothing, as in node-semver (Piston then answers "runtime is unknown").
 */
public final class VersionRange {

    private static final Pattern PART =
            Pattern.compile("^(<=|>=|<|>|=|\\^|~>?)?\\s*v?([0-9xX*]+)(?:\\.([0-9xX*]+))?(?:\\.([0-9xX*]+))?$");
    private static final Pattern HYPHEN = Pattern.compile("^(\\S+)\\s+-\\s+(\\S+)$");

    /** node-semver's {@code MAX_LENGTH}. */
    static final int MAX_LENGTH = 256;

    private final Predicate<Version> test;

    private VersionRange(Predicate<Version> test) {
        this.test = test;
    }

    /**
     * Parses {@code text}; longer than {@value #MAX_LENGTH} characters it matches nothing, as
     * node-semver refuses it. Alternatives and comparators are kept in lists, not chained
     * predicates, so that many of them cost a loop rather than a stack frame each.
     */
    public static VersionRange parse(String text) {
        if (text.length() > MAX_LENGTH) {
            return new VersionRange(v -> false);
        }
        List<Predicate<Version>> alternatives = new ArrayList<>();
        for (String alternative : text.trim().split("\\|\\|")) {
            Predicate<Version> all = parseRange(alternative.trim());
            if (all == null) {
                return new VersionRange(v -> false);
            }
            alternatives.add(all);
        }
        return new VersionRange(v -> alternatives.stream().anyMatch(a -> a.test(v)));
    }

    public boolean matches(Version version) {
        return test.test(version);
    }

    private static Predicate<Version> parseRange(String range) {
        if (range.isEmpty()) {
            return v -> true;
        }
        Matcher hyphen = HYPHEN.matcher(range);
        if (hyphen.matches()) {
            Predicate<Version> low = comparator(">=", hyphen.group(1));
            Predicate<Version> high = comparator("<=", hyphen.group(2));
            return low == null || high == null ? null : low.and(high);
        }
        List<Predicate<Version>> all = new ArrayList<>();
        for (String token : joinOperators(range.split("\\s+"))) {
            Predicate<Version> p = comparator(null, token);
            if (p == null) {
                return null;
            }
            all.add(p);
        }
        return v -> all.stream().allMatch(p -> p.test(v));
    }

    /** {@code ">= 3"} arrives as two tokens; glue an operator to its version. */
    private static List<String> joinOperators(String[] tokens) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i].matches("<=|>=|<|>|=|\\^|~") && i + 1 < tokens.length) {
                out.add(tokens[i] + tokens[++i]);
            } else {
                out.add(tokens[i]);
            }
        }
        return out;
    }

    private static Predicate<Version> comparator(String forcedOp, String token) {
        Matcher m = PART.matcher(forcedOp == null ? token : forcedOp + token);
        if (!m.matches()) {
            return null;
        }
        String op = m.group(1) == null ? "=" : m.group(1);
        Integer major, minor, patch;
        try {
            major = num(m.group(2));
            minor = num(m.group(3));
            patch = num(m.group(4));
        } catch (NumberFormatException notAnInt) {
            return null; // "xx" or a number past int: no version is that
        }
        if (major == null) {
            return op.equals("<") || op.equals(">") ? v -> false : v -> true;
        }
        Version low = new Version(major, minor == null ? 0 : minor, patch == null ? 0 : patch);
        int given = minor == null ? 1 : patch == null ? 2 : 3;
        Version nextPartial =
                given == 1 ? new Version(major + 1, 0, 0) : given == 2 ? new Version(major, minor + 1, 0) : null;
        return switch (op) {
            case "=" -> nextPartial == null ? v -> v.equals(low) : between(low, nextPartial);
            case ">=" -> v -> v.compareTo(low) >= 0;
            case ">" -> nextPartial == null ? v -> v.compareTo(low) > 0 : v -> v.compareTo(nextPartial) >= 0;
            case "<" -> v -> v.compareTo(low) < 0;
            case "<=" -> nextPartial == null ? v -> v.compareTo(low) <= 0 : v -> v.compareTo(nextPartial) < 0;
            case "~", "~>" ->
                between(low, given == 1 ? new Version(major + 1, 0, 0) : new Version(major, low.minor() + 1, 0));
            case "^" -> between(low, caretCeiling(low, given));
            default -> null;
        };
    }

    private static Version caretCeiling(Version low, int given) {
        if (low.major() > 0 || given == 1) {
            return new Version(low.major() + 1, 0, 0);
        }
        if (low.minor() > 0 || given == 2) {
            return new Version(0, low.minor() + 1, 0);
        }
        return new Version(0, 0, low.patch() + 1);
    }

    private static Predicate<Version> between(Version lowInclusive, Version highExclusive) {
        return v -> v.compareTo(lowInclusive) >= 0 && v.compareTo(highExclusive) < 0;
    }

    private static Integer num(String part) {
        return part == null || part.equalsIgnoreCase("x") || part.equals("*") ? null : Integer.valueOf(part);
    }
}
