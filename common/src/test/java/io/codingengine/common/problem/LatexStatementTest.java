package io.codingengine.common.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Tag("fast")
class LatexStatementTest {

    private static final Map<String, String> PICTURES =
            Map.of("cave.jpg", "statement/cave.jpg", "img/plot.png", "statement/img_plot.png");

    private static LatexStatement.Converted convert(String tex) {
        return LatexStatement.convert(tex, PICTURES::get);
    }

    @Test
    void sectionsParagraphsAndTheName() {
        var converted = convert("""
                \\problemname{A Different Problem}

                Write a program that computes the difference
                between non-negative integers.  % a comment

                \\section*{Input}
                The input consists of multiple test cases (at least $1$ and at most
                $40$), one per line.
                \\subsection{Details}
                Each is ``quoted'' --- and \\emph{emphasised}.
                """);
        assertEquals("A Different Problem", converted.problemName());
        assertEquals("""
                Write a program that computes the difference between non-negative integers.

                ## Input

                The input consists of multiple test cases (at least $1$ and at most $40$), one per line.

                ### Details

                Each is “quoted” — and *emphasised*.
                """, converted.markdown());
    }

    @Test
    void mathInEveryNotationBecomesDollars() {
        String md = convert("Let \\(1 \\le N \\le 10\\) and $x_i$.\n\\[ \\sum_{i=1}^{N} x_i \\]\n"
                        + "$$a^2\n+ b^2$$\n\\begin{align*} a &= b \\\\ c &= d \\end{align*}\nCost \\$5.")
                .markdown();
        assertTrue(md.contains("Let $1 \\le N \\le 10$ and $x_i$."), md);
        assertTrue(md.contains("$$\\sum_{i=1}^{N} x_i$$"), md);
        assertTrue(md.contains("$$a^2 + b^2$$"), md);
        assertTrue(md.contains("$$\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}$$"), md);
        assertTrue(md.contains("Cost &#36;5."), md);
    }

    @Test
    void emphasisBoldCodeAndTheirSwitches() {
        String md = convert("\\textbf{bold} \\textit{it} \\texttt{a_b} {\\bf b2} {\\em e2} \\verb|x*y| {\\tt t}")
                .markdown();
        assertEquals("**bold** *it* `a_b` **b2** *e2* `x*y` `t`", md.strip());
    }

    @Test
    void listsNestAndNumber() {
        String md = convert("""
                \\begin{itemize}
                  \\item one
                  \\item two
                  \\begin{enumerate}
                    \\item inner a
                    \\item inner b
                  \\end{enumerate}
                  \\item[x] labelled
                \\end{itemize}
                """).markdown();
        assertEquals("""
                - one
                - two

                  1. inner a
                  2. inner b
                - **x** labelled
                """, md);
    }

    @Test
    void tabularBecomesAMarkdownTable() {
        String md = convert("""
                \\noindent
                \\begin{tabular}{| l | l | l |}
                  \\hline
                  Group & Points & Constraints \\\\ \\hline
                  $1$    & $1$         &  $N$ is always $5$ \\\\ \\hline
                  \\multicolumn{2}{|c|}{both} & a|b \\\\ \\hline
                \\end{tabular}
                """).markdown();
        assertEquals("""
                | Group | Points | Constraints |
                | --- | --- | --- |
                | $1$ | $1$ | $N$ is always $5$ |
                | both | | a\\|b |
                """, md);
    }

    @Test
    void picturesOfThePackageAndTheirCaptions() {
        String md = convert("\\illustration{0.3}{cave.jpg}{CC-BY-SA By W. Craig}\n"
                        + "\\begin{figure}\\centering\\includegraphics[width=5cm]{img/plot}\\caption{A plot}\\end{figure}\n"
                        + "\\includegraphics{../../etc/passwd} \\includegraphics{missing.png}")
                .markdown();
        assertTrue(md.contains("![CC-BY-SA By W. Craig](statement/cave.jpg)"), md);
        assertTrue(md.contains("*CC-BY-SA By W. Craig*"), md);
        assertTrue(md.contains("![](statement/img_plot.png)"), md);
        assertTrue(md.contains("*A plot*"), md);
        assertFalse(md.contains("passwd"), md);
        assertFalse(md.contains("missing"), md);
    }

    @Test
    void unknownCommandsDegradeToTheirTextAndDefinitionsAreDropped() {
        String md = convert("\\documentclass{article}\\usepackage{amsmath}\n\\newcommand{\\foo}[1]{FOO #1}"
                        + "\\begin{document}\\mystery{kept text} \\foo{x} \\input{/etc/passwd} "
                        + "\\begin{weird}inside\\end{weird} \\sampletable{Sample Input}{1.in}{Sample Output}{1.ans}"
                        + "\\end{document}")
                .markdown();
        assertEquals("kept text x inside", md.strip());
    }

    @Test
    void markdownInTheTextIsEscapedAndHtmlIsNotPassedOn() {
        String md = convert("a*b*c _d_ [e](f) <script>alert(1)</script> \\& \\% \\_ \\#")
                .markdown();
        assertEquals("a\\*b\\*c \\_d\\_ \\[e\\](f) &lt;script&gt;alert(1)&lt;/script&gt; &amp; % \\_ \\#", md.strip());
    }

    @Test
    void verbatimIsACodeBlockAndAccentsCompose() {
        String md = convert("\\\"{o}\\'e\n\\begin{verbatim}\n  x = 1 % not a comment\n\\end{verbatim}\n")
                .markdown();
        assertEquals("öé\n\n```\n  x = 1 % not a comment\n```\n", md);
    }

    /**
     * Inputs of a few hundred KB whose Markdown, as written, grows far past any heap: each is cut
     * at the limits, ends with the note that says so, and the conversion allocates a bounded
     * amount on the way (it counts every piece before appending it, not after).
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void amplifyingInputsAreCutBeforeTheyAreBuilt() {
        Map<String, String> inputs = Map.of(
                // one row of 100 000 cells and 100 000 rows of one: 10^10 cells once padded
                "table",
                        "\\begin{tabular}{c}\n" + "&".repeat(100_000) + "x\\\\\n" + "x\\\\".repeat(100_000)
                                + "\n\\end{tabular}\n",
                // a caption shown twice (alt text and caption) inside a caption, 40 deep: 2^40 copies
                "captions", "\\illustration{1}{cave.jpg}{".repeat(40) + "x" + "}".repeat(40),
                // lists in lists, 60 deep: each level indents all 100 000 lines of the innermost
                "lists",
                        "\\begin{itemize}\\item ".repeat(60) + "\\item x".repeat(100_000) + "\\end{itemize}".repeat(60),
                // quotes in quotes, 60 deep, the same
                "quotes", "\\begin{quote}".repeat(60) + "x\\\\".repeat(200_000) + "\\end{quote}".repeat(60));
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (var input : inputs.entrySet()) {
            long before = threads.getCurrentThreadAllocatedBytes();
            String md = convert(input.getValue()).markdown();
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(md.length() <= LatexStatement.MAX_OUTPUT, input.getKey() + ": " + md.length());
            assertTrue(
                    md.endsWith(LatexStatement.CUT_NOTE), input.getKey() + " ends: " + md.substring(md.length() - 80));
            assertTrue(allocated < 1L << 30, input.getKey() + " allocated " + (allocated >> 20) + " MiB");
        }
        String fits = "\\begin{tabular}{cc}a & b\\\\ c & d\\end{tabular}";
        assertFalse(
                convert(fits).markdown().contains(LatexStatement.CUT_NOTE.strip()), "a statement that fits is whole");
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void hostileInputIsBoundedAndNeverThrows() {
        String deep = "{".repeat(200_000) + "x" + "}".repeat(10);
        assertTrue(convert(deep).markdown().contains("x"));
        String envs = "\\begin{itemize}\\item ".repeat(50_000);
        assertNotNull(convert(envs).markdown());
        String brackets = "\\item[".repeat(100_000);
        assertNotNull(convert(brackets).markdown());
        String dollars = "$".repeat(300_001) + "\\verb" + "\\(".repeat(10_000);
        assertNotNull(convert(dollars).markdown());
        String big = "\\textbf{" + "word ".repeat(400_000) + "}";
        assertTrue(convert(big).markdown().length() <= LatexStatement.MAX_OUTPUT + 1);
        for (String broken : new String[] {
            "\\",
            "\\begin",
            "\\end{itemize}}}",
            "\\begin{tabular}",
            "$$",
            "\\verb",
            "\\multicolumn{99999999999}{c}{x}",
            "\\'",
            "\\illustration",
            "\\href{javascript:alert(1)}{click}"
        }) {
            assertFalse(convert(broken).markdown().contains("javascript"));
        }
    }
}
