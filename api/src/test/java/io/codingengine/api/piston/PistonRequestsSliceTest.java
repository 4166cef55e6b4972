package io.codingengine.api.piston;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.codingengine.api.web.WebSlice;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Piston API's request checks and error shape in a web slice, without a sandbox:
 * {@code POST /api/v2/execute} refuses in Piston's order with Piston's {@code {"message": ...}}
 * body, and a refused request never reaches execution ({@link WebSlice.Executions}). The same
 * checks against the whole application are {@code PistonValidationTest} and {@code WebErrorsTest}.
 */
@Tag("fast")
@WebMvcTest(PistonController.class)
@Import(WebSlice.class)
class PistonRequestsSliceTest {

    private static final JsonMapper JSON = new JsonMapper();

    @Autowired
    private MockMvc mvc;

    @Autowired
    private WebSlice.Executions executions;

    private ResultActions execute(String body) throws Exception {
        return mvc.perform(
                post("/api/v2/execute").contentType(MediaType.TEXT_PLAIN).content(body));
    }

    /** A Piston error: the status, JSON, and nothing but {@code message}. */
    private static String message(ResultActions answer, int status) throws Exception {
        answer.andExpect(status().is(status));
        String type = answer.andReturn().getResponse().getContentType();
        assertThat(type).startsWith("application/json");
        JsonNode body = JSON.readTree(answer.andReturn().getResponse().getContentAsString());
        assertThat(body.propertyNames()).containsExactly("message");
        return body.get("message").asString();
    }

    @Test
    void theChecksComeInPistonsOrderAndNothingRefusedIsExecuted() throws Exception {
        int before = executions.executed().size();
        assertThat(message(execute("{}"), 400)).isEqualTo("language is required as a string");
        assertThat(message(execute("""
                {"language": "python", "files": 3}"""), 400)).isEqualTo("version is required as a string");
        assertThat(message(execute("""
                {"language": "nosuch", "version": "*", "files": {"content": "x"}}"""), 400)).isEqualTo("files is required as an array");
        assertThat(message(execute("""
                {"language": "nosuch", "version": "*", "files": [{"content": ""}, {"content": 5}]}"""), 400)).isEqualTo("files[1].content is required as a string");
        assertThat(message(execute("""
                {"language": "nosuch", "version": "*", "files": [{"content": "x"}], "run_timeout": "soon"}"""), 400)).isEqualTo("nosuch-* runtime is unknown");
        assertThat(message(execute("""
                {"language": "py", "version": "*", "files": [{"content": "eA==", "encoding": "base64"}],
                 "run_timeout": "soon"}"""), 400)).isEqualTo("files must include at least one utf8 encoded file");
        assertThat(message(execute("""
                {"language": "py", "version": "*", "files": [{"content": "x"}], "run_timeout": "soon"}"""), 400)).isEqualTo("If specified, run_timeout must be a number");
        assertThat(message(execute("""
                {"language": "py", "version": "*", "files": [{"content": "x"}], "compile_cpu_time": 30001}"""), 400))
                .isEqualTo("compile_cpu_time cannot exceed the configured limit of 30000");
        assertThat(executions.executed()).hasSize(before);
    }

    @Test
    void malformedJsonAndATooLargeStdinAreRefusedInTheSameShape() throws Exception {
        assertThat(message(execute("{\"language\": "), 400))
                .startsWith("request body is not valid JSON: ")
                .contains("line 1, column")
                .doesNotContain("Exception", "tools.jackson");
        String stdin = "x".repeat(1024 * 1024 + 1);
        assertThat(message(execute("""
                {"language": "py", "version": "*", "files": [{"content": "x"}], "stdin": "%s"}""".formatted(stdin)), 413)).isEqualTo("stdin must not exceed 1048576 bytes");
    }

    @Test
    void routesThatDoNotExistAndPackageChangesAreRefusedInPistonsShape() throws Exception {
        assertThat(message(mvc.perform(get("/api/v2/nothing")), 404)).isEqualTo("Not Found");
        assertThat(message(mvc.perform(get("/api/v2/execute")), 404)).isEqualTo("Not Found");
        ResultActions install = mvc.perform(post("/api/v2/packages").content("{}"));
        install.andExpect(header().string("Allow", "GET"));
        assertThat(message(install, 405)).startsWith("packages cannot be installed or removed here");
    }

    /** The positive control: a correct request gets through, resolved to the catalogue's runtime. */
    @Test
    void aCorrectRequestIsExecutedOnceAsTheRuntimeItResolvesTo() throws Exception {
        int before = executions.executed().size();
        ResultActions answer = execute("""
                {"language": "py", "version": "3", "files": [{"name": "a.py", "content": "print(input())"}], "stdin": "hi"}""").andExpect(status().isOk());
        JsonNode body = JSON.readTree(answer.andReturn().getResponse().getContentAsString());
        assertThat(body.propertyNames()).containsExactly("run", "language", "version");
        assertThat(body.get("language").asString()).isEqualTo("python");
        assertThat(body.get("version").asString()).isEqualTo("3.11.2");
        List<io.codingengine.common.execution.ExecutionRequest> executed = executions.executed();
        assertThat(executed).hasSize(before + 1);
        assertThat(executed.getLast().files().getFirst().content()).isEqualTo("print(input())");
        assertThat(executed.getLast().runs().getFirst().stdin())
                .as("with Piston's line end")
                .isEqualTo("hi\n");
    }

    /** application.properties' compatible versions hold in the slice too: Piston's 3.10.0 runs on 3.x. */
    @Test
    void aSeedVersionRunsOnTheInstalledOneTheSettingsName() throws Exception {
        ResultActions answer = execute("""
                {"language": "python", "version": "3.10.0", "files": [{"content": "print(1)"}]}""").andExpect(status().isOk());
        assertThat(JSON.readTree(answer.andReturn().getResponse().getContentAsString())
                        .get("version")
                        .asString())
                .isEqualTo("3.11.2");
    }
}
