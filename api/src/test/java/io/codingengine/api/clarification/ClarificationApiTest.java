package io.codingengine.api.clarification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.api.KattisZip;
import io.codingengine.api.access.QueueApiSettings;
import io.codingengine.api.access.TestKeys;
import io.codingengine.common.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Clarifications over HTTP against the real api (embedded broker, PostgreSQL), no worker: who
 * sees which question and answer, announcements, the ETag that makes polling cheap, the limits
 * and every mistake a client can make (a 4xx problem detail, never a 500).
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "coding-engine.execution=queue",
            "coding-engine.broker-port=0",
            "coding-engine.limits.questions-per-hour=3",
            // every entry here comes from 127.0.0.1, faster than people would (EntryLimitsTest tests the limit)
            "coding-engine.limits.open-entries-per-address=1000"
        })
class ClarificationApiTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    /** Fresh per test: a problem, a running open contest with it, and two participants in it. */
    private String problem;

    private String contest;
    private Participant ada;
    private Participant bob;

    private record Participant(String contest, String id, String key) {}

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        QueueApiSettings.register(registry, "clarifications");
    }

    @BeforeEach
    void contest() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        problem = "sum-" + suffix;
        HttpResponse<String> imported = HTTP.send(
                HttpRequest.newBuilder(uri("/api/v1/problems/" + problem))
                        .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                        .header("Content-Type", "application/zip")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(KattisZip.sum()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, imported.statusCode(), imported.body());
        contest = "clar-" + suffix;
        Instant now = Instant.now();
        putContest(contest, now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.HOURS));
        ada = enter(contest, "Ada");
        bob = enter(contest, "Bob");
    }

    @Test
    void aPrivateAnswerReachesTheAskerAloneAndAnAnswerToAllReachesEveryoneWithoutTheAsker() throws Exception {
        JsonNode adas = json(created(ask(ada, problem, "ADA-SECRET: may n be 0?")));
        assertEquals("QUESTION", adas.get("kind").asString());
        assertTrue(adas.get("mine").asBoolean());
        assertTrue(adas.get("answer").isNull());
        String bobs = json(created(ask(bob, null, "BOB-ASKS: is the output one line?")))
                .get("id")
                .asString();

        JsonNode beforeAnswers = visible(bob);
        assertEquals(1, beforeAnswers.size(), "an unanswered question is its asker's alone: " + beforeAnswers);
        assertFalse(beforeAnswers.toString().contains("ADA-SECRET"), beforeAnswers.toString());

        JsonNode admin = adminList(contest);
        assertEquals(
                List.of(ada.id(), bob.id()),
                List.of(
                        admin.get(0).get("participant").asString(),
                        admin.get(1).get("participant").asString()),
                "admins see who asked: " + admin);

        assertEquals(
                200,
                answer(adas.get("id").asString(), "ADA-PRIVATE-ANSWER: no, n ≥ 1.", false)
                        .statusCode());
        JsonNode toAll = json(answer(bobs, "PUBLIC-ANSWER: yes, one line.", true));
        assertTrue(toAll.get("toAll").asBoolean());
        assertEquals("bootstrap-admin", toAll.get("answeredBy").asString(), "admins see who answered");

        JsonNode seenByAda = visible(ada);
        assertEquals(2, seenByAda.size(), seenByAda.toString());
        assertEquals(
                "ADA-PRIVATE-ANSWER: no, n ≥ 1.", seenByAda.get(0).get("answer").asString());
        assertTrue(seenByAda.get(0).get("mine").asBoolean());
        assertFalse(seenByAda.get(0).get("toAll").asBoolean());
        assertEquals(
                "BOB-ASKS: is the output one line?",
                seenByAda.get(1).get("question").asString());
        assertEquals(
                "PUBLIC-ANSWER: yes, one line.", seenByAda.get(1).get("answer").asString());
        assertFalse(seenByAda.get(1).get("mine").asBoolean());
        assertFalse(seenByAda.toString().contains(bob.id()), "never who asked another's question: " + seenByAda);
        assertFalse(seenByAda.get(1).has("participant") || seenByAda.get(1).has("answeredBy"), seenByAda.toString());

        JsonNode seenByBob = visible(bob);
        assertEquals(1, seenByBob.size(), "a private answer never reaches another participant: " + seenByBob);
        assertTrue(seenByBob.get(0).get("mine").asBoolean());
        String bobsView = seenByBob.toString();
        assertFalse(
                bobsView.contains("ADA-SECRET")
                        || bobsView.contains("ADA-PRIVATE-ANSWER")
                        || bobsView.contains(ada.id()),
                bobsView);

        Participant carol = enter(contest, "Carol");
        JsonNode seenByCarol = visible(carol);
        assertEquals(
                List.of("PUBLIC-ANSWER: yes, one line."),
                answers(seenByCarol),
                "a newcomer sees what was answered to all");

        // answered again, to all: the new answer replaces the old one, and everyone sees it now
        assertEquals(
                200, answer(adas.get("id").asString(), "EVERYONE: n ≥ 1.", true).statusCode());
        assertEquals(List.of("EVERYONE: n ≥ 1.", "PUBLIC-ANSWER: yes, one line."), answers(visible(bob)));
        assertFalse(visible(bob).toString().contains(ada.id()));
    }

    @Test
    void announcementsReachEveryParticipantAndOnlyAdminsMakeThem() throws Exception {
        HttpResponse<String> made = send(
                "POST",
                "/api/v1/admin/contests/" + contest + "/announcements",
                Json.write(Map.of("problemId", problem, "text", "Problem A: the limits are 1 ≤ a, b ≤ 10⁹.")),
                TestKeys.ADMIN);
        JsonNode announcement = json(created(made));
        assertEquals("ANNOUNCEMENT", announcement.get("kind").asString());
        for (Participant p : List.of(ada, bob)) {
            JsonNode seen = visible(p).get(0);
            assertEquals("ANNOUNCEMENT", seen.get("kind").asString());
            assertEquals(problem, seen.get("problemId").asString());
            assertTrue(seen.get("question").isNull());
            assertEquals(
                    "Problem A: the limits are 1 ≤ a, b ≤ 10⁹.",
                    seen.get("answer").asString());
            assertFalse(seen.get("mine").asBoolean());
        }
        String general = Json.write(Map.of("text", "Lunch is served."));
        assertEquals(
                403,
                send("POST", "/api/v1/admin/contests/" + contest + "/announcements", general, ada.key())
                        .statusCode());
        assertEquals(
                401,
                send("POST", "/api/v1/admin/contests/" + contest + "/announcements", general, null)
                        .statusCode());
        assertEquals(
                403,
                send("GET", "/api/v1/admin/contests/" + contest + "/clarifications", null, ada.key())
                        .statusCode());
        assertEquals(
                401,
                send("GET", "/api/v1/contests/" + contest + "/clarifications", null, null)
                        .statusCode());
        problem(answer(announcement.get("id").asString(), "x", true), 404, "no question");
        assertEquals(
                201,
                send("POST", "/api/v1/admin/contests/" + contest + "/announcements", general, TestKeys.ADMIN)
                        .statusCode());
        assertEquals(2, visible(bob).size());
    }

    @Test
    void anAdminChangesAndDeletesAnAnnouncementAndNobodyElseMay() throws Exception {
        String url = "/api/v1/admin/contests/" + contest + "/announcements";
        JsonNode made = json(created(send("POST", url, Json.write(Map.of("text", "Lunch at 12:00.")), TestKeys.ADMIN)));
        String id = made.get("id").asString();
        String change = Json.write(Map.of("problemId", problem, "text", "Lunch at 12:30."));
        assertEquals(403, send("PUT", url + "/" + id, change, ada.key()).statusCode());
        assertEquals(401, send("PUT", url + "/" + id, change, null).statusCode());
        assertEquals(403, send("DELETE", url + "/" + id, null, ada.key()).statusCode());
        assertEquals(401, send("DELETE", url + "/" + id, null, null).statusCode());

        HttpResponse<String> changed = send("PUT", url + "/" + id, change, TestKeys.ADMIN);
        assertEquals(200, changed.statusCode(), changed.body());
        assertEquals("Lunch at 12:30.", json(changed).get("answer").asString());
        assertEquals(problem, json(changed).get("problemId").asString());
        assertTrue(json(changed)
                        .get("answeredAt")
                        .asString()
                        .compareTo(made.get("answeredAt").asString())
                >= 0);
        JsonNode seen = null;
        for (JsonNode c : visible(bob)) {
            if (c.get("id").asString().equals(id)) {
                seen = c;
            }
        }
        assertTrue(
                seen != null && seen.get("answer").asString().equals("Lunch at 12:30."),
                "participants see the change: " + seen);

        problem(send("PUT", url + "/" + id, Json.write(Map.of("text", "")), TestKeys.ADMIN), 400, "text");
        problem(
                send("PUT", url + "/" + id, Json.write(Map.of("text", "x", "problemId", "nope")), TestKeys.ADMIN),
                400,
                "problemId");
        HttpResponse<String> question = ask(ada, null, "Is there lunch?");
        String questionId = json(created(question)).get("id").asString();
        problem(send("PUT", url + "/" + questionId, change, TestKeys.ADMIN), 404, "no announcement");
        problem(send("DELETE", url + "/" + questionId, null, TestKeys.ADMIN), 404, "no announcement");

        assertEquals(204, send("DELETE", url + "/" + id, null, TestKeys.ADMIN).statusCode());
        assertFalse(visible(bob).toString().contains(id), "gone for participants");
        assertFalse(adminList(contest).toString().contains("\"" + id + "\""), "and for admins");
        problem(send("DELETE", url + "/" + id, null, TestKeys.ADMIN), 404, "no announcement");
        problem(send("PUT", url + "/" + id, change, TestKeys.ADMIN), 404, "no announcement");
        assertTrue(adminList(contest).toString().contains(questionId), "the question stays");
    }

    @Test
    void aPollIsNotModifiedUntilWhatTheCallerSeesChanges() throws Exception {
        created(ask(ada, null, "first"));
        HttpResponse<String> first = send("GET", "/api/v1/contests/" + contest + "/clarifications", null, ada.key());
        assertEquals(200, first.statusCode());
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertTrue(
                first.headers().firstValue("Cache-Control").orElse("").contains("no-store"),
                first.headers().toString());

        HttpResponse<String> same = poll(ada, etag);
        assertEquals(304, same.statusCode(), same.body());
        assertEquals("", same.body());

        String bobs =
                json(created(ask(bob, null, "not Ada's business"))).get("id").asString();
        assertEquals(304, poll(ada, etag).statusCode(), "another's question changes nothing Ada sees");
        answer(bobs, "private to Bob", false);
        assertEquals(304, poll(ada, etag).statusCode(), "nor a private answer to it");

        String adminTag = send("GET", "/api/v1/admin/contests/" + contest + "/clarifications", null, TestKeys.ADMIN)
                .headers()
                .firstValue("ETag")
                .orElseThrow();
        answer(bobs, "to everyone", true);
        HttpResponse<String> changed = poll(ada, etag);
        assertEquals(200, changed.statusCode(), "an answer to all is news to Ada");
        assertNotEquals(etag, changed.headers().firstValue("ETag").orElseThrow());
        assertEquals(
                Arrays.asList(null, "to everyone"),
                answers(json(changed)),
                "her own question, and Bob's answered to all");
        HttpResponse<String> admins =
                send("GET", "/api/v1/admin/contests/" + contest + "/clarifications", null, TestKeys.ADMIN);
        assertNotEquals(adminTag, admins.headers().firstValue("ETag").orElseThrow());
    }

    @Test
    void mistakesAreProblemDetailsNeverA500() throws Exception {
        String path = "/api/v1/contests/" + contest + "/clarifications";
        problem(send("POST", path, "{}", ada.key()), 400, "text is required");
        problem(send("POST", path, "{\"text\":\" \\n\\t \"}", ada.key()), 400, "text is required");
        problem(
                send("POST", path, Json.write(Map.of("text", "x".repeat(2001))), ada.key()),
                400,
                "2001 characters; at most 2000");
        problem(send("POST", path, "{\"text\":\"ring \\u0007 ring\"}", ada.key()), 400, "U+0007");
        problem(send("POST", path, "{\"text\":\"nul \\u0000\"}", ada.key()), 400, "U+0000");
        problem(send("POST", path, "{\"text\":\"escape \\u001b[2J\"}", ada.key()), 400, "U+001B");
        problem(send("POST", path, "{\"text\":\"half \\ud800 a character\"}", ada.key()), 400, "surrogate");
        problem(send("POST", path, "{\"text\":\"backwards \\udc00\\ud800\"}", ada.key()), 400, "surrogate");
        problem(
                send("POST", path, Json.write(Map.of("text", "q", "problemId", "nope")), ada.key()),
                400,
                "one of the contest's problems");
        for (String body : List.of("not json", "null", "[1, 2]", "{\"text\": {\"a\": 1}}", "{\"text\": \"a\"")) {
            HttpResponse<String> r = send("POST", path, body, ada.key());
            assertEquals(400, r.statusCode(), body + ": " + r.body());
            assertEquals(400, json(r).get("status").asInt(), r.body());
        }
        // the edges that are fine: 2,000 characters of any plane, lines and tabs, Windows line ends
        String longest = "🙂".repeat(2000);
        assertEquals(
                longest,
                json(created(send("POST", path, Json.write(Map.of("text", longest)), ada.key())))
                        .get("question")
                        .asString());
        JsonNode lines =
                json(created(send("POST", path, Json.write(Map.of("text", "  line 1\r\n\tline 2\r\n")), ada.key())));
        assertEquals("line 1\n\tline 2", lines.get("question").asString());

        String id = lines.get("id").asString();
        String answers = "/api/v1/admin/contests/" + contest + "/clarifications/";
        problem(send("POST", answers + id + "/answer", "{\"toAll\":true}", TestKeys.ADMIN), 400, "text is required");
        problem(
                send("POST", answers + id + "/answer", "{\"text\":\"a\",\"toAll\":\"maybe\"}", TestKeys.ADMIN),
                400,
                "");
        problem(send("POST", answers + id + "/answer", "{\"text\":\"\\u0085\"}", TestKeys.ADMIN), 400, "U+0085");
        problem(send("POST", answers + "nope/answer", "{\"text\":\"a\"}", TestKeys.ADMIN), 404, "no question nope");
        problem(
                send("POST", answers + "x'%20or%20RowKey%20ne%20'/answer", "{\"text\":\"a\"}", TestKeys.ADMIN),
                404,
                "no question");
        problem(
                send(
                        "POST",
                        "/api/v1/admin/contests/" + contest + "/announcements",
                        "{\"text\":\"a\",\"problemId\":\"nope\"}",
                        TestKeys.ADMIN),
                400,
                "one of the contest's problems");
        problem(
                send("POST", "/api/v1/admin/contests/" + contest + "/announcements", "null", TestKeys.ADMIN),
                400,
                "not valid JSON");
        assertEquals(2, adminList(contest).size(), "nothing refused was stored");
    }

    @Test
    void anotherContestIsNotFoundAndAKeyActsInItsOwnContestOnly() throws Exception {
        String adas = json(created(ask(ada, null, "in my contest"))).get("id").asString();
        String other = "other-" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now();
        putContest(other, now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.HOURS));

        problem(
                send("GET", "/api/v1/contests/nope-" + other + "/clarifications", null, ada.key()),
                404,
                "unknown contest");
        problem(
                send("POST", "/api/v1/contests/nope-" + other + "/clarifications", "{\"text\":\"q\"}", ada.key()),
                404,
                "unknown contest");
        problem(
                send("GET", "/api/v1/admin/contests/nope-" + other + "/clarifications", null, TestKeys.ADMIN),
                404,
                "unknown contest");
        problem(
                send(
                        "POST",
                        "/api/v1/admin/contests/" + other + "/clarifications/" + adas + "/answer",
                        "{\"text\":\"a\"}",
                        TestKeys.ADMIN),
                404,
                "no question");
        problem(send("GET", "/api/v1/contests/" + other + "/clarifications", null, ada.key()), 403, "acts only in it");
        problem(
                send("POST", "/api/v1/contests/" + other + "/clarifications", "{\"text\":\"q\"}", ada.key()),
                403,
                "acts only in it");
        assertEquals(0, adminList(other).size());
        assertEquals(
                null,
                adminList(contest).get(0).get("answer").asString(null),
                "the answer sent to the other contest went nowhere");
    }

    @Test
    void questionsAreLimitedPerParticipant() throws Exception {
        for (int i = 0; i < 3; i++) {
            created(ask(ada, null, "question " + i));
        }
        HttpResponse<String> fourth = ask(ada, null, "question 3");
        problem(fourth, 429, "3 questions an hour");
        long retryAfter =
                Long.parseLong(fourth.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 1201, "one question comes back every 20 minutes: " + retryAfter);
        created(ask(bob, null, "my own allowance"));
        assertEquals(4, adminList(contest).size());
    }

    @Test
    void questionsCloseAtTheEndButAnnouncementsDoNot() throws Exception {
        String over = "over-" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now();
        putContest(over, now.minus(2, ChronoUnit.HOURS), now.minus(1, ChronoUnit.HOURS));
        Participant late = enter(over, "Late");
        problem(ask(late, null, "is it over?"), 409, "the contest is over");
        created(send(
                "POST",
                "/api/v1/admin/contests/" + over + "/announcements",
                "{\"text\":\"Results at 18:00.\"}",
                TestKeys.ADMIN));
        assertEquals(List.of("Results at 18:00."), answers(visible(late)));
    }

    // ------------------------------------------------------------------ helpers

    private HttpResponse<String> ask(Participant p, String problemId, String text) throws Exception {
        Map<String, String> body = new HashMap<>(Map.of("text", text));
        if (problemId != null) {
            body.put("problemId", problemId);
        }
        return send("POST", "/api/v1/contests/" + p.contest() + "/clarifications", Json.write(body), p.key());
    }

    private HttpResponse<String> answer(String id, String text, boolean toAll) throws Exception {
        return send(
                "POST",
                "/api/v1/admin/contests/" + contest + "/clarifications/" + id + "/answer",
                Json.write(Map.of("text", text, "toAll", toAll)),
                TestKeys.ADMIN);
    }

    private JsonNode visible(Participant p) throws Exception {
        HttpResponse<String> r = send("GET", "/api/v1/contests/" + p.contest() + "/clarifications", null, p.key());
        assertEquals(200, r.statusCode(), r.body());
        return json(r);
    }

    private HttpResponse<String> poll(Participant p, String etag) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(uri("/api/v1/contests/" + p.contest() + "/clarifications"))
                        .header("Authorization", TestKeys.bearer(p.key()))
                        .header("If-None-Match", etag)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode adminList(String contestId) throws Exception {
        HttpResponse<String> r =
                send("GET", "/api/v1/admin/contests/" + contestId + "/clarifications", null, TestKeys.ADMIN);
        assertEquals(200, r.statusCode(), r.body());
        return json(r);
    }

    private static List<String> answers(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(c -> out.add(c.get("answer").asString(null)));
        return out;
    }

    private void putContest(String id, Instant start, Instant end) throws Exception {
        String body = Json.write(Map.of(
                "title",
                "Contest " + id,
                "problemIds",
                List.of(problem),
                "start",
                start.toString(),
                "end",
                end.toString(),
                "scoring",
                "ICPC",
                "invitations",
                List.of()));
        HttpResponse<String> r = send("PUT", "/api/v1/admin/contests/" + id, body, TestKeys.ADMIN);
        assertEquals(200, r.statusCode(), r.body());
    }

    private Participant enter(String contestId, String name) throws Exception {
        HttpResponse<String> r = send(
                "POST",
                "/api/v1/contests/" + contestId + "/entries",
                Json.write(Map.of(
                        "name",
                        name + " " + UUID.randomUUID().toString().substring(0, 8),
                        "password",
                        "correct horse")),
                null);
        JsonNode entry = json(created(r));
        return new Participant(
                contestId, entry.get("participant").asString(), entry.get("key").asString());
    }

    private static HttpResponse<String> created(HttpResponse<String> r) {
        assertEquals(201, r.statusCode(), r.body());
        return r;
    }

    /** Asserts an RFC 9457 problem detail of {@code status} whose detail mentions {@code text}. */
    private static void problem(HttpResponse<String> r, int status, String text) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(
                r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                r.headers().toString());
        JsonNode p = json(r);
        assertEquals(status, p.get("status").asInt(), r.body());
        assertTrue(p.get("detail").asString().contains(text), r.body());
    }

    private static JsonNode json(HttpResponse<String> r) {
        return Json.mapper().readTree(r.body());
    }

    private HttpResponse<String> send(String method, String path, String body, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (key != null) {
            b.header("Authorization", TestKeys.bearer(key));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
