package io.codingengine.api.piston;

import static org.assertj.core.api.Assertions.assertThat;

import io.codingengine.api.ApiTestBase;
import io.codingengine.common.audit.AuditEntry;
import io.codingengine.common.audit.AuditLog;
import io.codingengine.common.audit.AuditQuery;
import io.codingengine.common.execution.SourceFile;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** {@code GET /api/v2/runtimes} and {@code POST /api/v2/execute} with real programs in the real sandbox. */
class PistonExecuteTest extends ApiTestBase {

    private static final List<String> STAGE_KEYS = List.of(
            "stdout", "stderr", "code", "signal", "output", "memory", "message", "status", "cpu_time", "wall_time");

    @Autowired
    AuditLog audit;

    private Response run(Map<String, Object> body) {
        Response response = execute(json(body));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/json");
        return response;
    }

    private static Map<String, Object> request(String language, String version, String source) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("language", language);
        body.put("version", version);
        body.put("files", List.of(Map.of("content", source)));
        return body;
    }

    private List<JsonNode> runtimes() {
        Response response = get("/api/v2/runtimes");
        assertThat(response.status()).isEqualTo(200);
        List<JsonNode> list = new ArrayList<>();
        response.json().forEach(list::add);
        return list;
    }

    private List<String> versionsOf(String language) {
        return runtimes().stream()
                .filter(r -> r.get("language").asString().equals(language))
                .map(r -> r.get("version").asString())
                .toList();
    }

    /** These tests run with execution=local: the api's own sandbox, no worker; its executes are audited too. */
    @Test
    void localExecutesAreAuditedWithThisProcessAsTheWorker() {
        Instant from = Instant.now().minusSeconds(5);
        String failing = "import sys\nprint('audited %s')\nsys.exit(3)".formatted(UUID.randomUUID());
        run(request("python", "*", failing));
        String tooBig = "#" + "x".repeat(1_100_000);
        assertThat(execute(json(request("python", "*", tooBig))).status()).isEqualTo(400);
        List<AuditEntry> entries = audit.query(new AuditQuery(
                from,
                Instant.now().plusSeconds(5),
                "anonymous@127.0.0.1",
                null,
                "python",
                null,
                AuditEntry.Kind.EXECUTE,
                10_000));
        AuditEntry ran = entries.stream()
                .filter(e -> e.sourceSha256().equals(sha(failing)))
                .findFirst()
                .orElseThrow();
        assertThat(ran.verdict()).isEqualTo("RE");
        assertThat(ran.worker()).isEqualTo("api-" + ProcessHandle.current().pid());
        assertThat(ran.session()).startsWith("local:").contains("/slot-");
        assertThat(ran.judgedAt()).isAfterOrEqualTo(ran.submittedAt());
        AuditEntry refused = entries.stream()
                .filter(e -> e.sourceSha256().equals(sha(tooBig)))
                .findFirst()
                .orElseThrow();
        assertThat(refused.verdict()).isEqualTo("INVALID");
        assertThat(refused.session()).isEqualTo(AuditEntry.NOWHERE);
    }

    private static String sha(String source) {
        return AuditEntry.sourceSha256(List.of(SourceFile.utf8(null, source)));
    }

    @Test
    void runtimesHavePistonsShapeAndOmitAMissingRuntime() {
        List<JsonNode> runtimes = runtimes();
        assertThat(runtimes)
                .extracting(r -> r.get("language").asString())
                .contains("python", "java", "c++", "c", "javascript");
        for (JsonNode r : runtimes) {
            List<String> keys = new ArrayList<>(r.propertyNames());
            assertThat(keys)
                    .as(r.toString())
                    .isIn(
                            List.of("language", "version", "aliases"),
                            List.of("language", "version", "aliases", "runtime"));
            assertThat(r.get("version").asString()).matches("\\d+\\.\\d+\\.\\d+");
            assertThat(r.get("aliases").isArray()).isTrue();
        }
        JsonNode python = runtimes.stream()
                .filter(r -> r.get("language").asString().equals("python"))
                .findFirst()
                .orElseThrow();
        assertThat(python.has("runtime")).isFalse();
        String minor = python.get("version").asString().replaceAll("\\.\\d+$", "");
        assertThat(python.get("aliases").toString()).isEqualTo("[\"py\",\"py3\",\"python3\",\"python" + minor + "\"]");
        JsonNode cpp = runtimes.stream()
                .filter(r -> r.get("language").asString().equals("c++"))
                .findFirst()
                .orElseThrow();
        assertThat(cpp.get("runtime").asString()).isEqualTo("gcc");
        assertThat(cpp.get("aliases").toString()).isEqualTo("[\"cpp\",\"g++\"]");
    }

    @Test
    void interpretedLanguageHasNoCompileStageAndEveryStageKeyInOrder() {
        Response response = run(request("python", "*", "print('héllo')"));
        assertThat(response.keys()).isEqualTo(List.of("run", "language", "version"));
        JsonNode run = response.json().get("run");
        assertThat(new ArrayList<>(run.propertyNames())).isEqualTo(STAGE_KEYS);
        assertThat(run.get("stdout").asString()).isEqualTo("héllo\n");
        assertThat(run.get("output").asString()).isEqualTo("héllo\n");
        assertThat(run.get("stderr").asString()).isEmpty();
        assertThat(run.get("code").asInt()).isZero();
        assertThat(run.get("signal").isNull()).isTrue();
        assertThat(run.get("message").isNull()).isTrue();
        assertThat(run.get("status").isNull()).isTrue();
        assertThat(run.get("memory").asLong()).isPositive();
        assertThat(run.get("cpu_time").isIntegralNumber()).isTrue();
        assertThat(run.get("wall_time").asLong()).isPositive();
        assertThat(response.json().get("language").asString()).isEqualTo("python");
        assertThat(response.json().get("version").asString())
                .isEqualTo(versionsOf("python").getFirst());
    }

    @Test
    void aliasesAndVersionRangesResolveToTheNewestMatch() {
        String python = versionsOf("python").getFirst();
        String major = python.substring(0, python.indexOf('.'));
        for (String[] lv : new String[][] {
            {"py", "*"},
            {"py3", major},
            {"python3", major + ".x"},
            {"python", ">=" + major},
            {"py", "^" + python},
            {"python", python},
            {"py", "2 || " + major}
        }) {
            Response response = run(request(lv[0], lv[1], "print(1)"));
            assertThat(response.json().get("language").asString())
                    .as(lv[0] + " " + lv[1])
                    .isEqualTo("python");
            assertThat(response.json().get("version").asString()).isEqualTo(python);
        }
        List<String> javas = versionsOf("java");
        String newest = javas.stream()
                .max((a, b) -> Integer.compare(major(a), major(b)))
                .orElseThrow();
        String oldest = javas.stream()
                .min((a, b) -> Integer.compare(major(a), major(b)))
                .orElseThrow();
        String hello =
                "public class Main { public static void main(String[] a) { System.out.println(Runtime.version().feature()); } }";
        Response any = run(request("java", "*", hello));
        assertThat(any.json().get("version").asString()).isEqualTo(newest);
        assertThat(any.json().at("/run/stdout").asString()).isEqualTo(major(newest) + "\n");
        Response old = run(request("java", "<" + major(newest), hello));
        assertThat(old.json().get("version").asString()).isEqualTo(oldest);
        assertThat(old.json().at("/run/stdout").asString()).isEqualTo(major(oldest) + "\n");
    }

    private static int major(String version) {
        return Integer.parseInt(version.substring(0, version.indexOf('.')));
    }

    @Test
    void cppCompilesAndRunsWithStdinAndArgs() {
        Map<String, Object> body = request("cpp", "*", """
                #include <iostream>
                int main(int argc, char** argv) {
                    long a, b;
                    std::cin >> a >> b;
                    std::cout << a + b << " " << argc - 1 << " " << argv[1] << std::endl;
                    std::cerr << "done" << std::endl;
                    return 3;
                }
                """);
        body.put("stdin", "40 2");
        body.put("args", List.of("first", 2));
        Response response = run(body);
        assertThat(response.keys()).isEqualTo(List.of("compile", "run", "language", "version"));
        JsonNode compile = response.json().get("compile");
        assertThat(new ArrayList<>(compile.propertyNames())).isEqualTo(STAGE_KEYS);
        assertThat(compile.get("code").asInt()).isZero();
        assertThat(compile.get("status").isNull()).isTrue();
        JsonNode run = response.json().get("run");
        assertThat(run.get("stdout").asString()).isEqualTo("42 2 first\n");
        assertThat(run.get("stderr").asString()).isEqualTo("done\n");
        assertThat(run.get("code").asInt()).isEqualTo(3);
        assertThat(run.get("status").asString()).isEqualTo("RE");
        assertThat(run.get("message").asString()).isEqualTo("Exited with error status 3");
        assertThat(response.json().get("language").asString()).isEqualTo("c++");
    }

    @Test
    void javaCompilesAndRunsAMultiFileProgram() {
        Map<String, Object> body = request("java", "*", "");
        body.put("files", List.of(Map.of("content", """
                        import java.util.Scanner;
                        public class Main {
                            public static void main(String[] args) {
                                String name = new Scanner(System.in).nextLine();
                                System.out.println(Greeter.greet(name));
                            }
                        }
                        """), Map.of("name", "Greeter.java", "content", """
                        public class Greeter {
                            static String greet(String name) { return "Hello, " + name + "!"; }
                        }
                        """)));
        body.put("stdin", "wörld");
        Response response = run(body);
        JsonNode json = response.json();
        assertThat(json.at("/compile/code").asInt()).isZero();
        assertThat(json.at("/run/stdout").asString()).isEqualTo("Hello, wörld!\n");
        assertThat(json.at("/run/status").isNull()).isTrue();
        assertThat(json.get("language").asString()).isEqualTo("java");
    }

    @Test
    void aCompileErrorIsAlsoTheRunStage() {
        Response response = run(request("c++", "*", "int main() { return undefined_name; }\n"));
        JsonNode compile = response.json().get("compile");
        assertThat(compile.get("status").asString()).isEqualTo("RE");
        assertThat(compile.get("code").asInt()).isNotZero();
        assertThat(compile.get("stderr").asString()).contains("undefined_name");
        assertThat(response.json().get("run")).isEqualTo(compile);
    }

    @Test
    void stdinGetsATrailingNewlineWhenItHasNone() {
        String echo = "import sys; print(repr(sys.stdin.read()))";
        Map<String, Object> body = request("python", "*", echo);
        assertThat(run(body).json().at("/run/stdout").asString()).isEqualTo("'\\n'\n");
        body.put("stdin", "");
        assertThat(run(body).json().at("/run/stdout").asString()).isEqualTo("'\\n'\n");
        body.put("stdin", "1 2");
        assertThat(run(body).json().at("/run/stdout").asString()).isEqualTo("'1 2\\n'\n");
        body.put("stdin", "a\nb\n");
        assertThat(run(body).json().at("/run/stdout").asString()).isEqualTo("'a\\nb\\n'\n");
    }

    @Test
    void theMainFileIsTheFirstUtf8FileAndUnknownEncodingsAreUtf8() {
        Map<String, Object> body = request("python", "*", "");
        body.put(
                "files",
                List.of(
                        Map.of("name", "data.txt", "content", "ZnJvbSBiYXNlNjQ=", "encoding", "base64"),
                        Map.of("content", "print(open('data.txt').read(), open('x.txt').read())", "encoding", "utf8"),
                        Map.of("name", "x.txt", "content", "kept as text", "encoding", "latin1")));
        assertThat(run(body).json().at("/run/stdout").asString()).isEqualTo("from base64 kept as text\n");
    }

    @Test
    void zeroAndNullLimitsMeanTheDefaultsNotUnlimited() {
        // The default run limits (3 s wall and CPU) still stop a program that asked for 0.
        Map<String, Object> body = request("python", "*", "import time\nprint('start', flush=True)\ntime.sleep(30)");
        body.put("run_timeout", 0);
        body.put("run_cpu_time", null);
        body.put("run_memory_limit", 0);
        body.put("compile_timeout", 0);
        JsonNode run = run(body).json().get("run");
        assertThat(run.get("status").asString()).isEqualTo("TO");
        assertThat(run.get("signal").asString()).isEqualTo("SIGKILL");
        assertThat(run.get("message").asString()).isEqualTo("Time limit exceeded (wall clock)");
        assertThat(run.get("stdout").asString()).isEqualTo("start\n");
        assertThat(run.get("wall_time").asLong()).isBetween(2900L, 10_000L);
    }

    @Test
    void minusOneMemoryIsTheDefaultMemoryLimit() {
        // piston-client sends -1 ("unlimited" in Piston): the default 256 MiB still applies.
        Map<String, Object> body = request("python", "*", "x = b'x' * (600 * 1024 * 1024)\nprint('allocated')");
        body.put("run_memory_limit", -1);
        body.put("compile_memory_limit", -1);
        JsonNode run = run(body).json().get("run");
        assertThat(run.get("stdout").asString()).isEmpty();
        assertThat(run.get("status").asString()).isEqualTo("ML");
        body.put("files", List.of(Map.of("content", "x = b'x' * (64 * 1024 * 1024)\nprint('allocated')")));
        assertThat(run(body).json().at("/run/stdout").asString()).isEqualTo("allocated\n");
    }

    @Test
    void requestedLimitsApply() {
        Map<String, Object> burn = request("python", "*", "while True: pass");
        burn.put("run_cpu_time", 300);
        burn.put("run_timeout", 5000);
        JsonNode run = run(burn).json().get("run");
        assertThat(run.get("status").asString()).isEqualTo("TO");
        assertThat(run.get("message").asString()).isEqualTo("Time limit exceeded");
        assertThat(run.get("cpu_time").asLong()).isBetween(250L, 2000L);

        Map<String, Object> grow = request("c", "*", """
                #include <stdlib.h>
                #include <string.h>
                int main(void) {
                    for (int i = 0; i < 64; i++) { char *p = malloc(8 << 20); memset(p, 1, 8 << 20); }
                    return 0;
                }
                """);
        grow.put("run_memory_limit", 64 * 1024 * 1024);
        run = run(grow).json().get("run");
        assertThat(run.get("status").asString()).isEqualTo("ML");
        assertThat(run.get("message").asString()).isEqualTo("Memory limit exceeded");
        assertThat(run.get("signal").asString()).isEqualTo("SIGKILL");
    }

    @Test
    void jsonWithAnyContentTypeIsAccepted() {
        String body = json(request("python", "3.x", "print(6 * 7)"));
        for (String type : new String[] {
            "text/plain;charset=UTF-8", "application/json; charset=utf-8", null, "application/octet-stream"
        }) {
            Response response = post("/api/v2/execute", body, type);
            assertThat(response.status()).as(String.valueOf(type)).isEqualTo(200);
            assertThat(response.json().at("/run/stdout").asString()).isEqualTo("42\n");
        }
    }

    @Test
    void answersAreJsonWhateverTheClientAccepts() {
        Response response = send(HttpRequest.newBuilder(uri("/api/v2/execute"))
                .header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString(json(request("python", "*", "print(7)")))));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.json().at("/run/stdout").asString()).isEqualTo("7\n");
        Response runtimes = send(HttpRequest.newBuilder(uri("/api/v2/runtimes"))
                .header("Accept", "text/html")
                .GET());
        assertThat(runtimes.status()).isEqualTo(200);
        assertThat(runtimes.json().isArray()).isTrue();
        Response missing = send(HttpRequest.newBuilder(uri("/api/v2/nothing"))
                .header("Accept", "text/html")
                .GET());
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.message()).isEqualTo("Not Found");
    }
}
