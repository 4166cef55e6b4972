package io.codingengine.api.piston;

import static org.assertj.core.api.Assertions.assertThat;

import io.codingengine.api.ApiTestBase;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every 400 of Piston's {@code POST /api/v2/execute}, word for word, and which one wins when several apply. */
class PistonValidationTest extends ApiTestBase {

    private static final List<String> LIMITS = List.of(
            "compile_memory_limit",
            "run_memory_limit",
            "compile_timeout",
            "run_timeout",
            "compile_cpu_time",
            "run_cpu_time");

    private void assertRejected(String body, String message) {
        Response response = execute(body);
        assertThat(response.status()).as(body).isEqualTo(400);
        assertThat(response.keys()).isEqualTo(List.of("message"));
        assertThat(response.message()).as(body).isEqualTo(message);
    }

    @Test
    void languageIsCheckedFirst() {
        assertRejected("{}", "language is required as a string");
        assertRejected("[]", "language is required as a string");
        assertRejected("""
                {"language": "", "version": 5, "files": 1}""", "language is required as a string");
        assertRejected("""
                {"language": 5, "version": "*", "files": [{"content": "print(1)"}]}""", "language is required as a string");
        assertRejected("""
                {"language": ["python"], "version": "*", "files": [{"content": "print(1)"}]}""", "language is required as a string");
    }

    @Test
    void thenVersion() {
        assertRejected("""
                {"language": "python"}""", "version is required as a string");
        assertRejected("""
                {"language": "python", "version": "", "files": []}""", "version is required as a string");
        assertRejected("""
                {"language": "python", "version": 3, "files": [{"content": "print(1)"}]}""", "version is required as a string");
    }

    @Test
    void thenFiles() {
        assertRejected("""
                {"language": "python", "version": "*"}""", "files is required as an array");
        assertRejected("""
                {"language": "nosuch", "version": "*", "files": {"content": "x"}}""", "files is required as an array");
        assertRejected("""
                {"language": "python", "version": "*", "files": "print(1)"}""", "files is required as an array");
    }

    @Test
    void thenEveryFileContentBeforeTheRuntime() {
        assertRejected("""
                {"language": "python", "version": "*", "files": [{"name": "a.py"}]}""", "files[0].content is required as a string");
        assertRejected("""
                {"language": "nosuch", "version": "*", "files": [{"content": ""}, {"content": 5}]}""", "files[1].content is required as a string");
        assertRejected("""
                {"language": "python", "version": "*", "files": [{"content": "x"}, {"content": "y"}, null]}""", "files[2].content is required as a string");
        assertRejected("""
                {"language": "python", "version": "*", "files": ["print(1)"]}""", "files[0].content is required as a string");
    }

    @Test
    void thenTheRuntimeWithTheRequestStringsVerbatim() {
        assertRejected("""
                {"language": "html", "version": "5.0.0", "files": [{"content": "x", "encoding": "hex"}],
                 "run_timeout": "soon"}""", "html-5.0.0 runtime is unknown");
        assertRejected("""
                {"language": "python", "version": "latest", "files": [{"content": "print(1)"}]}""", "python-latest runtime is unknown");
        assertRejected("""
                {"language": "py", "version": "2.x", "files": [{"content": "print(1)"}]}""", "py-2.x runtime is unknown");
        assertRejected("""
                {"language": "Python", "version": "*", "files": [{"content": "print(1)"}]}""", "Python-* runtime is unknown");
    }

    @Test
    void thenAtLeastOneUtf8FileBeforeTheLimits() {
        assertRejected("""
                {"language": "python", "version": "*", "files": [{"content": "cHJpbnQoMSk=", "encoding": "base64"}],
                 "run_timeout": "soon"}""", "files must include at least one utf8 encoded file");
        assertRejected("""
                {"language": "python", "version": "*", "files": [{"content": "7072696e74283129", "encoding": "hex"},
                 {"content": "x", "encoding": "latin1"}]}""", "files must include at least one utf8 encoded file");
        assertRejected("""
                {"language": "python", "version": "*", "files": []}""", "files must include at least one utf8 encoded file");
    }

    @Test
    void limitsAreCheckedInPistonsOrder() {
        Map<String, Object> body = body();
        LIMITS.forEach(name -> body.put(name, "10"));
        for (String name : LIMITS) {
            assertRejected(json(body), "If specified, " + name + " must be a number");
            body.remove(name);
        }
        LIMITS.forEach(name -> body.put(name, -5));
        for (String name : LIMITS) {
            assertRejected(json(body), name + " must be non-negative");
            body.remove(name);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "compile_memory_limit, 1073741824",
        "run_memory_limit, 1073741824",
        "compile_timeout, 60000",
        "run_timeout, 60000",
        "compile_cpu_time, 30000",
        "run_cpu_time, 30000"
    })
    void eachLimitHasTheExecutorsMaximum(String name, long max) {
        Map<String, Object> body = body();
        body.put(name, max + 1);
        assertRejected(json(body), name + " cannot exceed the configured limit of " + max);
        body.put(name, 1e300);
        assertRejected(json(body), name + " cannot exceed the configured limit of " + max);
        body.put(name, true);
        assertRejected(json(body), "If specified, " + name + " must be a number");
        body.put(name, List.of(1));
        assertRejected(json(body), "If specified, " + name + " must be a number");
    }

    @Test
    void minusOneIsNegativeForTimesButTheDefaultForMemory() {
        Map<String, Object> body = body();
        body.put("run_timeout", -1);
        assertRejected(json(body), "run_timeout must be non-negative");
        body.remove("run_timeout");
        body.put("compile_cpu_time", -1);
        assertRejected(json(body), "compile_cpu_time must be non-negative");
        body.remove("compile_cpu_time");
        body.put("run_memory_limit", -2);
        assertRejected(json(body), "run_memory_limit must be non-negative");
    }

    @Test
    void stdinAndArgsOfTheWrongTypeAreRejectedAfterTheLimits() {
        Map<String, Object> body = body();
        body.put("stdin", 5);
        body.put("args", "1 2");
        body.put("run_timeout", "x");
        assertRejected(json(body), "If specified, run_timeout must be a number");
        body.remove("run_timeout");
        assertRejected(json(body), "If specified, stdin must be a string");
        body.remove("stdin");
        assertRejected(json(body), "If specified, args must be an array of strings");
        body.put("args", List.of("a", Map.of()));
        assertRejected(json(body), "If specified, args must be an array of strings");
        body.put("args", List.of("a", "b\u0000c"));
        assertRejected(json(body), "args must not contain NUL characters");
    }

    private static Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("language", "python");
        body.put("version", "*");
        body.put("files", List.of(Map.of("content", "print(1)")));
        return body;
    }
}
