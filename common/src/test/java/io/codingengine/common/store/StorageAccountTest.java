package io.codingengine.common.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.util.BinaryData;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

/** Which clients the storage settings build: connection string (real Azurite) or endpoints with a token. */
@ExtendWith(AzuriteExtension.class)
class StorageAccountTest {

    /** STAND-IN for Microsoft Entra ID: records the scopes asked for and hands out an opaque token. */
    private final List<String> scopesAsked = new CopyOnWriteArrayList<>();
    private final TokenCredential entraStandIn = context -> {
        scopesAsked.addAll(context.getScopes());
        return Mono.just(new AccessToken("stand-in-token", OffsetDateTime.now(ZoneOffset.UTC).plusHours(1)));
    };

    @Test
    void aConnectionStringReachesAzuriteWithoutAskingForACredential() {
        StorageAccount account = StorageAccount.connectionString(AzuriteExtension.connectionString());
        assertFalse(account.usesIdentity());
        StorageAccount.Clients clients = account.connect(() -> {
            throw new AssertionError("no credential with a connection string");
        });
        String name = "sa" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        clients.tables().createTable(name);
        assertTrue(clients.tables().listTables().stream().anyMatch(t -> t.getName().equals(name)));
        var container = clients.blobs().createBlobContainer(name);
        container.getBlobClient("b").upload(BinaryData.fromString("hi"));
        assertEquals("hi", container.getBlobClient("b").downloadContent().toString());
    }

    @Test
    void endpointsSelectTheIdentityAndRequestsCarryAStorageToken() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String tables = "https://127.0.0.1:" + closedPort + "/acct";
        String blobs = "https://127.0.0.1:" + closedPort + "/acct-blob";
        StorageAccount account = new StorageAccount(AzuriteExtension.connectionString(), tables, blobs, "");
        assertTrue(account.usesIdentity(), "the endpoints win over the connection string");

        StorageAccount.Clients clients = account.connect(() -> entraStandIn);
        assertEquals(tables, clients.tables().getServiceEndpoint());
        assertEquals(blobs, clients.blobs().getAccountUrl());
        // Nothing listens there: the request fails after its retries, but only after the client
        // asked the credential for a Storage token, which shows how it authenticates.
        CompletableFuture.runAsync(() -> clients.tables().listTables().stream().findAny());
        await().atMost(Duration.ofSeconds(20)).until(() -> !scopesAsked.isEmpty());
        assertEquals("https://storage.azure.com/.default", scopesAsked.getFirst());
    }

    @Test
    void settingsNameWhatIsMissingOrUnsafe() {
        var one = assertThrows(IllegalArgumentException.class,
                () -> new StorageAccount("", "https://a.table.core.windows.net", "", ""));
        assertTrue(one.getMessage().contains("both"), one.getMessage());
        var http = assertThrows(IllegalArgumentException.class,
                () -> new StorageAccount("", "http://a.table.core.windows.net", "http://a.blob.core.windows.net", ""));
        assertTrue(http.getMessage().contains("https"), http.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new StorageAccount("", "", "", ""));
    }
}
