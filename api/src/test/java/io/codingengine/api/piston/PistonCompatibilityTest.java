package io.codingengine.api.piston;

import static org.assertj.core.api.Assertions.assertThat;

import io.codingengine.api.ApiTestBase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Clients of the seed's deployment and of Piston, unchanged: the seed's own test request and its
 * four runtime versions (mapped by default to what is installed), Piston's aliases and nothing
 * more, and Piston's package endpoints.
 */
class PistonCompatibilityTest extends ApiTestBase {

    /** The seed's documented test request, byte for byte. */
    private static final String SEED_REQUEST = """
            {"language":"python","version":"3.10.0","files":[{"name":"main.py","content":"print(\\"Hello from Production!\\")\\nprint(\\"2 + 2 =\\", 2 + 2)"}]}""";

    @Test
    void theSeedsTestRequestGetsTheSeedsAnswerFromTheInstalledPython() {
        Response response = execute(SEED_REQUEST);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("run").get("stdout").asString()).isEqualTo("Hello from Production!\n2 + 2 = 4\n");
        assertThat(body.get("language").asString()).isEqualTo("python");
        assertThat(body.get("version").asString()).as("what actually ran").isEqualTo(installed("python"));
    }

    @Test
    void theSeedsOtherRuntimeVersionsRunOnWhatIsInstalled() {
        Map<String, String> hello = Map.of(
                "java", "public class Main { public static void main(String[] a) { System.out.println(\"hi\"); } }",
                "c++", "#include <cstdio>\nint main() { puts(\"hi\"); }",
                "javascript", "console.log('hi')");
        Map<String, String> seed = Map.of("java", "15.0.2", "c++", "10.2.0", "javascript", "16.3.0");
        for (var entry : seed.entrySet()) {
            Response response = execute(json(Map.of(
                    "language",
                    entry.getKey(),
                    "version",
                    entry.getValue(),
                    "files",
                    List.of(Map.of("content", hello.get(entry.getKey()))))));
            assertThat(response.status()).as(entry + ": " + response.body()).isEqualTo(200);
            assertThat(response.json().get("run").get("stdout").asString()).isEqualTo("hi\n");
            assertThat(response.json().get("version").asString()).isEqualTo(installed(entry.getKey()));
        }
    }

    @Test
    void aVersionNeitherInstalledNorMappedKeepsPistonsError() {
        Response response =
                execute("{\"language\":\"python\",\"version\":\"3.9.4\",\"files\":[{\"content\":\"print(1)\"}]}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("message").asString()).isEqualTo("python-3.9.4 runtime is unknown");
        assertThat(versions())
                .as("the runtimes list stays truthful")
                .doesNotContain("3.10.0", "15.0.2", "10.2.0", "16.3.0");
    }

    @Test
    void pistonsAliasesAndNoOthers() {
        String python = installed("python");
        String minor = python.substring(0, python.indexOf('.', python.indexOf('.') + 1));
        for (String alias : List.of(
                "py",
                "py3",
                "python3",
                "python" + minor,
                "node-javascript",
                "node-js",
                "javascript",
                "js",
                "cpp",
                "g++",
                "gcc")) {
            Response response =
                    execute("{\"language\":\"" + alias + "\",\"version\":\"*\",\"files\":[{\"content\":\"\"}]}");
            assertThat(response.status()).as(alias + ": " + response.body()).isEqualTo(200);
        }
        Response node = execute("{\"language\":\"node\",\"version\":\"*\",\"files\":[{\"content\":\"\"}]}");
        assertThat(node.status()).as("Piston has no alias node").isEqualTo(400);
        assertThat(node.json().get("message").asString()).isEqualTo("node-* runtime is unknown");
        JsonNode js = runtime("javascript");
        assertThat(js.get("aliases").toString()).isEqualTo("[\"node-javascript\",\"node-js\",\"javascript\",\"js\"]");
        assertThat(js.get("runtime").asString()).isEqualTo("node");
        assertThat(runtime("python").get("aliases").toString())
                .isEqualTo("[\"py\",\"py3\",\"python3\",\"python" + minor + "\"]");
    }

    @Test
    void packagesListWhatIsInstalledAndCannotBeChanged() {
        Response packages = get("/api/v2/packages");
        assertThat(packages.status()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        packages.json().forEach(p -> {
            assertThat(p.get("installed").asBoolean()).isTrue();
            names.add(p.get("language").asString() + "-"
                    + p.get("language_version").asString());
        });
        assertThat(names)
                .contains(
                        "python-" + installed("python"), "gcc-" + installed("c++"), "node-" + installed("javascript"));
        assertThat(names).doesNotHaveDuplicates();
        assertThat(names).noneMatch(n -> n.startsWith("c++-") || n.startsWith("c-"));
        for (String method : List.of("POST", "DELETE")) {
            Response refused = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v2/packages"))
                    .header("Content-Type", "application/json")
                    .method(
                            method,
                            HttpRequest.BodyPublishers.ofString("{\"language\":\"python\",\"version\":\"3.12.0\"}")));
            assertThat(refused.status()).as(method).isEqualTo(405);
            assertThat(refused.json().get("message").asString()).contains("part of its image");
        }
    }

    private JsonNode runtime(String language) {
        List<JsonNode> found = new ArrayList<>();
        get("/api/v2/runtimes").json().forEach(r -> {
            if (r.get("language").asString().equals(language)) {
                found.add(r);
            }
        });
        return found.getFirst();
    }

    private String installed(String language) {
        return runtime(language).get("version").asString();
    }

    private List<String> versions() {
        List<String> all = new ArrayList<>();
        get("/api/v2/runtimes").json().forEach(r -> all.add(r.get("version").asString()));
        return all;
    }
}
