package io.codingengine.common.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.http.HttpClient;
import com.azure.core.http.okhttp.OkHttpAsyncHttpClientBuilder;
import com.azure.core.util.BinaryData;
import com.azure.storage.blob.models.BlobStorageException;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.judge.Submission;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which clients the storage settings build, both against real Azurite: by connection string, and by
 * endpoints with a managed identity's tokens over TLS (Entra ID played by {@link EntraJwtStandIn}).
 */
@ExtendWith(AzuriteExtension.class)
class StorageAccountTest {

    private static final String PASSWORD = "azurite-test-only";

    @Test
    void aConnectionStringReachesAzuriteWithoutAskingForACredential() {
        StorageAccount account = StorageAccount.connectionString(AzuriteExtension.connectionString());
        assertFalse(account.usesIdentity());
        StorageAccount.Clients clients = account.connect(() -> {
            throw new AssertionError("no credential with a connection string");
        });
        String name = "sa" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        clients.tables().createTable(name);
        assertTrue(
                clients.tables().listTables().stream().anyMatch(t -> t.getName().equals(name)));
        var container = clients.blobs().createBlobContainer(name);
        container.getBlobClient("b").upload(BinaryData.fromString("hi"));
        assertEquals("hi", container.getBlobClient("b").downloadContent().toString());
    }

    @Test
    void endpointsSelectTheIdentityAndItsTokensReachTablesAndBlobsOverTls(@TempDir Path dir) throws Exception {
        Path pfx = dir.resolve("azurite.pfx");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-keyalg",
                        "RSA",
                        "-keysize",
                        "2048",
                        "-alias",
                        "azurite",
                        "-validity",
                        "2",
                        "-keystore",
                        pfx.toString(),
                        "-storetype",
                        "PKCS12",
                        "-storepass",
                        PASSWORD,
                        "-dname",
                        "CN=127.0.0.1",
                        "-ext",
                        "SAN=ip:127.0.0.1")
                .redirectErrorStream(true)
                .start();
        assertEquals(0, keytool.waitFor(), new String(keytool.getInputStream().readAllBytes()));

        try (AzuriteExtension.Azurite azurite = AzuriteExtension.startWithOAuth(pfx, PASSWORD)) {
            String tables = "https://127.0.0.1:" + azurite.tablePort() + "/devstoreaccount1";
            String blobs = "https://127.0.0.1:" + azurite.blobPort() + "/devstoreaccount1";
            // The connection string is ignored once the endpoints are set.
            StorageAccount account = new StorageAccount(AzuriteExtension.connectionString(), tables, blobs, "");
            assertTrue(account.usesIdentity());
            HttpClient trusting = trusting(pfx);

            EntraJwtStandIn entra = new EntraJwtStandIn();
            StorageAccount.Clients clients = account.connect(() -> entra, trusting);
            assertEquals(tables, clients.tables().getServiceEndpoint());
            assertEquals(blobs, clients.blobs().getAccountUrl());
            String prefix = "i" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            TableSubmissionStore store = new TableSubmissionStore(clients.tables(), clients.blobs(), prefix);
            Submission submission = new Submission(
                    "id-1",
                    "sum",
                    null,
                    "alice",
                    "python",
                    "3",
                    List.of(SourceFile.utf8("a.py", "print(1)")),
                    List.of(),
                    null,
                    Instant.now());
            assertTrue(store.create(submission));
            assertEquals("alice", store.get("id-1").orElseThrow().submission().participant());
            assertTrue(
                    entra.scopesAsked().contains("https://storage.azure.com/.default"),
                    entra.scopesAsked().toString());

            // The same endpoints with a token for another audience are refused: Azurite checks.
            StorageAccount.Clients wrongAudience =
                    account.connect(() -> new EntraJwtStandIn("https://vault.azure.net"), trusting);
            var refused = assertThrows(
                    BlobStorageException.class,
                    () -> wrongAudience.blobs().listBlobContainers().stream().findAny());
            assertEquals(403, refused.getStatusCode());
        }
    }

    /** The engine's transport (OkHttp) trusting exactly the local Azurite's self-signed certificate. */
    private static HttpClient trusting(Path pfx) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(pfx)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("azurite", keys.getCertificate("azurite"));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, factory.getTrustManagers(), null);
        X509TrustManager trustManager = (X509TrustManager) factory.getTrustManagers()[0];
        return new OkHttpAsyncHttpClientBuilder(new OkHttpClient.Builder()
                        .sslSocketFactory(tls.getSocketFactory(), trustManager)
                        .build())
                .build();
    }

    @Test
    void settingsNameWhatIsMissingOrUnsafe() {
        var one = assertThrows(
                IllegalArgumentException.class,
                () -> new StorageAccount("", "https://a.table.core.windows.net", "", ""));
        assertTrue(one.getMessage().contains("both"), one.getMessage());
        var http = assertThrows(
                IllegalArgumentException.class,
                () -> new StorageAccount("", "http://a.table.core.windows.net", "http://a.blob.core.windows.net", ""));
        assertTrue(http.getMessage().contains("https"), http.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new StorageAccount("", "", "", ""));
    }
}
