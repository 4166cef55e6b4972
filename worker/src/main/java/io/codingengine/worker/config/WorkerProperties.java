package io.codingengine.worker.config;

import io.codingengine.common.queue.ArtemisBroker;
import io.codingengine.common.queue.ServiceBusSettings;
import io.codingengine.executor.compile.CompileSettings;
import io.codingengine.common.store.AzureStorage;
import io.codingengine.common.store.StorageAccount;
import io.codingengine.worker.judge.Judge;
import io.codingengine.worker.queue.WorkHandler;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of a worker (prefix {@code coding-engine.worker}; docs/configuration.md, "worker").
 *
 * @param id                this worker's name in judgements and logs; empty: host name and pid
 * @param brokerUrl         the Artemis broker the api embeds (or an external one), with {@code queue=artemis};
 *                          for TLS add {@code ?sslEnabled=true;trustStorePath=…;trustStorePassword=…}
 * @param brokerUser        the user this worker logs in to the broker as; empty: none (a broker on
 *                          the api's loopback)
 * @param brokerPassword    that user's password
 * @param storage           with {@code coding-engine.store=azure}: the Azure Storage connection
 *                          string (Azurite locally); ignored when the endpoints are set
 * @param tablePrefix       prefix of the tables and containers of this deployment
 * @param slots             submissions judged at once; 0: one per core
 * @param interactiveSlots  sandbox slots on top of {@code slots} kept for interactive work (Runs,
 *                          Piston executes), each with a receiver of its own: a person never
 *                          waits behind judging. Its uids follow the judging slots'
 * @param dataDir           root-owned directory for the sandbox's boxes and helper
 * @param uidBase           first sandbox uid of this worker (several workers on one host need
 *                          ranges that do not overlap: slots are uidBase to uidBase + slots - 1)
 * @param isolation         {@code auto}, {@code namespaces} or {@code process}
 * @param cgroupName        the worker's group in each cgroup hierarchy
 * @param recycleAfter      runs a slot's pre-started box serves before it is rebuilt; 0: a fresh box per run
 * @param receiveWait       how long one receive waits for a message before looking again
 * @param lockRenewal       how often a long judging renews its message's lock
 * @param heartbeat         how often a judging tells the store it is alive, so that the api's
 *                          sweeper (which sends a round again after {@code coding-engine.sweeper.stuck-after}
 *                          without a change) leaves it alone; keep it well below that
 * @param sandboxProbeInterval after a run the sandbox failed under, the worker takes no work and
 *                          probes its sandbox this often until a probe passes
 * @param maxDeliveryCount  deliveries after which a message is poison; the worker's queue client
 *                          is configured with the same number
 * @param sessionPool       where code runs: {@code local} (this host's sandbox) or
 *                          {@code dynamic-sessions} (an Azure Container Apps session pool)
 * @param sessionPoolEndpoint the pool management endpoint, for {@code dynamic-sessions}
 * @param sessionPoolTimeout one request to the pool, compile and all tests included
 * @param sessionPoolPatience how long a busy or unreachable pool is retried before the judging waits and starts again
 * @param sessionPoolAuth   {@code entra} (a Microsoft Entra token for the pool) or {@code none}: no
 *                          token, only for docker-compose's session container; refused with the
 *                          {@code azure} profile and for a pool endpoint on Azure
 * @param managedIdentityClientId the user-assigned managed identity for the session pool, Service
 *                          Bus and Storage; empty: the default credential chain
 * @param parallelTests     lanes of one submission's tests run at once, each on its own slot;
 *                          0: as many as the executor has slots, 1: one test after another
 * @param outputBudgetBytes heap the captured outputs of one judging's runs may take at once, at
 *                          worst (every stream full, two bytes a byte); executor calls are cut to
 *                          fit, one run at least
 * @param judgingBudget     wall time of one judging's runs and checker runs, summed, after which
 *                          the tests not yet run are TLE; a problem's tests get at least
 *                          tests × (time limit + 1 s)
 * @param compileCacheBytes size bound of the compiled-artifact cache under the data dir; 0: off
 * @param precompiledHeaders build and use precompiled {@code <bits/stdc++.h>} (in {@code pchDir})
 * @param pchDir            where precompiled headers are built, shared by the engines of a host
 * @param warmJavac         compile Java in a long-lived sandboxed compiler JVM per JDK
 * @param warmJavacRestartAfter compiles after which a warm compiler is replaced
 * @param warmJavacMemoryMib heap of a warm compiler
 * @param queue             {@code artemis} (the broker above) or {@code servicebus}
 * @param servicebusNamespace the Service Bus namespace (managed identity), with {@code queue=servicebus}
 * @param servicebusEmulatorConnectionString the Service Bus EMULATOR's connection string, instead
 *                          of the namespace; refused unless it says {@code UseDevelopmentEmulator=true}
 * @param tableEndpoint     the storage account's table endpoint; with {@code blobEndpoint},
 *                          selects the managed identity
 * @param blobEndpoint      the storage account's blob endpoint
 * @param faultInjection    test aids that make the worker fail on purpose; all off by default
 */
@ConfigurationProperties("coding-engine.worker")
public record WorkerProperties(
        @DefaultValue("") String id,
        @DefaultValue("tcp://127.0.0.1:61616") String brokerUrl,
        @DefaultValue("") String brokerUser,
        @DefaultValue("") String brokerPassword,
        @DefaultValue(AzureStorage.AZURITE_LOCAL) String storage,
        @DefaultValue("ce") String tablePrefix,
        @DefaultValue("0") int slots,
        @DefaultValue("1") int interactiveSlots,
        @DefaultValue("/var/lib/coding-engine/worker") Path dataDir,
        @DefaultValue("60000") int uidBase,
        @DefaultValue("auto") String isolation,
        @DefaultValue("coding-engine-worker") String cgroupName,
        @DefaultValue("1000") int recycleAfter,
        @DefaultValue("1s") Duration receiveWait,
        @DefaultValue("10s") Duration lockRenewal,
        @DefaultValue("1m") Duration heartbeat,
        @DefaultValue("5s") Duration sandboxProbeInterval,
        @DefaultValue("5") int maxDeliveryCount,
        @DefaultValue("local") String sessionPool,
        @DefaultValue("") String sessionPoolEndpoint,
        @DefaultValue("5m") Duration sessionPoolTimeout,
        @DefaultValue("2m") Duration sessionPoolPatience,
        @DefaultValue("entra") String sessionPoolAuth,
        @DefaultValue("") String managedIdentityClientId,
        @DefaultValue("0") int parallelTests,
        @DefaultValue("67108864") long outputBudgetBytes,
        @DefaultValue("5m") Duration judgingBudget,
        @DefaultValue("1073741824") long compileCacheBytes,
        @DefaultValue("true") boolean precompiledHeaders,
        @DefaultValue("/usr/local/lib/coding-engine/pch") Path pchDir,
        @DefaultValue("true") boolean warmJavac,
        @DefaultValue("200") int warmJavacRestartAfter,
        @DefaultValue("512") int warmJavacMemoryMib,
        @DefaultValue FaultInjection faultInjection,
        @DefaultValue("artemis") String queue,
        @DefaultValue("") String servicebusNamespace,
        @DefaultValue("") String servicebusEmulatorConnectionString,
        @DefaultValue("") String tableEndpoint,
        @DefaultValue("") String blobEndpoint) {

    /** How the work handler settles and watches its work, from these properties. */
    public WorkHandler.Settings handling() {
        return new WorkHandler.Settings(effectiveId(), maxDeliveryCount, lockRenewal, heartbeat, sandboxProbeInterval,
                faultInjection.crashOnParticipant(), faultInjection.crashAfterVerdictOf(), judging());
    }

    /** How a judging uses the executor, from these properties. */
    public Judge.Settings judging() {
        return new Judge.Settings(parallelTests, outputBudgetBytes, judgingBudget);
    }

    /** The executor's compile-speed settings from these properties. */
    public CompileSettings compileSettings() {
        return new CompileSettings(precompiledHeaders, pchDir, compileCacheBytes, warmJavac, warmJavacRestartAfter,
                warmJavacMemoryMib, CompileSettings.defaults().javacTimeout());
    }

    /**
     * Test aids, never for production: {@code coding-engine.worker.fault-injection.*}.
     *
     * @param crashOnParticipant when not empty, the worker halts its JVM (as a crash would, no
     *                           clean-up) when it starts judging a submission of this participant;
     *                           the system tests use it for a submission that crashes every worker
     * @param crashAfterVerdictOf when not empty, the worker halts its JVM after storing the verdict
     *                           of a submission of this participant, before its audit entry
     */
    public record FaultInjection(@DefaultValue("") String crashOnParticipant,
                                 @DefaultValue("") String crashAfterVerdictOf) {
    }

    /** The Artemis broker, for {@code queue=artemis}, as this worker logs in to it. */
    public ArtemisBroker broker() {
        return new ArtemisBroker(brokerUrl, brokerUser, brokerPassword);
    }

    /** The storage account of the stores: the endpoints with the identity when set, else the connection string. */
    public StorageAccount storageAccount() {
        return new StorageAccount(storage, tableEndpoint, blobEndpoint, managedIdentityClientId);
    }

    /** The Service Bus settings, for {@code queue=servicebus}, dead-lettering after {@link #maxDeliveryCount()}. */
    public ServiceBusSettings serviceBus() {
        ServiceBusSettings settings = servicebusEmulatorConnectionString.isBlank()
                ? ServiceBusSettings.azure(servicebusNamespace, managedIdentityClientId)
                : ServiceBusSettings.emulator(servicebusEmulatorConnectionString);
        return settings.withMaxDeliveryCount(maxDeliveryCount);
    }

    public int effectiveSlots() {
        return slots > 0 ? slots : Runtime.getRuntime().availableProcessors();
    }

    public String effectiveId() {
        return id.isBlank() ? hostName() + "-" + ProcessHandle.current().pid() : id;
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "worker";
        }
    }
}
