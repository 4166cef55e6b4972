package io.codingengine.api.access;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableServiceException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@link ApiKeyStore} on Azure Table Storage (or Azurite), table {@code <prefix>apikeys}:
 * PartitionKey = the first two hex digits of the key's SHA-256 (spreads keys over 256
 * partitions), RowKey = the whole hash; properties {@code Subject}, {@code Role},
 * {@code CreatedAt}, and {@code ContestId} for a key scoped to a contest. A row without
 * {@code ContestId} (every row written before keys had a scope) is an unscoped key. A revoked
 * key's row is deleted.
 */
public final class TableApiKeyStore implements ApiKeyStore {

    private final TableClient table;

    public TableApiKeyStore(TableServiceClient tables, String tablePrefix) {
        tables.createTableIfNotExists(tablePrefix + "apikeys");
        this.table = tables.getTableClient(tablePrefix + "apikeys");
    }

    @Override
    public String issue(Principal principal) {
        String key = ApiKeys.generate();
        String hash = ApiKeys.hash(key);
        TableEntity row = new TableEntity(hash.substring(0, 2), hash)
                .addProperty("Subject", principal.subject())
                .addProperty("Role", principal.role().name())
                .addProperty("CreatedAt", Instant.now().toString());
        principal.contest().ifPresent(contest -> row.addProperty("ContestId", contest));
        table.createEntity(row);
        return key;
    }

    @Override
    public Optional<Principal> authenticate(String key) {
        if (key == null || key.isBlank()) {
            return Optional.empty();
        }
        String hash = ApiKeys.hash(key);
        // A query rather than a point read: an unknown key is routine here, and the SDK logs
        // every 404 of a point read as an error. The hash is hex, so the filter needs no escaping.
        String filter = "PartitionKey eq '" + hash.substring(0, 2) + "' and RowKey eq '" + hash + "'";
        return table.listEntities(new ListEntitiesOptions().setFilter(filter), null, null).stream()
                .findFirst()
                .map(row -> new Principal(
                        (String) row.getProperty("Subject"), Role.valueOf((String) row.getProperty("Role")), (String)
                                row.getProperty("ContestId")));
    }

    /** Every key as stored, by its hash (a scan of the table): what a move to another store copies. */
    public java.util.stream.Stream<StoredKey> all() {
        return table.listEntities().stream()
                .map(row -> new StoredKey(
                        row.getRowKey(),
                        new Principal(
                                (String) row.getProperty("Subject"),
                                Role.valueOf((String) row.getProperty("Role")),
                                (String) row.getProperty("ContestId")),
                        Instant.parse((String) row.getProperty("CreatedAt"))));
    }

    @Override
    public void revoke(String key) {
        delete(ApiKeys.hash(key));
    }

    /** A scan of every partition: rare (an admin's password reset, a sign-out everywhere) and small. */
    @Override
    public int revokeAll(String subject, String contestId) {
        return revokeAllButNewest(subject, contestId, 0);
    }

    /** A scan of every partition, as {@link #revokeAll}: a participant's keys are few, and sign-ins are limited. */
    @Override
    public int revokeAllButNewest(String subject, String contestId, int keep) {
        String filter = "Subject eq '" + subject.replace("'", "''") + "' and ContestId eq '"
                + contestId.replace("'", "''") + "'";
        List<TableEntity> older = table
                .listEntities(
                        new ListEntitiesOptions().setFilter(filter).setSelect(List.of("RowKey", "CreatedAt")),
                        null,
                        null)
                .stream()
                .sorted(Comparator.comparing((TableEntity row) -> Instant.parse((String) row.getProperty("CreatedAt")))
                        .reversed()
                        .thenComparing(TableEntity::getRowKey))
                .skip(keep)
                .toList();
        older.forEach(row -> delete(row.getRowKey()));
        return older.size();
    }

    private void delete(String hash) {
        try {
            table.deleteEntity(hash.substring(0, 2), hash);
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() != 404) {
                throw e;
            }
        }
    }
}
