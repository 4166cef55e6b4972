package io.codingengine.worker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.config.StoreSettings;
import io.codingengine.common.execution.Executor;
import io.codingengine.common.problem.BlobProblemStore;
import io.codingengine.common.store.AzuriteExtension;
import io.codingengine.common.store.StorageAccount;
import io.codingengine.common.store.StoreKind;
import io.codingengine.common.store.TableSubmissionStore;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;
import org.springframework.mock.env.MockEnvironment;

/**
 * How a worker's settings choose its Azure parts, through the beans of {@link WorkerConfiguration}
 * and {@link AzureStoreConfiguration}.
 */
@ExtendWith(AzuriteExtension.class)
class WorkerAzureWiringTest {

    private final WorkerConfiguration configuration = new WorkerConfiguration();

    private static WorkerConnectionSettings bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("coding-engine.worker", WorkerConnectionSettings.class);
    }

    private static WorkerProperties worker(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("coding-engine.worker", WorkerProperties.class);
    }

    @Test
    void byDefaultTheQueueIsTheApisEmbeddedBrokerOnThisHost() {
        WorkerConnectionSettings c = bind(Map.of());
        assertEquals("artemis", c.getQueue());
        assertEquals("tcp://127.0.0.1:61616", c.getBrokerUrl());
        assertEquals("ce", c.getTablePrefix());
        assertEquals(
                "tcp://10.0.0.5:61617",
                bind(Map.of("coding-engine.worker.broker-url", "tcp://10.0.0.5:61617"))
                        .getBrokerUrl());
    }

    @Test
    void theStoresShareTheAccountOfTheConnectionString() {
        String prefix = "v" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        WorkerConnectionSettings p = bind(Map.of(
                "coding-engine.worker.storage",
                AzuriteExtension.connectionString(),
                "coding-engine.worker.table-prefix",
                prefix));
        StorageAccount.Clients clients = p.storageAccount().connect();
        new TableSubmissionStore(clients.tables(), clients.blobs(), p.getTablePrefix());
        new BlobProblemStore(clients.blobs(), p.getTablePrefix());
        assertTrue(
                clients.tables().listTables().stream().anyMatch(t -> t.getName().equals(prefix + "submissions")));
    }

    @Test
    void theIdentityServesStorageAndServiceBusAndTheQueueDeadLettersAtTheWorkersCount() {
        Map<String, String> settings = Map.of(
                "coding-engine.worker.queue",
                "servicebus",
                "coding-engine.worker.servicebus-namespace",
                "ce-bus.servicebus.windows.net",
                "coding-engine.worker.table-endpoint",
                "https://ceacct.table.core.windows.net",
                "coding-engine.worker.blob-endpoint",
                "https://ceacct.blob.core.windows.net",
                "coding-engine.worker.managed-identity-client-id",
                "00000000-0000-0000-0000-000000000002",
                "coding-engine.worker.max-delivery-count",
                "7");
        WorkerConnectionSettings p = bind(settings);
        assertEquals(7, WorkerConfiguration.serviceBus(worker(settings), p).maxDeliveryCount());
        assertEquals(
                "00000000-0000-0000-0000-000000000002",
                WorkerConfiguration.serviceBus(worker(settings), p).managedIdentityClientId());
        StorageAccount.Clients clients = p.storageAccount().connect();
        assertEquals("https://ceacct.table.core.windows.net", clients.tables().getServiceEndpoint());
        assertEquals("https://ceacct.blob.core.windows.net", clients.blobs().getAccountUrl());
    }

    @Test
    void theStoresArePostgresUnlessTheAzureProfileSaysAzure() throws Exception {
        assertEquals(
                StoreKind.POSTGRES,
                new Binder(new MapConfigurationPropertySource(Map.of()))
                        .bindOrCreate("coding-engine", StoreSettings.class)
                        .store());
        Map<String, String> profile = new HashMap<>();
        PropertiesLoaderUtils.loadProperties(new ClassPathResource("application-azure.properties"))
                .forEach((k, v) -> profile.put(k.toString(), v.toString()));
        assertEquals(
                StoreKind.AZURE,
                new Binder(new MapConfigurationPropertySource(profile))
                        .bindOrCreate("coding-engine", StoreSettings.class)
                        .store());
    }

    @Test
    void serviceBusWithoutANamespaceSaysWhatToSet() {
        WorkerConnectionSettings p = bind(Map.of("coding-engine.worker.queue", "servicebus"));
        var error =
                assertThrows(IllegalArgumentException.class, () -> configuration.submissionQueue(worker(Map.of()), p));
        assertTrue(error.getMessage().contains("namespace"), error.getMessage());
    }

    /**
     * A worker on a session pool keeps requests for the interactive lane as a local one keeps
     * slots: its consumer starts that many receivers of the interactive lane alone besides one
     * per slot ({@code QueueConsumer}, {@code RunCapacityTest}).
     */
    @Test
    void aPoolWorkerKeepsRequestsForTheInteractiveLane() {
        Map<String, String> settings = new HashMap<>(Map.of(
                "coding-engine.worker.session-pool",
                "dynamic-sessions",
                "coding-engine.worker.session-pool-endpoint",
                "http://session:8080",
                "coding-engine.worker.session-pool-auth",
                "none",
                "coding-engine.worker.slots",
                "3"));
        Executor byDefault = poolExecutor(settings);
        assertEquals(3, byDefault.capacity());
        assertEquals(1, byDefault.interactiveCapacity(), "interactive-slots, 1 by default");
        settings.put("coding-engine.worker.interactive-slots", "0");
        assertEquals(0, poolExecutor(settings).interactiveCapacity());
    }

    private Executor poolExecutor(Map<String, String> settings) {
        Binder binder = new Binder(new MapConfigurationPropertySource(settings));
        return configuration.executor(
                worker(settings),
                binder.bindOrCreate("coding-engine.worker", WorkerSandboxSettings.class),
                bind(settings),
                new MockEnvironment());
    }
}
