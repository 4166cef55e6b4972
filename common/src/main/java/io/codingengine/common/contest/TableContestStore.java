package io.codingengine.common.contest;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableServiceException;
import io.codingengine.common.json.Json;
import io.codingengine.common.judge.Ids;
import java.util.List;
import java.util.Optional;

/**
 * {@link ContestStore} on Azure Table Storage (or Azurite), table {@code <prefix>contests}: one
 * partition {@code "contest"} (contests are few and always read together), RowKey = contest id,
 * property {@code Contest} = the contest as JSON ({@link Json}), far below the 64 KiB a
 * property holds for any realistic number of problems and invitations.
 */
public final class TableContestStore implements ContestStore {

    private static final String PARTITION = "contest";
    private static final String VALUE = "Contest";

    private final TableClient table;

    public TableContestStore(TableServiceClient tables, String tablePrefix) {
        tables.createTableIfNotExists(tablePrefix + "contests");
        this.table = tables.getTableClient(tablePrefix + "contests");
    }

    @Override
    public void save(Contest contest) {
        // The row has one property, so the SDK's merging upsert replaces the whole contest.
        table.upsertEntity(new TableEntity(PARTITION, contest.id()).addProperty(VALUE, Json.write(contest)));
    }

    @Override
    public Optional<Contest> get(String id) {
        if (!Ids.isValid(id)) {
            return Optional.empty();
        }
        // A query, not a point read: the SDK logs every 404 of a point read as an error.
        String filter = "PartitionKey eq '" + PARTITION + "' and RowKey eq '" + id + "'";
        return table.listEntities(new ListEntitiesOptions().setFilter(filter), null, null).stream()
                .findFirst()
                .map(TableContestStore::contest);
    }

    @Override
    public List<Contest> list() {
        return table
                .listEntities(new ListEntitiesOptions().setFilter("PartitionKey eq '" + PARTITION + "'"), null, null)
                .stream()
                .map(TableContestStore::contest)
                .toList();
    }

    @Override
    public boolean delete(String id) {
        if (get(id).isEmpty()) {
            return false;
        }
        try {
            table.deleteEntity(PARTITION, id);
            return true;
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private static Contest contest(TableEntity row) {
        return Json.read((String) row.getProperty(VALUE), Contest.class);
    }
}
