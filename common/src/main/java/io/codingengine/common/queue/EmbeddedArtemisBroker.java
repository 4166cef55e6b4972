package io.codingengine.common.queue;

import io.netty.util.internal.PlatformDependent;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.Set;
import org.apache.activemq.artemis.api.core.Interceptor;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptor;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.ActiveMQServers;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager;

/**
 * An ActiveMQ Artemis broker inside this process, the local default behind
 * {@link ArtemisSubmissionQueue}: the api hosts it, and reaches it in-VM; worker processes reach it
 * over TCP. By default it listens on the loopback interface only, with no authentication:
 * sandboxed programs cannot reach it (their network namespace has a loopback of its own), and
 * every process of the host that can is the engine's or root's. To let other hosts' workers in,
 * it {@link Listener listens} on another address, and then only with a user and password (it
 * refuses to start without), which every client must give; a key store adds TLS.
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
    private static final java.util.concurrent.atomic.AtomicInteger IN_VM_IDS =
            new java.util.concurrent.atomic.AtomicInteger();

    private static final String NETTY_NO_UNSAFE = "io.netty.noUnsafe";

    /**
     * Where the TCP acceptor listens and whom it lets in.
     *
     * @param host             the address to listen on: {@code 127.0.0.1} admits this host's
     *                         processes only; any other ({@code 0.0.0.0}, one of the host's
     *                         addresses) lets other hosts' workers in and needs a user
     * @param port             the port; 0 picks a free one
     * @param user             the one user every client logs in as (the engine's processes);
     *                         empty: no authentication, on a loopback address only
     * @param password         that user's password
     * @param keyStore         a PKCS#12 (or JKS) key store with the broker's key and certificate:
     *                         the TCP acceptor speaks TLS; {@code null}: plain TCP
     * @param keyStorePassword the key store's password
     */
    public record Listener(
            String host, int port, String user, String password, Path keyStore, String keyStorePassword) {

        public Listener {
            Objects.requireNonNull(host, "host");
            user = Objects.requireNonNullElse(user, "");
            password = Objects.requireNonNullElse(password, "");
            keyStorePassword = Objects.requireNonNullElse(keyStorePassword, "");
            if (user.isEmpty() != password.isEmpty()) {
                throw new IllegalArgumentException("a broker user needs a password, and a password a user");
            }
            if (user.isEmpty() && !isLoopback(host)) {
                throw new IllegalArgumentException("the broker refuses to listen on " + host + " without a user and "
                        + "password: whoever reaches that port could read, take and forge every submission");
            }
        }

        /** On 127.0.0.1, without authentication. */
        public static Listener loopback(int port) {
            return new Listener(LOOPBACK, port, "", "", null, "");
        }

        /** Whether only this host's processes reach it. */
        public boolean onLoopback() {
            return isLoopback(host);
        }

        private static boolean isLoopback(String host) {
            try {
                return InetAddress.getByName(host).isLoopbackAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("the broker cannot listen on " + host + ": unknown host", e);
            }
        }

        /** The credentials of the api's own clients, in-VM. */
        ArtemisBroker inVm(String inVmUrl) {
            return new ArtemisBroker(inVmUrl, user, password);
        }

        /** Artemis' acceptor URL of this listener. */
        String acceptorUrl() {
            String url = "tcp://" + host + ":" + port;
            if (keyStore == null) {
                return url;
            }
            return url + "?sslEnabled=true;keyStorePath=" + keyStore.toAbsolutePath() + ";keyStorePassword="
                    + keyStorePassword + ";keyStoreType=" + (keyStore.toString().endsWith(".jks") ? "JKS" : "PKCS12");
        }
    }

    private static final String LOOPBACK = "127.0.0.1";

    private final ActiveMQServer server;
    private final String url;
    private final ArtemisBroker inVm;

    private EmbeddedArtemisBroker(ActiveMQServer server, String url, ArtemisBroker inVm) {
        this.server = server;
        this.inVm = inVm;
        this.url = url;
    }

    /** {@link #start(Path, Listener)} on 127.0.0.1:{@code port}, without authentication. */
    public static EmbeddedArtemisBroker start(Path dataDir, int port) {
        return start(dataDir, Listener.loopback(port));
    }

    /**
     * Starts a broker with its data under {@code dataDir} (created if missing), listening as
     * {@code listener} says and in-VM ({@link #inVm()}). One broker per data directory at a time:
     * Artemis locks the journal.
     *
     * @throws QueueException if the broker does not start, for example because the port is taken
     */
    public static EmbeddedArtemisBroker start(Path dataDir, Listener listener) {
        requireFreeableDirectBuffers();
        ActiveMQServer server;
        String inVmUrl = "vm://" + IN_VM_IDS.getAndIncrement();
        try {
            Configuration configuration = configuration(dataDir, listener, inVmUrl);
            server = listener.user().isEmpty()
                    ? ActiveMQServers.newActiveMQServer(configuration)
                    : ActiveMQServers.newActiveMQServer(
                            configuration,
                            ManagementFactory.getPlatformMBeanServer(),
                            new OneUser(listener.user(), listener.password()));
            server.start();
        } catch (Exception e) {
            throw new QueueException("the Artemis broker did not start in " + dataDir, e);
        }
        if (!server.isActive()) {
            stopQuietly(server);
            throw new QueueException("the Artemis broker in " + dataDir + " did not become active", null);
        }
        int actualPort = ((NettyAcceptor) server.getRemotingService().getAcceptor(TCP_ACCEPTOR)).getActualPort();
        String connectHost =
                listener.host().equals("0.0.0.0") || listener.host().equals("::") ? LOOPBACK : listener.host();
        return new EmbeddedArtemisBroker(server, "tcp://" + connectHost + ":" + actualPort, listener.inVm(inVmUrl));
    }

    /**
     * The broker's one user, with every right: the engine's processes are its only clients, and
     * each may send, receive and make the queues it uses. Passwords are compared in constant time.
     */
    private record OneUser(String user, String password) implements ActiveMQSecurityManager {

        @Override
        public boolean validateUser(String user, String password) {
            return user != null
                    && password != null
                    && this.user.equals(user)
                    && MessageDigest.isEqual(
                            this.password.getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public boolean validateUserAndRole(String user, String password, Set<Role> roles, CheckType checkType) {
            return validateUser(user, password);
        }
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
            throw new QueueException(
                    "the Artemis journal cannot free its buffers with this Netty: start the JVM " + "with -D"
                            + NETTY_NO_UNSAFE + "=false",
                    e);
        }
    }

    private static Configuration configuration(Path dataDir, Listener listener, String inVmUrl) throws Exception {
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
                .setSecurityEnabled(!listener.user().isEmpty())
                .setJMXManagementEnabled(false)
                // Its default timeouts stop the broker when a loaded 2-core host stalls a thread.
                .setCriticalAnalyzer(false)
                .addAcceptorConfiguration("in-vm", inVmUrl)
                .addAcceptorConfiguration(TCP_ACCEPTOR, listener.acceptorUrl())
                // The client counts deliveries, dead-letters with a reason and delays abandoned
                // messages itself (see ArtemisSubmissionQueue): the broker must neither drop nor
                // dead-letter after its default 10 attempts, nor delay redeliveries of crashes.
                .addAddressSetting(
                        ArtemisChannel.ADDRESS_PREFIX + "#",
                        new AddressSettings().setMaxDeliveryAttempts(-1).setRedeliveryDelay(0L))
                // A process's reply address (replies, live runs' events and controls) holds at most
                // this much: past it a send fails for that address alone. Without it, a backlog
                // lived in this process's heap and then in paging, where Artemis stops dispatching
                // to every live run of the address until the backlog drains.
                .addAddressSetting(
                        REPLY_ADDRESSES,
                        new AddressSettings()
                                .setMaxDeliveryAttempts(-1)
                                .setRedeliveryDelay(0L)
                                .setMaxSizeBytes(REPLY_ADDRESS_MAX_BYTES)
                                .setMaxSizeMessages(REPLY_ADDRESS_MAX_MESSAGES)
                                .setAddressFullMessagePolicy(AddressFullMessagePolicy.FAIL))
                // A live run's own address (its client's controls, ArtemisReplyChannel.inbox) holds at
                // most one run's share: a client whose run does not take its input fills its own
                // queue, its sends fail and its run is stopped, and no other run loses a message.
                // Every run's queue together stays under the broker's global bound (half the heap).
                .addAddressSetting(
                        LIVE_RUN_ADDRESSES,
                        new AddressSettings()
                                .setMaxDeliveryAttempts(-1)
                                .setRedeliveryDelay(0L)
                                .setMaxSizeBytes(LIVE_RUN_ADDRESS_MAX_BYTES)
                                .setMaxSizeMessages(LIVE_RUN_ADDRESS_MAX_MESSAGES)
                                .setAddressFullMessagePolicy(AddressFullMessagePolicy.FAIL));
    }

    /** Live runs' own addresses, {@code ce.live.<uuid>} ({@link ArtemisReplyChannel#inbox}). */
    static final String LIVE_RUN_ADDRESSES = ArtemisReplyChannel.LIVE_RUN_PREFIX + "#";
    /**
     * One run's backlog: more than a connection may send in all by default
     * ({@code piston.connect-max-messages}, 10000 messages, {@code max-stdin-bytes}, 1 MB), so a
     * client within its budget never meets it even when its worker takes nothing for a while.
     */
    static final long LIVE_RUN_ADDRESS_MAX_BYTES = 8L << 20;

    static final long LIVE_RUN_ADDRESS_MAX_MESSAGES = 20_000;

    /** The reply addresses' pattern, {@code ce.reply.<uuid>} ({@link ArtemisReplyChannel}). */
    static final String REPLY_ADDRESSES = ArtemisChannel.ADDRESS_PREFIX + "reply.#";
    /** About 250 execute results of two full 64 KiB streams each, or far more small events. */
    static final long REPLY_ADDRESS_MAX_BYTES = 32L << 20;

    static final long REPLY_ADDRESS_MAX_MESSAGES = 50_000;

    /**
     * Where worker processes of this host connect: {@code tcp://<host>:<port>} (127.0.0.1 when it
     * listens on every address); with TLS they add the trust store to it.
     */
    public String url() {
        return url;
    }

    /** Where clients in this process connect without a socket, with the listener's credentials. */
    public ArtemisBroker inVm() {
        return inVm;
    }

    /** {@link #inVm()}'s URL. */
    public String inVmUrl() {
        return inVm.url();
    }

    /** Every packet the broker receives from now on goes through {@code interceptor} first (tests: what clients ask). */
    void addIncomingInterceptor(Interceptor interceptor) {
        server.getRemotingService().addIncomingInterceptor(interceptor);
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
