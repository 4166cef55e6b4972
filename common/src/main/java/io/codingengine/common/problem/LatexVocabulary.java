package io.codingengine.common.problem;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The LaTeX that {@link LatexStatement} knows by name, and what each becomes: the commands and
 * environments Kattis statements use (LaTeX2e's own, those of the packages problemtools'
 * {@code problemset} class loads, and that class's), as immutable tables. The converter reads them
 * in a fixed order ({@link #SYMBOLS}, {@link #ACCENTS}, {@link #DROPPED}, {@link #STYLES},
 * {@link #HEADINGS}, then the commands it handles itself) and no name is in two of them
 * ({@code LatexVocabularyTest}), so the order decides nothing. A command in none of them is read as
 * its arguments' text.
 */
final class LatexVocabulary {

    private LatexVocabulary() {}

    /**
     * Commands that stand for a character, and the Markdown that shows it: LaTeX2e's text symbols
     * ({@code \ldots}, {@code \textbackslash}, {@code \S}, the dashes and quotes), its escapes of
     * special characters ({@code \% \& \# \_ \{ \} \$}: {@code &}, {@code #}, {@code _} and
     * {@code $} as Markdown that is neither markup nor math), its letters of other languages
     * ({@code \ss}, {@code \ae}, {@code \o}, {@code \aa}, {@code \l}, dotless {@code \i}),
     * {@code textcomp}'s {@code \textdegree}, {@code gensymb}'s {@code \degree}, {@code eurosym}'s
     * {@code \euro}, the spaces ({@code \ }, {@code \,}, {@code \;}, {@code \quad}) and the commands
     * that only guide TeX's hyphenation and spacing ({@code \-}, {@code \/}, {@code \@}): nothing.
     */
    static final Map<String, String> SYMBOLS = Map.ofEntries(
            Map.entry("ldots", "…"),
            Map.entry("dots", "…"),
            Map.entry("textellipsis", "…"),
            Map.entry("%", "%"),
            Map.entry("&", "&amp;"),
            Map.entry("#", "\\#"),
            Map.entry("_", "\\_"),
            Map.entry("{", "{"),
            Map.entry("}", "}"),
            Map.entry("$", "&#36;"),
            Map.entry(" ", " "),
            Map.entry(",", " "),
            Map.entry(";", " "),
            Map.entry("quad", " "),
            Map.entry("qquad", " "),
            Map.entry("textbackslash", "\\\\"),
            Map.entry("LaTeX", "LaTeX"),
            Map.entry("TeX", "TeX"),
            Map.entry("textasciitilde", "~"),
            Map.entry("textasciicircum", "^"),
            Map.entry("textbar", "\\|"),
            Map.entry("textless", "&lt;"),
            Map.entry("textgreater", "&gt;"),
            Map.entry("S", "§"),
            Map.entry("P", "¶"),
            Map.entry("copyright", "©"),
            Map.entry("ss", "ß"),
            Map.entry("ae", "æ"),
            Map.entry("AE", "Æ"),
            Map.entry("oe", "œ"),
            Map.entry("OE", "Œ"),
            Map.entry("o", "ø"),
            Map.entry("O", "Ø"),
            Map.entry("aa", "å"),
            Map.entry("AA", "Å"),
            Map.entry("l", "ł"),
            Map.entry("L", "Ł"),
            Map.entry("i", "ı"),
            Map.entry("textendash", "–"),
            Map.entry("textemdash", "—"),
            Map.entry("textquoteleft", "‘"),
            Map.entry("textquoteright", "’"),
            Map.entry("degree", "°"),
            Map.entry("textdegree", "°"),
            Map.entry("euro", "€"),
            Map.entry("pounds", "£"),
            Map.entry("-", ""),
            Map.entry("/", ""),
            Map.entry("@", ""));

    /**
     * LaTeX2e's text accent commands ({@code \'e}, {@code \"{o}}, {@code \c{c}}, {@code \v{s}}...),
     * each the Unicode combining mark it puts on its argument's first letter; the converter
     * composes the two (NFC) where Unicode has the accented letter.
     */
    static final Map<Character, Character> ACCENTS = Map.ofEntries(
            Map.entry('\'', '\u0301'),
            Map.entry('`', '\u0300'),
            Map.entry('^', '\u0302'),
            Map.entry('"', '\u0308'),
            Map.entry('~', '\u0303'),
            Map.entry('=', '\u0304'),
            Map.entry('.', '\u0307'),
            Map.entry('u', '\u0306'),
            Map.entry('v', '\u030C'),
            Map.entry('H', '\u030B'),
            Map.entry('c', '\u0327'),
            Map.entry('k', '\u0328'),
            Map.entry('r', '\u030A'));

    /**
     * Commands dropped with their arguments, and how many mandatory ones each takes (its optional
     * ones go too): what only a TeX engine uses. The preamble and definitions
     * ({@code \documentclass}, {@code usepackage}, {@code \newcommand}: a statement's own
     * commands are read as their arguments' text), files ({@code \input}, {@code \include}: a
     * package's other files are not read), cross-references and citations, spacing, page layout,
     * font sizes and families that Markdown has no words for, table rules, and problemtools'
     * sample commands ({@code \sampletable}, {@code \exmp}, {@code \exmpfile}, {@code \nextsample},
     * {@code \remainingsamples}...): the UI shows the samples from the test data, where
     * problemtools appends them.
     */
    static final Map<String, Integer> DROPPED = Map.ofEntries(
            Map.entry("documentclass", 1),
            Map.entry("usepackage", 1),
            Map.entry("RequirePackage", 1),
            Map.entry("input", 1),
            Map.entry("include", 1),
            Map.entry("includeonly", 1),
            Map.entry("label", 1),
            Map.entry("vspace", 1),
            Map.entry("hspace", 1),
            Map.entry("vspace*", 1),
            Map.entry("hspace*", 1),
            Map.entry("setlength", 2),
            Map.entry("addtolength", 2),
            Map.entry("setcounter", 2),
            Map.entry("addtocounter", 2),
            Map.entry("pagestyle", 1),
            Map.entry("thispagestyle", 1),
            Map.entry("newcommand", 2),
            Map.entry("renewcommand", 2),
            Map.entry("providecommand", 2),
            Map.entry("newcommand*", 2),
            Map.entry("renewcommand*", 2),
            Map.entry("providecommand*", 2),
            Map.entry("newenvironment", 3),
            Map.entry("renewenvironment", 3),
            Map.entry("DeclareMathOperator", 2),
            Map.entry("newtheorem", 2),
            Map.entry("graphicspath", 1),
            Map.entry("color", 1),
            Map.entry("sampletable", 4),
            Map.entry("exmp", 2),
            Map.entry("exmpfile", 2),
            Map.entry("sampleinput", 1),
            Map.entry("sampleoutput", 1),
            Map.entry("fontsize", 2),
            Map.entry("newlength", 1),
            Map.entry("hypersetup", 1),
            Map.entry("lstset", 1),
            Map.entry("cite", 1),
            Map.entry("nocite", 1),
            Map.entry("index", 1),
            Map.entry("bibliographystyle", 1),
            Map.entry("bibliography", 1),
            Map.entry("pagenumbering", 1),
            Map.entry("newpage", 0),
            Map.entry("clearpage", 0),
            Map.entry("cleardoublepage", 0),
            Map.entry("pagebreak", 0),
            Map.entry("linebreak", 0),
            Map.entry("nolinebreak", 0),
            Map.entry("nopagebreak", 0),
            Map.entry("noindent", 0),
            Map.entry("indent", 0),
            Map.entry("centering", 0),
            Map.entry("raggedright", 0),
            Map.entry("raggedleft", 0),
            Map.entry("smallskip", 0),
            Map.entry("medskip", 0),
            Map.entry("bigskip", 0),
            Map.entry("hfill", 0),
            Map.entry("vfill", 0),
            Map.entry("hline", 0),
            Map.entry("toprule", 0),
            Map.entry("midrule", 0),
            Map.entry("bottomrule", 0),
            Map.entry("cline", 1),
            Map.entry("maketitle", 0),
            Map.entry("nextsample", 0),
            Map.entry("remainingsamples", 0),
            Map.entry("relax", 0),
            Map.entry("protect", 0),
            Map.entry("normalsize", 0),
            Map.entry("small", 0),
            Map.entry("footnotesize", 0),
            Map.entry("scriptsize", 0),
            Map.entry("tiny", 0),
            Map.entry("large", 0),
            Map.entry("Large", 0),
            Map.entry("LARGE", 0),
            Map.entry("huge", 0),
            Map.entry("Huge", 0),
            Map.entry("rm", 0),
            Map.entry("sf", 0),
            Map.entry("sc", 0),
            Map.entry("normalfont", 0),
            Map.entry("selectlanguage", 1),
            Map.entry("let", 0),
            Map.entry("makeatletter", 0),
            Map.entry("makeatother", 0),
            Map.entry("ref", 1),
            Map.entry("pageref", 1),
            Map.entry("eqref", 1),
            Map.entry("begingroup", 0),
            Map.entry("endgroup", 0));

    /**
     * The font commands that style their argument ({@code \emph{x}}, {@code \textbf{x}}...), and
     * the Markdown marker that does it: emphasis ({@code *}) for italic and slanted, bold
     * ({@code **}), code ({@code `}) for typewriter. Without a braced argument they are read as
     * unknown commands.
     */
    static final Map<String, String> STYLES = Map.of(
            "emph", "*",
            "textit", "*",
            "textsl", "*",
            "textbf", "**",
            "texttt", "`");

    /**
     * The font switches ({@code {\bf x}}, {@code {\em x}}, {@code \ttfamily}...), in force to the end
     * of their group or environment, and the Markdown marker that styles what they cover, as
     * {@link #STYLES}.
     */
    static final Map<String, String> SWITCHES = Map.of(
            "em", "*",
            "it", "*",
            "sl", "*",
            "itshape", "*",
            "slshape", "*",
            "bf", "**",
            "bfseries", "**",
            "tt", "`",
            "ttfamily", "`");

    /**
     * LaTeX's sectioning commands, starred (unnumbered) or not, and the Markdown heading each
     * becomes: {@code \section} the UI's second level, as the problem's name above the statement
     * is its first.
     */
    static final Map<String, String> HEADINGS = Map.of(
            "section", "## ",
            "section*", "## ",
            "subsection", "### ",
            "subsection*", "### ",
            "subsubsection", "#### ",
            "subsubsection*", "#### ");

    /**
     * The display math environments of LaTeX2e and {@code amsmath}, starred or not (and
     * {@code math}, inline): their text goes to KaTeX as written, the aligned ones inside
     * {@code aligned}, {@code gather} inside {@code gathered}, as KaTeX has no such top-level
     * environments.
     */
    static final Set<String> MATH_ENVIRONMENTS = Set.of(
            "equation",
            "equation*",
            "displaymath",
            "math",
            "align",
            "align*",
            "alignat",
            "alignat*",
            "gather",
            "gather*",
            "multline",
            "multline*",
            "eqnarray",
            "eqnarray*",
            "flalign",
            "flalign*");

    /**
     * Environments whose text is not LaTeX and is shown as written, in a code block: LaTeX2e's
     * {@code verbatim}, {@code listings}' {@code lstlisting}, {@code minted}, {@code fancyvrb}'s
     * {@code Verbatim}; and {@code comment} (the package of that name), whose text is dropped.
     */
    static final Set<String> VERBATIM_ENVIRONMENTS =
            Set.of("verbatim", "verbatim*", "lstlisting", "minted", "Verbatim", "comment");

    /**
     * The environments of problemtools' {@code problemset} class that head a part of the statement
     * ({@code \begin{Input}}...): a {@code ##} heading of the environment's name.
     */
    static final Set<String> HEADING_ENVIRONMENTS =
            Set.of("Input", "Output", "Interaction", "Scoring", "Explanation", "Notes");

    /** The picture files a browser shows, by their extension: only these become images. */
    static final Pattern IMAGE_EXTENSION = Pattern.compile("(?i).*\\.(png|jpe?g|gif|svg|webp)");

    /**
     * The extensions tried, in order, for a picture named without one, as {@code graphicx} finds
     * {@code \includegraphics{plot}}.
     */
    static final List<String> IMPLIED_IMAGE_EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".gif", ".svg");
}
