package io.codingengine.api.config;

import io.codingengine.common.config.ConnectionSettings;
import io.codingengine.common.queue.EmbeddedArtemisBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the api process, under {@code coding-engine.*} (docs/configuration.md, "api"), but
 * for those it shares with the worker: the sandbox ({@link ApiSandboxSettings}), the queue and the
 * Azure stores ({@link ApiConnectionSettings}), and {@code coding-engine.store}
 * ({@link io.codingengine.common.config.StoreSettings}).
 *
 * @param maxRequestSize largest request body accepted; a larger one is answered with 413
 * @param execution      {@code queue} (Piston executes go to the workers) or {@code local} (this
 *                       process's own sandbox)
 * @param brokerHost     where the embedded broker listens: {@code 127.0.0.1} (this host's workers
 *                       only), or an address other hosts' workers reach ({@code 0.0.0.0}, the
 *                       host's address), which needs {@code broker-user} ({@link ConnectionSettings})
 * @param brokerPort     TCP port of the embedded broker, where workers connect
 * @param brokerKeyStore a PKCS#12 (or {@code .jks}) key store with the embedded broker's key and
 *                       certificate: its TCP port speaks TLS; empty: plain TCP
 * @param brokerKeyStorePassword the key store's password
 * @param executeTimeout how long a Piston execute waits for a worker
 * @param access         who may call what (docs/operations.md, "Access and keys")
 * @param limits         rate, backpressure and request-size limits (docs/operations.md, "Limits")
 * @param retention      how long submissions and audit entries are kept
 * @param sweeper        when rounds that no queue message carries any more are sent again
 * @param piston         the Piston API's compatibility with clients of other deployments
 * @param faultInjection test aids that make the api fail on purpose; all off by default
 */
@ConfigurationProperties("coding-engine")
public record EngineProperties(
        @DefaultValue("2MB") DataSize maxRequestSize,
        @DefaultValue("queue") String execution,
        @DefaultValue("127.0.0.1") String brokerHost,
        @DefaultValue("61616") int brokerPort,
        @DefaultValue("") String brokerKeyStore,
        @DefaultValue("") String brokerKeyStorePassword,
        @DefaultValue("120s") Duration executeTimeout,
        @DefaultValue Access access,
        @DefaultValue Limits limits,
        @DefaultValue Retention retention,
        @DefaultValue Sweeper sweeper,
        @DefaultValue Piston piston,
        @DefaultValue FaultInjection faultInjection) {

    /**
     * @param pistonOpen     whether the Piston endpoints ({@code /api/v2/**}) need no key; the
     *                       {@code azure} profile turns this off
     * @param adminKeySha256 hex SHA-256 of a bootstrap admin key, so a fresh deployment has one
     *                       admin without a key in the table; empty: none
     * @param corsOrigins    origins allowed to call {@code /api/**} from a browser; empty: none
     * @param keyCacheTtl    how long a process remembers a valid key (a revocation through another
     *                       process takes this long to reach it); 0: ask the table every time
     * @param trustedProxies how many reverse proxies in front of the api append the address they
     *                       were reached from to {@code clientAddressHeader}: the client is the
     *                       address that many entries from the header's right end; 0 (the default):
     *                       the header is ignored and the client is the connection's peer
     *                       ({@code web/ClientAddress})
     * @param clientAddressHeader the header those proxies append to
     */
    public record Access(
            @DefaultValue("true") boolean pistonOpen,
            @DefaultValue("") String adminKeySha256,
            @DefaultValue List<String> corsOrigins,
            @DefaultValue("30s") Duration keyCacheTtl,
            @DefaultValue("0") int trustedProxies,
            @DefaultValue("X-Forwarded-For") String clientAddressHeader) {
        public Access {
            if (trustedProxies < 0 || trustedProxies > 10) {
                throw new IllegalArgumentException(
                        "coding-engine.access.trusted-proxies must be 0..10, was " + trustedProxies);
            }
            if (trustedProxies > 0 && (clientAddressHeader == null || clientAddressHeader.isBlank())) {
                throw new IllegalArgumentException(
                        "coding-engine.access.client-address-header is required with trusted-proxies");
            }
        }
    }

    /**
     * @param submissionsPerMinute submissions one participant key, and one participant, may make per minute
     * @param serviceSubmissionsPerMinute submissions one service or admin key may make per minute (for many participants)
     * @param executionsPerMinute  Piston executions one key may make per minute, and, on an open
     *                             Piston endpoint, one client address without a key
     * @param maxWaiting           submissions of one participant queued or running at once (1..1000)
     * @param maxQueueDepth        deeper than this (all lanes), new work gets 503
     * @param maxTests             inline tests of one submission
     * @param maxStdinBytes        stdin of one run and input of one inline test
     * @param openEntriesPerAddress entries by name (open contests) one client address may make at
     *                             once; they come back evenly over {@code entryWindow}
     * @param tokenFailuresPerAddress wrong invitation tokens one client address may send at once
     *                             (any contest); they come back evenly over {@code entryWindow}
     * @param tokenFailuresPerContest wrong invitation tokens one contest takes at once from all
     *                             addresses together; they come back evenly over {@code entryWindow}
     * @param signInFailuresPerAccount wrong passwords one open contest's account takes at once
     *                             from all addresses together; they come back evenly over {@code entryWindow}
     * @param entryWindow          the period over which the entry limits above refill
     * @param bodyReadTimeout      how long a request body may take to arrive, whole; then 408
     * @param requestsPerAddress   requests one client address may have in progress at once; more
     *                             are 429 (slow clients cannot take every connection)
     * @param questionsPerHour     clarification requests one participant of a contest may send at
     *                             once; they come back evenly over an hour
     * @param executionsInFlight   Piston executions and live runs one caller (a client address
     *                             without a key, a participant key) may have running at once
     * @param executionsInFlightPerAddress those of one client address, whatever participant keys
     *                             they use (its runs without a key included)
     */
    public record Limits(
            @DefaultValue("20") int submissionsPerMinute,
            @DefaultValue("6000") int serviceSubmissionsPerMinute,
            @DefaultValue("60") int executionsPerMinute,
            @DefaultValue("5") int maxWaiting,
            @DefaultValue("2000") long maxQueueDepth,
            @DefaultValue("1000") int maxTests,
            @DefaultValue("1MB") DataSize maxStdinBytes,
            @DefaultValue("10") int openEntriesPerAddress,
            @DefaultValue("10") int tokenFailuresPerAddress,
            @DefaultValue("100") int tokenFailuresPerContest,
            @DefaultValue("10") int signInFailuresPerAccount,
            @DefaultValue("5m") Duration entryWindow,
            @DefaultValue("10s") Duration bodyReadTimeout,
            @DefaultValue("100") int requestsPerAddress,
            @DefaultValue("20") int questionsPerHour,
            @DefaultValue("2") int executionsInFlight,
            @DefaultValue("60") int draftSavesPerMinute,
            @DefaultValue("10") int signInsPerAccount,
            @DefaultValue("10") int keysPerParticipant,
            @DefaultValue("2") int executionsInFlightPerAddress) {
        public Limits {
            if (submissionsPerMinute < 1 || serviceSubmissionsPerMinute < 1 || executionsPerMinute < 1) {
                throw new IllegalArgumentException("coding-engine.limits.*-per-minute must be at least 1");
            }
            if (executionsInFlight < 1 || executionsInFlightPerAddress < 1) {
                throw new IllegalArgumentException("coding-engine.limits.executions-in-flight and"
                        + " executions-in-flight-per-address must be at least 1");
            }
            if (openEntriesPerAddress < 1
                    || tokenFailuresPerAddress < 1
                    || tokenFailuresPerContest < 1
                    || signInFailuresPerAccount < 1) {
                throw new IllegalArgumentException("coding-engine.limits.open-entries-per-address, "
                        + "token-failures-per-* and sign-in-failures-per-account must be at least 1");
            }
            if (entryWindow == null || entryWindow.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException(
                        "coding-engine.limits.entry-window must be at least 1s, was " + entryWindow);
            }
            if (bodyReadTimeout == null || bodyReadTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException(
                        "coding-engine.limits.body-read-timeout must be at least 1s, was " + bodyReadTimeout);
            }
            if (requestsPerAddress < 1) {
                throw new IllegalArgumentException("coding-engine.limits.requests-per-address must be at least 1");
            }
            if (draftSavesPerMinute < 1 || signInsPerAccount < 1 || keysPerParticipant < 1) {
                throw new IllegalArgumentException("coding-engine.limits.draft-saves-per-minute, sign-ins-per-account"
                        + " and keys-per-participant must be at least 1");
            }
            if (questionsPerHour < 1) {
                throw new IllegalArgumentException("coding-engine.limits.questions-per-hour must be at least 1");
            }
            if (maxWaiting < 1 || maxWaiting > 1000) {
                // checked by reading that many of the participant's newest submissions: one page
                throw new IllegalArgumentException(
                        "coding-engine.limits.max-waiting must be 1..1000, was " + maxWaiting);
            }
        }
    }

    /**
     * @param period how long a submission's source, outputs and audit entries are kept; 0 keeps them
     * @param sweep  how often the purge runs
     */
    public record Retention(
            @DefaultValue("90d") Duration period,
            @DefaultValue("1h") Duration sweep) {}

    /**
     * @param compatibleVersions versions clients ask for that are not installed, each with the
     *                           installed versions that run in its place; the defaults (in
     *                           application.properties) are the seed deployment's four runtimes
     * @param connectInitTimeout how long a {@code /api/v2/connect} client has to send its
     *                           {@code init} before the connection closes with 4001 (Piston's 1 s)
     * @param connectIdleTimeout how long a live run may go with neither input from its client nor
     *                           output, before it is stopped (status {@code TO}); its time limits hold besides
     */
    public record Piston(
            List<io.codingengine.api.piston.CompatibleVersion> compatibleVersions,
            @DefaultValue("1s") Duration connectInitTimeout,
            @DefaultValue("20s") Duration connectIdleTimeout,
            @DefaultValue("10000") long connectMaxMessages,
            @DefaultValue("200") int connectMessagesPerSecond) {
        public Piston {
            compatibleVersions = List.copyOf(compatibleVersions == null ? List.of() : compatibleVersions);
            if (connectMaxMessages < 1 || connectMessagesPerSecond < 1) {
                throw new IllegalArgumentException("coding-engine.piston.connect-max-messages and "
                        + "connect-messages-per-second must be at least 1");
            }
        }
    }

    /**
     * @param stuckAfter a round not judged whose submission has not changed for this long is sent
     *                   again (a worker judging it sends a heartbeat every
     *                   {@code coding-engine.worker.heartbeat}: keep this several of those, and
     *                   above the longest wait in the queue you expect, or some rounds are sent
     *                   twice, which costs a second judging but never a second verdict)
     * @param interval   how often each api process looks for them
     */
    public record Sweeper(
            @DefaultValue("10m") Duration stuckAfter,
            @DefaultValue("1m") Duration interval) {
        public Sweeper {
            if (!stuckAfter.isPositive() || !interval.isPositive()) {
                throw new IllegalArgumentException("coding-engine.sweeper.stuck-after and interval must be positive");
            }
        }
    }

    /**
     * Test aids, never for production: {@code coding-engine.fault-injection.*}.
     *
     * @param pauseBeforeQueueing when not empty, a submission of this participant is stored and
     *                            then not queued: the request hangs there (for an hour) so that a
     *                            system test can kill the api between the two
     */
    public record FaultInjection(@DefaultValue("") String pauseBeforeQueueing) {}

    /**
     * Where the embedded broker listens and whom it lets in (the user of {@code connections}):
     * refused beyond loopback without a user.
     */
    public EmbeddedArtemisBroker.Listener brokerListener(ConnectionSettings connections) {
        return new EmbeddedArtemisBroker.Listener(
                brokerHost,
                brokerPort,
                connections.getBrokerUser(),
                connections.getBrokerPassword(),
                brokerKeyStore.isBlank() ? null : Path.of(brokerKeyStore),
                brokerKeyStorePassword);
    }
}
