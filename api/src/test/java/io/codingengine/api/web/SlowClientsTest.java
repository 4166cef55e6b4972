package io.codingengine.api.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.api.access.QueueApiSettings;
import io.codingengine.common.store.AzuriteExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Slow clients cannot take the api down: a body trickled one byte a second ends in 408 once the
 * body read deadline passes, requests beyond one address's share are 429 at once, and meanwhile
 * another client is served although more requests are open than Tomcat's default pool has
 * threads (200).
 */
@ExtendWith(AzuriteExtension.class)
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "coding-engine.execution=queue", "coding-engine.broker-port=0",
            "coding-engine.limits.body-read-timeout=3s", "coding-engine.limits.requests-per-address=220"
        })
class SlowClientsTest {

    private static final int SLOW = 250;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        QueueApiSettings.register(registry, "slow");
    }

    @Test
    void tricklingBodiesTimeOutAndCannotCrowdOutOtherClients() throws Exception {
        List<Socket> slow = new ArrayList<>();
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try (var readers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> statuses = new ArrayList<>();
            for (int i = 0; i < SLOW; i++) {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
                s.setSoTimeout(60_000);
                s.getOutputStream()
                        .write(("POST /api/v2/execute HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                        + "Transfer-Encoding: chunked\r\n\r\n1\r\n{\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                slow.add(s);
                statuses.add(readers.submit(() -> statusLine(s)));
            }
            trickle.scheduleAtFixedRate(
                    () -> slow.forEach(s -> {
                        try {
                            s.getOutputStream().write("1\r\n \r\n".getBytes(StandardCharsets.US_ASCII));
                        } catch (IOException answered) {
                            // the api answered and closed it
                        }
                    }),
                    1,
                    1,
                    TimeUnit.SECONDS);

            // another client, from another loopback address, while the slow requests are open
            Thread.sleep(1000);
            assertEquals(
                    "HTTP/1.1 200 ",
                    fromOtherAddress("GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));

            int timedOut = 0;
            int refused = 0;
            for (Future<String> status : statuses) {
                String line = status.get(60, TimeUnit.SECONDS);
                if (line.startsWith("HTTP/1.1 408")) {
                    timedOut++;
                } else if (line.startsWith("HTTP/1.1 429")) {
                    refused++;
                } else {
                    throw new AssertionError("a slow request was answered " + line);
                }
            }
            assertEquals(SLOW, timedOut + refused);
            assertTrue(refused >= SLOW - 220, "beyond the address's share: " + refused + " refused");
            assertTrue(
                    timedOut >= 200,
                    "more open at once than Tomcat's default pool has threads: " + timedOut + " timed out");
        } finally {
            trickle.shutdownNow();
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    private static String statusLine(Socket s) throws IOException {
        String line =
                new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        return line == null ? "(closed)" : line.substring(0, Math.min(line.length(), 13));
    }

    private String fromOtherAddress(String request) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return statusLine(s);
        }
    }
}
