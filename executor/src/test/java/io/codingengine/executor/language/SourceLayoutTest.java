package io.codingengine.executor.language;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.execution.SourceFile;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Where a Java submission's main class is found, on ordinary sources and on sources built to make
 * a backtracking search take hours. The search runs in the api's request thread and again in the
 * worker, outside any sandbox limit, so it must be linear in the source.
 */
@Tag("fast")
class SourceLayoutTest {

    private static final LanguageDefinition JAVA =
            Catalogue.detect().resolve("java", "*").definition();
    private static final String MAIN = "\npublic class Main { public static void main(String[] a) {} }\n";

    private static String mainClass(String source) {
        return SourceLayout.of(JAVA, List.of(SourceFile.utf8(null, source)), 64, 64L << 20)
                .mainClass();
    }

    @Test
    void theMainClassIsTheTypeAroundMain() {
        assertEquals("Main", mainClass(MAIN));
        assertEquals(
                "p.q.Solution",
                mainClass(
                        "package p.q;\n/* class Fake { void main( */\n"
                                + "final class Solution {\n  // class Other\n  public static void main(String[] a) { String s = \"/*\"; }\n}\n"));
        assertEquals(
                "Outer",
                mainClass(
                        "class Helper {}\n  public   static final class Outer {\n static void main(String[] a) {} }"));
    }

    @Test
    void theMainClassIsTheTypeAroundMainNotTheLastOneBeforeIt() {
        assertEquals(
                "Main",
                mainClass("class Main {\n  static class Reader { int[] a = {1, 2}; }\n  record P(int x) {}\n"
                        + "  enum E { A, B; }\n  public static void main(String[] a) {} }"));
        assertEquals(
                "Outer$Inner",
                mainClass(
                        "public class Outer {\n  static class Inner {\n    public static void main(String[] a) {}\n  }\n}"));
        assertEquals(
                "Main",
                mainClass("public class Main {\n  static String s = \"}\", t = \"\"\"\n  } class X {\n  \"\"\";\n"
                        + "  static char c = '}';\n  public static void main(String[] a) {} }"));
        // A compact source file: main is in no type, the helper class before it is not the program.
        assertEquals("Main", mainClass("class Helper {}\nvoid main() {}"));
    }

    private static SourceLayout layout(LanguageDefinition language, SourceFile... files) {
        return SourceLayout.of(language, List.of(files), 64, 64L << 20);
    }

    @Test
    void onlyTheMainFileIsRenamedAndOnlyJavaFilesAreCompiled() {
        SourceLayout notes = layout(
                JAVA,
                SourceFile.utf8("Main.java", MAIN),
                SourceFile.utf8("notes.txt", "notes"),
                SourceFile.utf8("input", "1 2"),
                SourceFile.utf8("util/Text.java", "package util; public class Text {}"));
        assertEquals(
                List.of("Main.java", "notes.txt", "input", "util/Text.java"),
                notes.files().stream().map(SourceLayout.PlacedFile::path).toList());
        assertEquals(List.of("Main.java", "util/Text.java"), notes.sources());
        for (String name : new String[] {"main.java", "solution.java", "Solution", "sub/x.txt", null}) {
            SourceLayout single = layout(JAVA, SourceFile.utf8(name, "/* public class Old {} */" + MAIN));
            String dir = name != null && name.startsWith("sub/") ? "sub/" : "";
            assertEquals(dir + "Main.java", single.main(), name);
            assertEquals(List.of(dir + "Main.java"), single.sources());
            assertEquals("Main", single.mainClass());
        }
        // Without a public type a .java name stays; another name becomes Main.java.
        assertEquals(
                "solution.java",
                layout(JAVA, SourceFile.utf8("solution.java", "class Sol { public static void main(String[] a) {} }"))
                        .main());
        assertEquals(
                "Main.java",
                layout(JAVA, SourceFile.utf8("solution", "class Sol { public static void main(String[] a) {} }"))
                        .main());
        assertEquals(
                "Sol",
                layout(JAVA, SourceFile.utf8("solution", "class Sol { public static void main(String[] a) {} }"))
                        .mainClass());

        LanguageDefinition python = Catalogue.detect().resolve("python", "*").definition();
        SourceLayout py = layout(
                python,
                SourceFile.utf8(null, "print(1)"),
                SourceFile.utf8("notes", "x"),
                SourceFile.utf8("lib.py", "y = 1"));
        assertEquals(
                List.of("file0.code.py", "notes", "lib.py"),
                py.files().stream().map(SourceLayout.PlacedFile::path).toList());
        assertEquals(List.of("file0.code.py", "lib.py"), py.sources());
    }

    private static String refusal(LanguageDefinition language, SourceFile... files) {
        return assertThrows(InvalidRequestException.class, () -> layout(language, files))
                .getMessage();
    }

    /**
     * Names the box could only refuse when writing them: a part longer than 255 bytes (counted in
     * UTF-8, and after the main file gets its extension), the compiler's output file.
     */
    @Test
    void namesTheBoxCannotWriteAreRefused() {
        LanguageDefinition c = Catalogue.detect().resolve("c", "*").definition();
        LanguageDefinition python = Catalogue.detect().resolve("python", "*").definition();
        assertEquals(
                "files[1].name has a part longer than 255 bytes in UTF-8",
                refusal(python, SourceFile.utf8("a.py", "print(1)"), SourceFile.utf8("d/" + "é".repeat(128), "y")));
        String longest = "m".repeat(254);
        assertEquals(
                "files[0].name " + longest + " (in the box: " + longest
                        + ".py) has a part longer than 255 bytes in UTF-8",
                refusal(python, SourceFile.utf8(longest, "print(1)")));
        assertEquals(
                "files[1].name a.out is where the compiler writes the program (a.out)",
                refusal(c, SourceFile.utf8("main.c", "int main(){}"), SourceFile.utf8("a.out", "x")));
        assertEquals(
                "files[1].name a.out/x is where the compiler writes the program (a.out)",
                refusal(c, SourceFile.utf8("main.c", "int main(){}"), SourceFile.utf8("a.out/x", "x")));
        // 255 bytes is a name; a class file is one too (javac reads it).
        layout(python, SourceFile.utf8("a.py", "print(1)"), SourceFile.utf8("é".repeat(127) + "x", "y"));
        layout(JAVA, SourceFile.utf8("A.java", MAIN), SourceFile.utf8("Helper.class", "x"));
    }

    @Test
    void aFileThatIsAlsoAnotherFilesDirectoryIsRefusedNamingBoth() {
        LanguageDefinition cpp = Catalogue.detect().resolve("c++", "*").definition();
        LanguageDefinition python = Catalogue.detect().resolve("python", "*").definition();
        String code = "int main() {}";
        assertEquals(
                "files[0].name main.cpp is a file, so it cannot also be a directory of files[1].name main.cpp/x",
                refusal(cpp, SourceFile.utf8("main.cpp", code), SourceFile.utf8("main.cpp/x", "y")));
        assertEquals(
                "files[1].name main.cpp is a file, so it cannot also be a directory of files[0].name main.cpp/x"
                        + " (in the box: main.cpp/x.cpp)",
                refusal(cpp, SourceFile.utf8("main.cpp/x", code), SourceFile.utf8("main.cpp", "y")));
        // Any level deep, and between files other than the main one.
        assertEquals(
                "files[2].name a/b is a file, so it cannot also be a directory of files[1].name a/b/c/d.h",
                refusal(
                        cpp,
                        SourceFile.utf8("main.cpp", code),
                        SourceFile.utf8("a/b/c/d.h", "y"),
                        SourceFile.utf8("a/b", "z")));
        // The paths in the box count: the main file gets its extension, a file without a name its own.
        assertEquals(
                "files[0].name main (in the box: main.py) is a file, so it cannot also be a directory of "
                        + "files[1].name main.py/x",
                refusal(python, SourceFile.utf8("main", "print(1)"), SourceFile.utf8("main.py/x", "y")));
        assertEquals(
                "files[1] (no name: file1.code) is a file, so it cannot also be a directory of "
                        + "files[2].name file1.code/x",
                refusal(
                        python,
                        SourceFile.utf8("main.py", "print(1)"),
                        SourceFile.utf8(null, "y"),
                        SourceFile.utf8("file1.code/x", "z")));
        // The same path twice names both files, and so does a Java main file renamed onto another.
        assertEquals(
                "files[0].name a.py and files[1].name a.py have the same path",
                refusal(python, SourceFile.utf8("a.py", "print(1)"), SourceFile.utf8("a.py", "y")));
        assertEquals(
                "files[0].name x.java (in the box: Main.java) and files[1].name Main.java have the same path",
                refusal(JAVA, SourceFile.utf8("x.java", MAIN), SourceFile.utf8("Main.java", "class Other {}")));
        // A directory written with a trailing slash is no file name at all.
        assertEquals(
                "files[1].name must not contain empty, '.' or '..' parts",
                refusal(cpp, SourceFile.utf8("main.cpp", code), SourceFile.utf8("main.cpp/", "y")));

        // Names that only share a beginning are no clash; nor is a renamed main file's old name.
        SourceLayout fine = layout(
                cpp,
                SourceFile.utf8("a", code),
                SourceFile.utf8("a/b", "x"),
                SourceFile.utf8("ab", "x"),
                SourceFile.utf8("a.cpp.h", "x"),
                SourceFile.utf8("lib/x.h", "x"),
                SourceFile.utf8("lib/y.h", "x"));
        assertEquals(
                List.of("a.cpp", "a/b", "ab", "a.cpp.h", "lib/x.h", "lib/y.h"),
                fine.files().stream().map(SourceLayout.PlacedFile::path).toList());
    }

    @Test
    void commentsAndLiteralsAreBlanked() {
        assertEquals(
                "a   b \"\" c ''  \n d",
                SourceLayout.blankCommentsAndLiterals("a /* x */ b \"/* not */\" c '\\'' // y\n d"));
        assertEquals("x  ", SourceLayout.blankCommentsAndLiterals("x /* never closed\n class Fake"));
        assertEquals(
                "s = \"\";\nclass T {}",
                SourceLayout.blankCommentsAndLiterals("s = \"\"\"\n  class F { \\\"\"\" \"\"\";\nclass T {}"));
        assertEquals("s = \"\"\nclass T", SourceLayout.blankCommentsAndLiterals("s = \"never closed\nclass T"));
    }

    @Test
    void sourcesBuiltToBacktrackAreSearchedInLinearTime() {
        // Each took minutes to hours with the former regular expressions (quadratic or worse);
        // linear, each is a few milliseconds. The bound only stops a regression from hanging the build.
        List<String> hostile = List.of(
                "/*a".repeat(300_000) + MAIN,
                "public\n".repeat(200_000) + MAIN,
                "\n".repeat(1_000_000) + "x" + MAIN,
                "public static ".repeat(100_000) + MAIN,
                "package a;\n".repeat(100_000) + " ".repeat(500_000) + MAIN,
                "void \n".repeat(200_000) + MAIN,
                "{".repeat(1_000_000) + MAIN,
                "class A {\n".repeat(200_000) + MAIN,
                "}\n".repeat(500_000) + MAIN,
                "\"\"\"\\".repeat(300_000) + MAIN,
                "'\\".repeat(500_000) + MAIN);
        for (String source : hostile) {
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> mainClass(source));
        }
    }
}
