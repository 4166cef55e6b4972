package io.codingengine.common.judge;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.codingengine.common.execution.SourceFile;
import java.util.List;
import java.util.Objects;

/**
 * How a program's output is compared with a test's expected output. In JSON the variant is the
 * {@code "type"} property: {@code EXACT}, {@code LINES}, {@code TOKENS}, {@code FLOAT},
 * {@code CUSTOM}. The default, {@link #DEFAULT}, is {@link Lines}. Kattis's default output
 * validator, with its flags, is {@link Tokens} with {@code validatorFlags}
 * ({@code {"type":"TOKENS","validatorFlags":"float_tolerance 1e-6"}}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = CheckerSpec.Exact.class, name = "EXACT"),
    @JsonSubTypes.Type(value = CheckerSpec.Lines.class, name = "LINES"),
    @JsonSubTypes.Type(value = CheckerSpec.Tokens.class, name = "TOKENS"),
    @JsonSubTypes.Type(value = CheckerSpec.Floats.class, name = "FLOAT"),
    @JsonSubTypes.Type(value = CheckerSpec.Custom.class, name = "CUSTOM")
})
public sealed interface CheckerSpec {

    /** Whitespace-tolerant line comparison: what a submission gets when it names no checker. */
    CheckerSpec DEFAULT = new Lines();

    /** {@link #problemType}: the submission runs with its output validator, talking with it. */
    String INTERACTIVE = "interactive";
    /** {@link #problemType}: the submission runs pass by pass, its validator between them. */
    String MULTI_PASS = "multi-pass";
    /** {@link #problemType}: the submission runs alone, then its output is checked. */
    String PLAIN = "plain";

    /**
     * What kind of problem {@code checker} judges, for operators (metrics, the audit log):
     * {@value #INTERACTIVE} (an interactive validator, multi-pass or not), {@value #MULTI_PASS}
     * or {@value #PLAIN}.
     */
    static String problemType(CheckerSpec checker) {
        return checker instanceof Custom c && c.interacts()
                ? INTERACTIVE
                : checker instanceof Custom c && c.passLimit() > 1 ? MULTI_PASS : PLAIN;
    }

    /** Byte-for-byte equality of the whole output with the expected output. */
    record Exact() implements CheckerSpec {}

    /**
     * Line by line, ignoring trailing whitespace on each line and trailing empty lines at the end
     * (so {@code "1 2\n"} matches {@code "1 2"} and {@code "1 2  \n\n"}, but not {@code "1  2"}).
     */
    record Lines() implements CheckerSpec {}

    /**
     * Token by token, in one of two modes.
     * <ul>
     *   <li>Without {@code validatorFlags} ({@code {"type":"TOKENS"}}): the outputs split on any
     *       whitespace are equal token sequences, letter case included; line breaks do not
     *       matter.</li>
     *   <li>With {@code validatorFlags}, even empty: Kattis's default output validator
     *       (problemtools' {@code default_validator}) given those flags as its arguments. Tokens
     *       are separated by ASCII whitespace ({@code [ \t\n\x0B\f\r]}) and compared ignoring
     *       ASCII letter case; {@code case_sensitive} compares them exactly;
     *       {@code space_change_sensitive} makes every whitespace character count (the output's
     *       must be the answer's, one for one); {@code float_absolute_tolerance ε},
     *       {@code float_relative_tolerance ε} and {@code float_tolerance ε} (both) make an
     *       answer token that is a finite float (as glibc's {@code sscanf} reads one: decimal or
     *       hexadecimal, not {@code inf} or {@code nan}; {@link ValidatorFlags#parseFloat})
     *       require a float in the output within either tolerance
     *       ({@code |a - b| <= abs}, or {@code |a - b| <= rel × |answer|}). Output beyond the
     *       answer's tokens, or too few tokens, is wrong. A flag the default validator does not
     *       know, or a tolerance that is not a finite float, is refused, as the default validator
     *       refuses to run with it.</li>
     * </ul>
     *
     * @param validatorFlags the default validator's arguments, separated by whitespace (a Kattis
     *                       package's {@code validator_flags} and test data
     *                       {@code output_validator_flags}/{@code output_validator_args}); or
     *                       {@code null} for the exact token comparison
     */
    record Tokens(String validatorFlags) implements CheckerSpec {

        /** Kattis's default output validator without flags: tokens, ASCII letter case ignored. */
        public static final Tokens KATTIS = new Tokens("");

        /** Exact token comparison, what {@code {"type":"TOKENS"}} asks for. */
        public Tokens() {
            this(null);
        }

        @JsonCreator
        public Tokens {
            if (validatorFlags != null) {
                ValidatorFlags.parse(validatorFlags);
            }
        }

        /**
         * Kattis's default output validator given {@code arguments}, one word each (a package's
         * {@code validator_flags} split at whitespace, then its test data's arguments).
         *
         * @throws IllegalArgumentException when an argument is empty or holds whitespace (the
         *                                  validator would get it as one unknown word), or when
         *                                  the default validator would refuse the arguments
         */
        public static Tokens kattis(List<String> arguments) {
            for (String argument : arguments) {
                if (argument == null || argument.isEmpty() || argument.chars().anyMatch(ValidatorFlags::space)) {
                    throw new IllegalArgumentException("\"" + argument + "\" is not an argument of the default"
                            + " output validator (one word each)");
                }
            }
            return new Tokens(String.join(" ", arguments));
        }

        /** Whether this is Kattis's default output validator rather than the exact token comparison. */
        public boolean kattis() {
            return validatorFlags != null;
        }

        /** The default validator's flags, or {@code null} for the exact comparison. */
        public ValidatorFlags flags() {
            return validatorFlags == null ? null : ValidatorFlags.parse(validatorFlags);
        }
    }

    /**
     * The arguments of Kattis's default output validator, read as it reads them: left to right,
     * a later value replacing an earlier one; {@code float_tolerance ε} sets both tolerances.
     *
     * @param caseSensitive        {@code case_sensitive}: tokens compared exactly, else ignoring
     *                             ASCII letter case
     * @param spaceChangeSensitive {@code space_change_sensitive}: whitespace compared character
     *                             for character
     * @param absoluteTolerance    {@code float_absolute_tolerance}, or -1 when not given
     * @param relativeTolerance    {@code float_relative_tolerance}, or -1 when not given
     */
    record ValidatorFlags(
            boolean caseSensitive, boolean spaceChangeSensitive, double absoluteTolerance, double relativeTolerance) {

        public ValidatorFlags {
            if (!Double.isFinite(absoluteTolerance) || !Double.isFinite(relativeTolerance)) {
                throw new IllegalArgumentException(
                        "tolerances must be finite, were " + absoluteTolerance + " and " + relativeTolerance);
            }
        }

        /**
         * Whether answer tokens that are floats are compared as floats: a tolerance was given
         * that is not negative (the default validator's {@code use_floats}).
         */
        public boolean floats() {
            return absoluteTolerance >= 0 || relativeTolerance >= 0;
        }

        /**
         * Reads the default validator's arguments.
         *
         * @throws IllegalArgumentException for a word it does not know, a tolerance without a
         *                                  value, or a value that is not a finite float
         */
        public static ValidatorFlags parse(String flags) {
            boolean caseSensitive = false, spaceChangeSensitive = false;
            double absolute = -1, relative = -1;
            String[] words = words(flags);
            for (int i = 0; i < words.length; i++) {
                switch (words[i]) {
                    case "case_sensitive" -> caseSensitive = true;
                    case "space_change_sensitive" -> spaceChangeSensitive = true;
                    case "float_absolute_tolerance" -> absolute = tolerance(words, ++i);
                    case "float_relative_tolerance" -> relative = tolerance(words, ++i);
                    case "float_tolerance" -> absolute = relative = tolerance(words, ++i);
                    default ->
                        throw new IllegalArgumentException("\"" + clip(words[i]) + "\" is not a flag of the"
                                + " default output validator (case_sensitive, space_change_sensitive, float_tolerance ε,"
                                + " float_absolute_tolerance ε, float_relative_tolerance ε)");
                }
            }
            return new ValidatorFlags(caseSensitive, spaceChangeSensitive, absolute, relative);
        }

        private static String[] words(String flags) {
            int from = 0, to = flags.length();
            while (from < to && space(flags.charAt(from))) {
                from++;
            }
            while (to > from && space(flags.charAt(to - 1))) {
                to--;
            }
            return from == to ? new String[0] : flags.substring(from, to).split("[ \\t\\n\\x0B\\f\\r]+");
        }

        private static double tolerance(String[] words, int index) {
            if (index >= words.length) {
                throw new IllegalArgumentException(words[index - 1] + " needs a value");
            }
            Double value = parseFloat(words[index], 0, words[index].length());
            if (value == null) {
                throw new IllegalArgumentException(
                        words[index - 1] + " needs a finite float, got \"" + clip(words[index]) + "\"");
            }
            return value;
        }

        private static String clip(String word) {
            return word.length() > 40 ? word.substring(0, 40) + "…" : word;
        }

        /** The default validator's whitespace: C's {@code isspace} in the C locale. */
        public static boolean space(int c) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
        }

        /**
         * The value of {@code text[start, end)} when all of it is a finite float as the default
         * validator's {@code isfloat} reads one: glibc's {@code sscanf("%lf%10s")} converting one
         * item and leaving nothing, the value neither infinite nor NaN. Otherwise {@code null}.
         * That is an optional sign, then either decimal digits with an optional point (a digit on
         * one side of it at least) and an optional {@code e} exponent, or {@code 0x} with
         * hexadecimal digits and an optional point (at least one of them) and, after a digit, an
         * optional {@code p} exponent of decimal digits. glibc takes an exponent without digits
         * ({@code 1e}, {@code 1e+}, {@code 0x1p}) for none, so {@code 1e} is 1, and {@code 0x.} is
         * 0. {@code inf}, {@code infinity}, {@code nan} and values too large for a double are not
         * floats. Read in one pass; the value is rounded to nearest, as {@code strtod} rounds.
         */
        public static Double parseFloat(CharSequence text, int start, int end) {
            int i = start;
            boolean negative = i < end && text.charAt(i) == '-';
            if (i < end && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                i++;
            }
            int body = i;
            boolean hex =
                    i + 1 < end && text.charAt(i) == '0' && (text.charAt(i + 1) == 'x' || text.charAt(i + 1) == 'X');
            if (hex) {
                i += 2;
            }
            int digits = 0;
            boolean point = false;
            while (i < end && digit(text.charAt(i), hex)) {
                i++;
                digits++;
            }
            if (i < end && text.charAt(i) == '.') {
                point = true;
                i++;
                while (i < end && digit(text.charAt(i), hex)) {
                    i++;
                    digits++;
                }
            }
            if (digits == 0 && !(hex && point)) {
                return null; // "", ".", "+", "0x": sscanf converts nothing
            }
            int mantissaEnd = i, exponentDigits = 0;
            if (digits > 0
                    && i < end
                    && (hex
                            ? text.charAt(i) == 'p' || text.charAt(i) == 'P'
                            : text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
                i++;
                if (i < end && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                    i++;
                }
                while (i < end && digit(text.charAt(i), false)) {
                    i++;
                    exponentDigits++;
                }
            }
            if (i != end) {
                return null; // something is left for %10s
            }
            double value = 0;
            if (digits > 0) {
                // Double.parseDouble reads the characters once more; a hexadecimal float needs its p.
                String literal = text.subSequence(body, exponentDigits > 0 ? end : mantissaEnd)
                        .toString();
                value = Double.parseDouble(hex && exponentDigits == 0 ? literal + "p0" : literal);
            }
            if (!Double.isFinite(value)) {
                return null;
            }
            return negative ? -value : value;
        }

        private static boolean digit(char c, boolean hex) {
            return c >= '0' && c <= '9' || hex && (c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F');
        }
    }

    /**
     * Token by token; a token that parses as a number on both sides matches when
     * {@code |actual - expected| <= absoluteTolerance} or
     * {@code |actual - expected| <= relativeTolerance * |expected|}; other tokens must be equal.
     *
     * @param absoluteTolerance largest accepted absolute error, {@code >= 0}
     * @param relativeTolerance largest accepted error relative to the expected value, {@code >= 0}
     */
    record Floats(double absoluteTolerance, double relativeTolerance) implements CheckerSpec {

        /** Kattis's default {@code float_tolerance}: 1e-6, absolute or relative. */
        public static final Floats DEFAULT = new Floats(1e-6, 1e-6);

        public Floats {
            if (!(absoluteTolerance >= 0)
                    || !(relativeTolerance >= 0)
                    || Double.isInfinite(absoluteTolerance)
                    || Double.isInfinite(relativeTolerance)) {
                throw new IllegalArgumentException(
                        "tolerances must be finite and >= 0, were " + absoluteTolerance + " and " + relativeTolerance);
            }
        }
    }

    /**
     * A checker program, compiled and run in the sandbox like a submission. It follows the Kattis
     * output-validator convention: it is started as {@code checker <input> <expected> <feedback-dir>}
     * with the program's output on standard input, and accepts with exit code 42, rejects with 43.
     * Each test has its own feedback directory: {@code teammessage.txt} there is shown to the
     * submitter for a visible test; {@code judgemessage.txt} and the checker's standard output and
     * error are for judges only.
     * <p>
     * As a Kattis package's output validator it may also be {@code interactive} (it runs at the
     * same time as the submission, its standard output being the submission's standard input and
     * the reverse) and have several {@code passes} (a multi-pass problem: after a pass it may write
     * {@code nextpass.in} to its feedback directory, which is kept, and the submission runs again
     * on it). Both are left out of the JSON when they have their plain values.
     *
     * @param language    language name or alias, as in an execution request
     * @param version     version or range ({@code "*"} for any); never {@code null}
     * @param files       its source files, the main one first; at least one
     * @param interactive {@code true} for an interactive problem's validator, else {@code null}
     * @param passes      the most passes of a test, 2 to {@value #MAX_PASSES} (a multi-pass
     *                    problem's {@code limits.validation_passes}), or {@code null} for one
     */
    record Custom(
            String language,
            String version,
            List<SourceFile> files,
            @JsonInclude(JsonInclude.Include.NON_NULL) Boolean interactive,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer passes)
            implements CheckerSpec {

        /** The most passes a multi-pass problem may have. */
        public static final int MAX_PASSES = 16;

        public Custom {
            Objects.requireNonNull(language, "language");
            version = Objects.requireNonNullElse(version, "*");
            files = List.copyOf(files);
            if (files.isEmpty()) {
                throw new IllegalArgumentException("a custom checker needs at least one source file");
            }
            interactive = Boolean.TRUE.equals(interactive) ? Boolean.TRUE : null;
            if (passes != null && (passes < 1 || passes > MAX_PASSES)) {
                throw new IllegalArgumentException("a checker's passes must be 1 to " + MAX_PASSES + ", not " + passes);
            }
            passes = passes == null || passes == 1 ? null : passes;
        }

        /** A checker of one pass that reads the program's output once it has ended. */
        public Custom(String language, String version, List<SourceFile> files) {
            this(language, version, files, null, null);
        }

        /** A checker of one source file, any version of {@code language}. */
        public static Custom of(String language, String fileName, String source) {
            return new Custom(language, "*", List.of(SourceFile.utf8(fileName, source)));
        }

        /** This checker, interactive or not, with at most {@code passes} passes. */
        public Custom judging(boolean interactive, int passes) {
            return new Custom(language, version, files, interactive, passes);
        }

        /** Whether it runs at the same time as the submission, talking with it. */
        public boolean interacts() {
            return Boolean.TRUE.equals(interactive);
        }

        /** The most passes of a test: 1 unless a multi-pass problem says more. */
        public int passLimit() {
            return passes == null ? 1 : passes;
        }

        /** Whether it judges as an interactive or multi-pass problem's validator does, not after a run. */
        public boolean talksOrPasses() {
            return interacts() || passLimit() > 1;
        }
    }
}
