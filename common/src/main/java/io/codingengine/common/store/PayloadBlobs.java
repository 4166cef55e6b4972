package io.codingengine.common.store;

import com.azure.core.util.BinaryData;
import com.azure.data.tables.models.TableEntity;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import java.util.List;
import java.util.UUID;

/**
 * The JSON values of the Table adapter's rows, kept inline in their property or, over
 * {@link TableSubmissionStore#INLINE_LIMIT_CHARS}, in a blob that the property
 * {@code <name>Blob} names (see the package documentation).
 */
final class PayloadBlobs {

    private static final String BLOB_SUFFIX = "Blob";

    private final BlobContainerClient container;

    /** Uses (and creates when missing) the container {@code <nameprefix>-submissions}. */
    PayloadBlobs(BlobServiceClient blobs, String namePrefix) {
        String name = namePrefix.isEmpty() ? "submissions" : namePrefix.toLowerCase() + "-submissions";
        this.container = blobs.getBlobContainerClient(name);
        container.createIfNotExists();
    }

    BlobContainerClient container() {
        return container;
    }

    /**
     * {@code json} as the value of {@code property} of submission {@code id}: inline when it
     * fits, else uploaded now to a blob of its own (a fresh name, so no upload overwrites a blob
     * that some row names).
     */
    Payload store(String id, String property, String kind, String json) {
        if (json.length() <= TableSubmissionStore.INLINE_LIMIT_CHARS) {
            return new Payload(property, json, null);
        }
        String name = id + "/" + kind + "-" + UUID.randomUUID() + ".json";
        container.getBlobClient(name).upload(BinaryData.fromString(json), false);
        return new Payload(property, null, name);
    }

    /** The JSON in {@code property} of {@code entity}, inline or from its blob; {@code null} if neither. */
    String load(TableEntity entity, String property) {
        Object inline = entity.getProperty(property);
        if (inline != null) {
            return (String) inline;
        }
        Object blob = entity.getProperty(property + BLOB_SUFFIX);
        return blob == null
                ? null
                : container.getBlobClient((String) blob).downloadContent().toString();
    }

    /** Gives {@code to} the value of {@code property} of {@code from}, naming the same blob if it is in one. */
    static void copy(TableEntity from, TableEntity to, String property) {
        for (String name : List.of(property, property + BLOB_SUFFIX)) {
            Object value = from.getProperty(name);
            if (value != null) {
                to.addProperty(name, value);
            }
        }
    }

    /** Takes {@code property}, inline or as a blob name, off {@code entity}. */
    static void remove(TableEntity entity, String property) {
        entity.getProperties().remove(property);
        entity.getProperties().remove(property + BLOB_SUFFIX);
    }

    /** Deletes every blob of submission {@code id}. */
    void deleteAll(String id) {
        container
                .listBlobsByHierarchy(id + "/")
                .forEach(blob -> container.getBlobClient(blob.getName()).deleteIfExists());
    }

    /** The JSON value of a property, kept inline or in a blob that this call wrote. */
    final class Payload {
        private final String property;
        private final String inline;
        private final String blob;

        private Payload(String property, String inline, String blob) {
            this.property = property;
            this.inline = inline;
            this.blob = blob;
        }

        void putInto(TableEntity entity) {
            remove(entity, property);
            if (blob != null) {
                entity.addProperty(property + BLOB_SUFFIX, blob);
            } else {
                entity.addProperty(property, inline);
            }
        }

        /** The OData filter for the rows that name this value's blob; {@code null} when it is inline. */
        String rowsNamingIt() {
            return blob == null ? null : property + BLOB_SUFFIX + " eq " + Rows.literal(blob);
        }

        /** Deletes the blob (best effort: a leftover blob is garbage, never read). */
        void discard() {
            if (blob != null) {
                try {
                    container.getBlobClient(blob).deleteIfExists();
                } catch (RuntimeException ignored) {
                    // unreferenced either way
                }
            }
        }
    }
}
