package io.codingengine.common.contest;

import io.codingengine.common.store.AzureStorage;
import io.codingengine.common.store.AzuriteExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contest store on a real Azurite. */
@ExtendWith(AzuriteExtension.class)
class TableContestStoreTest {

    private ContestStore store;

    @BeforeEach
    void freshTables() {
        store = new TableContestStore(AzureStorage.tables(AzuriteExtension.connectionString()),
                "c" + UUID.randomUUID().toString().substring(0, 8));
    }

    @Test
    void savesReplacesListsAndDeletes() {
        Instant start = Instant.parse("2026-01-01T10:00:00Z");
        Contest open = new Contest("spring", "Spring round", List.of("sum", "max"), start, start.plusSeconds(7200),
                Scoring.ICPC, List.of());
        Contest invited = new Contest("hiring-1", "Screening", List.of("sum"), start, start.plusSeconds(3600),
                Scoring.POINTS, List.of(new Invitation("tok-12345678", "ann")));
        store.save(open);
        store.save(invited);
        assertEquals(open, store.get("spring").orElseThrow());
        assertEquals(invited, store.get("hiring-1").orElseThrow(), "invitations and scoring survive the round trip");
        assertEquals(List.of("hiring-1", "spring"), store.list().stream().map(Contest::id).toList());

        Contest renamed = new Contest("spring", "Spring final", List.of("max"), start, start.plusSeconds(60),
                Scoring.POINTS, List.of());
        store.save(renamed);
        assertEquals(renamed, store.get("spring").orElseThrow());

        assertTrue(store.delete("spring"));
        assertFalse(store.delete("spring"));
        assertTrue(store.get("spring").isEmpty());
        assertTrue(store.get("../x").isEmpty(), "an id that is no id is simply unknown");
    }

    @Test
    void refusesContestsThatMakeNoSense() {
        Instant t = Instant.parse("2026-01-01T10:00:00Z");
        assertThrows(IllegalArgumentException.class, () -> new Contest("c", "C", List.of(), t, t, Scoring.ICPC, null));
        assertThrows(IllegalArgumentException.class, () -> new Contest("c", " ", List.of(), t, t.plusSeconds(1), Scoring.ICPC, null));
        assertThrows(IllegalArgumentException.class, () -> new Contest("c", "C", List.of("a", "a"), t, t.plusSeconds(1), Scoring.ICPC, null));
        assertThrows(IllegalArgumentException.class, () -> new Contest("c", "C", List.of("a/b"), t, t.plusSeconds(1), Scoring.ICPC, null));
        assertThrows(IllegalArgumentException.class, () -> new Invitation("short", "ann"));
    }
}
