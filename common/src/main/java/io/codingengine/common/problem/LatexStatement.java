package io.codingengine.common.problem;

import static io.codingengine.common.problem.LatexVocabulary.ACCENTS;
import static io.codingengine.common.problem.LatexVocabulary.DROPPED;
import static io.codingengine.common.problem.LatexVocabulary.HEADINGS;
import static io.codingengine.common.problem.LatexVocabulary.HEADING_ENVIRONMENTS;
import static io.codingengine.common.problem.LatexVocabulary.IMAGE_EXTENSION;
import static io.codingengine.common.problem.LatexVocabulary.IMPLIED_IMAGE_EXTENSIONS;
import static io.codingengine.common.problem.LatexVocabulary.MATH_ENVIRONMENTS;
import static io.codingengine.common.problem.LatexVocabulary.STYLES;
import static io.codingengine.common.problem.LatexVocabulary.SWITCHES;
import static io.codingengine.common.problem.LatexVocabulary.SYMBOLS;
import static io.codingengine.common.problem.LatexVocabulary.VERBATIM_ENVIRONMENTS;
import static io.codingengine.common.problem.StatementMarkdown.CELL;
import static io.codingengine.common.problem.StatementMarkdown.INDENT;
import static io.codingengine.common.problem.StatementMarkdown.ITEM;
import static io.codingengine.common.problem.StatementMarkdown.ITEM_END;
import static io.codingengine.common.problem.StatementMarkdown.ROW;
import static io.codingengine.common.problem.StatementMarkdown.boundary;
import static io.codingengine.common.problem.StatementMarkdown.code;
import static io.codingengine.common.problem.StatementMarkdown.displayMath;
import static io.codingengine.common.problem.StatementMarkdown.escape;
import static io.codingengine.common.problem.StatementMarkdown.escapeText;
import static io.codingengine.common.problem.StatementMarkdown.inlineMath;
import static io.codingengine.common.problem.StatementMarkdown.styled;
import static io.codingengine.common.problem.StatementMarkdown.tidy;
import static io.codingengine.common.problem.StatementMarkdown.unescape;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Turns a LaTeX problem statement ({@code problem.en.tex}, as problemtools' {@code problemset}
 * class reads it) into the Markdown with TeX math that the UI renders: {@code $…$} inline and
 * {@code $$…$$} display math, given to KaTeX as written. It is no TeX engine: it reads the
 * commands and environments statements use and turns every other one into its text.
 * <ul>
 *   <li>{@code \problemname{X}}: the name, when {@code problem.yaml} has none; not in the body
 *       (the UI shows the name above it).</li>
 *   <li>{@code \section}, {@code \subsection}, {@code \subsubsection} (starred or not):
 *       headings; {@code \paragraph}: bold text; {@code Input}/{@code Output}/... environments:
 *       headings.</li>
 *   <li>{@code \emph}, {@code \textit}, {@code \textbf}, {@code \texttt}, {@code \verb}, and the
 *       switches {@code \em}, {@code \it}, {@code \bf}, {@code \tt} to the end of their group.</li>
 *   <li>Math: {@code $…$}, {@code \(…\)}, {@code $$…$$}, {@code \[…\]}, and the environments
 *       {@code equation}, {@code align}, {@code displaymath}... (starred or not).</li>
 *   <li>{@code itemize}, {@code enumerate}, {@code description}: lists, nested;
 *       {@code tabular}: a Markdown table, its first row the header ({@code \hline} dropped,
 *       {@code \multicolumn} spread over its columns); {@code verbatim}, {@code lstlisting}:
 *       code blocks.</li>
 *   <li>{@code \illustration{width}{file}{caption}} and {@code \includegraphics[...]{file}}:
 *       an image of the package's statement directory, through {@code images}; an image that is
 *       not there (or not a picture a browser shows) becomes its caption or file name.</li>
 *   <li>The sample commands ({@code \sampletable}, {@code \nextsample}, {@code \remainingsamples},
 *       {@code \exmp}, {@code \exmpfile}) are dropped: the UI shows the samples from the test
 *       data, as problemtools appends them.</li>
 *   <li>Dropped with their arguments: preamble and definitions ({@code \documentclass},
 *       {@code usepackage}, {@code \newcommand}, {@code \def}...), {@code \input} and
 *       {@code \include} (no file is read but the images named), labels, spacing.</li>
 * </ul>
 * Bounded work on any input: one pass over the text (at most {@value #MAX_OUTPUT} characters of it),
 * groups nested at most {@value #MAX_DEPTH} deep (deeper ones are read as text), at most
 * {@link #MAX_ADDED} characters added to what is read (checked before each is appended), and the
 * Markdown at most {@link #MAX_OUTPUT} characters: past either, the statement is cut and ends with
 * {@link #CUT_NOTE}. Whatever goes wrong, the result is the statement's text, never an exception.
 */
final class LatexStatement {

    static final int MAX_DEPTH = 64;
    /** The most Markdown a statement may be, converted or not. */
    static final int MAX_OUTPUT = Problem.MAX_STATEMENT_CHARS;
    /** The most text one conversion adds to what it reads (see {@link #add}). */
    static final int MAX_ADDED = 4 * MAX_OUTPUT;
    /** What ends a statement that was cut. */
    static final String CUT_NOTE =
            "\n\n*(The statement is cut here: converted from LaTeX, it is longer than a" + " statement may be.)*\n";
    /** The longest {@code [...]} read as an optional argument: a bracket further on is text. */
    static final int MAX_OPTIONAL = 200;

    /** The Markdown, and the name {@code \problemname} gave (or {@code null}). */
    record Converted(String markdown, String problemName) {}

    private final String src;
    private final Function<String, String> images;
    private int pos;
    private int depth;
    private String problemName;
    /** Characters {@linkplain #add added} so far, against {@link #MAX_ADDED}. */
    private long added;
    /** Whether the conversion stopped before the end of the text. */
    private boolean cut;

    private LatexStatement(String src, Function<String, String> images) {
        this.src = src.replace("\r\n", "\n")
                .replace('\r', '\n')
                .replace(ITEM, ' ')
                .replace(CELL, ' ')
                .replace(ROW, ' ')
                .replace(ITEM_END, ' ')
                .replace(INDENT, ' ');
        this.images = images;
    }

    /**
     * Converts {@code tex}.
     *
     * @param images from a file name as the statement gives it to the URL under which the
     *               problem serves it, or {@code null} when the package has no such picture
     * @throws InvalidPackageException only as {@code images} throws it: a picture that refuses
     *                                 the package
     */
    static Converted convert(String tex, Function<String, String> images) {
        LatexStatement converter = new LatexStatement(clip(tex), images);
        try {
            String markdown = tidy(converter.document()).replace(INDENT, ' ');
            if (converter.cut || markdown.length() > MAX_OUTPUT) {
                markdown = markdown.substring(0, boundary(markdown, MAX_OUTPUT - CUT_NOTE.length()))
                                .stripTrailing()
                        + CUT_NOTE;
            }
            return new Converted(markdown, converter.problemName);
        } catch (InvalidPackageException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            // Never fail an import for its statement: show its text as it is.
            String text =
                    tex.substring(0, Math.min(tex.length(), MAX_OUTPUT - 8)).replace("```", "'''");
            return new Converted("```\n" + text + "\n```\n", converter.problemName);
        }
    }

    /** Everything after {@code \begin{document}} if there is one, else all of it. */
    private String document() {
        int begin = src.indexOf("\\begin{document}");
        if (begin >= 0) {
            pos = begin + "\\begin{document}".length();
        }
        return until(null);
    }

    // ------------------------------------------------------------------ the reader

    /**
     * Reads up to the closing brace of the group ({@code stop} "}"), the end of environment
     * {@code stop}, or the end of the text ({@code stop} null), and returns the Markdown.
     */
    private String until(String stop) {
        StringBuilder out = new StringBuilder();
        String style = null; // a switch (\bf, \em, \tt) in force to the end of this group
        int styleFrom = 0;
        while (pos < src.length()) {
            if (out.length() > MAX_OUTPUT) {
                stop();
                break;
            }
            char c = src.charAt(pos);
            if (c == '}' && "}".equals(stop)) {
                pos++;
                break;
            }
            switch (c) {
                case '%' -> skipComment();
                case '{' -> {
                    pos++;
                    out.append(group());
                }
                case '}' -> pos++; // unbalanced: dropped
                case '$' -> out.append(dollarMath());
                case '~' -> {
                    pos++;
                    out.append(' ');
                }
                case '&' -> {
                    pos++;
                    out.append(CELL);
                }
                case '`' -> {
                    if (src.startsWith("``", pos)) {
                        pos += 2;
                        out.append('“');
                    } else {
                        pos++;
                        out.append('‘');
                    }
                }
                case '\'' -> {
                    if (src.startsWith("''", pos)) {
                        pos += 2;
                        out.append('”');
                    } else {
                        pos++;
                        out.append('’');
                    }
                }
                case '-' -> {
                    if (src.startsWith("---", pos)) {
                        pos += 3;
                        out.append('—');
                    } else if (src.startsWith("--", pos)) {
                        pos += 2;
                        out.append('–');
                    } else {
                        pos++;
                        out.append('-');
                    }
                }
                case ' ', '\t', '\n' -> whitespace(out);
                case '\\' -> {
                    String name = commandName();
                    if (name.equals("end")) {
                        String env = argument();
                        if (stop != null && stop.equals(env)) {
                            return finish(out, style, styleFrom);
                        }
                        continue; // an \end without its \begin
                    }
                    String switched = SWITCHES.get(name);
                    if (switched != null) {
                        finishStyle(out, style, styleFrom);
                        style = switched;
                        styleFrom = out.length();
                        continue;
                    }
                    out.append(command(name));
                }
                default -> {
                    pos++;
                    out.append(escape(c));
                }
            }
        }
        return finish(out, style, styleFrom);
    }

    private String finish(StringBuilder out, String style, int styleFrom) {
        finishStyle(out, style, styleFrom);
        if (out.length() > MAX_OUTPUT) {
            // More than the statement may be: whoever holds this group need not carry the rest.
            stop();
            out.setLength(boundary(out, MAX_OUTPUT));
        }
        return out.toString();
    }

    private static void finishStyle(StringBuilder out, String style, int from) {
        if (style == null) {
            return;
        }
        String styled = out.substring(from);
        out.setLength(from);
        out.append(styled(style, styled));
    }

    /**
     * Appends {@code piece}, text that a construct adds to what it read (a table's cells padded to
     * its widest row, a list's markers and indentation, a quote's, a caption shown again as the
     * picture's alt text), when {@link #MAX_ADDED} allows it; else appends nothing and
     * {@linkplain #stop() stops} the conversion. Everything else is the text read, converted once
     * and moved up to the group that holds it, so this bounds what a conversion holds whatever
     * the input nests: a table one row wide and many long, lists in lists, captions in captions.
     *
     * @return whether it was appended
     */
    private boolean add(StringBuilder out, CharSequence piece) {
        if (!fits(piece.length())) {
            return false;
        }
        added += piece.length();
        out.append(piece);
        return true;
    }

    /** Whether {@code length} more characters may be {@linkplain #add added}; if not, stops. */
    private boolean fits(long length) {
        if (added + length > MAX_ADDED) {
            stop();
            return false;
        }
        return true;
    }

    /** Reads no further: the Markdown so far is the statement, cut, with a note that says so. */
    private void stop() {
        cut = true;
        pos = src.length();
    }

    /** A {@code {...}} group, the opening brace read. */
    private String group() {
        if (depth >= MAX_DEPTH) {
            return escapeText(rawGroup());
        }
        depth++;
        try {
            return until("}");
        } finally {
            depth--;
        }
    }

    /** The text of a group up to its closing brace, unread, for groups nested too deep. */
    private String rawGroup() {
        int level = 1;
        int start = pos;
        while (pos < src.length()) {
            char c = src.charAt(pos++);
            if (c == '\\') {
                pos++;
            } else if (c == '{') {
                level++;
            } else if (c == '}' && --level == 0) {
                return src.substring(start, pos - 1);
            }
        }
        return src.substring(start);
    }

    private void skipComment() {
        int end = src.indexOf('\n', pos);
        if (end < 0) {
            pos = src.length();
            return;
        }
        pos = end + 1;
        // A comment and its line end are nothing: a following line continues the paragraph,
        // a blank line after it still ends it.
        while (pos < src.length() && (src.charAt(pos) == ' ' || src.charAt(pos) == '\t')) {
            pos++;
        }
    }

    /** Spaces become one space; a blank line ends the paragraph. */
    private void whitespace(StringBuilder out) {
        int newlines = 0;
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                newlines++;
            } else if (c == '%') {
                skipComment();
                continue;
            } else if (c != ' ' && c != '\t') {
                break;
            }
            pos++;
        }
        out.append(newlines >= 2 ? "\n\n" : " ");
    }

    /** The name after a backslash: letters (and a star), or the one character. */
    private String commandName() {
        pos++; // the backslash
        if (pos >= src.length()) {
            return "";
        }
        int start = pos;
        if (Character.isLetter(src.charAt(pos)) || src.charAt(pos) == '@') {
            while (pos < src.length() && (Character.isLetter(src.charAt(pos)) || src.charAt(pos) == '@')) {
                pos++;
            }
            String name = src.substring(start, pos);
            if (pos < src.length() && src.charAt(pos) == '*') {
                pos++;
                name += "*";
            }
            // spaces after a command word are not text
            while (pos < src.length() && (src.charAt(pos) == ' ' || src.charAt(pos) == '\t')) {
                pos++;
            }
            return name;
        }
        pos++;
        return src.substring(start, pos);
    }

    private void skipSpaces() {
        while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
            pos++;
        }
    }

    /** A mandatory argument as raw text: a braced group, or the next character. */
    private String argument() {
        skipSpaces();
        if (pos >= src.length()) {
            return "";
        }
        if (src.charAt(pos) == '{') {
            pos++;
            return rawGroup();
        }
        if (src.charAt(pos) == '\\') {
            int start = pos;
            commandName();
            return src.substring(start, pos).strip();
        }
        return String.valueOf(src.charAt(pos++));
    }

    /** A mandatory argument converted to Markdown. */
    private String convertedArgument() {
        skipSpaces();
        if (pos < src.length() && src.charAt(pos) == '{') {
            pos++;
            return group();
        }
        return escapeText(argument());
    }

    /** An optional {@code [...]} argument as raw text, or {@code null}. */
    private String optional() {
        int save = pos;
        while (pos < src.length() && (src.charAt(pos) == ' ' || src.charAt(pos) == '\t')) {
            pos++;
        }
        if (pos < src.length() && src.charAt(pos) == '[') {
            int end = src.indexOf(']', pos);
            if (end > 0 && end - pos <= MAX_OPTIONAL) {
                String value = src.substring(pos + 1, end);
                pos = end + 1;
                return value;
            }
        }
        pos = save;
        return null;
    }

    private boolean nextIs(char c) {
        int p = pos;
        while (p < src.length() && Character.isWhitespace(src.charAt(p))) {
            p++;
        }
        return p < src.length() && src.charAt(p) == c;
    }

    // ------------------------------------------------------------------ commands

    private String command(String name) {
        String symbol = SYMBOLS.get(name);
        if (symbol != null) {
            return symbol;
        }
        if (name.length() == 1 && ACCENTS.containsKey(name.charAt(0))) {
            return accent(ACCENTS.get(name.charAt(0)));
        }
        if (DROPPED.containsKey(name)) {
            optional();
            for (int i = 0; i < DROPPED.get(name); i++) {
                argument();
                optional();
            }
            if (name.startsWith("new") || name.startsWith("renew") || name.startsWith("provide")) {
                // \newcommand{\x}[1][default]{body}: the body follows any optional arguments
                optional();
                if (nextIs('{')) {
                    argument();
                }
            }
            return "";
        }
        String style = STYLES.get(name);
        if (style != null && nextIs('{')) {
            return styled(style, convertedArgument());
        }
        String heading = HEADINGS.get(name);
        if (heading != null) {
            return heading(heading);
        }
        return switch (name) {
            case "problemname" -> {
                String given = convertedArgument().strip();
                if (problemName == null && !given.isEmpty()) {
                    problemName = unescape(given);
                }
                yield "";
            }
            case "item" -> {
                String label = optional();
                yield ITEM_END + "" + ITEM + (label == null ? "" : "**" + escapeText(label) + "** ");
            }
            case "def" -> {
                skipDefinition();
                yield "";
            }
            case "paragraph", "paragraph*", "subparagraph", "subparagraph*" -> {
                optional();
                yield "\n\n**" + convertedArgument().strip() + "** ";
            }
            case "\\", "newline", "par" -> {
                if (name.equals("\\") && pos < src.length() && src.charAt(pos) == '*') {
                    pos++;
                }
                optional();
                yield name.equals("par") ? "\n\n" : String.valueOf(ROW);
            }
            case "(" -> inlineMath(mathUntil("\\)"));
            case "[" -> displayMath(mathUntil("\\]"));
            case "verb", "verb*" -> verb();
            case "url" -> link(argument(), null);
            case "href" -> {
                String url = argument();
                yield link(url, convertedArgument());
            }
            case "footnote" -> {
                optional();
                yield " (" + convertedArgument().strip() + ")";
            }
            case "caption" -> {
                optional();
                yield "\n\n*" + convertedArgument().strip() + "*\n\n";
            }
            case "illustration" -> {
                argument(); // the width
                String file = argument().strip();
                String caption = convertedArgument().strip();
                yield image(file, caption);
            }
            case "includegraphics", "includegraphics*" -> {
                optional();
                yield image(argument().strip(), "");
            }
            case "begin" -> environment(argument().strip());
            case "multicolumn" -> {
                int columns = parseCount(argument());
                argument(); // the column spec
                String cell = convertedArgument();
                yield cell + String.valueOf(CELL).repeat(Math.max(0, columns - 1));
            }
            case "textsuperscript" -> "^" + convertedArgument();
            case "" -> "";
            default -> {
                // An unknown command: its text, from its arguments.
                StringBuilder text = new StringBuilder();
                optional();
                while (nextIs('{') && !name.isEmpty() && Character.isLetter(name.charAt(0))) {
                    text.append(convertedArgument());
                }
                yield name.length() == 1 && !Character.isLetter(name.charAt(0))
                        ? escape(name.charAt(0))
                        : text.toString();
            }
        };
    }

    private static int parseCount(String text) {
        try {
            return Math.min(64, Math.max(1, Integer.parseInt(text.strip())));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private String heading(String marker) {
        optional();
        String title = convertedArgument().replace('\n', ' ').strip();
        return "\n\n" + marker + title + "\n\n";
    }

    private String accent(char mark) {
        String base = argument();
        if (base.isEmpty()) {
            return "";
        }
        if (base.equals("\\i")) {
            base = "i";
        }
        return escapeText(
                Normalizer.normalize(base.charAt(0) + String.valueOf(mark) + base.substring(1), Normalizer.Form.NFC));
    }

    /** {@code \def\name#1{body}}: skipped up to and with its body. */
    private void skipDefinition() {
        if (pos < src.length() && src.charAt(pos) == '\\') {
            commandName();
        }
        int brace = src.indexOf('{', pos);
        if (brace < 0) {
            pos = src.length();
            return;
        }
        pos = brace + 1;
        rawGroup();
    }

    private String verb() {
        if (pos >= src.length()) {
            return "";
        }
        char delimiter = src.charAt(pos++);
        int lineEnd = src.indexOf('\n', pos);
        int end = src.indexOf(delimiter, pos);
        if (end < 0 || lineEnd >= 0 && end > lineEnd) {
            return "";
        }
        String text = src.substring(pos, end);
        pos = end + 1;
        return code(text);
    }

    private static String link(String url, String text) {
        String target = url.strip();
        boolean web = target.matches("(?i)https?://[^\\s()<>]+");
        if (!web) {
            return text != null ? text : escapeText(target);
        }
        return "[" + (text != null && !text.isBlank() ? text.strip() : escapeText(target)) + "](" + target + ")";
    }

    private String image(String file, String caption) {
        String url = null;
        if (!file.isEmpty() && file.length() < 256) {
            url = images.apply(file);
            if (url == null && !IMAGE_EXTENSION.matcher(file).matches()) {
                // LaTeX finds a picture without its extension
                for (String extension : IMPLIED_IMAGE_EXTENSIONS) {
                    url = images.apply(file + extension);
                    if (url != null) {
                        break;
                    }
                }
            }
        }
        StringBuilder out = new StringBuilder("\n\n");
        if (url != null && fits(caption.length())) {
            add(
                    out,
                    "![" + caption.replace('\n', ' ').replaceAll("[\\[\\]]", "").strip() + "](" + url + ")\n\n");
        }
        if (!caption.isBlank()) {
            out.append('*').append(caption.strip()).append("*\n\n");
        }
        return out.length() == 2 ? "" : out.toString();
    }

    // ------------------------------------------------------------------ environments

    private String environment(String name) {
        if (name.equals("document")) {
            return "";
        }
        if (MATH_ENVIRONMENTS.contains(name)) {
            String math = mathUntil("\\end{" + name + "}");
            boolean aligned = name.startsWith("align") || name.startsWith("eqnarray") || name.startsWith("flalign");
            if (name.equals("math")) {
                return inlineMath(math);
            }
            return displayMath(
                    aligned
                            ? "\\begin{aligned}" + math.replace("&=&", "&=") + "\\end{aligned}"
                            : name.startsWith("gather") ? "\\begin{gathered}" + math + "\\end{gathered}" : math);
        }
        if (VERBATIM_ENVIRONMENTS.contains(name)) {
            String end = "\\end{" + name + "}";
            int close = src.indexOf(end, pos);
            String text = src.substring(pos, close < 0 ? src.length() : close);
            pos = close < 0 ? src.length() : close + end.length();
            if (name.equals("comment")) {
                return "";
            }
            if (name.equals("lstlisting") || name.equals("minted") || name.equals("Verbatim")) {
                text = text.replaceFirst("^\\s*\\[[^\\]\\n]*]", ""); // options
                if (name.equals("minted")) {
                    text = text.replaceFirst("^\\s*\\{[^}\\n]*}", ""); // language
                }
            }
            text = text.replaceFirst("^[ \\t]*\\n", "").stripTrailing();
            String fence = text.contains("```") ? "~~~~" : "```";
            return "\n\n" + fence + "\n" + text + "\n" + fence + "\n\n";
        }
        switch (name) {
            case "itemize", "enumerate", "description" -> {
                optional();
                return list(name, nested(name));
            }
            case "tabular", "tabular*", "tabularx", "array" -> {
                if (name.equals("tabular*") || name.equals("tabularx")) {
                    argument(); // the width
                }
                optional();
                argument(); // the column spec
                return table(nested(name));
            }
            case "quote", "quotation" -> {
                StringBuilder out = new StringBuilder("\n\n");
                for (String line : tidy(nested(name)).split("\n", -1)) {
                    if (!add(out, "> " + line + "\n")) {
                        break;
                    }
                }
                return out.append('\n').toString();
            }
            case "figure", "figure*", "table", "table*", "wrapfigure" -> {
                optional();
                if (name.equals("wrapfigure")) {
                    argument();
                    argument();
                }
                return "\n\n" + nested(name) + "\n\n";
            }
            case "minipage" -> {
                optional();
                argument();
                return nested(name);
            }
            default -> {
                if (HEADING_ENVIRONMENTS.contains(name)) {
                    return "\n\n## " + name + "\n\n" + nested(name) + "\n\n";
                }
                return nested(name); // center, flushleft and unknown ones: their contents
            }
        }
    }

    private String nested(String name) {
        if (depth >= MAX_DEPTH) {
            int close = src.indexOf("\\end{" + name + "}", pos);
            String text = src.substring(pos, close < 0 ? src.length() : close);
            pos = close < 0 ? src.length() : close + ("\\end{" + name + "}").length();
            return escapeText(text);
        }
        depth++;
        try {
            return until(name);
        } finally {
            depth--;
        }
    }

    private String list(String kind, String body) {
        List<String> items = new ArrayList<>();
        for (String part : body.split(String.valueOf(ITEM), -1)) {
            items.add(part.replace(String.valueOf(ITEM_END), ""));
        }
        StringBuilder out = new StringBuilder("\n\n");
        int number = 0;
        for (int i = 1; i < items.size() && !cut; i++) { // what comes before the first \item is no item
            String text = tidy(items.get(i).replace(ROW, ' '));
            String marker = kind.equals("enumerate") ? ++number + ". " : "- ";
            String indent = String.valueOf(INDENT).repeat(marker.length());
            List<String> lines = text.lines().toList();
            add(out, marker + (lines.isEmpty() ? "" : lines.getFirst()) + "\n");
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                if (!add(out, line.isBlank() ? "\n" : indent + line + "\n")) {
                    break;
                }
            }
        }
        return out.append('\n').toString();
    }

    private String table(String body) {
        List<List<String>> rows = new ArrayList<>();
        for (String row : body.replace(String.valueOf(ITEM_END), "").split(String.valueOf(ROW), -1)) {
            List<String> cells = new ArrayList<>();
            for (String cell : row.split(String.valueOf(CELL), -1)) {
                cells.add(cell.replaceAll("\\s+", " ")
                        .replace("|", "\\|")
                        .replace("\\\\|", "\\|")
                        .strip());
            }
            if (cells.stream().anyMatch(cell -> !cell.isEmpty())) {
                rows.add(cells);
            }
        }
        if (rows.isEmpty()) {
            return "";
        }
        // Every row is padded to the widest: one row of n cells and n rows of one make n × n.
        int columns = rows.stream().mapToInt(List::size).max().orElse(1);
        StringBuilder out = new StringBuilder("\n\n");
        for (int r = 0; r < rows.size() && !cut; r++) {
            List<String> cells = rows.get(r);
            add(out, "|");
            for (int c = 0; c < columns && !cut; c++) {
                add(out, " " + (c < cells.size() ? cells.get(c) : "") + " |");
            }
            add(out, "\n");
            if (r == 0) {
                add(out, "|");
                for (int c = 0; c < columns && !cut; c++) {
                    add(out, " --- |");
                }
                add(out, "\n");
            }
        }
        return out.append('\n').toString();
    }

    // ------------------------------------------------------------------ math

    private String dollarMath() {
        if (src.startsWith("$$", pos)) {
            pos += 2;
            return displayMath(mathUntil("$$"));
        }
        pos++;
        return inlineMath(mathUntil("$"));
    }

    /** The math up to {@code end} (read past it), comments dropped, as written otherwise. */
    private String mathUntil(String end) {
        StringBuilder math = new StringBuilder();
        while (pos < src.length()) {
            if (src.startsWith(end, pos)) {
                pos += end.length();
                return math.toString();
            }
            char c = src.charAt(pos);
            if (c == '\\' && pos + 1 < src.length()) {
                math.append(c).append(src.charAt(pos + 1));
                pos += 2;
            } else if (c == '%') {
                skipComment();
                math.append(' ');
            } else {
                math.append(c);
                pos++;
            }
            if (math.length() > MAX_OUTPUT) {
                break;
            }
        }
        return math.toString();
    }

    private static String clip(String text) {
        return text.length() > MAX_OUTPUT ? text.substring(0, MAX_OUTPUT) : text;
    }

    /** For messages: the lower-case extension of a file name. */
    static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
