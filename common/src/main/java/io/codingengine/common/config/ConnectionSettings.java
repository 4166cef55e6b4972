package io.codingengine.common.config;

import io.codingengine.common.queue.ArtemisBroker;
import io.codingengine.common.queue.ServiceBusSettings;
import io.codingengine.common.store.AzureStorage;
import io.codingengine.common.store.StorageAccount;

/**
 * Where a process finds the queue and the Azure stores, and as whom it reaches them: the settings
 * the api binds under {@code coding-engine.*} and the worker under {@code coding-engine.worker.*},
 * each through a subclass annotated with its prefix (docs/configuration.md). A bean rather than a
 * record because a record binds only under the one prefix of its own annotation; these are
 * declared here once for both.
 */
public class ConnectionSettings {

    /** {@code artemis} (the broker of {@link #brokerUrl}) or {@code servicebus}. */
    private String queue = "artemis";
    /** With {@code queue=artemis}: the broker; the api embeds one when this is empty. */
    private String brokerUrl = "";
    /**
     * The user this process logs in to the broker as (for the api, with {@code broker-url} set; and
     * the embedded broker's one user, whom every client must log in as); empty: no authentication,
     * which the embedded broker refuses unless it listens on loopback. For TLS, the broker URL
     * carries {@code ?sslEnabled=true;trustStorePath=…;trustStorePassword=…}.
     */
    private String brokerUser = "";
    /** That user's password. */
    private String brokerPassword = "";
    /** With {@code queue=servicebus}: the namespace, reached as the managed identity. */
    private String servicebusNamespace = "";
    /**
     * Instead of the namespace, the Service Bus EMULATOR's connection string; refused unless it
     * says {@code UseDevelopmentEmulator=true}.
     */
    private String servicebusEmulatorConnectionString = "";
    /** With {@code coding-engine.store=azure}: the account's connection string; ignored when the endpoints are set. */
    private String storage = AzureStorage.AZURITE_LOCAL;
    /** Prefix of this deployment's tables and blob containers. */
    private String tablePrefix = "ce";
    /** The account's table endpoint; with {@link #blobEndpoint}, selects the managed identity. */
    private String tableEndpoint = "";
    /** The account's blob endpoint. */
    private String blobEndpoint = "";
    /** Client id of the user-assigned identity for Service Bus and Storage; empty: the default credential chain. */
    private String managedIdentityClientId = "";

    public String getQueue() {
        return queue;
    }

    public void setQueue(String queue) {
        this.queue = queue;
    }

    public String getBrokerUrl() {
        return brokerUrl;
    }

    public void setBrokerUrl(String brokerUrl) {
        this.brokerUrl = brokerUrl;
    }

    public String getBrokerUser() {
        return brokerUser;
    }

    public void setBrokerUser(String brokerUser) {
        this.brokerUser = brokerUser;
    }

    public String getBrokerPassword() {
        return brokerPassword;
    }

    public void setBrokerPassword(String brokerPassword) {
        this.brokerPassword = brokerPassword;
    }

    public String getServicebusNamespace() {
        return servicebusNamespace;
    }

    public void setServicebusNamespace(String servicebusNamespace) {
        this.servicebusNamespace = servicebusNamespace;
    }

    public String getServicebusEmulatorConnectionString() {
        return servicebusEmulatorConnectionString;
    }

    public void setServicebusEmulatorConnectionString(String servicebusEmulatorConnectionString) {
        this.servicebusEmulatorConnectionString = servicebusEmulatorConnectionString;
    }

    public String getStorage() {
        return storage;
    }

    public void setStorage(String storage) {
        this.storage = storage;
    }

    public String getTablePrefix() {
        return tablePrefix;
    }

    public void setTablePrefix(String tablePrefix) {
        this.tablePrefix = tablePrefix;
    }

    public String getTableEndpoint() {
        return tableEndpoint;
    }

    public void setTableEndpoint(String tableEndpoint) {
        this.tableEndpoint = tableEndpoint;
    }

    public String getBlobEndpoint() {
        return blobEndpoint;
    }

    public void setBlobEndpoint(String blobEndpoint) {
        this.blobEndpoint = blobEndpoint;
    }

    public String getManagedIdentityClientId() {
        return managedIdentityClientId;
    }

    public void setManagedIdentityClientId(String managedIdentityClientId) {
        this.managedIdentityClientId = managedIdentityClientId;
    }

    /** The Artemis broker of {@link #brokerUrl}, for {@code queue=artemis}, as this process logs in to it. */
    public ArtemisBroker artemisBroker() {
        return new ArtemisBroker(brokerUrl, brokerUser, brokerPassword);
    }

    /** The storage account of the stores: the endpoints with the identity when set, else the connection string. */
    public StorageAccount storageAccount() {
        return new StorageAccount(storage, tableEndpoint, blobEndpoint, managedIdentityClientId);
    }

    /** The Service Bus settings, for {@code queue=servicebus}: the emulator's when its connection string is set. */
    public ServiceBusSettings serviceBus() {
        return servicebusEmulatorConnectionString.isBlank()
                ? ServiceBusSettings.azure(servicebusNamespace, managedIdentityClientId)
                : ServiceBusSettings.emulator(servicebusEmulatorConnectionString);
    }
}
