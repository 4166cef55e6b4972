package io.codingengine.api.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.codingengine.api.access.TestKeys;
import io.codingengine.common.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;
import tools.jackson.databind.JsonNode;

/**
 * The system tests' side of the judge API, as an admin, and their waits on the processes: each
 * failure message ends with the processes' logs ({@code logs}).
 */
final class JudgeClient {

    /** Three tests of 2 s each (the run limit is 3 s per test): about 6 s of judging to break into. */
    static final String SLOW = """
            {"participant":"%s","language":"python","files":[{"content":"import time\\ntime.sleep(2)\\nprint(int(input()) * 2)"}],
             "tests":[{"name":"a","input":"1\\n","expectedOutput":"2\\n","visible":true},
                      {"name":"b","input":"2\\n","expectedOutput":"4\\n","visible":true},
                      {"name":"c","input":"3\\n","expectedOutput":"6\\n","visible":true}]}""";
    /** One test, judged in moments. */
    static final String FAST = """
            {"participant":"%s","language":"python","files":[{"content":"print(int(input()) + 1)"}],
             "tests":[{"name":"a","input":"41\\n","expectedOutput":"42\\n","visible":true}]}""";

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final int port;
    private final Supplier<String> logs;

    JudgeClient(int port, Supplier<String> logs) {
        this.port = port;
        this.logs = logs;
    }

    /** Submits and returns the ticket; the answer must be 202. */
    String submit(String body) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/api/v1/submissions"))
                .header("Content-Type", "application/json")
                .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertEquals(202, r.statusCode(), r.body() + "\n" + logs.get());
        return Json.mapper().readTree(r.body()).get("ticket").asString();
    }

    JsonNode view(String id) {
        HttpResponse<String> r = send(get("/api/v1/submissions/" + id));
        assertEquals(200, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body());
    }

    /** A GET as the admin. */
    HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(uri(path))
                .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                .GET();
    }

    /** Waits for DONE; the api may answer errors meanwhile (its store or itself may be down). */
    JsonNode awaitDone(String id) {
        try {
            return await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions()
                    .until(() -> view(id), v -> "DONE".equals(v.get("status").asString()));
        } catch (ConditionTimeoutException e) {
            String last;
            try {
                last = view(id).toString();
            } catch (RuntimeException | AssertionError ex) {
                last = ex.toString();
            }
            throw new AssertionError(id + " is not DONE, last seen: " + last + "\n" + logs.get(), e);
        }
    }

    /** Waits until the api answers its home page. */
    void awaitUp(TestProcess api) {
        awaitReady(
                api,
                Duration.ofSeconds(60),
                () -> send(HttpRequest.newBuilder(uri("/"))
                                        .timeout(Duration.ofSeconds(2))
                                        .GET())
                                .statusCode()
                        == 200);
    }

    /** Waits until {@code ready}; fails at once, with its log, if the process exited. */
    static void awaitReady(TestProcess p, Duration atMost, Callable<Boolean> ready) {
        try {
            await().atMost(atMost)
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(() -> !p.isAlive() || ready.call());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(p.name() + " not ready within " + atMost + "\n" + p.tail(), e);
        }
        if (!p.isAlive()) {
            throw new AssertionError(p.name() + " exited at start (code " + p.exitValue() + ")\n" + p.tail());
        }
    }

    /** Waits a minute at most for {@code condition}. */
    void awaitLog(String what, Callable<Boolean> condition) {
        try {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("waited in vain for: " + what + "\n" + logs.get(), e);
        }
    }

    static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }
}
