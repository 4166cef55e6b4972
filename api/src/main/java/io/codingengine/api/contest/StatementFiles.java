package io.codingengine.api.contest;

import io.codingengine.common.problem.ProblemStore;
import io.codingengine.common.problem.StatementFile;
import java.time.Duration;
import java.util.NoSuchElementException;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Answers with a picture of a problem's statement. The picture came in an uploaded package, so it
 * is served as inert data: its own type only ({@code nosniff}), and a policy that lets an SVG
 * opened on its own run nothing and load nothing. An SVG may hold script (the import checks what
 * it starts with, not what it does): in an {@code <img>}, as the statement shows it, a browser runs
 * none, and opened on its own it is a download ({@code Content-Disposition: attachment}) under
 * that policy. Bytes that are not the picture their type says (a problem imported before the
 * import checked them) are not served at all.
 */
public final class StatementFiles {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StatementFiles.class);

    private StatementFiles() {}

    public static ResponseEntity<byte[]> response(ProblemStore problems, String problemId, String name) {
        if (!StatementFile.NAME.matcher(name).matches()) {
            throw new NoSuchElementException("no such statement file");
        }
        StatementFile file = problems.statementFile(problemId, name)
                .orElseThrow(() -> new NoSuchElementException("no such statement file"));
        if (!file.dataMatchesType()) {
            LOG.warn(
                    "statement file {} of problem {} is not the {} its name says: not served; import the package again",
                    name,
                    problemId,
                    file.contentType());
            throw new NoSuchElementException("no such statement file");
        }
        ContentDisposition disposition = file.contentType().equals("image/svg+xml")
                ? ContentDisposition.attachment().filename(name).build()
                : ContentDisposition.inline().filename(name).build();
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(file.contentType()))
                .cacheControl(CacheControl.maxAge(Duration.ofMinutes(5)).cachePrivate())
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
                .header(HttpHeaders.CONTENT_DISPOSITION, disposition.toString())
                .body(file.data());
    }
}
