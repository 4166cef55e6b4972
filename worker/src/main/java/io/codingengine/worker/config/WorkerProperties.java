package io.codingengine.worker.config;

import io.codingengine.executor.compile.CompileSettings;
import io.codingengine.worker.judge.Judge;
import io.codingengine.worker.queue.WorkHandler;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of a worker (prefix {@code coding-engine.worker}; docs/configuration.md, "worker"), but
 * for those it shares with the api: the sandbox ({@link WorkerSandboxSettings}), the queue and the
 * Azure stores ({@link WorkerConnectionSettings}), and {@code coding-engine.store}
 * ({@link io.codingengine.common.config.StoreSettings}).
 *
 * @param id                this worker's name in judgements and logs; empty: host name and pid
 * @param interactiveSlots  sandbox slots on top of {@code slots} kept for the interactive lane's
 *                          work (Runs, Piston executes), each with a receiver of its own: a person
 *                          never waits behind judging. Its uids follow the judging slots'. (Not
 *                          interactive problems: those run in any slot, with its companion.)
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
 * @param settleOffSlots    a slot runs its next message while its last one's verdict, audit entry
 *                          and completion on the queue are written (one at a time per slot);
 *                          false: it writes them before it takes more
 * @param faultInjection    test aids that make the worker fail on purpose; all off by default
 */
@ConfigurationProperties("coding-engine.worker")
public record WorkerProperties(
        @DefaultValue("") String id,
        @DefaultValue("1") int interactiveSlots,
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
        @DefaultValue("0") int parallelTests,
        @DefaultValue("67108864") long outputBudgetBytes,
        @DefaultValue("5m") Duration judgingBudget,
        @DefaultValue("1073741824") long compileCacheBytes,
        @DefaultValue("true") boolean precompiledHeaders,
        @DefaultValue("/usr/local/lib/coding-engine/pch") Path pchDir,
        @DefaultValue("true") boolean warmJavac,
        @DefaultValue("200") int warmJavacRestartAfter,
        @DefaultValue("512") int warmJavacMemoryMib,
        @DefaultValue("true") boolean settleOffSlots,
        @DefaultValue FaultInjection faultInjection) {

    /** How the work handler settles and watches its work, from these properties. */
    public WorkHandler.Settings handling() {
        return new WorkHandler.Settings(
                effectiveId(),
                maxDeliveryCount,
                lockRenewal,
                heartbeat,
                sandboxProbeInterval,
                faultInjection.crashOnParticipant(),
                faultInjection.crashAfterVerdictOf(),
                judging(),
                settleOffSlots);
    }

    /** How a judging uses the executor, from these properties. */
    public Judge.Settings judging() {
        return new Judge.Settings(parallelTests, outputBudgetBytes, judgingBudget);
    }

    /** The executor's compile-speed settings from these properties. */
    public CompileSettings compileSettings() {
        return new CompileSettings(
                precompiledHeaders,
                pchDir,
                compileCacheBytes,
                warmJavac,
                warmJavacRestartAfter,
                warmJavacMemoryMib,
                CompileSettings.defaults().javacTimeout());
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
    public record FaultInjection(
            @DefaultValue("") String crashOnParticipant,
            @DefaultValue("") String crashAfterVerdictOf) {}

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
