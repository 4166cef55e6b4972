package io.codingengine.common.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The queue contract against {@link ServiceBusSubmissionQueue} on the official Service Bus
 * emulator (Testcontainers), plus the reply channel. Where no Docker engine is reachable every
 * test is skipped, and the reason is printed in the test output.
 */
@ExtendWith(RequiresDocker.class)
class ServiceBusSubmissionQueueTest extends SubmissionQueueContract {

    private static ServiceBusEmulator emulator;

    @BeforeAll
    static void startEmulator() {
        if (ServiceBusEmulator.dockerAvailable()) {
            emulator = ServiceBusEmulator.start();
        }
    }

    @AfterAll
    static void stopEmulator() {
        if (emulator != null) {
            emulator.close();
        }
    }

    private static ServiceBusSettings settings() {
        return new ServiceBusSettings(
                "",
                emulator.connectionString(),
                "",
                ServiceBusSettings.DEFAULT_LANES,
                ServiceBusSettings.DEFAULT_REPLY_QUEUE,
                MAX_DELIVERY_COUNT,
                Duration.ofMillis(100),
                ServiceBusSettings.DEFAULT_TRY_TIMEOUT);
    }

    /** The emulator runs for the whole class; each test starts from empty lanes. */
    @Override
    protected void startBroker(Path dataDir) {
        emulator.purge(settings());
    }

    @Override
    protected void stopBroker() {}

    @Override
    protected SubmissionQueue connect() {
        return ServiceBusSubmissionQueue.connect(settings());
    }

    @Override
    @Test
    @Disabled("the Service Bus emulator keeps neither entities nor messages across a restart (a documented"
            + " limitation); on Azure, durability is the service's")
    void sentMessagesSurviveABrokerRestart() {}

    @Test
    void replyReachesTheListeningProcessThroughItsSession() throws Exception {
        try (ServiceBusReplyChannel api = ServiceBusReplyChannel.listening(settings());
                ServiceBusReplyChannel worker = ServiceBusReplyChannel.sending(settings())) {
            var reply = api.expect("r-1", ARRIVES);
            worker.reply(api.address(), "r-1", "{\"run\":{\"stdout\":\"hi\"}}");
            assertEquals("{\"run\":{\"stdout\":\"hi\"}}", reply.get(ARRIVES.toSeconds(), TimeUnit.SECONDS));
        }
    }
}
