package io.codingengine.common.contest;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.codingengine.common.store.AzureStorage;
import io.codingengine.common.store.AzuriteExtension;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link ContestStoreContract} against {@link TableContestStore} on a real Azurite. */
@ExtendWith(AzuriteExtension.class)
class TableContestStoreTest extends ContestStoreContract {

    @Override
    protected ContestStore newStore() {
        return new TableContestStore(
                AzureStorage.tables(AzuriteExtension.connectionString()),
                "c" + UUID.randomUUID().toString().substring(0, 8));
    }

    @Test
    void refusesContestsThatMakeNoSense() {
        Instant t = Instant.parse("2026-01-01T10:00:00Z");
        assertThrows(IllegalArgumentException.class, () -> new Contest("c", "C", List.of(), t, t, Scoring.ICPC, null));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Contest("c", " ", List.of(), t, t.plusSeconds(1), Scoring.ICPC, null));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Contest("c", "C", List.of("a", "a"), t, t.plusSeconds(1), Scoring.ICPC, null));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Contest("c", "C", List.of("a/b"), t, t.plusSeconds(1), Scoring.ICPC, null));
        assertThrows(IllegalArgumentException.class, () -> new Invitation("short", "ann"));
    }
}
