package io.codingengine.api;

import io.codingengine.common.store.PostgresExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real app on a random port with the real sandboxed executor. Every test class extends this
 * one so they share one application context (one sandbox). The sandbox gets a fresh data dir,
 * its own cgroup name and uids 61000+ so it never meets the executor's own tests on this host.
 * These tests all execute from one address without a key, far faster than a person would, so
 * the per-address execution limit is lifted here ({@code PistonLimitsTest} tests it).
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "coding-engine.execution=local",
            "coding-engine.broker-port=0",
            "coding-engine.slots=2",
            "coding-engine.uid-base=61000",
            "coding-engine.cgroup-name=coding-engine-api-test",
            "coding-engine.limits.executions-per-minute=100000"
        })
public abstract class ApiTestBase {

    protected static final JsonMapper JSON = new JsonMapper();
    private static final Path DATA_DIR = createDataDir();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("coding-engine.data-dir", DATA_DIR::toString);
        PostgresSettings.register(registry, PostgresExtension.newDatabase("api"));
    }

    protected URI uri(String path) {
        return URI.create(baseUrl() + path);
    }

    protected String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    protected Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET());
    }

    /** POSTs {@code body} as {@code application/json}. */
    protected Response post(String path, String body) {
        return post(path, body, "application/json");
    }

    /** POSTs {@code body} with that content type, or with no Content-Type header when it is null. */
    protected Response post(String path, String body, String contentType) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(baseUrl() + path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request);
    }

    /** POSTs {@code body} to {@code /api/v2/execute} as JSON. */
    protected Response execute(String body) {
        return post("/api/v2/execute", body);
    }

    protected static String json(Object value) {
        return JSON.writeValueAsString(value);
    }

    protected Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response =
                    HTTP.send(request.timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
            return new Response(
                    response.statusCode(),
                    response.body(),
                    response.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path createDataDir() {
        try {
            return Files.createTempDirectory("ce-api-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An HTTP answer. */
    public record Response(int status, String body, String contentType) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        /** The {@code message} of an error body. */
        public String message() {
            return json().get("message").asString();
        }

        /** The keys of the body's top-level object, in order. */
        public List<String> keys() {
            return new ArrayList<>(json().propertyNames());
        }
    }
}
