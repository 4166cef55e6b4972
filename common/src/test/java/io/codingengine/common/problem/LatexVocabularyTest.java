package io.codingengine.common.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link LatexStatement} looks a command up in the vocabulary's tables one after another, and an
 * environment in its sets: a name in two of them would quietly lose the later one's meaning (a
 * symbol that is also dropped is never dropped). None is.
 */
@Tag("fast")
class LatexVocabularyTest {

    @Test
    void noCommandIsInTwoTables() {
        Set<String> accents = new TreeSet<>();
        LatexVocabulary.ACCENTS.keySet().forEach(mark -> accents.add(String.valueOf(mark)));
        assertEquals(
                Map.of(),
                claimedTwice(Map.of(
                        "SWITCHES", LatexVocabulary.SWITCHES.keySet(),
                        "SYMBOLS", LatexVocabulary.SYMBOLS.keySet(),
                        "ACCENTS", accents,
                        "DROPPED", LatexVocabulary.DROPPED.keySet(),
                        "STYLES", LatexVocabulary.STYLES.keySet(),
                        "HEADINGS", LatexVocabulary.HEADINGS.keySet())));
    }

    @Test
    void noEnvironmentIsInTwoSets() {
        assertEquals(
                Map.of(),
                claimedTwice(Map.of(
                        "MATH_ENVIRONMENTS", LatexVocabulary.MATH_ENVIRONMENTS,
                        "VERBATIM_ENVIRONMENTS", LatexVocabulary.VERBATIM_ENVIRONMENTS,
                        "HEADING_ENVIRONMENTS", LatexVocabulary.HEADING_ENVIRONMENTS)));
    }

    /** Each name that more than one of {@code tables} has, to the names of those tables. */
    private static Map<String, Set<String>> claimedTwice(Map<String, ? extends Collection<String>> tables) {
        Map<String, Set<String>> claims = new TreeMap<>();
        tables.forEach((table, names) -> names.forEach(
                name -> claims.computeIfAbsent(name, n -> new TreeSet<>()).add(table)));
        claims.values().removeIf(owners -> owners.size() < 2);
        return claims;
    }
}
