package io.codingengine.api.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.codingengine.api.access.Principal;
import io.codingengine.api.access.Role;
import io.codingengine.api.web.SentMessages;
import io.codingengine.api.web.WebSlice;
import io.codingengine.common.judge.SubmissionStatus;
import io.codingengine.common.queue.Lane;
import io.codingengine.common.store.InMemorySubmissionStore;
import io.codingengine.common.store.SubmissionFilter;
import io.codingengine.common.store.SubmissionRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The judge API's request checks and error shape in a web slice, on the in-memory store and queue
 * of {@link WebSlice}: every refusal is an RFC 9457 problem detail with the status the mistake
 * deserves, nothing of a refused request is stored or queued, and an accepted one is stored
 * {@code QUEUED} and sent once on the contest lane. The judging itself is {@code JudgePipelineTest}'s.
 */
@Tag("fast")
@WebMvcTest(SubmissionController.class)
@Import(WebSlice.class)
class SubmissionRequestsSliceTest {

    private static final JsonMapper JSON = new JsonMapper();
    private static final Principal SERVICE = new Principal("lms", Role.SERVICE, null);

    @Autowired
    private MockMvc mvc;

    @Autowired
    private InMemorySubmissionStore store;

    @Autowired
    private SentMessages queue;

    private static String participant() {
        return "p-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Map<String, Object> inline(String participant) {
        return new java.util.LinkedHashMap<>(Map.of(
                "participant",
                participant,
                "language",
                "python",
                "files",
                List.of(Map.of("name", "a.py", "content", "print(input())")),
                "tests",
                List.of(Map.of("name", "t1", "input", "1", "expectedOutput", "1", "visible", true))));
    }

    private ResultActions submit(MockHttpServletRequestBuilder request, Object body, Principal caller)
            throws Exception {
        return mvc.perform(request.with(WebSlice.as(caller))
                .contentType(MediaType.APPLICATION_JSON)
                .content(body instanceof String text ? text : JSON.writeValueAsString(body)));
    }

    /** A problem detail: its status, media type and fields; returns the detail. */
    private static JsonNode problem(ResultActions answer, int status, String title) throws Exception {
        answer.andExpect(status().is(status));
        assertThat(answer.andReturn().getResponse().getContentType()).isEqualTo("application/problem+json");
        JsonNode body = JSON.readTree(answer.andReturn().getResponse().getContentAsString());
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("title").asString()).isEqualTo(title);
        assertThat(body.has("detail")).isTrue();
        assertThat(body.toString()).doesNotContain("Exception", "\tat ");
        return body;
    }

    private int stored(String participant) {
        return store.listAll(SubmissionFilter.participant(participant)).size();
    }

    @Test
    void anAcceptedSubmissionIsStoredQueuedAndSentOnceOnTheContestLane() throws Exception {
        String alice = participant();
        int sent = queue.sent().size();
        ResultActions answer =
                submit(post("/api/v1/submissions"), inline(alice), SERVICE).andExpect(status().isAccepted());
        JsonNode ticket = JSON.readTree(answer.andReturn().getResponse().getContentAsString());
        String id = ticket.get("ticket").asString();
        answer.andExpect(header().string("Location", "/api/v1/submissions/" + id));
        assertThat(ticket.get("status").asString()).isEqualTo("QUEUED");

        SubmissionRecord record = store.get(id).orElseThrow();
        assertThat(record.status()).isEqualTo(SubmissionStatus.QUEUED);
        assertThat(record.submission().participant()).isEqualTo(alice);
        List<SentMessages.Sent> now = queue.sent();
        assertThat(now).hasSize(sent + 1);
        assertThat(now.getLast().lane()).isEqualTo(Lane.CONTEST);
        assertThat(now.getLast().messageId()).isEqualTo(id + "-0");

        mvc.perform(get("/api/v1/submissions/" + id).with(WebSlice.as(SERVICE))).andExpect(status().isOk());
    }

    @Test
    void eachMistakeIsAProblemDetailAndNothingIsStoredOrSent() throws Exception {
        String bob = participant();
        int sent = queue.sent().size();
        record Case(Map<String, Object> change, int status, String title, String detail) {}
        List<Case> cases = new ArrayList<>();
        cases.add(new Case(Map.of("language", ""), 400, "Invalid request", "language is required"));
        cases.add(new Case(Map.of("language", "cobol"), 400, "Invalid request", "cobol-* runtime is unknown"));
        cases.add(new Case(Map.of("files", List.of()), 400, "Invalid request", "files must contain at least one file"));
        cases.add(new Case(
                Map.of("tests", List.of()), 400, "Invalid request", "tests are required when no problemId is given"));
        cases.add(new Case(
                Map.of("problemId", "nosuchproblem", "tests", List.of()),
                404,
                "Not found",
                "unknown problem nosuchproblem"));
        cases.add(new Case(
                Map.of(
                        "tests",
                        java.util.Collections.nCopies(1001, Map.of("name", "t", "input", "1", "expectedOutput", "1"))),
                413,
                "Content too large",
                "at most 1000 tests"));
        cases.add(new Case(
                Map.of(
                        "files",
                        List.of(
                                Map.of("name", "a.py", "content", "print(input())"),
                                Map.of("name", "a.py/x", "content", "y"))),
                400,
                "Invalid request",
                "files[0].name a.py is a file, so it cannot also be a directory of files[1].name a.py/x"));
        cases.add(new Case(
                Map.of(
                        "files",
                        List.of(
                                Map.of("name", "a.py", "content", "print(input())"),
                                Map.of("name", "a.py", "content", "y"))),
                400,
                "Invalid request",
                "files[0].name a.py and files[1].name a.py have the same path"));
        for (Case c : cases) {
            Map<String, Object> body = inline(bob);
            body.putAll(c.change());
            JsonNode problem = problem(submit(post("/api/v1/submissions"), body, SERVICE), c.status(), c.title());
            assertThat(problem.get("detail").asString()).as(c.toString()).isEqualTo(c.detail());
            assertThat(problem.get("instance").asString()).isEqualTo("/api/v1/submissions");
        }
        JsonNode malformed =
                problem(submit(post("/api/v1/submissions"), "{\"language\": ", SERVICE), 400, "Invalid request");
        assertThat(malformed.get("detail").asString())
                .isEqualTo("the request body is not valid JSON of the expected shape");
        assertThat(stored(bob)).isZero();
        assertThat(queue.sent()).hasSize(sent);
    }

    @Test
    void aBatchIsAllOrNothingAndNamesTheIndexOfItsMistake() throws Exception {
        String carol = participant();
        Map<String, Object> wrong = inline(carol);
        wrong.put("language", "");
        JsonNode problem = problem(
                submit(post("/api/v1/submissions/batch"), List.of(inline(carol), wrong), SERVICE),
                400,
                "Invalid submission in batch");
        assertThat(problem.get("index").asInt()).isEqualTo(1);
        assertThat(problem.get("detail").asString()).isEqualTo("submissions[1]: language is required");
        assertThat(stored(carol)).isZero();
        submit(post("/api/v1/submissions/batch"), List.of(inline(carol), inline(carol)), SERVICE)
                .andExpect(status().isAccepted());
        assertThat(stored(carol)).isEqualTo(2);
    }

    @Test
    void whoMaySubmitAndReadIsAForbiddenProblem() throws Exception {
        String dave = participant();
        JsonNode noKey = problem(
                mvc.perform(post("/api/v1/submissions")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(JSON.writeValueAsString(inline(dave)))),
                403,
                "Forbidden");
        assertThat(noKey.get("detail").asString()).isEqualTo("this request needs an API key");
        JsonNode other = problem(
                submit(post("/api/v1/submissions"), inline(dave), new Principal("erin", Role.PARTICIPANT, null)),
                403,
                "Forbidden");
        assertThat(other.get("detail").asString())
                .isEqualTo("a participant key submits only as its own participant erin");
        assertThat(stored(dave)).isZero();
    }

    @Test
    void readingMistakesAreProblemsToo() throws Exception {
        JsonNode unknown = problem(
                mvc.perform(get("/api/v1/submissions/nosuchticket").with(WebSlice.as(SERVICE))), 404, "Not found");
        assertThat(unknown.get("detail").asString()).isEqualTo("unknown ticket nosuchticket");
        // The store's own refusal, as every adapter makes it (SubmissionStoreContract), is the client's mistake.
        JsonNode page = problem(
                mvc.perform(get("/api/v1/submissions").param("pageSize", "0").with(WebSlice.as(SERVICE))),
                400,
                "Invalid request");
        assertThat(page.get("detail").asString()).isEqualTo("pageSize must be 1..1000, was 0");
        JsonNode status = problem(
                mvc.perform(get("/api/v1/submissions").param("status", "SOON").with(WebSlice.as(SERVICE))),
                400,
                "Invalid request");
        assertThat(status.get("detail").asString()).isEqualTo("bad value for parameter status");
    }
}
