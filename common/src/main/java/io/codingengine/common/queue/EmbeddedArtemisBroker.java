package io.codingengine.common.queue;

import io.netty.util.internal.PlatformDependent;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptor;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.ActiveMQServers;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * An ActiveMQ Artemis broker inside this process, the local default behind
 * {@link ArtemisSubmissionQueue}: the api hosts it, and reaches it in-VM; worker processes reach it
 * over TCP on the loopback interface only. Sandboxed programs cannot reach it: their network
 * namespace has a loopback of its own. It has no authentication, so a deployment that spans hosts
 * uses an external broker instead.
 *
 * <p>Messages are persistent: the journal, bindings and large messages live under the data
 * directory, so a restarted broker on the same directory has every message that was sent and not
 * completed.
 *
 * <p>The broker is here in {@code common} beside its client, but its dependency,
 * {@code artemis-server}, is optional in this module: the api (which hosts the broker) and the
 * tests declare it, while workers, which only connect, do not carry a broker on their classpath.
 */
public final class EmbeddedArtemisBroker {

    /** Artemis' customary port. */
    public static final int DEFAULT_PORT = 61616;

    private static final String TCP_ACCEPTOR = "tcp";
    /** In-VM acceptor ids are per JVM: each broker of a JVM (tests run several) gets its own. */
    private static final java.util.concurrent.atomic.AtomicInteger IN_VM_IDS = new java.util.concurrent.atomic.AtomicInteger();
    private static final String NETTY_NO_UNSAFE = "io.netty.noUnsafe";

    private final ActiveMQServer server;
    private final String url;
    private final String inVmUrl;

    private EmbeddedArtemisBroker(ActiveMQServer server, String url, String inVmUrl) {
        this.server = server;
        this.inVmUrl = inVmUrl;
        this.url = url;
    }

    /**
     * Starts a broker with its data under {@code dataDir} (created if missing), listening on
     * 127.0.0.1:{@code port} (0 picks a free port) and in-VM at {@link #inVmUrl()}. One broker per
     * data directory at a time: Artemis locks the journal.
     *
     * @throws QueueException if the broker does not start, for example because the port is taken
     */
    public static EmbeddedArtemisBroker start(Path dataDir, int port) {
        requireFreeableDirectBuffers();
        ActiveMQServer server;
        String inVmUrl = "vm://" + IN_VM_IDS.getAndIncrement();
        try {
            server = ActiveMQServers.newActiveMQServer(configuration(dataDir, port, inVmUrl));
            server.start();
        } catch (Exception e) {
            throw new QueueException("the Artemis broker did not start in " + dataDir, e);
        }
        if (!server.isActive()) {
            stopQuietly(server);
            throw new QueueException("the Artemis broker in " + dataDir + " did not become active", null);
        }
        int actualPort = ((NettyAcceptor) server.getRemotingService().getAcceptor(TCP_ACCEPTOR)).getActualPort();
        return new EmbeddedArtemisBroker(server, "tcp://127.0.0.1:" + actualPort, inVmUrl);
    }

    /**
     * Netty 4.2 (Spring Boot 4's) stops using {@code sun.misc.Unsafe} on Java 25 unless told
     * otherwise, and without it cannot free the plain direct buffers that Artemis 2.43's file
     * journal allocates: a broker restarted on an existing journal then fails to load it. So Netty
     * is told, before it initialises; the JVM prints a deprecation warning for it, which
     * {@code --sun-misc-unsafe-memory-access=allow} silences. If Netty was initialised earlier
     * without Unsafe, the broker refuses to start rather than fail on its next restart.
     */
    private static void requireFreeableDirectBuffers() {
        if (System.getProperty(NETTY_NO_UNSAFE) == null) {
            System.setProperty(NETTY_NO_UNSAFE, "false");
        }
        try {
            PlatformDependent.freeDirectBuffer(ByteBuffer.allocateDirect(1));
        } catch (UnsupportedOperationException e) {
            throw new QueueException("the Artemis journal cannot free its buffers with this Netty: start the JVM "
                    + "with -D" + NETTY_NO_UNSAFE + "=false", e);
        }
    }

    private static Configuration configuration(Path dataDir, int port, String inVmUrl) throws Exception {
        Path data = dataDir.toAbsolutePath();
        return new ConfigurationImpl()
                .setPersistenceEnabled(true)
                // NIO needs no native library; ASYNCIO would fall back to it with a warning anyway.
                .setJournalType(JournalType.NIO)
                .setJournalDirectory(data.resolve("journal").toString())
                .setBindingsDirectory(data.resolve("bindings").toString())
                .setLargeMessagesDirectory(data.resolve("large-messages").toString())
                .setPagingDirectory(data.resolve("paging").toString())
                // A crash of this process counts as a delivery of what it had handed out, so a
                // message that takes the whole api down is still dead-lettered in the end.
                .setPersistDeliveryCountBeforeDelivery(true)
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                // Its default timeouts stop the broker when a loaded 2-core host stalls a thread.
                .setCriticalAnalyzer(false)
                .addAcceptorConfiguration("in-vm", inVmUrl)
                .addAcceptorConfiguration(TCP_ACCEPTOR, "tcp://127.0.0.1:" + port)
                // The client counts deliveries, dead-letters with a reason and delays abandoned
                // messages itself (see ArtemisSubmissionQueue): the broker must neither drop nor
                // dead-letter after its default 10 attempts, nor delay redeliveries of crashes.
                .addAddressSetting(ArtemisChannel.ADDRESS_PREFIX + "#",
                        new AddressSettings().setMaxDeliveryAttempts(-1).setRedeliveryDelay(0L));
    }

    /** Where worker processes connect: {@code tcp://127.0.0.1:<port>}. */
    public String url() {
        return url;
    }

    /** Where clients in this process connect without a socket. */
    public String inVmUrl() {
        return inVmUrl;
    }

    /**
     * Stops the broker. Connected clients lose their unsettled deliveries and keep trying to
     * reconnect, which succeeds if a broker starts again on the same port.
     */
    public void stop() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new QueueException("the Artemis broker did not stop cleanly", e);
        }
    }

    private static void stopQuietly(ActiveMQServer server) {
        try {
            server.stop();
        } catch (Exception ignored) {
            // already failing to start; the start failure is what gets reported
        }
    }
}
