package io.codingengine.common.problem;

import static io.codingengine.common.problem.Packages.hello;
import static io.codingengine.common.problem.Packages.with;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What of a package's statement directory reaches participants: only files that really are in
 * it (links followed) and, for pictures, whose bytes are of the type their name says. Real zips,
 * links stored as {@code zip -y} stores them.
 */
class StatementPicturesTest {

    /** A 1×1 PNG, a GIF, the start of a JFIF JPEG and of a lossless WebP: real pictures' first bytes. */
    static final byte[] PNG = HexFormat.of()
            .parseHex("89504e470d0a1a0a0000000d49484452000000010000000108020000009077"
                    + "53de0000000c49444154789c63f8cfc0000003010100c9fe92ef0000000049454e44ae426082");

    static final byte[] GIF = HexFormat.of()
            .parseHex("47494638396101000100800000ffffff00000021f90401000000002c00000000" + "010001000002024401003b");
    static final byte[] JPEG = HexFormat.of().parseHex("ffd8ffe000104a46494600010100000100010000ffd9");
    static final byte[] WEBP =
            HexFormat.of().parseHex("524946461a000000574542505650384c0d0000002f0000001007101111888" + "8fe0700");

    @TempDir
    Path tmp;

    private int zips;

    @Test
    void aPictureLinkedToSecretDataRefusesThePackageInMarkdownAndInLatex() throws IOException {
        var markdown = with(hello(), "problem_statement/problem.en.md", "Figure: ![fig](fig.png)\n");
        InvalidPackageException e = assertThrows(
                InvalidPackageException.class,
                () -> read(zip(markdown).link("pkg/problem_statement/fig.png", "../data/secret/02.ans")));
        assertEquals(
                "statement picture problem_statement/fig.png is a link to data/secret/02.ans, outside the"
                        + " statement's directory problem_statement/: only files of that directory are shown to participants",
                e.getMessage());

        // LaTeX's converter never fails an import for what it cannot read, but a picture's refusal is not that
        var latex = with(
                with(hello(), "problem_statement/problem.en.md", null),
                "problem_statement/problem.en.tex",
                "\\problemname{Hello}\n\\includegraphics{fig}\n");
        e = assertThrows(
                InvalidPackageException.class,
                () -> read(zip(latex).link("pkg/problem_statement/fig.png", "../data/secret/02.ans")));
        assertTrue(
                e.getMessage()
                        .startsWith("statement picture problem_statement/fig.png is a link to data/secret/02.ans"),
                e.getMessage());

        // through a linked directory inside the statement's: where it leads counts, not its name
        e = assertThrows(
                InvalidPackageException.class,
                () -> read(zip(with(hello(), "problem_statement/problem.en.md", "![fig](img/1.png)"))
                        .link("pkg/problem_statement/img", "../data/secret")
                        .entry("pkg/data/secret/1.png", PNG, UnixZip.FILE, 3)));
        assertTrue(e.getMessage().contains("is a link to data/secret/1.png, outside"), e.getMessage());
    }

    @Test
    void theStatementItselfAndItsDirectoryMustBeTheStatementDirectorys() throws IOException {
        var noStatement = with(hello(), "problem_statement/problem.en.md", null);
        InvalidPackageException e = assertThrows(
                InvalidPackageException.class,
                () -> read(zip(noStatement).link("pkg/problem_statement/problem.en.md", "../data/secret/02.ans")));
        assertTrue(
                e.getMessage()
                        .startsWith("the statement problem_statement/problem.en.md is a link to"
                                + " data/secret/02.ans, outside the statement's directory"),
                e.getMessage());

        // a statement directory that is a link to data/: its links into data/secret/ would be "inside" it
        Map<String, String> files = new java.util.LinkedHashMap<>(hello());
        files.keySet().removeIf(path -> path.startsWith("problem_statement/"));
        files.put("data/problem.en.md", "![fig](fig.png)");
        e = assertThrows(
                InvalidPackageException.class,
                () -> read(zip(files).link("pkg/problem_statement", "data").link("pkg/data/fig.png", "secret/02.ans")));
        assertTrue(
                e.getMessage().startsWith("the statement's directory problem_statement/ is a link to data/"),
                e.getMessage());
    }

    @Test
    void linksThatStayInTheStatementDirectoryStillWork() throws IOException {
        // pictures linked within the directory, and a legacy problem_statement linked to 2023-07's statement/
        Map<String, String> files = new java.util.LinkedHashMap<>(hello());
        files.keySet().removeIf(path -> path.startsWith("problem_statement/"));
        files.put("statement/problem.en.md", "![a](a.png) ![b](shared/b.gif)");
        Problem problem = read(zip(files)
                .link("pkg/problem_statement", "statement")
                .entry("pkg/statement/img/a.png", PNG, UnixZip.FILE, 3)
                .link("pkg/statement/a.png", "img/a.png")
                .entry("pkg/statement/img/b.gif", GIF, UnixZip.FILE, 3)
                .link("pkg/statement/shared", "img"));
        assertEquals("![a](statement/a.png) ![b](statement/shared_b.gif)", problem.statement());
        assertEquals(
                List.of("a.png image/png", "shared_b.gif image/gif"),
                problem.statementFiles().stream()
                        .map(f -> f.name() + " " + f.contentType())
                        .toList());
        assertArrayEquals(PNG, problem.statementFiles().getFirst().data());
        // and links in the test data are followed as before
        Problem linkedTests =
                read(zip(hello()).link("pkg/data/secret/03.in", "02.in").link("pkg/data/secret/03.ans", "02.ans"));
        assertEquals(
                linkedTests.secretTests().get(0).input(),
                linkedTests.secretTests().get(1).input());
    }

    @Test
    void aPictureMustBeOfTheTypeItsNameSays() throws IOException {
        var statement = "![p](p.png) ![g](g.gif) ![j](j.jpeg) ![w](w.webp) ![s](s.svg)";
        UnixZip pictures = zip(with(hello(), "problem_statement/problem.en.md", statement))
                .entry("pkg/problem_statement/p.png", PNG, UnixZip.FILE, 3)
                .entry("pkg/problem_statement/g.gif", GIF, UnixZip.FILE, 3)
                .entry("pkg/problem_statement/j.jpeg", JPEG, UnixZip.FILE, 3)
                .entry("pkg/problem_statement/w.webp", WEBP, UnixZip.FILE, 3)
                .file(
                        "pkg/problem_statement/s.svg",
                        "\uFEFF<?xml version=\"1.0\"?>\n<!-- drawn by hand -->\n"
                                + "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x.dtd\">\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        assertEquals(
                List.of(
                        "p.png image/png",
                        "g.gif image/gif",
                        "j.jpeg image/jpeg",
                        "w.webp image/webp",
                        "s.svg image/svg+xml"),
                read(pictures).statementFiles().stream()
                        .map(f -> f.name() + " " + f.contentType())
                        .toList());

        Map<String, byte[]> impostors = Map.of(
                "fig.png",
                "SECRET-ANSWER\n".getBytes(StandardCharsets.UTF_8),
                "fig.jpg",
                PNG,
                "fig.gif",
                "GIF90a".getBytes(StandardCharsets.US_ASCII),
                "fig.webp",
                "RIFF\0\0\0\0WAVE".getBytes(StandardCharsets.US_ASCII),
                "fig.svg",
                "<html><script>alert(1)</script><svg/></html>".getBytes(StandardCharsets.UTF_8));
        for (var impostor : impostors.entrySet()) {
            String name = impostor.getKey();
            InvalidPackageException e = assertThrows(
                    InvalidPackageException.class,
                    () -> read(zip(with(hello(), "problem_statement/problem.en.md", "![x](" + name + ")"))
                            .entry("pkg/problem_statement/" + name, impostor.getValue(), UnixZip.FILE, 3)),
                    name);
            assertTrue(
                    e.getMessage().startsWith("statement picture problem_statement/" + name + " is not image/"),
                    e.getMessage());
        }
    }

    @Test
    void svgNeedsItsElementFirstWhateverComesBefore() {
        assertTrue(svg("<svg>"));
        assertTrue(svg("  \n<svg\tviewBox='0 0 1 1'/>"));
        assertTrue(svg("<?xml version='1.0' encoding='UTF-8'?><!-- a --><!-- b --><svg/>"));
        assertFalse(svg("<svgx/>"), "another element");
        assertFalse(svg("<!DOCTYPE svg [<!ENTITY a 'aaaa'>]><svg>&a;</svg>"), "entity definitions");
        assertFalse(svg("<!-- never closed <svg>"));
        assertFalse(svg("<?xml version='1.0'"));
        assertFalse(svg("<svg"), "nothing after the name");
        assertFalse(
                StatementFile.startsAs("image/svg+xml", new byte[] {'<', 's', 'v', 'g', ' ', (byte) 0xC3}),
                "not UTF-8");
        // one pass over hostile prologs: 200 000 comments, then no element
        assertFalse(svg("<!---->".repeat(200_000) + "<!DOCTYPE x>".repeat(200_000)));
    }

    private static boolean svg(String text) {
        return StatementFile.startsAs("image/svg+xml", text.getBytes(StandardCharsets.UTF_8));
    }

    private static UnixZip zip(Map<String, String> files) {
        return new UnixZip().files("pkg/", files);
    }

    private Problem read(UnixZip zip) throws IOException {
        return KattisPackage.read(zip.write(tmp.resolve("p" + zips++ + ".zip")));
    }
}
