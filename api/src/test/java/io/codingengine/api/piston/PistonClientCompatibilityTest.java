package io.codingengine.api.piston;

import static org.assertj.core.api.Assertions.assertThat;

import io.codingengine.api.ApiTestBase;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The unmodified npm package {@code piston-client} 1.0.2 against the running api: it sends JSON
 * as {@code text/plain}, memory limits of -1, args {@code 1 2 3}, and picks the "latest" version
 * itself from {@code /api/v2/runtimes}; and the npm WebSocket client {@code ws} on
 * {@code /api/v2/connect}. The packages are installed from the lock file in {@code src/test/js}
 * the first time (needs node and npm; CI installs them).
 */
class PistonClientCompatibilityTest extends ApiTestBase {

    private static final Path JS_DIR = Path.of("src/test/js").toAbsolutePath();

    @BeforeAll
    static void installClient() throws Exception {
        if (!Files.isRegularFile(JS_DIR.resolve("node_modules/piston-client/package.json"))
                || !Files.isRegularFile(JS_DIR.resolve("node_modules/ws/package.json"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
        }
    }

    @Test
    void pistonClientWorksUnchanged() throws Exception {
        String out =
                run(List.of("node", JS_DIR.resolve("piston-client-check.mjs").toString(), baseUrl()), 120);
        JsonNode result = JSON.readTree(out);

        JsonNode runtimes = result.get("runtimes");
        assertThat(runtimes.isArray()).isTrue();
        String python = null;
        for (JsonNode r : runtimes) {
            if (r.get("language").asString().equals("python")) {
                python = r.get("version").asString();
            }
        }
        assertThat(python).isNotNull();

        assertThat(result.at("/withRange/run/stdout").asString()).isEqualTo("1\n");
        assertThat(result.at("/withRange/language").asString()).isEqualTo("python");
        assertThat(result.at("/latest/run/stdout").asString())
                .as(result.get("latest").toString())
                .isEqualTo("42\n");
        assertThat(result.at("/latest/version").asString()).isEqualTo(python);
        assertThat(result.at("/args/run/stdout").asString()).isEqualTo("['1', '2', '3']\n");
        assertThat(result.at("/withStdin/run/stdout").asString()).isEqualTo("cba\n");
        assertThat(result.at("/withStdin/run/code").asInt()).isZero();
    }

    /** The npm WebSocket client {@code ws} on {@code /api/v2/connect}: an echo answers a line, then SIGKILL ends it. */
    @Test
    void theWsClientTalksToConnect() throws Exception {
        JsonNode result = JSON.readTree(
                run(List.of("node", JS_DIR.resolve("connect-check.mjs").toString(), baseUrl()), 120));
        List<String> types = new java.util.ArrayList<>();
        result.get("events").forEach(e -> types.add(e.get("type").asString()));
        assertThat(types).as(result.toString()).containsExactly("runtime", "stage", "data", "exit");
        assertThat(result.at("/events/2/data").asString()).isEqualTo("hello\n");
        assertThat(result.at("/events/3/signal").asString()).isEqualTo("SIGKILL");
        assertThat(result.get("code").asInt()).isEqualTo(4999);
        assertThat(result.get("reason").asString()).isEqualTo("Job Completed");
    }

    /** Runs a command in the js dir and returns its stdout; fails with its output if it fails. */
    private static String run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        File log = Files.createTempFile("piston-client-", ".log").toFile();
        Process process = new ProcessBuilder(command)
                .directory(JS_DIR.toFile())
                .redirectError(log)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        byte[] stdout = process.getInputStream().readAllBytes();
        boolean done = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!done) {
            process.destroyForcibly();
        }
        String stderr = Files.readString(log.toPath());
        log.delete();
        assertThat(done && process.exitValue() == 0)
                .as("%s failed:%n%s%n%s", command, new String(stdout, StandardCharsets.UTF_8), stderr)
                .isTrue();
        return new String(stdout, StandardCharsets.UTF_8);
    }
}
