package io.codingengine.common.problem;

import java.util.regex.Pattern;

/**
 * The Markdown side of {@link LatexStatement}: escaping text for Markdown and back, code spans,
 * emphasis, TeX math for KaTeX, and the final tidying. While a statement is converted, list items,
 * table cells and rows are marked with control characters (which the converter first removes from
 * the input), so that an environment can split what it read into items, cells and rows after its
 * contents were converted; {@link #tidy} turns what is left of them into text.
 */
final class StatementMarkdown {

    /** Starts a list item ({@code \item}). */
    static final char ITEM = '\u0001';
    /** Ends a table cell ({@code &}). */
    static final char CELL = '\u0002';
    /** Ends a table row, or a line ({@code \\}). */
    static final char ROW = '\u0003';
    /** Ends a list item's text. */
    static final char ITEM_END = '\u0004';
    /** A list item's indentation, kept by {@link #tidy} and made spaces at the end. */
    static final char INDENT = '\u0005';

    private static final Pattern SPACES = Pattern.compile(" {2,}");

    private StatementMarkdown() {}

    /** Where to cut {@code text} to at most {@code max} characters: not inside a surrogate pair. */
    static int boundary(CharSequence text, int max) {
        int end = Math.min(text.length(), max);
        return end > 0 && Character.isHighSurrogate(text.charAt(end - 1)) ? end - 1 : end;
    }

    /** {@code text} in emphasis ({@code *}), bold ({@code **}) or code ({@code `}). */
    static String styled(String marker, String text) {
        String inner = text.strip();
        if (inner.isEmpty()) {
            return text;
        }
        String lead = text.substring(0, text.length() - text.stripLeading().length());
        String trail = text.substring(text.stripTrailing().length());
        if (marker.equals("`")) {
            return lead + code(unescape(inner)) + trail;
        }
        if (inner.indexOf('\n') >= 0 || inner.indexOf(ITEM) >= 0 || inner.indexOf(CELL) >= 0) {
            return text; // spans blocks: Markdown cannot style that
        }
        return lead + marker + inner + marker + trail;
    }

    static String inlineMath(String math) {
        String text = math.replaceAll("\\s+", " ").strip().replace("$", "\\$");
        return text.isEmpty() ? "" : "$" + text + "$";
    }

    static String displayMath(String math) {
        String text = math.replaceAll("\\s+", " ").strip().replace("$", "\\$");
        return text.isEmpty() ? "" : "\n\n$$" + text + "$$\n\n";
    }

    static String escape(char c) {
        return switch (c) {
            case '\\', '*', '_', '[', ']', '#', '|', '!' -> "\\" + c;
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '&' -> "&amp;";
            case '^' -> "^";
            default -> String.valueOf(c);
        };
    }

    static String escapeText(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c == '$' ? "&#36;" : c == '`' ? "\\`" : escape(c));
        }
        return out.toString();
    }

    /** Markdown text back to plain text: for code spans and the name. */
    static String unescape(String markdown) {
        return markdown.replaceAll("\\\\([\\\\*_\\[\\]#|!`])", "$1")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&#36;", "$")
                .replace("&amp;", "&");
    }

    static String code(String text) {
        String flat = text.replace('\n', ' ');
        String fence = flat.contains("`") ? "`` " : "`";
        return fence + flat + (fence.length() > 1 ? " ``" : "`");
    }

    /**
     * Blank lines at most one at a time, no trailing spaces, no line starting as a list or code by
     * accident. Its result is no longer than {@code markdown} but for line breaks ({@code \\}),
     * so it needs no budget of its own.
     */
    static String tidy(String markdown) {
        String text = markdown.replace(String.valueOf(ROW), "\\\n")
                .replace(String.valueOf(ITEM_END), "")
                .replace(String.valueOf(ITEM), "")
                .replace(String.valueOf(CELL), " ");
        StringBuilder out = new StringBuilder();
        boolean inFence = false;
        int blank = 0;
        for (String line : text.split("\n", -1)) {
            String trimmed = inFence ? line : line.strip();
            String unindented = trimmed.replace(String.valueOf(INDENT), "");
            if (unindented.startsWith("```") || unindented.startsWith("~~~~")) {
                inFence = !inFence;
                trimmed = trimmed.strip();
            }
            if (!inFence && trimmed.isEmpty()) {
                blank++;
                continue;
            }
            if (!out.isEmpty()) {
                out.append(blank > 0 ? "\n\n" : "\n");
            }
            blank = 0;
            out.append(inFence ? line.stripTrailing() : SPACES.matcher(trimmed).replaceAll(" "));
        }
        return out.isEmpty() ? "" : out.append('\n').toString();
    }
}
