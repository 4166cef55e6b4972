package io.codingengine.common.problem;

import static io.codingengine.common.problem.Packages.hello;
import static io.codingengine.common.problem.Packages.with;
import static io.codingengine.common.problem.Packages.zip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A statement is at most {@link Problem#MAX_STATEMENT_CHARS} characters however the package
 * makes it: Markdown as written, constants substituted, LaTeX converted. Real zips of a few
 * hundred bytes that would otherwise make tens of megabytes, or exhaust the heap.
 */
class StatementBoundsTest {

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void constantsCannotMakeAnyTextLongerThanAStatementMayBe() throws IOException {
        // a 200 KB constant used 20 000 times (4 GB), and 20 KB 2000 times (40 MB: every contest page)
        for (int[] sizes : new int[][] {{200_000, 20_000}, {20_000, 2000}}) {
            var files = v2023(sizes[0], "statement/problem.en.md", "{{c}}".repeat(sizes[1]));
            InvalidPackageException e = assertThrows(
                    InvalidPackageException.class,
                    () -> KattisPackage.read(zip(tmp, "c" + sizes[0] + ".zip", "", files)));
            assertEquals(
                    "with its constants substituted, statement/problem.en.md would be longer than 1048576"
                            + " characters",
                    e.getMessage());
        }
        // the same in a LaTeX statement and in test_group.yaml, whose result is never shown
        var latex = v2023(20_000, "statement/problem.en.tex", "\\section{A}{{c}}".repeat(2000));
        assertTrue(assertThrows(InvalidPackageException.class, () -> KattisPackage.read(zip(tmp, "tex.zip", "", latex)))
                .getMessage()
                .startsWith("with its constants substituted, statement/problem.en.tex"));
        var yaml = with(
                v2023(20_000, "statement/problem.en.md", "x"), "data/secret/test_group.yaml", "# {{c}}\n".repeat(2000));
        assertTrue(assertThrows(InvalidPackageException.class, () -> KattisPackage.read(zip(tmp, "yaml.zip", "", yaml)))
                .getMessage()
                .startsWith("with its constants substituted, data/secret/test_group.yaml"));

        var fits = v2023(1000, "statement/problem.en.md", "{{c}}".repeat(1000));
        assertEquals(
                1_000_000,
                KattisPackage.read(zip(tmp, "fits.zip", "", fits)).statement().length());
    }

    @Test
    void aMarkdownStatementLongerThanAStatementMayBeIsRefused() throws IOException {
        int max = Problem.MAX_STATEMENT_CHARS;
        var exactly = with(hello(), "problem_statement/problem.en.md", "x".repeat(max));
        assertEquals(
                max,
                KattisPackage.read(zip(tmp, "max.zip", "", exactly)).statement().length());

        var longer = with(hello(), "problem_statement/problem.en.md", "x".repeat(max + 1));
        assertEquals(
                "the statement problem_statement/problem.en.md is 1048577 characters of Markdown; a statement"
                        + " may be at most 1048576",
                assertThrows(InvalidPackageException.class, () -> KattisPackage.read(zip(tmp, "long.zip", "", longer)))
                        .getMessage());
        // pictures' URLs are longer than their names: what counts is the statement as it is kept
        var pictures = with(hello(), "problem_statement/problem.en.md", "![](a.png)".repeat(max / 10));
        Path dir = Packages.directory(tmp, "pictures", pictures);
        java.nio.file.Files.write(dir.resolve("problem_statement/a.png"), StatementPicturesTest.PNG);
        assertTrue(assertThrows(InvalidPackageException.class, () -> KattisPackage.read(dir))
                .getMessage()
                .startsWith("the statement problem_statement/problem.en.md is 2097140 characters"));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aLatexStatementIsCutWithANoteNotRefused() throws IOException {
        // the attack review's 1 KB zip: one tabular row of 100 000 cells, 100 000 rows
        String tex = "\\begin{tabular}{c}\n" + "&".repeat(100_000) + "x\\\\\n" + "x\\\\".repeat(100_000)
                + "\n\\end{tabular}\n";
        var files =
                with(with(hello(), "problem_statement/problem.en.md", null), "problem_statement/problem.en.tex", tex);
        String statement = KattisPackage.read(zip(tmp, "table.zip", "", files)).statement();
        assertTrue(statement.length() <= Problem.MAX_STATEMENT_CHARS, "length " + statement.length());
        assertTrue(
                statement.startsWith("| | |") && statement.endsWith(LatexStatement.CUT_NOTE),
                statement.substring(0, 40));
    }

    private static Map<String, String> v2023(int constantLength, String statementPath, String statement) {
        var files = new java.util.LinkedHashMap<>(hello());
        files.keySet().removeIf(path -> path.startsWith("problem_statement/"));
        files.put(
                "problem.yaml",
                "problem_format_version: 2023-07\nname: Constants\nlimits:\n  time_limit: 1\n" + "constants:\n  c: "
                        + "x".repeat(constantLength) + "\n");
        files.put(statementPath, statement);
        return files;
    }
}
