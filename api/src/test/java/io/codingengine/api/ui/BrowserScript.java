package io.codingengine.api.ui;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a browser script of {@code src/test/e2e} with {@code node}: headless Debian Chromium driven
 * by the frontend's {@code playwright-core}. Every script asserts its steps, saves screenshots to
 * {@code target/screenshots} and ends with {@code ALL SCENARIOS PASSED}; anything else fails the test
 * with the script's output.
 */
final class BrowserScript {

    static final Path FRONTEND = Path.of("src/main/frontend").toAbsolutePath();
    static final Path SHOTS = Path.of("target/screenshots").toAbsolutePath();

    private BrowserScript() {}

    /** Runs {@code src/test/e2e/<name>} with {@code environment}, and {@code SHOTS} and {@code FRONTEND} set. */
    static void run(String name, Map<String, String> environment, Duration timeout) throws Exception {
        Files.createDirectories(SHOTS);
        Path script = Path.of("src/test/e2e", name).toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder("node", script.toString())
                .directory(FRONTEND.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = new HashMap<>(environment);
        env.put("SHOTS", SHOTS.toString());
        env.put("FRONTEND", FRONTEND.toString());
        pb.environment().putAll(env);
        Process process = pb.start();
        String output;
        try (var in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        boolean done = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!done) {
            process.destroyForcibly();
        }
        System.out.println(output);
        assertTrue(done && process.exitValue() == 0, "the browser scenarios failed:\n" + output);
        assertTrue(output.contains("ALL SCENARIOS PASSED"), output);
    }
}
