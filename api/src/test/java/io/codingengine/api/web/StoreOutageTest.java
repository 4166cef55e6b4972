package io.codingengine.api.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.api.access.TestKeys;
import io.codingengine.common.store.AzuriteExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * While the store cannot be reached (the api's connections to Azurite cut and refused), clients
 * are told to come back: {@code 503} with {@code Retry-After}, in each API's error shape, never a
 * {@code 500}; once it is back, requests succeed again. {@link PostgresOutageTest} does the same
 * to the PostgreSQL stores.
 */
@ExtendWith(AzuriteExtension.class)
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "coding-engine.execution=queue",
            "coding-engine.broker-port=0",
            "coding-engine.access.key-cache-ttl=0s",
            "coding-engine.store=azure"
        })
class StoreOutageTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final String SUBMISSION = """
            {"participant":"p1","language":"python","files":[{"content":"print(input())"}],
             "tests":[{"name":"t","input":"1","expectedOutput":"1"}]}""";
    private static CuttableProxy blobs;
    private static CuttableProxy tables;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        String dir = java.nio.file.Files.createTempDirectory("ce-api-outage-").toString();
        registry.add("coding-engine.data-dir", () -> dir);
        registry.add("coding-engine.table-prefix", () -> "o" + System.nanoTime() % 100000000);
        registry.add("coding-engine.storage", StoreOutageTest::throughProxies);
        registry.add("coding-engine.access.admin-key-sha256", () -> TestKeys.ADMIN_SHA256);
    }

    /** Azurite's connection string with its blob and table endpoints behind a proxy each. */
    private static String throughProxies() {
        String direct = AzuriteExtension.connectionString();
        try {
            blobs = new CuttableProxy(endpointPort(direct, "BlobEndpoint"));
            tables = new CuttableProxy(endpointPort(direct, "TableEndpoint"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return direct.replace(":" + endpointPort(direct, "BlobEndpoint") + "/", ":" + blobs.port() + "/")
                .replace(":" + endpointPort(direct, "TableEndpoint") + "/", ":" + tables.port() + "/");
    }

    private static int endpointPort(String connectionString, String endpoint) {
        Matcher m = Pattern.compile(endpoint + "=http://[^:]+:(\\d+)/").matcher(connectionString);
        assertTrue(m.find(), connectionString);
        return Integer.parseInt(m.group(1));
    }

    @AfterAll
    static void closeProxies() throws IOException {
        blobs.close();
        tables.close();
    }

    @Test
    void aStoreOutageIs503WithRetryAfterAndPassesWhenTheStoreIsBack() throws Exception {
        assertEquals(
                202,
                send("POST", "/api/v1/submissions", SUBMISSION, TestKeys.ADMIN).statusCode());
        blobs.cut();
        tables.cut();
        try {
            HttpResponse<String> submit = send("POST", "/api/v1/submissions", SUBMISSION, TestKeys.ADMIN);
            assertUnavailable(submit);
            assertEquals(503, JSON.readTree(submit.body()).get("status").asInt(), "a problem detail: " + submit.body());
            assertUnavailable(send("GET", "/api/v1/submissions/s-" + System.nanoTime(), null, TestKeys.ADMIN));
            HttpResponse<String> unknownKey =
                    send("GET", "/api/v1/submissions", null, "ce_0123456789abcdef0123456789abcdef");
            assertUnavailable(unknownKey); // the key lookup, in a filter, before any controller
            HttpResponse<String> piston = send(
                    "POST",
                    "/api/v2/execute",
                    "{\"language\":\"python\",\"version\":\"*\",\"files\":[{\"content\":\"print(1)\"}]}",
                    null);
            assertUnavailable(piston);
            assertTrue(JSON.readTree(piston.body()).has("message"), "Piston's error shape: " + piston.body());
        } finally {
            blobs.restore();
            tables.restore();
        }
        HttpResponse<String> back = send("POST", "/api/v1/submissions", SUBMISSION, TestKeys.ADMIN);
        assertEquals(202, back.statusCode(), back.body());
    }

    static void assertUnavailable(HttpResponse<String> r) {
        assertEquals(503, r.statusCode(), r.body());
        assertTrue(
                r.headers().firstValue("Retry-After").isPresent(), r.headers().toString());
        assertTrue(r.body().contains("storage is unreachable"), r.body());
    }

    private HttpResponse<String> send(String method, String path, String body, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (key != null) {
            b.header("Authorization", TestKeys.bearer(key));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
