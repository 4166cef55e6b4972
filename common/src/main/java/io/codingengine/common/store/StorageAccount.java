package io.codingengine.common.store;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import io.codingengine.common.azure.AzureCredentials;
import io.codingengine.common.azure.AzureHttp;
import java.net.URI;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where the stores' storage account is and how to authenticate to it, as the settings say: a
 * connection string (Azurite locally, the default), or the account's table and blob endpoints
 * with {@code DefaultAzureCredential} (Azure: the app's managed identity, which needs Storage
 * Table Data Contributor and Storage Blob Data Contributor; no key anywhere). Setting the
 * endpoints selects the identity; the connection string is then ignored.
 *
 * @param connectionString        the account's connection string (Azurite's by default)
 * @param tableEndpoint           {@code https://<account>.table.core.windows.net}, or empty
 * @param blobEndpoint            {@code https://<account>.blob.core.windows.net}, or empty
 * @param managedIdentityClientId client id of a user-assigned identity; empty: the chain's default
 */
public record StorageAccount(
        String connectionString, String tableEndpoint, String blobEndpoint, String managedIdentityClientId) {

    /** The service clients of one account. */
    public record Clients(TableServiceClient tables, BlobServiceClient blobs) {}

    public StorageAccount {
        connectionString = connectionString == null ? "" : connectionString.strip();
        tableEndpoint = tableEndpoint == null ? "" : tableEndpoint.strip();
        blobEndpoint = blobEndpoint == null ? "" : blobEndpoint.strip();
        managedIdentityClientId = managedIdentityClientId == null ? "" : managedIdentityClientId.strip();
        if (tableEndpoint.isEmpty() != blobEndpoint.isEmpty()) {
            throw new IllegalArgumentException(
                    "set both the table and the blob endpoint (managed identity), or neither" + " (connection string)");
        }
        if (!tableEndpoint.isEmpty()) {
            requireHttps("table", tableEndpoint);
            requireHttps("blob", blobEndpoint);
        } else if (connectionString.isEmpty()) {
            throw new IllegalArgumentException("set the storage connection string, or the table and blob endpoints");
        }
    }

    /** With a connection string (Azurite, or an account that allows shared keys). */
    public static StorageAccount connectionString(String connectionString) {
        return new StorageAccount(connectionString, "", "", "");
    }

    public boolean usesIdentity() {
        return !tableEndpoint.isEmpty();
    }

    /** Clients authenticated as the settings say, with {@code DefaultAzureCredential} for the identity. */
    public Clients connect() {
        return connect(() -> AzureCredentials.defaultCredential(managedIdentityClientId));
    }

    /** As {@link #connect()}; {@code credential} is asked once, and only when the endpoints are set. */
    public Clients connect(Supplier<TokenCredential> credential) {
        return connect(credential, AzureHttp.CLIENT);
    }

    /** As {@link #connect(Supplier)} over {@code http} (tests: a client that trusts a local certificate). */
    Clients connect(Supplier<TokenCredential> credential, HttpClient http) {
        if (!usesIdentity()) {
            return new Clients(AzureStorage.tables(connectionString), AzureStorage.blobs(connectionString));
        }
        TokenCredential token = Objects.requireNonNull(credential.get(), "credential");
        return new Clients(
                new TableServiceClientBuilder()
                        .endpoint(tableEndpoint)
                        .credential(token)
                        .httpClient(http)
                        .buildClient(),
                new BlobServiceClientBuilder()
                        .endpoint(blobEndpoint)
                        .credential(token)
                        .httpClient(http)
                        .buildClient());
    }

    /** Bearer tokens only travel over TLS (azure-core refuses otherwise, at the first request). */
    private static void requireHttps(String which, String endpoint) {
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + which + " endpoint is not a URL: " + endpoint, e);
        }
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("the " + which + " endpoint must be an https URL (a managed identity's"
                    + " token is only sent over TLS): " + endpoint);
        }
    }
}
