package io.codingengine.api.ui;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The UI's statement renderer, run in Node on hostile statements (src/test/e2e/statement-render.test.mjs):
 * a statement comes from a package, and a link in it must not run script in a contestant's page.
 */
class StatementRenderingTest {

    private static final Path FRONTEND = Path.of("src/main/frontend").toAbsolutePath();
    private static final Path SCRIPT =
            Path.of("src/test/e2e/statement-render.test.mjs").toAbsolutePath();

    @Test
    void dangerousLinksAndPicturesInAStatementComeOutInert() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("node", SCRIPT.toString())
                .directory(FRONTEND.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("FRONTEND", FRONTEND.toString());
        Process process = pb.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), output);
        assertTrue(process.exitValue() == 0 && output.contains("STATEMENTS SAFE"), output);
    }
}
