package io.codingengine.api.clarification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.codingengine.api.clarification.ClarificationStore.Clarification;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link ClarificationStore}: every adapter's test extends this class. Each test
 * uses its own contest id, so one store may serve all tests of a class.
 */
public abstract class ClarificationStoreContract {

    private static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456Z");

    /** The store under test; the same instance for every call of one test class is fine. */
    protected abstract ClarificationStore store();

    private static String contest() {
        return "c-" + UUID.randomUUID().toString().substring(0, 13);
    }

    @Test
    void aQuestionIsListedAsStoredInItsContestOnly() {
        String c = contest();
        Clarification q = Clarification.question(
                c, "0001-a", "sum", "ada-3f9a1c", "Is n ≤ 10⁹?\nOr\tlarger? 🙂 \"quoted\" 'single' <b>", T0);
        store().create(q);
        assertEquals(List.of(q), store().list(c));
        assertEquals(List.of(), store().list(contest()), "clarifications belong to one contest");
    }

    @Test
    void aGeneralQuestionHasNoProblem() {
        String c = contest();
        Clarification q = Clarification.question(c, "0001-a", null, "ada", "When does it end?", T0);
        store().create(q);
        assertEquals(null, store().list(c).getFirst().problemId());
        assertEquals(q, store().list(c).getFirst());
    }

    @Test
    void anAnnouncementIsAnAnswerToAllWithoutQuestionOrAsker() {
        String c = contest();
        Clarification a =
                Clarification.announcement(c, "0001-a", null, "The contest is extended by 10 minutes.", "judge-1", T0);
        store().create(a);
        Clarification stored = store().list(c).getFirst();
        assertEquals(a, stored);
        assertEquals(true, stored.isAnnouncement());
        assertEquals(true, stored.toAll());
    }

    @Test
    void anAnswerIsStoredWithWhomItGoesToAndAnotherReplacesIt() {
        String c = contest();
        store().create(Clarification.question(c, "0001-a", "sum", "ada", "Is the input sorted?", T0));
        Instant at = T0.plusSeconds(60);
        Clarification answered =
                store().answer(c, "0001-a", "No.", false, "judge-1", at).orElseThrow();
        Clarification expected =
                new Clarification(c, "0001-a", "sum", "ada", "Is the input sorted?", T0, "No.", false, "judge-1", at);
        assertEquals(expected, answered);
        assertEquals(List.of(expected), store().list(c));

        Clarification again = store().answer(
                        c, "0001-a", "No: read the statement again.", true, "judge-2", at.plusSeconds(5))
                .orElseThrow();
        assertEquals(
                new Clarification(
                        c,
                        "0001-a",
                        "sum",
                        "ada",
                        "Is the input sorted?",
                        T0,
                        "No: read the statement again.",
                        true,
                        "judge-2",
                        at.plusSeconds(5)),
                again);
        assertEquals(List.of(again), store().list(c));
    }

    @Test
    void onlyAQuestionOfThatContestIsAnswered() {
        String c = contest();
        store().create(Clarification.question(c, "0001-a", null, "ada", "Q?", T0));
        store().create(Clarification.announcement(c, "0002-b", null, "News.", "judge", T0));
        assertEquals(Optional.empty(), store().answer(c, "0003-c", "A", false, "judge", T0), "no such id");
        assertEquals(Optional.empty(), store().answer(contest(), "0001-a", "A", false, "judge", T0), "another contest");
        assertEquals(Optional.empty(), store().answer(c, "0002-b", "A", false, "judge", T0), "an announcement");
        assertEquals(
                Arrays.asList(null, "News."),
                store().list(c).stream().map(Clarification::answer).toList(),
                "nothing changed");
    }

    @Test
    void anAnnouncementIsChangedInItsPlaceAndOnlyAnAnnouncement() {
        String c = contest();
        store().create(Clarification.announcement(c, "0001-a", null, "Extended by 10 minutes.", "judge-1", T0));
        store().create(Clarification.question(c, "0002-b", "sum", "ada", "Q?", T0.plusSeconds(1)));
        Instant at = T0.plusSeconds(90);
        Clarification changed = store().editAnnouncement(c, "0001-a", "sum", "Extended by 15 minutes.", "judge-2", at)
                .orElseThrow();
        Clarification expected =
                new Clarification(c, "0001-a", "sum", null, null, T0, "Extended by 15 minutes.", true, "judge-2", at);
        assertEquals(expected, changed);
        assertEquals(expected, store().list(c).getFirst(), "stored, and still first: asked when it was");
        Clarification general = store().editAnnouncement(
                        c, "0001-a", null, "General again.", "judge-1", at.plusSeconds(1))
                .orElseThrow();
        assertEquals(null, general.problemId());
        assertEquals(general, store().list(c).getFirst(), "the problem is gone from the stored row too");
        assertEquals(Optional.empty(), store().editAnnouncement(c, "0002-b", null, "x", "judge", at), "a question");
        assertEquals(Optional.empty(), store().editAnnouncement(c, "0009-z", null, "x", "judge", at), "no such id");
        assertEquals(
                Optional.empty(),
                store().editAnnouncement(contest(), "0001-a", null, "x", "judge", at),
                "another contest");
        assertEquals(Optional.empty(), store().editAnnouncement(c, "0001-a' or RowKey ne '", null, "x", "judge", at));
        assertEquals("Q?", store().list(c).get(1).question());
        assertEquals(null, store().list(c).get(1).answer(), "the question is untouched");
    }

    @Test
    void onlyAnAnnouncementIsDeleted() {
        String c = contest();
        store().create(Clarification.announcement(c, "0001-a", null, "Oops.", "judge-1", T0));
        store().create(Clarification.question(c, "0002-b", null, "ada", "Q?", T0.plusSeconds(1)));
        store().create(Clarification.announcement(c, "0003-c", null, "Stays.", "judge-1", T0.plusSeconds(2)));
        assertEquals(false, store().deleteAnnouncement(c, "0002-b"), "a question is never deleted");
        assertEquals(false, store().deleteAnnouncement(contest(), "0001-a"), "another contest");
        assertEquals(false, store().deleteAnnouncement(c, "0001-a' or RowKey ne '"));
        assertEquals(true, store().deleteAnnouncement(c, "0001-a"));
        assertEquals(false, store().deleteAnnouncement(c, "0001-a"), "gone already");
        assertEquals(
                List.of("0002-b", "0003-c"),
                store().list(c).stream().map(Clarification::id).toList());
    }

    @Test
    void listsOldestFirstThenById() {
        String c = contest();
        store().create(Clarification.question(c, "0003-c", null, "ada", "third", T0.plusSeconds(2)));
        store().create(Clarification.question(c, "0001-b", null, "ada", "second", T0.plusSeconds(1)));
        store().create(Clarification.announcement(c, "0001-a", null, "first", "judge", T0.plusSeconds(1)));
        store().create(Clarification.question(c, "0000-z", null, "bob", "zeroth", T0));
        assertEquals(
                List.of("zeroth", "first", "second", "third"),
                store().list(c).stream()
                        .map(x -> x.isAnnouncement() ? x.answer() : x.question())
                        .toList());
    }

    @Test
    void manyQuestionsAskedAtOnceAreAllKept() throws Exception {
        String c = contest();
        try (var pool = Executors.newFixedThreadPool(8)) {
            for (var f : pool.invokeAll(IntStream.range(0, 16)
                    .<Callable<Void>>mapToObj(i -> () -> {
                        store().create(Clarification.question(
                                c, String.format("%04d-q", i), null, "p" + i, "q" + i, T0.plusMillis(i)));
                        return null;
                    })
                    .toList())) {
                f.get();
            }
        }
        assertEquals(
                IntStream.range(0, 16).mapToObj(i -> "q" + i).toList(),
                store().list(c).stream().map(Clarification::question).toList());
    }

    @Test
    void longTextsOfEveryKindOfCharacterComeBackWhole() {
        String c = contest();
        String text = ("¿Qué? 数字 𝔘 🙂\t\n").repeat(200); // 2,400 code points, 3,000 UTF-16 characters
        store().create(Clarification.question(c, "0001-a", null, "ada", text, T0));
        assertEquals(
                text,
                store().answer(c, "0001-a", text, true, "judge", T0)
                        .orElseThrow()
                        .answer());
        Clarification stored = store().list(c).getFirst();
        assertEquals(text, stored.question());
        assertEquals(text, stored.answer());
    }

    @Test
    void quotesInALookupFindNothingAndBreakNothing() {
        String c = contest();
        store().create(Clarification.question(c, "0001-a", null, "ada", "Q?", T0));
        assertEquals(Optional.empty(), store().answer(c, "0001-a' or RowKey ne '", "A", true, "judge", T0));
        assertEquals(List.of(), store().list(c + "' or PartitionKey ne '"));
        assertEquals(null, store().list(c).getFirst().answer());
    }

    @Test
    void aClarificationIsAQuestionWithItsAskerOrAnAnnouncementToAll() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new Clarification("c", "1", null, "ada", null, T0, null, false, null, null),
                "an asker without a question");
        assertThrows(
                IllegalArgumentException.class,
                () -> new Clarification("c", "1", null, null, null, T0, "news", false, "judge", T0),
                "a private announcement");
        assertThrows(
                IllegalArgumentException.class,
                () -> new Clarification("c", "1", null, "ada", "Q?", T0, "A", false, "judge", null),
                "an answer without its time");
    }
}
