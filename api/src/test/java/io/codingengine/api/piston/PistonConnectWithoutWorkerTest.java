package io.codingengine.api.piston;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.codingengine.api.access.QueueApiSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A live run no worker takes: after {@code execute-timeout} its client gets an error event and 4002, as an execute gets 503. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"coding-engine.execution=queue", "coding-engine.broker-port=0", "coding-engine.execute-timeout=2s"
        })
class PistonConnectWithoutWorkerTest {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        QueueApiSettings.register(registry, "connect-without-worker");
    }

    @Test
    void aRunNoWorkerTakesEndsWithAnErrorAfterTheExecuteTimeout() throws Exception {
        PistonConnectClient client = PistonConnectClient.connect(port, null);
        client.send(Map.of(
                "type",
                "init",
                "language",
                "python",
                "version",
                "*",
                "files",
                List.of(Map.of("content", "print(input())"))));
        client.stdin("kept until a worker attaches\n");
        long start = System.nanoTime();
        assertEquals(
                "{\"type\":\"error\",\"message\":\"no worker answered within 2 s\"}",
                client.next().toString());
        assertEquals("4002 Notified Error", client.closeStatus());
        assertEquals(2, Math.round((System.nanoTime() - start) / 1e9), "at the execute timeout");
    }
}
