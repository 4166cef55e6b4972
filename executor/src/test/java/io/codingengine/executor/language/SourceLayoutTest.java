package io.codingengine.executor.language;

import io.codingengine.common.execution.SourceFile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Where a Java submission's main class is found, on ordinary sources and on sources built to make
 * a backtracking search take hours. The search runs in the api's request thread and again in the
 * worker, outside any sandbox limit, so it must be linear in the source.
 */
class SourceLayoutTest {

    private static final LanguageDefinition JAVA = Catalogue.detect().resolve("java", "*").definition();
    private static final String MAIN = "\npublic class Main { public static void main(String[] a) {} }\n";

    private static String mainClass(String source) {
        return SourceLayout.of(JAVA, List.of(SourceFile.utf8(null, source)), 64, 64L << 20).mainClass();
    }

    @Test
    void theMainClassIsTheTypeAroundMain() {
        assertEquals("Main", mainClass(MAIN));
        assertEquals("p.q.Solution", mainClass("package p.q;\n/* class Fake { void main( */\n"
                + "final class Solution {\n  // class Other\n  public static void main(String[] a) { String s = \"/*\"; }\n}\n"));
        assertEquals("Outer", mainClass("class Helper {}\n  public   static final class Outer {\n static void main(String[] a) {} }"));
    }

    @Test
    void commentsAreBlankedButLiteralsKept() {
        assertEquals("a   b \"/* not */\" c '\\''  \n d", SourceLayout.stripComments("a /* x */ b \"/* not */\" c '\\'' // y\n d"));
        assertEquals("x  ", SourceLayout.stripComments("x /* never closed\n class Fake"));
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
                "void \n".repeat(200_000) + MAIN);
        for (String source : hostile) {
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> mainClass(source));
        }
    }
}
