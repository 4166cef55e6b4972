package io.codingengine.common.queue;

import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.models.ServiceBusReceiveMode;
import com.azure.messaging.servicebus.models.SubQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.MountableFile;

/**
 * The official Service Bus emulator and the SQL Server it stores its state in, as two containers
 * on one network (test/resources/servicebus/config.json declares the lanes with a 5 s lock and the
 * session-enabled reply queue). Needs a Docker engine: {@link #dockerAvailable()} says whether
 * there is one, so that tests can be skipped with a reason where there is not.
 */
final class ServiceBusEmulator implements AutoCloseable {

    static final String SKIP_REASON = "no Docker engine reachable: the Service Bus emulator"
            + " (mcr.microsoft.com/azure-messaging/servicebus-emulator) cannot run, so the queue contract"
            + " is not run against ServiceBusSubmissionQueue here";

    private static final String SQL_ALIAS = "sqlhost";
    private static final String SQL_PASSWORD = "Ce-emulator-1";
    private static final int AMQP_PORT = 5672;
    /** Longer than the test queues' 5 s lock, so a message locked by a closed client comes back. */
    private static final Duration PURGE_PATIENCE = Duration.ofSeconds(15);

    private final Network network = Network.newNetwork();
    private final GenericContainer<?> sql;
    private final GenericContainer<?> emulator;

    private ServiceBusEmulator() {
        sql = new GenericContainer<>("mcr.microsoft.com/mssql/server:2022-latest")
                .withNetwork(network)
                .withNetworkAliases(SQL_ALIAS)
                .withEnv("ACCEPT_EULA", "Y")
                .withEnv("MSSQL_SA_PASSWORD", SQL_PASSWORD)
                .waitingFor(Wait.forLogMessage(".*SQL Server is now ready for client connections.*", 1)
                        .withStartupTimeout(Duration.ofMinutes(3)));
        emulator = new GenericContainer<>("mcr.microsoft.com/azure-messaging/servicebus-emulator:latest")
                .withNetwork(network)
                .dependsOn(sql)
                .withEnv("ACCEPT_EULA", "Y")
                .withEnv("SQL_SERVER", SQL_ALIAS)
                .withEnv("MSSQL_SA_PASSWORD", SQL_PASSWORD)
                .withEnv("SQL_WAIT_INTERVAL", "0")
                .withCopyFileToContainer(
                        MountableFile.forClasspathResource("servicebus/config.json"),
                        "/ServiceBus_Emulator/ConfigFiles/Config.json")
                .withExposedPorts(AMQP_PORT)
                .waitingFor(Wait.forLogMessage(".*Emulator Service is Successfully Up!.*", 1)
                        .withStartupTimeout(Duration.ofMinutes(3)));
    }

    static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    static ServiceBusEmulator start() {
        ServiceBusEmulator emulator = new ServiceBusEmulator();
        emulator.emulator.start();
        return emulator;
    }

    /** The emulator's well-known development connection string (not a secret) on the mapped port. */
    String connectionString() {
        return "Endpoint=sb://" + emulator.getHost() + ":" + emulator.getMappedPort(AMQP_PORT)
                + ";SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;";
    }

    /**
     * Receives and deletes everything in the lanes and their dead letters, until peeking finds
     * nothing (a message still locked by a closed client of the last test comes back when its lock
     * ends), so that each test starts from empty queues: the emulator cannot be reset faster than
     * it restarts.
     */
    void purge(ServiceBusSettings settings) {
        ServiceBusClientBuilder builder = new ServiceBusClientBuilder().connectionString(connectionString());
        List<ServiceBusReceiverClient> receivers = new ArrayList<>();
        for (String queue : settings.lanes().values()) {
            receivers.add(builder.receiver()
                    .queueName(queue)
                    .receiveMode(ServiceBusReceiveMode.RECEIVE_AND_DELETE)
                    .buildClient());
            receivers.add(builder.receiver()
                    .queueName(queue)
                    .subQueue(SubQueue.DEAD_LETTER_QUEUE)
                    .receiveMode(ServiceBusReceiveMode.RECEIVE_AND_DELETE)
                    .buildClient());
        }
        long deadline = System.nanoTime() + PURGE_PATIENCE.toNanos();
        try {
            boolean empty;
            do {
                for (ServiceBusReceiverClient receiver : receivers) {
                    while (receiver.receiveMessages(100, Duration.ofMillis(300)).stream()
                            .findAny()
                            .isPresent()) {
                        // drained a batch
                    }
                }
                empty = receivers.stream()
                        .noneMatch(r -> r.peekMessages(1, 0).stream().findAny().isPresent());
            } while (!empty && System.nanoTime() < deadline);
            if (!empty) {
                throw new IllegalStateException("the emulator's queues did not empty within " + PURGE_PATIENCE);
            }
        } finally {
            receivers.forEach(ServiceBusReceiverClient::close);
        }
    }

    @Override
    public void close() {
        emulator.stop();
        sql.stop();
        network.close();
    }
}
