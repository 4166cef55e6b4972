package io.codingengine.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.codingengine.api.ApiTestBase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Errors are {@code {"message": ...}} JSON with the right status, never a stack trace. */
class WebErrorsTest extends ApiTestBase {

    private static void assertError(Response response, int status, String message) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.keys()).isEqualTo(List.of("message"));
        assertThat(response.message()).isEqualTo(message);
    }

    @Test
    void malformedJsonIsA400WithAReadableMessage() {
        for (String body : new String[] {"{\"language\": ", "{'language': 'python'}", "{\"a\": 1} trailing", "nul"}) {
            Response response = execute(body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.keys()).isEqualTo(List.of("message"));
            assertThat(response.message())
                    .startsWith("request body is not valid JSON: ")
                    .doesNotContain("\tat ", "Exception", "tools.jackson");
        }
        assertThat(execute("{\"language\": ").message()).contains("line 1, column");
    }

    @Test
    void anEmptyBodyIsAnEmptyRequest() {
        assertError(post("/api/v2/execute", "", null), 400, "language is required as a string");
        assertError(post("/api/v2/execute", "  \n", "text/plain"), 400, "language is required as a string");
    }

    @Test
    void aBodyOverTheLimitIs413() {
        String source = "#".repeat(2 * 1024 * 1024 + 1024);
        String body = json(Map.of("language", "python", "version", "*", "files", List.of(Map.of("content", source))));
        assertError(execute(body), 413, "request body must not exceed 2097152 bytes");
        // Just under the limit is read and reaches the executor's own checks (1 MiB of files).
        String under = json(Map.of(
                "language", "python", "version", "*", "files", List.of(Map.of("content", "#".repeat(1_900_000)))));
        assertError(execute(under), 400, "files must not exceed 1048576 bytes in total");
    }

    @Test
    void fileNamesOutsideTheWorkDirectoryAre400() {
        for (String[] nameAndMessage : new String[][] {
            {"../escape.py", "files[1].name must not contain empty, '.' or '..' parts"},
            {"a/../../b.py", "files[1].name must not contain empty, '.' or '..' parts"},
            {"/etc/passwd", "files[1].name must be a relative path"}
        }) {
            String body = json(Map.of(
                    "language",
                    "python",
                    "version",
                    "*",
                    "files",
                    List.of(Map.of("content", "print(1)"), Map.of("name", nameAndMessage[0], "content", "x"))));
            assertError(execute(body), 400, nameAndMessage[1]);
        }
    }

    /** A file whose path is another file's directory could not be written: a 400, not the worker's 500. */
    @Test
    void aFileThatIsAlsoAnotherFilesDirectoryIs400() {
        String cpp = "#include <cstdio>\nint main(){int n; scanf(\"%d\",&n); printf(\"%d\\n\",n);}";
        Map<String, String> main = Map.of("name", "main.cpp", "content", cpp);
        Map<String, String> inside = Map.of("name", "main.cpp/x", "content", "y");
        assertError(
                execute(json(Map.of("language", "c++", "version", "*", "files", List.of(main, inside), "stdin", "5"))),
                400,
                "files[0].name main.cpp is a file, so it cannot also be a directory of files[1].name main.cpp/x");
        assertError(
                execute(json(Map.of("language", "c++", "version", "*", "files", List.of(inside, main), "stdin", "5"))),
                400,
                "files[1].name main.cpp is a file, so it cannot also be a directory of files[0].name main.cpp/x"
                        + " (in the box: main.cpp/x.cpp)");
    }

    /** Mistakes a fuzzing of the running api once answered with 500. */
    @Test
    void nullFilesAre400AndAMultipartTypeIsNoError() {
        assertError(
                execute("{\"language\":\"python\",\"version\":\"*\",\"files\":[null]}"),
                400,
                "files[0].content is required as a string");
        // Piston reads the body whatever its content type says; a multipart type no longer fails first.
        Response multipart = post(
                "/api/v2/execute",
                "{\"language\":\"python\",\"version\":\"*\",\"files\":[{\"content\":\"print(1)\"}]}",
                "multipart/form-data");
        assertThat(multipart.status()).as(multipart.body()).isEqualTo(200);
        assertThat(multipart.body()).contains("\"stdout\":\"1\\n\"");
    }

    @Test
    void unknownRoutesAre404NotFound() {
        assertError(get("/api/v2/nothing"), 404, "Not Found");
        assertError(get("/nothing/at/all.html"), 404, "Not Found");
        assertError(post("/api/v2/nothing", "{}"), 404, "Not Found");
        assertError(get("/api/v2/execute"), 404, "Not Found");
        assertError(post("/api/v2/runtimes", "{}"), 404, "Not Found");
        assertError(get("/error"), 404, "Not Found");
    }

    @Test
    void pathsTomcatRefusesGetJsonNotItsHtmlPage() {
        // Refused by Tomcat before any filter or controller: its error page used to be HTML.
        assertError(
                get("/api/v2/runtimes%00"), 400, "the request is not valid HTTP for this server (its path or headers)");
        for (String path : new String[] {"/api/v1/problems/a%00b", "/api/v1/problems/a%2Fb"}) {
            Response response = get(path);
            assertThat(response.status()).as(path).isEqualTo(400);
            assertThat(response.contentType()).as(path).startsWith("application/problem+json");
            assertThat(response.body()).as(path).contains("\"status\":400").doesNotContain("<html", "Tomcat");
        }
    }

    @Test
    void rootIsAJsonHealthAnswer() {
        Response response = get("/");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.body()).isEqualTo("{\"status\":\"healthy\",\"service\":\"coding-engine\"}");
    }

    @Test
    void livenessAndReadinessCheckQueueStoreAndExecutor() {
        assertThat(get("/health/live").status()).isEqualTo(200);
        Response ready = get("/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body())
                .contains(
                        "\"status\":\"UP\"",
                        "\"queue\"",
                        "\"store\":\"UP\"",
                        "\"runtimes\"",
                        "\"level\":\"NAMESPACES\"");
    }
}
