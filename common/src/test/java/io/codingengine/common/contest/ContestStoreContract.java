package io.codingengine.common.contest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract of {@link ContestStore}: every adapter's test extends this class. */
public abstract class ContestStoreContract {

    /** An empty store: a fresh one for each test, since the test reads every contest. */
    protected abstract ContestStore newStore();

    @Test
    void savesReplacesListsAndDeletes() {
        ContestStore store = newStore();
        Instant start = Instant.parse("2026-01-01T10:00:00Z");
        Contest open = new Contest(
                "spring",
                "Spring round",
                List.of("sum", "max"),
                start,
                start.plusSeconds(7200),
                Scoring.ICPC,
                List.of());
        Contest invited = new Contest(
                "hiring-1",
                "Screening",
                List.of("sum"),
                start,
                start.plusSeconds(3600),
                Scoring.POINTS,
                List.of(new Invitation("tok-12345678", "ann")));
        store.save(open);
        store.save(invited);
        assertEquals(open, store.get("spring").orElseThrow());
        assertEquals(invited, store.get("hiring-1").orElseThrow(), "invitations and scoring survive the round trip");
        assertEquals(
                List.of("hiring-1", "spring"),
                store.list().stream().map(Contest::id).toList());

        Contest renamed = new Contest(
                "spring", "Spring final", List.of("max"), start, start.plusSeconds(60), Scoring.POINTS, List.of());
        store.save(renamed);
        assertEquals(renamed, store.get("spring").orElseThrow());

        assertTrue(store.delete("spring"));
        assertFalse(store.delete("spring"));
        assertTrue(store.get("spring").isEmpty());
        assertEquals(List.of(invited), store.list());
        assertTrue(store.get("../x").isEmpty(), "an id that is no id is simply unknown");

        Contest frozen = new Contest(
                "frozen",
                "With a freeze",
                List.of("sum"),
                start,
                start.plusSeconds(7200),
                Scoring.ICPC,
                List.of(),
                30,
                null);
        store.save(frozen);
        assertEquals(frozen, store.get("frozen").orElseThrow(), "the freeze survives the round trip");
        Contest lifted = frozen.unfrozen(start.plusSeconds(9000));
        store.save(lifted);
        assertEquals(lifted, store.get("frozen").orElseThrow(), "and so does its unfreeze");
        assertFalse(store.delete("../x"));
    }
}
