package io.codingengine.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.api.access.Principal;
import io.codingengine.api.access.Role;
import io.codingengine.common.config.StoreSettings;
import io.codingengine.common.problem.BlobProblemStore;
import io.codingengine.common.queue.EmbeddedArtemisBroker;
import io.codingengine.common.store.AzuriteExtension;
import io.codingengine.common.store.StorageAccount;
import io.codingengine.common.store.StoreKind;
import io.codingengine.common.store.TableSubmissionStore;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;

/**
 * How the api's settings choose its Azure parts: the beans of {@link PipelineConfiguration} and
 * {@link AzureStoreConfiguration} built from bound settings, with a real Azurite for the
 * connection-string path.
 */
@ExtendWith(AzuriteExtension.class)
class AzureWiringTest {

    private final PipelineConfiguration configuration = new PipelineConfiguration();
    private final AzureStoreConfiguration stores = new AzureStoreConfiguration();

    private static ApiConnectionSettings bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("coding-engine", ApiConnectionSettings.class);
    }

    private static StoreKind store(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("coding-engine", StoreSettings.class)
                .store();
    }

    @Test
    void byDefaultTheQueueIsArtemisTheStoresArePostgresAndStorageIsAzuriteByConnectionString() {
        ApiConnectionSettings p = bind(Map.of());
        assertEquals("artemis", p.getQueue());
        assertEquals("", p.getBrokerUrl(), "no broker named: the api embeds one");
        assertEquals(StoreKind.POSTGRES, store(Map.of()));
        assertFalse(p.storageAccount().usesIdentity());
    }

    @Test
    void aConnectionStringGivesEveryStoreClientsOnThatAccount() {
        String prefix = "w" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        ApiConnectionSettings p = bind(Map.of(
                "coding-engine.storage", AzuriteExtension.connectionString(), "coding-engine.table-prefix", prefix));
        StorageAccount.Clients clients = p.storageAccount().connect();
        var keys = stores.apiKeyStore(clients, p);
        Principal judge = new Principal("judge", Role.ADMIN);
        assertEquals(Optional.of(judge), keys.authenticate(keys.issue(judge)));
        new TableSubmissionStore(clients.tables(), clients.blobs(), p.getTablePrefix());
        new BlobProblemStore(clients.blobs(), p.getTablePrefix());
        stores.accountStore(clients, p);
        stores.draftStore(clients, p);
        stores.clarificationStore(clients, p);
        for (String table : new String[] {"apikeys", "accounts", "drafts", "clarifications"}) {
            assertTrue(
                    clients.tables().listTables().stream()
                            .anyMatch(t -> t.getName().equals(prefix + table)),
                    table);
        }
        assertTrue(clients.blobs()
                .getBlobContainerClient(prefix.toLowerCase() + "-problems")
                .exists());
    }

    @Test
    void endpointsSelectTheManagedIdentityForTablesAndBlobs() {
        ApiConnectionSettings p = bind(Map.of(
                "coding-engine.table-endpoint", "https://ceacct.table.core.windows.net",
                "coding-engine.blob-endpoint", "https://ceacct.blob.core.windows.net",
                "coding-engine.managed-identity-client-id", "00000000-0000-0000-0000-000000000001"));
        assertTrue(p.storageAccount().usesIdentity());
        StorageAccount.Clients clients = p.storageAccount().connect();
        assertEquals("https://ceacct.table.core.windows.net", clients.tables().getServiceEndpoint());
        assertEquals("https://ceacct.blob.core.windows.net", clients.blobs().getAccountUrl());
    }

    @Test
    void serviceBusIsChosenByNamespaceWithTheIdentityOrByTheEmulatorsConnectionString() {
        ApiConnectionSettings azure =
                bind(Map.of("coding-engine.queue", "servicebus", "coding-engine.servicebus-namespace", "ce-bus"));
        assertEquals("ce-bus.servicebus.windows.net", azure.serviceBus().fullyQualifiedNamespace());
        assertFalse(azure.serviceBus().usesEmulator());
        ApiConnectionSettings emulator = bind(
                Map.of(
                        "coding-engine.queue",
                        "servicebus",
                        "coding-engine.servicebus-emulator-connection-string",
                        "Endpoint=sb://localhost;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;"));
        assertTrue(emulator.serviceBus().usesEmulator());
        ApiConnectionSettings key = bind(Map.of(
                "coding-engine.servicebus-emulator-connection-string",
                "Endpoint=sb://ce-bus.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=s"));
        assertThrows(IllegalArgumentException.class, key::serviceBus);
    }

    @Test
    void theAzureProfileUsesServiceBusAndRefusesToFallBackToAzurite() throws Exception {
        Map<String, String> profile = new java.util.HashMap<>();
        PropertiesLoaderUtils.loadProperties(new ClassPathResource("application-azure.properties"))
                .forEach((k, v) -> profile.put(k.toString(), v.toString()));
        ApiConnectionSettings withoutEndpoints = bind(profile);
        assertEquals("servicebus", withoutEndpoints.getQueue());
        assertEquals(StoreKind.AZURE, store(profile));
        var missing = assertThrows(IllegalArgumentException.class, withoutEndpoints::storageAccount);
        assertTrue(missing.getMessage().contains("endpoints"), missing.getMessage());

        profile.put("coding-engine.table-endpoint", "https://ceacct.table.core.windows.net");
        profile.put("coding-engine.blob-endpoint", "https://ceacct.blob.core.windows.net");
        assertTrue(bind(profile).storageAccount().usesIdentity());
    }

    @Test
    void anUnknownStoreTechnologyIsRefusedWithTheSettingsName() {
        var error = assertThrows(RuntimeException.class, () -> store(Map.of("coding-engine.store", "mysql")));
        assertTrue(error.getMessage().contains("coding-engine.store"), error.getMessage());
    }

    @Test
    void anUnknownQueueTechnologyIsNamedInTheError() {
        ApiConnectionSettings p = bind(Map.of("coding-engine.queue", "rabbitmq"));
        var error = assertThrows(
                IllegalArgumentException.class,
                () -> configuration.submissionQueue(
                        p, new StaticListableBeanFactory().getBeanProvider(EmbeddedArtemisBroker.class)));
        assertTrue(error.getMessage().contains("coding-engine.queue"), error.getMessage());
    }
}
