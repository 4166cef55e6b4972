package io.codingengine.api.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.api.access.TestKeys;
import io.codingengine.common.store.PostgresExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * As {@link StoreOutageTest}, with the stores on PostgreSQL: the api's connections to the database
 * cut and refused. A request waits at most the pool's connection timeout (5 s) before its 503.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "coding-engine.execution=queue",
            "coding-engine.broker-port=0",
            "coding-engine.access.key-cache-ttl=0s"
        })
class PostgresOutageTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static CuttableProxy database;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        String dir = Files.createTempDirectory("ce-api-pg-outage-").toString();
        registry.add("coding-engine.data-dir", () -> dir);
        PostgresExtension.Database db = PostgresExtension.newDatabase("pgoutage");
        registry.add("spring.datasource.url", () -> throughProxy(db.jdbcUrl()));
        registry.add("spring.datasource.username", db::user);
        registry.add("coding-engine.access.admin-key-sha256", () -> TestKeys.ADMIN_SHA256);
    }

    private static String throughProxy(String jdbcUrl) {
        Matcher m = Pattern.compile("//[^:/]+:(\\d+)/").matcher(jdbcUrl);
        assertTrue(m.find(), jdbcUrl);
        try {
            database = new CuttableProxy(Integer.parseInt(m.group(1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jdbcUrl.replace(":" + m.group(1) + "/", ":" + database.port() + "/");
    }

    @AfterAll
    static void closeProxy() throws IOException {
        database.close();
    }

    @Test
    void aDatabaseOutageIs503WithRetryAfterAndPassesWhenItIsBack() throws Exception {
        assertEquals(
                202,
                send("POST", "/api/v1/submissions", StoreOutageTest.SUBMISSION).statusCode());
        database.cut();
        try {
            StoreOutageTest.assertUnavailable(send("POST", "/api/v1/submissions", StoreOutageTest.SUBMISSION));
            StoreOutageTest.assertUnavailable(send("GET", "/api/v1/submissions/s-" + System.nanoTime(), null));
        } finally {
            database.restore();
        }
        HttpResponse<String> back = send("POST", "/api/v1/submissions", StoreOutageTest.SUBMISSION);
        assertEquals(202, back.statusCode(), back.body());
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json")
                        .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
