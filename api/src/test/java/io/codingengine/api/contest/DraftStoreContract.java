package io.codingengine.api.contest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.api.contest.DraftStore.Draft;
import io.codingengine.api.contest.DraftStore.Saved;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link DraftStore}: every adapter's test extends this class. Each test uses its
 * own contest id, so one store may serve all tests of a class.
 */
public abstract class DraftStoreContract {

    /** The store under test; the same instance for every call of one test class is fine. */
    protected abstract DraftStore store();

    /** The languages a listing asks for (the controller asks for the catalogue's). */
    private static final List<String> LANGUAGES = List.of("c#", "c++", "java", "python");

    private static String contest() {
        return "c-" + UUID.randomUUID().toString().substring(0, 13);
    }

    @Test
    void aDraftIsSavedRevisionByRevisionAndListedPerProblem() {
        String c = contest();
        Saved first = store().save(c, "ada", "sum", "c++", "int main() {}", 0);
        assertTrue(first.saved());
        assertEquals(1, first.draft().revision());
        Saved second = store().save(c, "ada", "sum", "c++", "int main() { return 0; }", 1);
        assertTrue(second.saved());
        assertEquals(2, second.draft().revision());
        store().save(c, "ada", "sum", "python", "print(1)", 0);
        store().save(c, "ada", "sum.b", "python", "other problem", 0);
        store().save(c, "ada", "su", "python", "a shorter id", 0);
        List<Draft> drafts = store().list(c, "ada", "sum", LANGUAGES);
        assertEquals(2, drafts.size(), drafts.toString());
        Draft cpp = drafts.stream()
                .filter(d -> d.language().equals("c++"))
                .findFirst()
                .orElseThrow();
        assertEquals("int main() { return 0; }", cpp.code());
        assertEquals(2, cpp.revision());
        assertEquals("sum", cpp.problemId());
        assertEquals(second.draft().savedAt(), cpp.savedAt());
    }

    @Test
    void aSaveBasedOnAnOlderRevisionIsRefusedWithTheStoredDraft() {
        String c = contest();
        store().save(c, "ada", "sum", "python", "tab one", 0);
        Saved tabTwo = store().save(c, "ada", "sum", "python", "tab two", 0);
        assertFalse(tabTwo.saved());
        assertEquals("tab one", tabTwo.draft().code());
        assertEquals(1, tabTwo.draft().revision());
        assertFalse(
                store().save(c, "ada", "sum", "python", "from the future", 5).saved());
        assertEquals(
                "tab one", store().list(c, "ada", "sum", LANGUAGES).getFirst().code());
        Saved none = store().save(c, "ada", "sum", "java", "no such draft yet", 3);
        assertFalse(none.saved());
        assertEquals(0, none.draft().revision());
        assertEquals("", none.draft().code());
    }

    @Test
    void ofManySavesOnOneRevisionAtOnceExactlyOneSucceeds() throws Exception {
        String c = contest();
        store().save(c, "ada", "sum", "python", "start", 0);
        try (var pool = Executors.newFixedThreadPool(8)) {
            List<Future<Saved>> results = pool.invokeAll(IntStream.range(0, 8)
                    .<Callable<Saved>>mapToObj(i -> () -> store().save(c, "ada", "sum", "python", "tab " + i, 1))
                    .toList());
            int saved = 0;
            String winner = null;
            for (Future<Saved> r : results) {
                if (r.get().saved()) {
                    saved++;
                    winner = r.get().draft().code();
                }
            }
            assertEquals(1, saved);
            assertEquals(
                    winner, store().list(c, "ada", "sum", LANGUAGES).getFirst().code());
            assertEquals(2, store().list(c, "ada", "sum", LANGUAGES).getFirst().revision());
        }
    }

    @Test
    void draftsAreEachParticipantsOwnAndEachContests() {
        String c = contest();
        store().save(c, "ada", "sum", "python", "ada's", 0);
        assertEquals(List.of(), store().list(c, "bob", "sum", LANGUAGES));
        assertEquals(List.of(), store().list(contest(), "ada", "sum", LANGUAGES));
        assertTrue(store().save(c, "bob", "sum", "python", "bob's", 0).saved());
        assertEquals(
                "ada's", store().list(c, "ada", "sum", LANGUAGES).getFirst().code());
    }

    @Test
    void anyParticipantOrLanguageNameAndAnyTextIsKept() {
        String c = contest();
        String text = "# ünïcödé ✓ 'quotes' \"and\" \\back\\slash\n\ttab\r\n nul:\u0000.";
        assertTrue(store().save(c, "team/with#odd'chars", "sum", "c#", text, 0).saved());
        Draft d = store().list(c, "team/with#odd'chars", "sum", LANGUAGES).getFirst();
        assertEquals(text, d.code());
        assertEquals("c#", d.language());
    }

    @Test
    void aDraftHoldsUpTo64KiBOfUtf8AndNoMore() {
        String c = contest();
        String full = "x".repeat(DraftStore.MAX_BYTES);
        assertTrue(store().save(c, "ada", "sum", "python", full, 0).saved());
        assertEquals(full, store().list(c, "ada", "sum", LANGUAGES).getFirst().code());
        String over = "é".repeat(DraftStore.MAX_BYTES / 2) + "x";
        assertThrows(IllegalArgumentException.class, () -> store().save(c, "ada", "sum", "python", over, 1));
        assertEquals(full, store().list(c, "ada", "sum", LANGUAGES).getFirst().code());
    }

    @Test
    void aListingReadsOnlyTheLanguagesAskedForOneDraftEach() {
        String c = contest();
        for (int i = 0; i < 20; i++) {
            assertTrue(store().save(c, "ada", "sum", "x" + i, "junk " + i, 0).saved());
        }
        store().save(c, "ada", "sum", "python", "print(1)", 0);
        store().save(c, "ada", "sum", "c++", "int main() {}", 0);
        List<Draft> listed = store().list(c, "ada", "sum", List.of("python", "c++", "java"));
        assertEquals(
                List.of("c++", "python"),
                listed.stream().map(Draft::language).toList(),
                "only the languages asked for, by language: " + listed);
        assertEquals(List.of(), store().list(c, "ada", "sum", List.of()));
        assertEquals(1, store().list(c, "ada", "sum", List.of("x7")).size());
        assertEquals(
                "junk 7",
                store().list(c, "ada", "sum", List.of("x7")).getFirst().code());
    }
}
