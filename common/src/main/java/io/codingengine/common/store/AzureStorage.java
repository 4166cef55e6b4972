package io.codingengine.common.store;

import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import io.codingengine.common.azure.AzureHttp;

/**
 * Clients of one storage account (Azure, or Azurite locally) from a connection string, on
 * {@link AzureHttp}'s transport. On Azure with a managed identity, {@link StorageAccount} builds the clients
 * from the account's endpoints and a credential instead.
 */
public final class AzureStorage {

    /** Azurite's development account on its default local ports: the default of every local setting. */
    public static final String AZURITE_LOCAL = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
            + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
            + "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";

    /**
     * The connection string of Azurite's well-known development account (published in
     * Microsoft's documentation; not a secret) on the given local ports.
     */
    public static String azuriteConnectionString(String host, int blobPort, int tablePort) {
        return "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
                + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
                + "BlobEndpoint=http://" + host + ":" + blobPort + "/devstoreaccount1;"
                + "TableEndpoint=http://" + host + ":" + tablePort + "/devstoreaccount1;";
    }

    private AzureStorage() {}

    public static TableServiceClient tables(String connectionString) {
        return new TableServiceClientBuilder()
                .connectionString(connectionString)
                .httpClient(AzureHttp.CLIENT)
                .buildClient();
    }

    public static BlobServiceClient blobs(String connectionString) {
        return new BlobServiceClientBuilder()
                .connectionString(connectionString)
                .httpClient(AzureHttp.CLIENT)
                .buildClient();
    }
}
