package io.codingengine.worker.judge;

import io.codingengine.common.judge.CheckerSpec;

/**
 * Decides whether a program's output answers a test. The built-in checkers are pure functions
 * of the two texts; a custom checker program runs in the sandbox ({@link CustomChecker}).
 */
sealed interface OutputChecker permits OutputChecker.Exact, OutputChecker.Lines, OutputChecker.Tokens,
        OutputChecker.Floats {

    /**
     * The checker's answer: accepted or not, and why not. The reason may quote the expected
     * output, so the submitter reads it only for a visible test, whose expected output they see
     * anyway; for a hidden test it is for judges only ({@code TestResult.of}).
     */
    record Answer(boolean accepted, String message) {

        static final Answer OK = new Answer(true, null);

        static Answer wrong(String message) {
            return new Answer(false, message);
        }
    }

    Answer check(String expected, String actual);

    /** The built-in checker for {@code spec}; custom checkers are run by {@link CustomChecker}. */
    static OutputChecker of(CheckerSpec spec) {
        return switch (spec) {
            case CheckerSpec.Exact e -> new Exact();
            case CheckerSpec.Lines l -> new Lines();
            case CheckerSpec.Tokens t -> new Tokens();
            case CheckerSpec.Floats f -> new Floats(f.absoluteTolerance(), f.relativeTolerance());
            case CheckerSpec.Custom c -> throw new IllegalArgumentException("custom checkers run in the sandbox");
        };
    }

    /** Byte-for-byte equality. */
    record Exact() implements OutputChecker {
        @Override
        public Answer check(String expected, String actual) {
            return expected.equals(actual) ? Answer.OK : Answer.wrong("output differs from the expected output");
        }
    }

    /** Line by line, ignoring trailing whitespace on each line and trailing empty lines. */
    record Lines() implements OutputChecker {
        @Override
        public Answer check(String expected, String actual) {
            String[] want = lines(expected), got = lines(actual);
            for (int i = 0; i < Math.min(want.length, got.length); i++) {
                if (!want[i].equals(got[i])) {
                    return Answer.wrong("line " + (i + 1) + " differs");
                }
            }
            return want.length == got.length ? Answer.OK
                    : Answer.wrong("expected " + want.length + " lines, got " + got.length);
        }

        private static String[] lines(String text) {
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
    }

    /** Equal sequences of whitespace-separated tokens. */
    record Tokens() implements OutputChecker {
        @Override
        public Answer check(String expected, String actual) {
            String[] want = Text.tokens(expected), got = Text.tokens(actual);
            for (int i = 0; i < Math.min(want.length, got.length); i++) {
                if (!want[i].equals(got[i])) {
                    return Answer.wrong("token " + (i + 1) + " differs: expected " + Text.clip(want[i]) + ", got " + Text.clip(got[i]));
                }
            }
            return want.length == got.length ? Answer.OK
                    : Answer.wrong("expected " + want.length + " tokens, got " + got.length);
        }
    }

    /** Tokens; numbers match within an absolute or a relative tolerance. */
    record Floats(double absolute, double relative) implements OutputChecker {
        @Override
        public Answer check(String expected, String actual) {
            String[] want = Text.tokens(expected), got = Text.tokens(actual);
            if (want.length != got.length) {
                return Answer.wrong("expected " + want.length + " tokens, got " + got.length);
            }
            for (int i = 0; i < want.length; i++) {
                Double w = Text.number(want[i]), g = Text.number(got[i]);
                boolean same = w != null && g != null
                        ? Math.abs(g - w) <= absolute || Math.abs(g - w) <= relative * Math.abs(w)
                        : want[i].equals(got[i]);
                if (!same) {
                    return Answer.wrong("token " + (i + 1) + " differs: expected " + Text.clip(want[i]) + ", got " + Text.clip(got[i]));
                }
            }
            return Answer.OK;
        }
    }

    /** Tokenising shared by the token-based checkers. */
    final class Text {
        private Text() {
        }

        static String[] tokens(String text) {
            String trimmed = text.strip();
            return trimmed.isEmpty() ? new String[0] : trimmed.split("\\s+");
        }

        static Double number(String token) {
            if (!token.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
                return null; // NaN, Infinity and hex floats are not numbers in a judge's output
            }
            return Double.valueOf(token);
        }

        static String clip(String s) {
            return s.length() > 40 ? s.substring(0, 40) + "…" : s;
        }
    }
}
