package io.codingengine.worker.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.judge.CheckerSpec;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Tag("fast")
class OutputCheckerTest {

    @ParameterizedTest(name = "{0}: ''{1}'' vs ''{2}'' -> {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "EXACT|1 2\\n|1 2\\n|true",
                "EXACT|1 2\\n|1 2|false",
                "EXACT|1 2\\n|1  2\\n|false",
                "LINES|1 2\\n|1 2|true",
                "LINES|1 2\\n|1 2   \\n\\n\\n|true",
                "LINES|1 2\\n|1  2\\n|false",
                "LINES|a\\nb\\n|a\\r\\nb\\r\\n|true",
                "LINES|a\\nb\\n|a\\n\\nb\\n|false",
                "LINES|a\\n|' a'|false",
                "TOKENS|1 2\\n3|1\\n2 3|true",
                "TOKENS|1 2 3|1 2|false",
                "TOKENS|''|'  \\n'|true",
                "FLOAT|0.333333|0.3333334|true",
                "FLOAT|0.333333|0.3334|false",
                "FLOAT|1e9|1000000001|true",
                "FLOAT|2.5 x|2.5000001 x|true",
                "FLOAT|2.5 x|2.5 y|false",
                "FLOAT|1|NaN|false",
                "FLOAT|1 2|1|false"
            })
    void builtInCheckers(String type, String expected, String actual, boolean accepted) {
        CheckerSpec spec = switch (type) {
            case "EXACT" -> new CheckerSpec.Exact();
            case "LINES" -> new CheckerSpec.Lines();
            case "TOKENS" -> new CheckerSpec.Tokens();
            default -> CheckerSpec.Floats.DEFAULT;
        };
        assertEquals(
                accepted,
                OutputChecker.of(spec)
                        .check(unescape(expected), unescape(actual))
                        .accepted());
    }

    /**
     * The reasons quote the expected output: the judge shows them for visible tests only and
     * keeps a hidden test's for judges (JudgeTest checks that part).
     */
    @Test
    void reasonsSayWhereAndWhatDiffers() {
        assertEquals(
                "token 2 differs: expected 3, got 4",
                OutputChecker.of(new CheckerSpec.Tokens()).check("1 3", "1 4").message());
        assertEquals(
                "token 1 differs: expected 1.5, got x",
                OutputChecker.of(CheckerSpec.Floats.DEFAULT).check("1.5", "x").message());
        assertEquals(
                "expected 2 tokens, got 1",
                OutputChecker.of(new CheckerSpec.Tokens()).check("1 3", "1").message());
        assertEquals(
                "line 2 differs",
                OutputChecker.of(new CheckerSpec.Lines()).check("a\nb", "a\nc").message());
        assertNull(OutputChecker.of(new CheckerSpec.Exact()).check("a", "a").message());
    }

    // ------------------------------------------------------------------ Kattis's default output validator

    private static boolean kattis(String flags, String answer, String output) {
        return OutputChecker.of(new CheckerSpec.Tokens(flags))
                .check(unescape(answer), unescape(output))
                .accepted();
    }

    /**
     * Cases of problemtools' default validator (each decided as {@code default_validator.cc}
     * decides it: flags, answer, output, accepted).
     */
    @ParameterizedTest(name = "[{0}] ''{1}'' vs ''{2}'' -> {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                // No flags: tokens, ASCII letter case ignored (strcasecmp), any whitespace between them.
                "''|Hello World!|hello world!|true",
                "''|Hello World!|HELLO   WORLD!\\n|true",
                "''|Hello World!|Hello\\nWorld!|true",
                "''|Hello World!|Hello World|false",
                "''|Hello World!|HelloWorld!|false",
                "''|NaN|nan|true",
                "''|Inf|INF|true",
                "''|1.0|1|false",
                "''|1 2|1 2 3|false",
                "''|1 2 3|1 2|false",
                "''|''|'  \\n\\t'|true",
                "''|''|x|false",
                "''|x|''|false",
                "''|a\\r\\nb\\r\\n|a\\nb|true",
                "''|straße|STRASSE|false",
                "''|é|É|false",
                "''|x|x\\u00A0|false",
                "''|x|x\\u001C|false",
                // case_sensitive
                "case_sensitive|Hello World!|hello world!|false",
                "case_sensitive|Hello World!|Hello  World!|true",
                "case_sensitive|NaN|nan|false",
                // space_change_sensitive: every whitespace character, letter case still ignored
                "space_change_sensitive|1 2\\n|1 2\\n|true",
                "space_change_sensitive|1 2\\n|1  2\\n|false",
                "space_change_sensitive|1 2\\n|1 2|false",
                "space_change_sensitive|1 2\\n|1 2\\n\\n|false",
                "space_change_sensitive|1 2\\n|' 1 2\\n'|false",
                "space_change_sensitive|1 2\\n|1\\t2\\n|false",
                "space_change_sensitive|1 2\\n|1 2\\r\\n|false",
                "space_change_sensitive|A b\\n|a B\\n|true",
                "space_change_sensitive|''|''|true",
                "space_change_sensitive|''|\\n|false",
                "space_change_sensitive float_tolerance 0.1|1.0 x\\n|1.05 X\\n|true",
                "space_change_sensitive float_tolerance 0.1|1.0 x\\n|1.05  x\\n|false",
                // Float tolerances: the answer's float needs a float in the output, within either tolerance.
                "float_tolerance 1e-6|0.333333|0.3333334|true",
                "float_tolerance 1e-6|0.333333|0.3334|false",
                "float_tolerance 1e-6|1e9|1000000001|true",
                "float_relative_tolerance 1e-6|1e9|1000000001|true",
                "float_absolute_tolerance 1e-6|1e9|1000000001|false",
                "float_absolute_tolerance 1|1e9|1000000001|true",
                "float_tolerance 1e-6|2.5 x|2.5000001 X|true",
                "float_tolerance 1e-6|2.5 x|2.5 y|false",
                "float_tolerance 1e-6|1|1.0000000|true",
                "float_tolerance 1e-6|1|+1|true",
                "float_tolerance 1e-6|1|0x1p0|true",
                "float_tolerance 1e-6|0x10|16|true",
                "float_tolerance 1e-6|0x1.8p1|3|true",
                "float_tolerance 1e-6|-0|0|true",
                "float_tolerance 1e-6|1|one|false",
                "float_tolerance 1e-6|1|1e|true",
                "float_tolerance 1e-6|1|1ex|false",
                "float_tolerance 1e-6|0x1p|1|true",
                "float_tolerance 1e-6|1|1.0.|false",
                "float_tolerance 1e-6|1|0x|false",
                "float_tolerance 1e-6|1|.|false",
                "float_tolerance 1e-6|1|1,0|false",
                // NaN and infinities are not floats (isfloat refuses them): compared as strings.
                "float_tolerance 1e-6|1|NaN|false",
                "float_tolerance 1e-6|1|inf|false",
                "float_tolerance 1e-6|1|1e999|false",
                "float_tolerance 1e-6|NaN|nan|true",
                "float_tolerance 1e-6|nan|NaN|true",
                "float_tolerance 1e-6|NaN|0|false",
                "float_tolerance 1e-6|inf|Infinity|false",
                "float_tolerance 1e-6|-inf|-INF|true",
                "case_sensitive float_tolerance 1e-6|NaN|nan|false",
                "float_tolerance 1e-6|1e999|1E999|true",
                // An answer token that is no float is a string, whatever the output holds.
                "float_tolerance 1e-6|x1|x1.0|false",
                "float_tolerance 1e-6|YES|yes|true",
                // A later flag replaces an earlier one; a negative tolerance turns floats off.
                "float_tolerance 1 float_absolute_tolerance 0|10|10.5|true",
                "float_absolute_tolerance 1 float_tolerance 0|10|10.5|false",
                "float_tolerance -1|1|1.0|false",
                "float_tolerance -1|1.0|1.0|true",
                "float_tolerance 0|0.1|0.1|true",
                "float_tolerance 0|0.1|0.10000000000000001|true",
                "float_tolerance 0|0.1|0.1000000000000001|false",
                // The tolerances bound |a - b| inclusively, against the answer's value for the relative one.
                "float_absolute_tolerance 0.5|1|1.5|true",
                "float_absolute_tolerance 0.5|1|1.5000001|false",
                "float_absolute_tolerance 0.5|1|0.5|true",
                "float_relative_tolerance 0.5|2|3|true",
                "float_relative_tolerance 0.5|2|3.0000001|false",
                "float_relative_tolerance 0.5|2|1|true",
                "float_relative_tolerance 0.5|3|2|true",
                "float_relative_tolerance 0.5|1.5|0.75|true",
                "float_relative_tolerance 0.5|0|0.0000001|false",
                "float_relative_tolerance 0.5|0|-0.0|true",
                "float_tolerance 1e-6|1e308|-1e308|false",
                "float_tolerance 1e-6|1e-400|0|true"
            })
    void kattisDefaultValidator(String flags, String answer, String output, boolean accepted) {
        assertEquals(accepted, kattis(flags, answer, output));
    }

    /** The messages say where, as the default validator's judge message does, and quote at most 40 characters. */
    @Test
    void kattisMessagesSayWhereAndWhat() {
        OutputChecker checker = OutputChecker.of(new CheckerSpec.Tokens("float_tolerance 1e-6"));
        assertEquals(
                "line 2 of the output (line 2 of the answer): token 2 differs: expected B, got c",
                checker.check("a\nB\n", "A\nc\n").message());
        assertEquals(
                "line 1 of the output (line 1 of the answer): token 1 differs: expected 1.5, got x, which is not a float",
                checker.check("1.5", "x").message());
        assertEquals(
                "line 1 of the output (line 1 of the answer): token 1 differs: expected 1, got 1.5, 0.5 apart"
                        + " (absolute tolerance 1.0E-6, relative tolerance 1.0E-6)",
                checker.check("1", "1.5").message());
        assertEquals(
                "line 1 of the output (line 1 of the answer): token 1 differs: expected 1, got 3, 2.0 apart"
                        + " (absolute tolerance 1.0, no relative tolerance)",
                OutputChecker.of(new CheckerSpec.Tokens("float_absolute_tolerance 1"))
                        .check("1", "3")
                        .message());
        assertEquals(
                "line 2 of the output (line 3 of the answer): the output ends where the answer has token 2, b",
                checker.check("a\n\nb", "a\n").message());
        assertEquals(
                "line 1 of the output (line 2 of the answer): output after the answer's 1 tokens: " + "y".repeat(40)
                        + "…",
                checker.check("a\n", "a " + "y".repeat(50)).message());
        OutputChecker spaces = OutputChecker.of(new CheckerSpec.Tokens("space_change_sensitive"));
        assertEquals(
                "line 1 of the output (line 1 of the answer): whitespace differs: expected a newline, got a space",
                spaces.check("a\nb", "a b").message());
        assertEquals(
                "line 2 of the output (line 2 of the answer): whitespace differs: expected a newline,"
                        + " got the end of the output",
                spaces.check("a\nb\n", "a\nb").message());
        assertEquals(
                "line 1 of the output (line 1 of the answer): whitespace differs: expected a token, got a tab",
                spaces.check("a b", "a \tb").message());
        assertEquals(
                "line 2 of the output (line 2 of the answer): whitespace differs: expected the end of the output,"
                        + " got a newline",
                spaces.check("a\n", "a\n\n").message());
        assertNull(spaces.check("a\n", "A\n").message());
    }

    @Test
    void kattisFlagsAreReadAsTheDefaultValidatorReadsThem() {
        CheckerSpec.ValidatorFlags none = new CheckerSpec.Tokens("").flags();
        assertEquals(new CheckerSpec.ValidatorFlags(false, false, -1, -1), none);
        assertFalse(none.floats());
        assertEquals(
                new CheckerSpec.ValidatorFlags(true, true, 0.5, 0.5),
                new CheckerSpec.Tokens(" case_sensitive\tspace_change_sensitive\nfloat_tolerance 0.5 ").flags());
        assertEquals(
                new CheckerSpec.ValidatorFlags(false, false, 1e-3, 2e-9),
                new CheckerSpec.Tokens(
                                "float_tolerance 1e-6 float_absolute_tolerance 1e-3 float_relative_tolerance 2e-9")
                        .flags());
        assertEquals(
                new CheckerSpec.ValidatorFlags(false, false, 1e-6, 1e-6),
                new CheckerSpec.Tokens("float_absolute_tolerance 1e-3 float_tolerance 1e-6").flags());
        assertEquals(
                new CheckerSpec.ValidatorFlags(false, false, 0.25, -1),
                new CheckerSpec.Tokens("float_absolute_tolerance 0x1p-2").flags());
        assertTrue(new CheckerSpec.Tokens("float_relative_tolerance 0").flags().floats());
        assertFalse(new CheckerSpec.Tokens("float_tolerance -0.5").flags().floats());
        for (String refused : List.of(
                "case_insensitive",
                "float_tolerance",
                "float_tolerance x",
                "float_tolerance nan",
                "float_tolerance inf",
                "float_tolerance 1e999",
                "float_tolerance 1e-6x",
                "CASE_SENSITIVE",
                "-case_sensitive")) {
            assertThrows(IllegalArgumentException.class, () -> new CheckerSpec.Tokens(refused), refused);
        }
        assertEquals(
                new CheckerSpec.Tokens("case_sensitive float_tolerance 1e-6"),
                CheckerSpec.Tokens.kattis(List.of("case_sensitive", "float_tolerance", "1e-6")));
        assertEquals(CheckerSpec.Tokens.KATTIS, CheckerSpec.Tokens.kattis(List.of()));
        assertThrows(IllegalArgumentException.class, () -> CheckerSpec.Tokens.kattis(List.of("float_tolerance 1e-6")));
        assertThrows(IllegalArgumentException.class, () -> CheckerSpec.Tokens.kattis(List.of("")));
        assertFalse(new CheckerSpec.Tokens().kattis());
        assertNull(new CheckerSpec.Tokens().flags());
    }

    /**
     * Floats as the default validator's isfloat reads them: glibc's sscanf("%lf%10s") converting
     * exactly one item, the value finite. Each case is what glibc 2.36 answered.
     */
    @Test
    void floatsAreWhatGlibcsSscanfReads() {
        record Case(String token, Double value) {}
        for (Case c : List.of(
                new Case("1", 1.0),
                new Case("-1.5", -1.5),
                new Case("+.5", 0.5),
                new Case("5.", 5.0),
                new Case("1e3", 1000.0),
                new Case("1E+3", 1000.0),
                new Case("1e-3", 1e-3),
                new Case("0.5e-0", 0.5),
                new Case("00012", 12.0),
                new Case("1" + "0".repeat(400) + "e-400", 1.0),
                // An exponent without digits counts for nothing: glibc keeps what came before it.
                new Case("1e", 1.0),
                new Case("1e+", 1.0),
                new Case("-1e-", -1.0),
                new Case("1.e+", 1.0),
                new Case("5.e", 5.0),
                new Case("0e", 0.0),
                new Case("1.5e", 1.5),
                // Hexadecimal, its p exponent decimal and optional too; "0x." is 0, "0x" nothing.
                new Case("0x1A", 26.0),
                new Case("0X1.8P1", 3.0),
                new Case("-0x.8", -0.5),
                new Case("0xa.b", 10.6875),
                new Case("0x1e5", 485.0),
                new Case("0x1p", 1.0),
                new Case("0x1P-", 1.0),
                new Case("0x1.8p", 1.5),
                new Case("0Xap", 10.0),
                new Case("0x.ep1", 1.75),
                new Case("0x.", 0.0),
                new Case("+0x.", 0.0),
                new Case("0x0p", 0.0),
                new Case("0x1p-1074", Double.MIN_VALUE),
                new Case("0x1p-1075", 0.0),
                new Case("1e-324", 0.0),
                new Case("2.5e-324", Double.MIN_VALUE),
                new Case("1e-400", 0.0),
                new Case("1.7976931348623158e308", Double.MAX_VALUE),
                new Case("0x1.fffffffffffffp1023", Double.MAX_VALUE),
                // Nothing converted, something left over, or not finite.
                new Case("", null),
                new Case("+", null),
                new Case("-.", null),
                new Case(".", null),
                new Case(".e1", null),
                new Case("e5", null),
                new Case("0x", null),
                new Case("-0x", null),
                new Case("0xg", null),
                new Case("0xp1", null),
                new Case("0x.p", null),
                new Case("0x.p1", null),
                new Case("0x+1", null),
                new Case("1ex", null),
                new Case("1e+x", null),
                new Case("1e5a", null),
                new Case("1e0x", null),
                new Case("0x1pa", null),
                new Case("0x1p1a", null),
                new Case("0x1p+a", null),
                new Case("0x1e+", null),
                new Case("0x1.8.8", null),
                new Case("1..2", null),
                new Case("1e1e1", null),
                new Case("1p", null),
                new Case("00x1", null),
                new Case("+-1", null),
                new Case("++1", null),
                new Case("1d", null),
                new Case("1f", null),
                new Case("1_0", null),
                new Case("inf", null),
                new Case("infinity", null),
                new Case("-Infinity", null),
                new Case("NaN", null),
                new Case("nan(1)", null),
                new Case("1e400", null),
                new Case("1.7976931348623159e308", null),
                new Case("0x1p1024", null),
                new Case("0x1.fffffffffffff8p1023", null),
                new Case("١", null),
                new Case("¹", null),
                new Case(" 1", null))) {
            assertEquals(
                    c.value(),
                    CheckerSpec.ValidatorFlags.parseFloat(
                            c.token(), 0, c.token().length()),
                    "'" + c.token() + "'");
        }
    }

    /**
     * The default validator against a simple model of it (arrays of tokens, each rule spelled
     * out): random texts and flags give the same verdicts.
     */
    @Test
    void kattisAgreesWithAModelOfTheDefaultValidator() {
        Random random = new Random(13);
        String alphabet = "aAbB1.5e-x \t\n\r\u000B\f\u00A0\u001C";
        List<String> flagSets = List.of(
                "",
                "case_sensitive",
                "space_change_sensitive",
                "float_tolerance 0.1",
                "float_absolute_tolerance 0.5 case_sensitive",
                "float_relative_tolerance 0.01 space_change_sensitive");
        for (int i = 0; i < 200_000; i++) {
            String flags = flagSets.get(random.nextInt(flagSets.size()));
            String answer = text(random, alphabet),
                    output = random.nextInt(3) == 0 ? mutate(random, answer) : text(random, alphabet);
            boolean model = KattisModel.accepts(new CheckerSpec.Tokens(flags).flags(), answer, output);
            assertEquals(
                    model,
                    OutputChecker.of(new CheckerSpec.Tokens(flags))
                            .check(answer, output)
                            .accepted(),
                    "[" + flags + "] '" + escaped(answer) + "' vs '" + escaped(output) + "'");
        }
    }

    private static String escaped(String text) {
        StringBuilder s = new StringBuilder();
        text.chars()
                .forEach(c -> s.append(c < ' ' || c > '~' ? String.format("\\u%04X", c) : String.valueOf((char) c)));
        return s.toString();
    }

    private static String mutate(Random random, String text) {
        if (text.isEmpty()) {
            return text;
        }
        StringBuilder s = new StringBuilder(text);
        int at = random.nextInt(s.length());
        switch (random.nextInt(4)) {
            case 0 ->
                s.setCharAt(
                        at,
                        Character.isUpperCase(s.charAt(at))
                                ? Character.toLowerCase(s.charAt(at))
                                : Character.toUpperCase(s.charAt(at)));
            case 1 -> s.insert(at, ' ');
            case 2 -> s.deleteCharAt(at);
            default -> s.append('\n');
        }
        return s.toString();
    }

    /** The default validator as a model: the whitespace and tokens as arrays, the rules one by one. */
    private static final class KattisModel {
        static boolean accepts(CheckerSpec.ValidatorFlags flags, String answer, String output) {
            if (flags.spaceChangeSensitive()) {
                // The whitespace runs must be equal, and the tokens between them.
                String[] a = answer.split(
                        "(?<=[ \t\n\u000B\f\r])(?=[^ \t\n\u000B\f\r])|(?<=[^ \t\n\u000B\f\r])(?=[ \t\n\u000B\f\r])",
                        -1);
                String[] o = output.split(
                        "(?<=[ \t\n\u000B\f\r])(?=[^ \t\n\u000B\f\r])|(?<=[^ \t\n\u000B\f\r])(?=[ \t\n\u000B\f\r])",
                        -1);
                if (a.length != o.length) {
                    return false;
                }
                for (int i = 0; i < a.length; i++) {
                    boolean space = !a[i].isEmpty() && CheckerSpec.ValidatorFlags.space(a[i].charAt(0));
                    boolean outSpace = !o[i].isEmpty() && CheckerSpec.ValidatorFlags.space(o[i].charAt(0));
                    if (space != outSpace || (space ? !a[i].equals(o[i]) : !token(flags, a[i], o[i]))) {
                        return false;
                    }
                }
                return true;
            }
            String[] a = tokens(answer), o = tokens(output);
            if (a.length != o.length) {
                return false;
            }
            for (int i = 0; i < a.length; i++) {
                if (!token(flags, a[i], o[i])) {
                    return false;
                }
            }
            return true;
        }

        private static boolean token(CheckerSpec.ValidatorFlags flags, String answer, String output) {
            if (answer.isEmpty() || output.isEmpty()) {
                return answer.equals(output);
            }
            if (flags.floats() && isFloat(answer)) {
                if (!isFloat(output)) {
                    return false;
                }
                double want = value(answer), got = value(output);
                return Math.abs(want - got) <= flags.absoluteTolerance()
                        || Math.abs(want - got) <= flags.relativeTolerance() * Math.abs(want);
            }
            return flags.caseSensitive()
                    ? answer.equals(output)
                    : answer.toLowerCase(java.util.Locale.ROOT).equals(output.toLowerCase(java.util.Locale.ROOT));
        }

        /** Decimal floats only (the random texts have no hexadecimal ones); glibc takes "1e" for 1. */
        private static final Pattern FLOAT = Pattern.compile("([+-]?(\\d+\\.?\\d*|\\.\\d+))([eE][+-]?(\\d*))?");

        private static boolean isFloat(String token) {
            return FLOAT.matcher(token).matches() && Double.isFinite(value(token));
        }

        private static double value(String token) {
            var m = FLOAT.matcher(token);
            if (!m.matches()) {
                throw new IllegalArgumentException(token);
            }
            return Double.parseDouble(m.group(4) == null || m.group(4).isEmpty() ? m.group(1) : token);
        }

        private static String[] tokens(String text) {
            String trimmed = text.replaceAll("^[ \t\n\u000B\f\r]+|[ \t\n\u000B\f\r]+$", "");
            return trimmed.isEmpty() ? new String[0] : trimmed.split("[ \t\n\u000B\f\r]+");
        }
    }

    /** A text that counts the characters read of it, its parts' included. */
    private record Counting(CharSequence text, long[] reads) implements CharSequence {
        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            reads[0]++;
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Counting(text.subSequence(start, end), reads);
        }

        @Override
        public String toString() {
            reads[0] += text.length();
            return text.toString();
        }
    }

    private static final String MEBIBYTE_NEAR_NUMBER = "1".repeat(1 << 20) + "x";

    /**
     * The FLOAT checker's regular expression backtracked quadratically on a long run of digits
     * that does not end as a number (a 64 KiB token took 33 s of the worker's CPU). Every built-in
     * checker now reads each character a bounded number of times, whatever the output.
     */
    @Test
    void everyCheckerReadsAnOutputALinearNumberOfTimes() {
        List<String> outputs = List.of(
                MEBIBYTE_NEAR_NUMBER,
                "1.".repeat(1 << 19) + "e",
                "1 ".repeat(1 << 19),
                "\n".repeat(1 << 20),
                " \t".repeat(1 << 19) + "1",
                "1e+".repeat(1 << 18) + "5",
                "0x" + "f".repeat(1 << 20) + "p",
                "1" + " ".repeat(1 << 20),
                "1\n1\n" + "A".repeat(1 << 20));
        for (CheckerSpec spec : List.of(
                CheckerSpec.Floats.DEFAULT,
                new CheckerSpec.Tokens(),
                new CheckerSpec.Lines(),
                new CheckerSpec.Exact(),
                CheckerSpec.Tokens.KATTIS,
                new CheckerSpec.Tokens("float_tolerance 1e-6"),
                new CheckerSpec.Tokens("space_change_sensitive case_sensitive float_absolute_tolerance 1"))) {
            for (String expected : List.of("1", "1 1", "1.5\n", "1\n1\n" + "a".repeat(1 << 20))) {
                for (String output : outputs) {
                    long[] reads = {0};
                    OutputChecker.of(spec).check(expected, new Counting(output, reads));
                    assertTrue(
                            reads[0] <= 4L * output.length() + 100,
                            spec + " read " + reads[0] + " characters of a " + output.length() + "-character output");
                }
            }
        }
        long[] reads = {0};
        OutputChecker.Text.number(new Counting(MEBIBYTE_NEAR_NUMBER, reads), 0, MEBIBYTE_NEAR_NUMBER.length());
        assertTrue(reads[0] <= 2L * MEBIBYTE_NEAR_NUMBER.length(), reads[0] + " reads");
    }

    @Test
    void aMebibyteTokenThatIsNearlyANumberIsCheckedAtOnce() {
        // Generous: it takes milliseconds; the regular expression took hours.
        OutputChecker.Answer a = assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () -> OutputChecker.of(CheckerSpec.Floats.DEFAULT).check("1", MEBIBYTE_NEAR_NUMBER));
        assertFalse(a.accepted());
        assertEquals("token 1 differs: expected 1, got " + "1".repeat(40) + "…", a.message());
        // A valid number of a mebibyte of digits is read once too (Double.parseDouble is linear).
        assertTrue(assertTimeoutPreemptively(
                        Duration.ofSeconds(10),
                        () -> OutputChecker.of(CheckerSpec.Floats.DEFAULT)
                                .check("0.1111111", "0." + "1".repeat(1 << 20)))
                .accepted());
    }

    /** The one-pass parser accepts exactly what the regular expression did. */
    @Test
    void numbersAreWhatTheRegularExpressionAccepted() {
        Pattern regex = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
        Random random = new Random(7);
        String alphabet = "0123456789.+-eEx ٣";
        for (int i = 0; i < 200_000; i++) {
            StringBuilder token = new StringBuilder();
            for (int n = random.nextInt(8); n > 0; n--) {
                token.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String t = token.toString();
            Double parsed = OutputChecker.Text.number(t, 0, t.length());
            boolean matches = regex.matcher(t).matches();
            assertEquals(matches, parsed != null, "'" + t + "'");
            if (matches) {
                assertEquals(Double.valueOf(t), parsed, t);
            }
        }
    }

    /** Tokens and lines are what strip/split made of them: random texts get the old answers and reasons. */
    @Test
    void tokensAndLinesAreWhatSplittingGave() {
        Random random = new Random(11);
        String alphabet = "ab1. \t\n\r\u000B\f\u2003\u001C";
        for (int i = 0; i < 100_000; i++) {
            String expected = text(random, alphabet),
                    actual = random.nextInt(4) == 0 ? expected : text(random, alphabet);
            assertEquals(
                    OldCheckers.tokens(expected, actual),
                    OutputChecker.of(new CheckerSpec.Tokens()).check(expected, actual),
                    "tokens of '" + expected + "' and '" + actual + "'");
            assertEquals(
                    OldCheckers.lines(expected, actual),
                    OutputChecker.of(new CheckerSpec.Lines()).check(expected, actual),
                    "lines of '" + expected + "' and '" + actual + "'");
            assertEquals(
                    OldCheckers.floats(expected, actual),
                    OutputChecker.of(CheckerSpec.Floats.DEFAULT).check(expected, actual),
                    "floats of '" + expected + "' and '" + actual + "'");
        }
    }

    private static String text(Random random, String alphabet) {
        StringBuilder s = new StringBuilder();
        for (int n = random.nextInt(10); n > 0; n--) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** The checkers as they were, with regular expressions and arrays, to compare with. */
    private static final class OldCheckers {
        static OutputChecker.Answer tokens(String expected, String actual) {
            String[] want = split(expected), got = split(actual);
            for (int i = 0; i < Math.min(want.length, got.length); i++) {
                if (!want[i].equals(got[i])) {
                    return OutputChecker.Answer.wrong(
                            "token " + (i + 1) + " differs: expected " + clip(want[i]) + ", got " + clip(got[i]));
                }
            }
            return want.length == got.length
                    ? OutputChecker.Answer.OK
                    : OutputChecker.Answer.wrong("expected " + want.length + " tokens, got " + got.length);
        }

        static OutputChecker.Answer lines(String expected, String actual) {
            String[] want = lineArray(expected), got = lineArray(actual);
            for (int i = 0; i < Math.min(want.length, got.length); i++) {
                if (!want[i].equals(got[i])) {
                    return OutputChecker.Answer.wrong("line " + (i + 1) + " differs");
                }
            }
            return want.length == got.length
                    ? OutputChecker.Answer.OK
                    : OutputChecker.Answer.wrong("expected " + want.length + " lines, got " + got.length);
        }

        static OutputChecker.Answer floats(String expected, String actual) {
            String[] want = split(expected), got = split(actual);
            if (want.length != got.length) {
                return OutputChecker.Answer.wrong("expected " + want.length + " tokens, got " + got.length);
            }
            for (int i = 0; i < want.length; i++) {
                Double w = number(want[i]), g = number(got[i]);
                boolean same = w != null && g != null
                        ? Math.abs(g - w) <= 1e-6 || Math.abs(g - w) <= 1e-6 * Math.abs(w)
                        : want[i].equals(got[i]);
                if (!same) {
                    return OutputChecker.Answer.wrong(
                            "token " + (i + 1) + " differs: expected " + clip(want[i]) + ", got " + clip(got[i]));
                }
            }
            return OutputChecker.Answer.OK;
        }

        private static Double number(String token) {
            return token.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?") ? Double.valueOf(token) : null;
        }

        private static String[] split(String text) {
            String trimmed = text.strip();
            return trimmed.isEmpty() ? new String[0] : trimmed.split("\\s+");
        }

        private static String[] lineArray(String text) {
            String[] lines = text.split("\r?\n", -1);
            int n = lines.length;
            for (int i = 0; i < n; i++) {
                lines[i] = lines[i].stripTrailing();
            }
            while (n > 0 && lines[n - 1].isEmpty()) {
                n--;
            }
            return java.util.Arrays.copyOf(lines, n);
        }

        private static String clip(String s) {
            return s.length() > 40 ? s.substring(0, 40) + "…" : s;
        }
    }

    /** {@code \\n}, {@code \\r}, {@code \\t} and {@code \\uXXXX} as the characters they stand for. */
    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                out.append(c);
                continue;
            }
            switch (s.charAt(++i)) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append('\\').append(s.charAt(i));
            }
        }
        return out.toString();
    }
}
