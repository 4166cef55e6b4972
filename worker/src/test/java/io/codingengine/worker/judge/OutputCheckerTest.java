package io.codingengine.worker.judge;

import io.codingengine.common.judge.CheckerSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputCheckerTest {

    @ParameterizedTest(name = "{0}: ''{1}'' vs ''{2}'' -> {3}")
    @CsvSource(delimiter = '|', value = {
            "EXACT|1 2\\n|1 2\\n|true", "EXACT|1 2\\n|1 2|false", "EXACT|1 2\\n|1  2\\n|false",
            "LINES|1 2\\n|1 2|true", "LINES|1 2\\n|1 2   \\n\\n\\n|true", "LINES|1 2\\n|1  2\\n|false",
            "LINES|a\\nb\\n|a\\r\\nb\\r\\n|true", "LINES|a\\nb\\n|a\\n\\nb\\n|false", "LINES|a\\n|' a'|false",
            "TOKENS|1 2\\n3|1\\n2 3|true", "TOKENS|1 2 3|1 2|false", "TOKENS|''|'  \\n'|true",
            "FLOAT|0.333333|0.3333334|true", "FLOAT|0.333333|0.3334|false", "FLOAT|1e9|1000000001|true",
            "FLOAT|2.5 x|2.5000001 x|true", "FLOAT|2.5 x|2.5 y|false", "FLOAT|1|NaN|false", "FLOAT|1 2|1|false"
    })
    void builtInCheckers(String type, String expected, String actual, boolean accepted) {
        CheckerSpec spec = switch (type) {
            case "EXACT" -> new CheckerSpec.Exact();
            case "LINES" -> new CheckerSpec.Lines();
            case "TOKENS" -> new CheckerSpec.Tokens();
            default -> CheckerSpec.Floats.DEFAULT;
        };
        assertEquals(accepted, OutputChecker.of(spec).check(unescape(expected), unescape(actual)).accepted());
    }

    /**
     * The reasons quote the expected output: the judge shows them for visible tests only and
     * keeps a hidden test's for judges (JudgeTest checks that part).
     */
    @Test
    void reasonsSayWhereAndWhatDiffers() {
        assertEquals("token 2 differs: expected 3, got 4", OutputChecker.of(new CheckerSpec.Tokens()).check("1 3", "1 4").message());
        assertEquals("token 1 differs: expected 1.5, got x", OutputChecker.of(CheckerSpec.Floats.DEFAULT).check("1.5", "x").message());
        assertEquals("expected 2 tokens, got 1", OutputChecker.of(new CheckerSpec.Tokens()).check("1 3", "1").message());
        assertEquals("line 2 differs", OutputChecker.of(new CheckerSpec.Lines()).check("a\nb", "a\nc").message());
        assertNull(OutputChecker.of(new CheckerSpec.Exact()).check("a", "a").message());
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
        List<String> outputs = List.of(MEBIBYTE_NEAR_NUMBER, "1.".repeat(1 << 19) + "e", "1 ".repeat(1 << 19),
                "\n".repeat(1 << 20), " \t".repeat(1 << 19) + "1", "1e+".repeat(1 << 18) + "5");
        for (CheckerSpec spec : List.of(CheckerSpec.Floats.DEFAULT, new CheckerSpec.Tokens(), new CheckerSpec.Lines(),
                new CheckerSpec.Exact())) {
            for (String expected : List.of("1", "1 1", "1.5\n")) {
                for (String output : outputs) {
                    long[] reads = {0};
                    OutputChecker.of(spec).check(expected, new Counting(output, reads));
                    assertTrue(reads[0] <= 4L * output.length() + 100,
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
        OutputChecker.Answer a = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> OutputChecker.of(CheckerSpec.Floats.DEFAULT).check("1", MEBIBYTE_NEAR_NUMBER));
        assertFalse(a.accepted());
        assertEquals("token 1 differs: expected 1, got " + "1".repeat(40) + "…", a.message());
        // A valid number of a mebibyte of digits is read once too (Double.parseDouble is linear).
        assertTrue(assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> OutputChecker.of(CheckerSpec.Floats.DEFAULT).check("0.1111111", "0." + "1".repeat(1 << 20))).accepted());
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
            String expected = text(random, alphabet), actual = random.nextInt(4) == 0 ? expected : text(random, alphabet);
            assertEquals(OldCheckers.tokens(expected, actual), OutputChecker.of(new CheckerSpec.Tokens()).check(expected, actual),
                    "tokens of '" + expected + "' and '" + actual + "'");
            assertEquals(OldCheckers.lines(expected, actual), OutputChecker.of(new CheckerSpec.Lines()).check(expected, actual),
                    "lines of '" + expected + "' and '" + actual + "'");
            assertEquals(OldCheckers.floats(expected, actual), OutputChecker.of(CheckerSpec.Floats.DEFAULT).check(expected, actual),
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
                    return OutputChecker.Answer.wrong("token " + (i + 1) + " differs: expected " + clip(want[i]) + ", got " + clip(got[i]));
                }
            }
            return want.length == got.length ? OutputChecker.Answer.OK
                    : OutputChecker.Answer.wrong("expected " + want.length + " tokens, got " + got.length);
        }

        static OutputChecker.Answer lines(String expected, String actual) {
            String[] want = lineArray(expected), got = lineArray(actual);
            for (int i = 0; i < Math.min(want.length, got.length); i++) {
                if (!want[i].equals(got[i])) {
                    return OutputChecker.Answer.wrong("line " + (i + 1) + " differs");
                }
            }
            return want.length == got.length ? OutputChecker.Answer.OK
                    : OutputChecker.Answer.wrong("expected " + want.length + " lines, got " + got.length);
        }

        static OutputChecker.Answer floats(String expected, String actual) {
            String[] want = split(expected), got = split(actual);
            if (want.length != got.length) {
                return OutputChecker.Answer.wrong("expected " + want.length + " tokens, got " + got.length);
            }
            for (int i = 0; i < want.length; i++) {
                Double w = number(want[i]), g = number(got[i]);
                boolean same = w != null && g != null ? Math.abs(g - w) <= 1e-6 || Math.abs(g - w) <= 1e-6 * Math.abs(w)
                        : want[i].equals(got[i]);
                if (!same) {
                    return OutputChecker.Answer.wrong("token " + (i + 1) + " differs: expected " + clip(want[i]) + ", got " + clip(got[i]));
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

    private static String unescape(String s) {
        return s.replace("\\n", "\n").replace("\\r", "\r");
    }
}
