package io.codingengine.api.contest;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@link AccountStore} on Azure Table Storage (or Azurite), table {@code <prefix>accounts}:
 * PartitionKey = contest id, RowKey = login; properties {@code Participant}, {@code DisplayName},
 * {@code PasswordHash}, {@code CreatedAt}. A contest's accounts are one partition, so a login is
 * unique in its contest by the table's own key (a second create of it fails with 409).
 */
public final class TableAccountStore implements AccountStore {

    private final TableClient table;

    public TableAccountStore(TableServiceClient tables, String tablePrefix) {
        tables.createTableIfNotExists(tablePrefix + "accounts");
        this.table = tables.getTableClient(tablePrefix + "accounts");
    }

    @Override
    public boolean create(Account a) {
        try {
            table.createEntity(new TableEntity(a.contestId(), a.login())
                    .addProperty("Participant", a.participant())
                    .addProperty("DisplayName", a.displayName())
                    .addProperty("PasswordHash", a.passwordHash())
                    .addProperty("CreatedAt", a.createdAt().toString()));
            return true;
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() == 409) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public Optional<Account> get(String contestId, String login) {
        // A query, not a point read: an unknown login is routine, and the SDK logs every 404 of a point read.
        return query("PartitionKey eq " + quote(contestId) + " and RowKey eq " + quote(login)).stream()
                .findFirst();
    }

    @Override
    public List<Account> list(String contestId) {
        return query("PartitionKey eq " + quote(contestId));
    }

    @Override
    public boolean setPasswordHash(String contestId, String login, String passwordHash) {
        if (get(contestId, login).isEmpty()) {
            return false;
        }
        try {
            table.updateEntity(
                    new TableEntity(contestId, login).addProperty("PasswordHash", passwordHash),
                    TableEntityUpdateMode.MERGE);
            return true;
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private List<Account> query(String filter) {
        return table.listEntities(new ListEntitiesOptions().setFilter(filter), null, null).stream()
                .map(TableAccountStore::account)
                .toList();
    }

    private static Account account(TableEntity row) {
        return new Account(
                row.getPartitionKey(),
                row.getRowKey(),
                (String) row.getProperty("Participant"),
                (String) row.getProperty("DisplayName"),
                (String) row.getProperty("PasswordHash"),
                Instant.parse((String) row.getProperty("CreatedAt")));
    }

    /** Every account of every contest (a scan of the table): what a move to another store copies. */
    public java.util.stream.Stream<Account> all() {
        return table.listEntities().stream().map(TableAccountStore::account);
    }

    /** An OData string literal. */
    static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
