package io.codingengine.worker.judge;

import io.codingengine.common.judge.CheckerSpec;

/**
 * Decides whether a program's output answers a test. The built-in checkers are pure functions
 * of the two texts, each one pass over them: no regular expression (a backtracking pattern over
 * a long token took seconds to hours of the worker's CPU), no array of tokens or lines (a
 * million one-character tokens took tens of bytes each), so their work and memory grow linearly
 * with the output, which the output limit bounds. A custom checker program runs in the sandbox
 * ({@link CustomChecker}).
 */
sealed interface OutputChecker
        permits OutputChecker.Exact,
                OutputChecker.Lines,
                OutputChecker.Tokens,
                OutputChecker.Floats,
                OutputChecker.Kattis {

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

    Answer check(CharSequence expected, CharSequence actual);

    /** The built-in checker for {@code spec}; custom checkers are run by {@link CustomChecker}. */
    static OutputChecker of(CheckerSpec spec) {
        return switch (spec) {
            case CheckerSpec.Exact e -> new Exact();
            case CheckerSpec.Lines l -> new Lines();
            case CheckerSpec.Tokens t -> t.kattis() ? new Kattis(t.flags()) : new Tokens();
            case CheckerSpec.Floats f -> new Floats(f.absoluteTolerance(), f.relativeTolerance());
            case CheckerSpec.Custom c -> throw new IllegalArgumentException("custom checkers run in the sandbox");
        };
    }

    /** Byte-for-byte equality. */
    record Exact() implements OutputChecker {
        @Override
        public Answer check(CharSequence expected, CharSequence actual) {
            return CharSequence.compare(expected, actual) == 0
                    ? Answer.OK
                    : Answer.wrong("output differs from the expected output");
        }
    }

    /**
     * Line by line (lines end at {@code \n}, a {@code \r} before it is whitespace), ignoring
     * trailing whitespace on each line and trailing empty lines.
     */
    record Lines() implements OutputChecker {
        @Override
        public Answer check(CharSequence expected, CharSequence actual) {
            int want = Text.lineCount(expected), got = Text.lineCount(actual);
            Text.Cursor w = Text.lines(expected), g = Text.lines(actual);
            for (int i = 0; i < Math.min(want, got); i++) {
                w.next();
                g.next();
                if (!w.same(g)) {
                    return Answer.wrong("line " + (i + 1) + " differs");
                }
            }
            return want == got ? Answer.OK : Answer.wrong("expected " + want + " lines, got " + got);
        }
    }

    /** Equal sequences of whitespace-separated tokens. */
    record Tokens() implements OutputChecker {
        @Override
        public Answer check(CharSequence expected, CharSequence actual) {
            Text.Cursor w = Text.tokens(expected), g = Text.tokens(actual);
            for (int i = 1; ; i++) {
                boolean more = w.next(), moreGot = g.next();
                if (!more || !moreGot) {
                    return more == moreGot
                            ? Answer.OK
                            : Answer.wrong("expected " + Text.tokenCount(expected) + " tokens, got "
                                    + Text.tokenCount(actual));
                }
                if (!w.same(g)) {
                    return Answer.wrong("token " + i + " differs: expected " + w.clip() + ", got " + g.clip());
                }
            }
        }
    }

    /**
     * Tokens; where the expected token and the output's are both numbers they match within an
     * absolute or a relative tolerance (Kattis's default validator with
     * {@code float_absolute_tolerance} and {@code float_relative_tolerance}), other tokens must be
     * equal.
     */
    record Floats(double absolute, double relative) implements OutputChecker {
        @Override
        public Answer check(CharSequence expected, CharSequence actual) {
            int want = Text.tokenCount(expected), got = Text.tokenCount(actual);
            if (want != got) {
                return Answer.wrong("expected " + want + " tokens, got " + got);
            }
            Text.Cursor w = Text.tokens(expected), g = Text.tokens(actual);
            for (int i = 1; w.next() && g.next(); i++) {
                Double e = Text.number(w.text(), w.start(), w.end());
                Double a = e == null ? null : Text.number(g.text(), g.start(), g.end());
                boolean same = e != null && a != null
                        ? Math.abs(a - e) <= absolute || Math.abs(a - e) <= relative * Math.abs(e)
                        : w.same(g);
                if (!same) {
                    return Answer.wrong("token " + i + " differs: expected " + w.clip() + ", got " + g.clip());
                }
            }
            return Answer.OK;
        }
    }

    /**
     * Kattis's default output validator (problemtools' {@code default_validator.cc}) with its
     * flags, decision for decision; see {@link CheckerSpec.Tokens}. It walks the answer and the
     * output once, side by side: whitespace ({@code isspace} in the C locale), then a token of
     * each. With {@code space_change_sensitive} each whitespace character of the answer must be
     * the output's next character and the output may have no other whitespace; otherwise runs of
     * whitespace are skipped. When float tolerances are given and the answer's token is a finite
     * float, the output's token must be one within either tolerance; other tokens are compared
     * exactly with {@code case_sensitive}, else ignoring ASCII letter case ({@code strcasecmp}).
     * The answer's tokens running out ends the walk: any token left in the output is wrong.
     *
     * <p>One deliberate difference: the default validator compares tokens as C strings, so a
     * token stops at a NUL character there ({@code "1\0junk"} is {@code "1"}); here a NUL is a
     * character like any other.
     */
    record Kattis(CheckerSpec.ValidatorFlags flags) implements OutputChecker {
        @Override
        public Answer check(CharSequence expected, CharSequence actual) {
            int a = 0, o = 0; // positions in the answer and the output
            int aEnd = expected.length(), oEnd = actual.length();
            int aLine = 1, oLine = 1, token = 0;
            while (true) {
                while (a < aEnd && Text.separator(expected.charAt(a))) {
                    char c = expected.charAt(a);
                    if (flags.spaceChangeSensitive()) {
                        if (o >= oEnd || actual.charAt(o) != c) {
                            return wrong(
                                    oLine,
                                    aLine,
                                    "whitespace differs: expected " + Text.name(c) + ", got "
                                            + (o >= oEnd ? "the end of the output" : Text.name(actual.charAt(o))));
                        }
                        if (actual.charAt(o) == '\n') {
                            oLine++;
                        }
                        o++;
                    }
                    if (c == '\n') {
                        aLine++;
                    }
                    a++;
                }
                while (o < oEnd && Text.separator(actual.charAt(o))) {
                    if (flags.spaceChangeSensitive()) {
                        return wrong(
                                oLine,
                                aLine,
                                "whitespace differs: expected " + (a >= aEnd ? "the end of the output" : "a token")
                                        + ", got " + Text.name(actual.charAt(o)));
                    }
                    if (actual.charAt(o) == '\n') {
                        oLine++;
                    }
                    o++;
                }
                if (a >= aEnd) {
                    break;
                }
                token++;
                int aStart = a, oStart = o;
                while (a < aEnd && !Text.separator(expected.charAt(a))) {
                    a++;
                }
                if (o >= oEnd) {
                    return wrong(
                            oLine,
                            aLine,
                            "the output ends where the answer has token " + token + ", "
                                    + Text.clip(expected, aStart, a));
                }
                while (o < oEnd && !Text.separator(actual.charAt(o))) {
                    o++;
                }
                String differs = differs(expected, aStart, a, actual, oStart, o, token);
                if (differs != null) {
                    return wrong(oLine, aLine, differs);
                }
            }
            if (o < oEnd) {
                int oStart = o;
                while (o < oEnd && !Text.separator(actual.charAt(o))) {
                    o++;
                }
                return wrong(
                        oLine,
                        aLine,
                        "output after the answer's " + token + " tokens: " + Text.clip(actual, oStart, o));
            }
            return Answer.OK;
        }

        /** Why the output's token differs from the answer's, or {@code null} when it matches. */
        private String differs(
                CharSequence answer, int aStart, int aEnd, CharSequence output, int oStart, int oEnd, int token) {
            if (flags.floats()) {
                Double want = CheckerSpec.ValidatorFlags.parseFloat(answer, aStart, aEnd);
                if (want != null) {
                    Double got = CheckerSpec.ValidatorFlags.parseFloat(output, oStart, oEnd);
                    if (got == null) {
                        return "token " + token + " differs: expected " + Text.clip(answer, aStart, aEnd) + ", got "
                                + Text.clip(output, oStart, oEnd) + ", which is not a float";
                    }
                    double difference = Math.abs(want - got);
                    if (!(difference <= flags.absoluteTolerance())
                            && !(difference <= flags.relativeTolerance() * Math.abs(want))) {
                        return "token " + token + " differs: expected " + Text.clip(answer, aStart, aEnd) + ", got "
                                + Text.clip(output, oStart, oEnd) + ", " + difference + " apart" + tolerances();
                    }
                    return null;
                }
            }
            if (oEnd - oStart == aEnd - aStart) {
                boolean same = true;
                for (int i = 0; same && i < aEnd - aStart; i++) {
                    char w = answer.charAt(aStart + i), g = output.charAt(oStart + i);
                    same = w == g || !flags.caseSensitive() && lower(w) == lower(g);
                }
                if (same) {
                    return null;
                }
            }
            return "token " + token + " differs: expected " + Text.clip(answer, aStart, aEnd) + ", got "
                    + Text.clip(output, oStart, oEnd);
        }

        private String tolerances() {
            double absolute = flags.absoluteTolerance(), relative = flags.relativeTolerance();
            return " (" + (absolute >= 0 ? "absolute tolerance " + absolute : "no absolute tolerance") + ", "
                    + (relative >= 0 ? "relative tolerance " + relative : "no relative tolerance") + ")";
        }

        /** {@code tolower} in the C locale: ASCII letters only. */
        private static char lower(char c) {
            return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
        }

        private static Answer wrong(int outputLine, int answerLine, String why) {
            return Answer.wrong(
                    "line " + outputLine + " of the output (line " + answerLine + " of the answer): " + why);
        }
    }

    /** Tokens and lines of a text, found in one pass without copying them. */
    final class Text {

        /** Characters of a token a message quotes. */
        static final int CLIP = 40;

        private Text() {}

        /**
         * Tokens separate at runs of {@code [ \t\n\x0B\f\r]} (Kattis's {@code isspace}), after
         * leading and trailing whitespace ({@link Character#isWhitespace}) is dropped: what
         * {@code text.strip().split("\\s+")} gave.
         */
        static Cursor tokens(CharSequence text) {
            int from = 0, to = text.length();
            while (from < to && Character.isWhitespace(text.charAt(from))) {
                from++;
            }
            while (to > from && Character.isWhitespace(text.charAt(to - 1))) {
                to--;
            }
            return new Cursor(text, from, to, false);
        }

        /** Lines without their trailing whitespace, trailing empty lines included: {@link #lineCount} says where to stop. */
        static Cursor lines(CharSequence text) {
            return new Cursor(text, 0, text.length(), true);
        }

        static int tokenCount(CharSequence text) {
            Cursor c = tokens(text);
            int n = 0;
            while (c.next()) {
                n++;
            }
            return n;
        }

        /** Lines up to the last one that is not empty once its trailing whitespace is dropped. */
        static int lineCount(CharSequence text) {
            Cursor c = lines(text);
            int n = 0, lastNonEmpty = 0;
            while (c.next()) {
                n++;
                if (c.end() > c.start()) {
                    lastNonEmpty = n;
                }
            }
            return lastNonEmpty;
        }

        static boolean separator(char c) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
        }

        /** A whitespace character as a message names it. */
        static String name(char c) {
            return switch (c) {
                case ' ' -> "a space";
                case '\t' -> "a tab";
                case '\n' -> "a newline";
                case '\r' -> "a carriage return";
                case '\f' -> "a form feed";
                case '\u000B' -> "a vertical tab";
                default -> "\"" + clip(String.valueOf(c), 0, 1) + "\"";
            };
        }

        /**
         * The number a token spells, or null: {@code [+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?} (ASCII
         * digits), checked in one pass. NaN, Infinity and hex floats are not numbers in a judge's
         * output.
         */
        static Double number(CharSequence text, int start, int end) {
            int i = start;
            if (i < end && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                i++;
            }
            int whole = 0;
            while (i < end && digit(text.charAt(i))) {
                i++;
                whole++;
            }
            int fraction = 0;
            if (i < end && text.charAt(i) == '.') {
                i++;
                while (i < end && digit(text.charAt(i))) {
                    i++;
                    fraction++;
                }
            }
            if (whole == 0 && fraction == 0) {
                return null;
            }
            if (i < end && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
                i++;
                if (i < end && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                    i++;
                }
                int exponent = 0;
                while (i < end && digit(text.charAt(i))) {
                    i++;
                    exponent++;
                }
                if (exponent == 0) {
                    return null;
                }
            }
            // Double.parseDouble reads the digits once (it keeps the first ~800 significant ones).
            return i == end ? Double.valueOf(text.subSequence(start, end).toString()) : null;
        }

        private static boolean digit(char c) {
            return c >= '0' && c <= '9';
        }

        static String clip(CharSequence s, int start, int end) {
            return end - start > CLIP
                    ? s.subSequence(start, start + CLIP) + "…"
                    : s.subSequence(start, end).toString();
        }

        /** Walks the tokens or lines of a text: {@link #next} moves to the next one, if any. */
        static final class Cursor {
            private final CharSequence text;
            private final int to;
            private final boolean lines;
            private int pos;
            private int start = -1, end = -1;
            private boolean done;

            private Cursor(CharSequence text, int from, int to, boolean lines) {
                this.text = text;
                this.pos = from;
                this.to = to;
                this.lines = lines;
                this.done = !lines && from >= to; // a text has at least one line, maybe empty
            }

            boolean next() {
                if (done) {
                    return false;
                }
                if (lines) {
                    start = pos;
                    int at = pos;
                    while (at < to && text.charAt(at) != '\n') {
                        at++;
                    }
                    int e = at;
                    while (e > start && Character.isWhitespace(text.charAt(e - 1))) {
                        e--;
                    }
                    end = e;
                    pos = at + 1;
                    done = at >= to;
                    return true;
                }
                while (pos < to && separator(text.charAt(pos))) {
                    pos++;
                }
                start = pos;
                while (pos < to && !separator(text.charAt(pos))) {
                    pos++;
                }
                end = pos;
                done = pos >= to;
                return true;
            }

            /** The current token or line equals {@code other}'s. */
            boolean same(Cursor other) {
                if (end - start != other.end - other.start) {
                    return false;
                }
                for (int i = 0; i < end - start; i++) {
                    if (text.charAt(start + i) != other.text.charAt(other.start + i)) {
                        return false;
                    }
                }
                return true;
            }

            CharSequence text() {
                return text;
            }

            int start() {
                return start;
            }

            int end() {
                return end;
            }

            String clip() {
                return Text.clip(text, start, end);
            }
        }
    }
}
