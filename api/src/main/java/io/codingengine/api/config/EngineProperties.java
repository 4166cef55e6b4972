package io.codingengine.api.config;

import io.codingengine.common.queue.ServiceBusSettings;
import io.codingengine.common.store.AzureStorage;
import io.codingengine.common.store.StorageAccount;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the api process, under {@code coding-engine.*} (README "api settings").
 *
 * @param dataDir        root-owned directory of the sandbox: its helper binary, boxes and network namespaces
 * @param slots          programs run at once; {@code null} means one per core
 * @param uidBase        first unprivileged uid of the sandbox; slot {@code i} runs as {@code uidBase + i}
 * @param isolation      {@code auto}, {@code namespaces} (refuse to start without) or {@code process}
 * @param cgroupName     name of the sandbox's group in each cgroup hierarchy
 * @param maxRequestSize largest request body accepted; a larger one is answered with 413
 * @param queue          {@code artemis} (the broker below) or {@code servicebus}
 * @param servicebusNamespace the Service Bus namespace (managed identity), with {@code queue=servicebus}
 * @param servicebusEmulatorConnectionString the Service Bus EMULATOR's connection string, instead of
 *                       the namespace; refused unless it says {@code UseDevelopmentEmulator=true}
 * @param storage        the storage account's connection string (Azurite by default); ignored when
 *                       the endpoints are set
 * @param tableEndpoint  the account's table endpoint; with {@code blobEndpoint}, selects the managed identity
 * @param blobEndpoint   the account's blob endpoint
 * @param managedIdentityClientId client id of the user-assigned identity for Service Bus and
 *                       Storage; empty: {@code DefaultAzureCredential}'s chain
 */
@ConfigurationProperties("coding-engine")
public record EngineProperties(@DefaultValue("/var/lib/coding-engine") Path dataDir,
                               Integer slots,
                               @DefaultValue("60000") int uidBase,
                               @DefaultValue("auto") String isolation,
                               @DefaultValue("coding-engine") String cgroupName,
                               @DefaultValue("2MB") DataSize maxRequestSize,
                               @DefaultValue("queue") String execution,
                               @DefaultValue("") String brokerUrl,
                               @DefaultValue("61616") int brokerPort,
                               @DefaultValue(AzureStorage.AZURITE_LOCAL) String storage,
                               @DefaultValue("ce") String tablePrefix,
                               @DefaultValue("120s") Duration executeTimeout,
                               @DefaultValue("artemis") String queue,
                               @DefaultValue("") String servicebusNamespace,
                               @DefaultValue("") String servicebusEmulatorConnectionString,
                               @DefaultValue("") String tableEndpoint,
                               @DefaultValue("") String blobEndpoint,
                               @DefaultValue("") String managedIdentityClientId) {

    /** {@link #slots()}, or the number of cores when it is not set. */
    public int effectiveSlots() {
        return slots != null ? slots : Runtime.getRuntime().availableProcessors();
    }

    /** The storage account of the stores: the endpoints with the identity when set, else the connection string. */
    public StorageAccount storageAccount() {
        return new StorageAccount(storage, tableEndpoint, blobEndpoint, managedIdentityClientId);
    }

    /** The Service Bus settings, for {@code queue=servicebus}. */
    public ServiceBusSettings serviceBus() {
        return servicebusEmulatorConnectionString.isBlank()
                ? ServiceBusSettings.azure(servicebusNamespace, managedIdentityClientId)
                : ServiceBusSettings.emulator(servicebusEmulatorConnectionString);
    }
}
