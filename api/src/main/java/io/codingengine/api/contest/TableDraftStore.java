package io.codingengine.api.contest;

import static io.codingengine.api.contest.TableAccountStore.quote;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@link DraftStore} on Azure Table Storage (or Azurite), table {@code <prefix>drafts}:
 * PartitionKey = {@code <contest id>~<participant in hex>}, RowKey =
 * {@code <problem id>~<language in hex>} (hex, as participant and language names may hold
 * characters a key may not, such as {@code #} or {@code /}); properties {@code Code} (UTF-8
 * bytes, at most the 64 KiB a binary property holds), {@code Revision}, {@code SavedAt}. A save
 * is conditional on the row's ETag (or, for the first, on the row not existing), so two saves
 * based on the same revision cannot both succeed.
 */
public final class TableDraftStore implements DraftStore {

    private static final HexFormat HEX = HexFormat.of();

    private final TableClient table;

    public TableDraftStore(TableServiceClient tables, String tablePrefix) {
        tables.createTableIfNotExists(tablePrefix + "drafts");
        this.table = tables.getTableClient(tablePrefix + "drafts");
    }

    @Override
    public List<Draft> list(String contestId, String participant, String problemId, Collection<String> languages) {
        if (languages.isEmpty()) {
            return List.of();
        }
        // one point per language asked for: rows of other languages are never read
        String rows = languages.stream()
                .distinct()
                .map(language -> "RowKey eq " + quote(rowKey(problemId, language)))
                .collect(Collectors.joining(" or "));
        String filter = "PartitionKey eq " + quote(partition(contestId, participant)) + " and (" + rows + ")";
        return table.listEntities(new ListEntitiesOptions().setFilter(filter), null, null).stream()
                .map(TableDraftStore::draft)
                .sorted(Comparator.comparing(Draft::language))
                .toList();
    }

    private static String rowKey(String problemId, String language) {
        return problemId + "~" + HEX.formatHex(language.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Saved save(
            String contestId, String participant, String problemId, String language, String code, long baseRevision) {
        byte[] bytes = DraftStore.utf8(code);
        String pk = partition(contestId, participant);
        String rk = rowKey(problemId, language);
        Optional<TableEntity> current = row(pk, rk);
        long stored = current.map(r -> ((Number) r.getProperty("Revision")).longValue())
                .orElse(0L);
        if (stored != baseRevision) {
            return new Saved(
                    false, current.map(TableDraftStore::draft).orElseGet(() -> Draft.none(problemId, language)));
        }
        Instant now = Instant.now();
        try {
            if (current.isEmpty()) {
                table.createEntity(new TableEntity(pk, rk)
                        .addProperty("Code", bytes)
                        .addProperty("Revision", baseRevision + 1)
                        .addProperty("SavedAt", now.toString()));
            } else {
                TableEntity row = current.get(); // carries the ETag it was read with
                row.addProperty("Code", bytes)
                        .addProperty("Revision", baseRevision + 1)
                        .addProperty("SavedAt", now.toString());
                table.updateEntityWithResponse(row, TableEntityUpdateMode.REPLACE, true, null, null);
            }
        } catch (TableServiceException e) {
            int status = e.getResponse().getStatusCode();
            if (status == 409 || status == 412) { // another save came first
                return new Saved(
                        false,
                        row(pk, rk).map(TableDraftStore::draft).orElseGet(() -> Draft.none(problemId, language)));
            }
            throw e;
        }
        return new Saved(true, new Draft(problemId, language, code, baseRevision + 1, now));
    }

    /** Every draft of every participant (a scan of the table): what a move to another store copies. */
    public java.util.stream.Stream<Owned> all() {
        return table.listEntities().stream().map(row -> {
            String pk = row.getPartitionKey();
            int at = pk.lastIndexOf('~');
            return new Owned(
                    pk.substring(0, at),
                    new String(HEX.parseHex(pk.substring(at + 1)), StandardCharsets.UTF_8),
                    draft(row));
        });
    }

    private Optional<TableEntity> row(String pk, String rk) {
        String filter = "PartitionKey eq " + quote(pk) + " and RowKey eq " + quote(rk);
        return table.listEntities(new ListEntitiesOptions().setFilter(filter), null, null).stream()
                .findFirst();
    }

    private static String partition(String contestId, String participant) {
        return contestId + "~" + HEX.formatHex(participant.getBytes(StandardCharsets.UTF_8));
    }

    private static Draft draft(TableEntity row) {
        String rk = row.getRowKey();
        int at = rk.lastIndexOf('~');
        return new Draft(
                rk.substring(0, at),
                new String(HEX.parseHex(rk.substring(at + 1)), StandardCharsets.UTF_8),
                new String((byte[]) row.getProperty("Code"), StandardCharsets.UTF_8),
                ((Number) row.getProperty("Revision")).longValue(),
                Instant.parse((String) row.getProperty("SavedAt")));
    }
}
