package io.codingengine.api.contest;

import io.codingengine.common.problem.ProblemStore;
import io.codingengine.common.problem.StatementFile;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import java.time.Duration;
import java.util.NoSuchElementException;

/**
 * Answers with a picture of a problem's statement. The picture came in an uploaded package, so it
 * is served as inert data: its own type only ({@code nosniff}), and a policy that lets an SVG
 * opened on its own run nothing and load nothing.
 */
public final class StatementFiles {

    private StatementFiles() {
    }

    public static ResponseEntity<byte[]> response(ProblemStore problems, String problemId, String name) {
        if (!StatementFile.NAME.matcher(name).matches()) {
            throw new NoSuchElementException("no such statement file");
        }
        StatementFile file = problems.statementFile(problemId, name)
                .orElseThrow(() -> new NoSuchElementException("no such statement file"));
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(file.contentType()))
                .cacheControl(CacheControl.maxAge(Duration.ofMinutes(5)).cachePrivate())
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
                .body(file.data());
    }
}
