package io.codingengine.api.contest;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * Who may act in a contest, over HTTP against the real api (embedded broker, PostgreSQL) with no
 * worker: a key from a contest's entry acts in that contest only, an unscoped participant key
 * only where it is invited, and a participant key never names a contest on the free judge API.
 * Submissions stay queued; what counts is whether they were taken, and whose scoreboard shows them.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "coding-engine.execution=queue",
            "coding-engine.broker-port=0",
            "coding-engine.limits.max-waiting=100",
            // every entry here comes from 127.0.0.1, faster than people would (EntryLimitsTest tests the limit)
            "coding-engine.limits.open-entries-per-address=1000"
        })
class ContestKeysTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SOURCE = "print(sum(map(int, input().split())))";

    @LocalServerPort
    int port;

    /** Fresh per test: a problem, an open contest, one by invitation, and the invited participant. */
    private String problem;

    private String open;
    private String invited;
    private String candidate;
    private String token;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        QueueApiSettings.register(registry, "scope");
    }

    @BeforeEach
    void contests() throws Exception {
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
        open = "open-" + suffix;
        invited = "invited-" + suffix;
        candidate = "candidate-" + suffix;
        token = "tok-" + UUID.randomUUID();
        putContest(open, List.of());
        putContest(invited, List.of(Map.of("token", token, "participant", candidate)));
    }

    // ------------------------------------------------------------------ the holes

    @Test
    void aParticipantOfAnOpenContestCannotSubmitToOneByInvitation() throws Exception {
        String key = enterByName(open, "Mallory");
        HttpResponse<String> r = send("POST", "/api/v1/contests/" + invited + "/submissions", contestSubmission(), key);
        assertEquals(403, r.statusCode(), r.body());
        assertTrue(detail(r).contains("contest " + open) && detail(r).contains("not in contest " + invited), r.body());
        assertEquals(0, scoreboardRows(invited), "nobody uninvited on the invitation contest's scoreboard");
    }

    @Test
    void aParticipantKeyNamesNoContestOnTheJudgeApi() throws Exception {
        // a key from the open contest's entry: not on the judge API at all, with a contest or without
        String scoped = enterByName(open, "Mallory");
        for (String body :
                List.of(judgeSubmission(invited), judgeSubmission(open), judgeSubmission(null), judgeInline(null))) {
            HttpResponse<String> r = send("POST", "/api/v1/submissions", body, scoped);
            assertEquals(403, r.statusCode(), body + ": " + r.body());
            assertTrue(detail(r).contains("POST /api/v1/contests/" + open + "/submissions"), r.body());
            HttpResponse<String> batch = send("POST", "/api/v1/submissions/batch", "[" + body + "]", scoped);
            assertEquals(403, batch.statusCode(), "batch: " + batch.body());
        }
        // an admin-issued participant key: its own inline tests, yes; a contest, never, invited or not
        String free = issue("free-" + UUID.randomUUID().toString().substring(0, 6), null);
        String invitedFree = issue(candidate, null);
        for (String key : List.of(free, invitedFree)) {
            for (String contest : List.of(invited, open)) {
                HttpResponse<String> r = send("POST", "/api/v1/submissions", judgeSubmission(contest), key);
                assertEquals(403, r.statusCode(), r.body());
                assertTrue(detail(r).contains("POST /api/v1/contests/" + contest + "/submissions"), r.body());
                HttpResponse<String> batch = send(
                        "POST",
                        "/api/v1/submissions/batch",
                        "[" + judgeInline(null) + "," + judgeSubmission(contest) + "]",
                        key);
                assertEquals(403, batch.statusCode(), batch.body());
                assertEquals(
                        1, Json.mapper().readTree(batch.body()).get("index").asInt(), batch.body());
            }
            HttpResponse<String> odd = send("POST", "/api/v1/submissions", judgeInline("a/b#" + "c".repeat(300)), key);
            assertEquals(403, odd.statusCode(), odd.body());
            assertTrue(
                    detail(odd).contains("/api/v1/contests/{id}/submissions"),
                    "a malformed id is not echoed: " + odd.body());
            assertEquals(
                    202,
                    send("POST", "/api/v1/submissions", judgeInline(null), key).statusCode());
            assertEquals(
                    202,
                    send("POST", "/api/v1/submissions", judgeSubmission(null), key)
                            .statusCode(),
                    "a problem outside any contest");
        }
        assertEquals(0, scoreboardRows(invited));
        assertEquals(0, scoreboardRows(open));
    }

    @Test
    void aParticipantOfAnotherContestCannotListAContestsSubmissions() throws Exception {
        String key = enterByName(open, "Mallory");
        HttpResponse<String> r = send("GET", "/api/v1/contests/" + invited + "/submissions", null, key);
        assertEquals(403, r.statusCode(), r.body());
        HttpResponse<String> listed = send("GET", "/api/v1/submissions?contestId=" + invited, null, key);
        assertEquals(403, listed.statusCode(), listed.body());
        String unscoped = issue("free-" + UUID.randomUUID().toString().substring(0, 6), null);
        assertEquals(
                403,
                send("GET", "/api/v1/contests/" + invited + "/submissions", null, unscoped)
                        .statusCode());
        assertEquals(
                403,
                send("GET", "/api/v1/contests/" + open + "/submissions", null, unscoped)
                        .statusCode());
    }

    /**
     * One identity in two contests by invitation (an admin may reuse a participant id): the key
     * from one entry still acts in, and reads of, that contest only.
     */
    @Test
    void aKeyScopedToOneContestActsInNoOtherEvenAsAnInvitedParticipant() throws Exception {
        String other = "other-" + UUID.randomUUID().toString().substring(0, 8);
        putContest(other, List.of(Map.of("token", token + "-o", "participant", candidate)));
        String inOther = enterByToken(other, token + "-o");
        String inInvited = enterByToken(invited, token);
        String ticket =
                ticket(send("POST", "/api/v1/contests/" + invited + "/submissions", contestSubmission(), inInvited));

        assertEquals(
                403,
                send("POST", "/api/v1/contests/" + invited + "/submissions", contestSubmission(), inOther)
                        .statusCode());
        assertEquals(
                403,
                send("GET", "/api/v1/contests/" + invited + "/submissions", null, inOther)
                        .statusCode());
        HttpResponse<String> poll = send("GET", "/api/v1/submissions/" + ticket, null, inOther);
        assertEquals(403, poll.statusCode(), poll.body());
        assertTrue(!poll.body().contains(SOURCE), poll.body());
        assertEquals(
                403,
                send("GET", "/api/v1/submissions?contestId=" + invited, null, inOther)
                        .statusCode());
        JsonNode mine = json(send("GET", "/api/v1/submissions", null, inOther));
        assertEquals(0, mine.get("items").size(), "the listing of a scoped key is its contest's: " + mine);

        assertEquals(
                200,
                send("GET", "/api/v1/submissions/" + ticket, null, inInvited).statusCode());
        JsonNode listed = json(send("GET", "/api/v1/submissions", null, inInvited));
        assertEquals(ticket, listed.get("items").get(0).get("id").asString(), listed.toString());
        assertEquals(
                1,
                json(send("GET", "/api/v1/contests/" + invited + "/submissions", null, inInvited))
                        .size());
    }

    /** What a scoped key may call besides its contest: the poll and listing, Piston, the open pages; nothing else. */
    @Test
    void aScopedKeyReachesNoOtherEndpoint() throws Exception {
        String key = enterByName(open, "Mallory");
        for (String[] call : List.of(
                new String[] {"GET", "/api/v1/problems"},
                new String[] {"GET", "/api/v1/problems/" + problem},
                new String[] {"GET", "/api/v1/anything-added-later"})) {
            HttpResponse<String> r = send(call[0], call[1], null, key);
            assertEquals(403, r.statusCode(), call[1] + ": " + r.body());
            assertTrue(detail(r).contains("contest " + open), r.body());
        }
        for (String spelled : List.of(
                "/api/v1/submissions;x=1",
                "/api/v1//submissions",
                "/api/%761/submissions",
                "/api/v1/contests/" + open + "/../../submissions",
                "/api/v1/submissions/batch/",
                "/API/v1/submissions")) {
            HttpResponse<String> r = send("POST", spelled, judgeInline(null), key);
            assertTrue(r.statusCode() != 202 && r.statusCode() < 500, spelled + ": " + r.statusCode() + " " + r.body());
        }
        assertEquals(403, send("GET", "/api/v1/admin/contests", null, key).statusCode());
        assertEquals(200, send("GET", "/api/v2/runtimes", null, key).statusCode());
        assertEquals(200, send("GET", "/api/v1/contests/" + invited, null, key).statusCode());
        assertEquals(
                200,
                send("GET", "/api/v1/contests/" + invited + "/scoreboard", null, key)
                        .statusCode());
        assertEquals(
                404,
                send("POST", "/api/v1/contests/nope-" + open + "/submissions", contestSubmission(), key)
                        .statusCode());
        assertEquals(
                404,
                send("GET", "/api/v1/contests/nope-" + open + "/submissions", null, key)
                        .statusCode());
    }

    // ------------------------------------------------------------------ what still works

    @Test
    void anEnteredParticipantSubmitsInItsContest() throws Exception {
        String key = enterByName(open, "Ada");
        String ticket = ticket(send("POST", "/api/v1/contests/" + open + "/submissions", contestSubmission(), key));
        JsonNode mine = json(send("GET", "/api/v1/contests/" + open + "/submissions", null, key));
        assertEquals(ticket, mine.get(0).get("id").asString());
        assertEquals(
                200, send("GET", "/api/v1/submissions/" + ticket, null, key).statusCode());
        assertEquals(
                1,
                json(send("GET", "/api/v1/submissions?contestId=" + open, null, key))
                        .get("items")
                        .size());
        assertEquals(1, scoreboardRows(open));

        String byToken = enterByToken(invited, token);
        ticket(send("POST", "/api/v1/contests/" + invited + "/submissions", contestSubmission(), byToken));
        assertEquals(1, scoreboardRows(invited));
    }

    @Test
    void anAdminIssuedKeyActsWhereItsSubjectIsInvited() throws Exception {
        String key = issue(candidate, null);
        String ticket = ticket(send("POST", "/api/v1/contests/" + invited + "/submissions", contestSubmission(), key));
        assertEquals(
                ticket,
                json(send("GET", "/api/v1/contests/" + invited + "/submissions", null, key))
                        .get(0)
                        .get("id")
                        .asString());
        assertEquals(
                candidate,
                json(send("GET", "/api/v1/contests/" + invited + "/scoreboard", null, null))
                        .get("rows")
                        .get(0)
                        .get("participant")
                        .asString());
        // not in an open contest: that takes a key from its entry
        HttpResponse<String> r = send("POST", "/api/v1/contests/" + open + "/submissions", contestSubmission(), key);
        assertEquals(403, r.statusCode(), r.body());
        assertTrue(detail(r).contains("/api/v1/contests/" + open + "/entries"), r.body());
        // an admin may also issue a key scoped to a contest, as an entry would
        String scoped = issue("walk-in-" + UUID.randomUUID().toString().substring(0, 6), open);
        ticket(send("POST", "/api/v1/contests/" + open + "/submissions", contestSubmission(), scoped));
        assertEquals(
                403,
                send("POST", "/api/v1/contests/" + invited + "/submissions", contestSubmission(), scoped)
                        .statusCode());
        HttpResponse<String> service = send(
                "POST",
                "/api/v1/admin/keys",
                "{\"subject\":\"lms\",\"role\":\"SERVICE\",\"contestId\":\"" + open + "\"}",
                TestKeys.ADMIN);
        assertEquals(400, service.statusCode(), "only participant keys have a contest: " + service.body());
    }

    @Test
    void serviceAndAdminKeysKeepActingInAnyContest() throws Exception {
        String service = issueKey("lms-" + UUID.randomUUID().toString().substring(0, 6), "SERVICE", null);
        ticket(send("POST", "/api/v1/contests/" + invited + "/submissions", contestSubmission(), service));
        ticket(send("POST", "/api/v1/submissions", judgeSubmission(invited, candidate), service));
        assertEquals(
                200,
                send("GET", "/api/v1/contests/" + invited + "/submissions", null, TestKeys.ADMIN)
                        .statusCode());
        ticket(send(
                "POST", "/api/v1/submissions/batch", "[" + judgeSubmission(invited, candidate) + "]", TestKeys.ADMIN));
    }

    @Test
    void statementPicturesAreOpenOnceTheContestStartsAndOnlyForItsProblems() throws Exception {
        String tower = "tower-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> imported = HTTP.send(
                HttpRequest.newBuilder(uri("/api/v1/problems/" + tower))
                        .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                        .header("Content-Type", "application/zip")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(KattisZip.latexWithPicture()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, imported.statusCode(), imported.body());
        assertTrue(
                json(imported).get("statement").asString().contains("![A tower](statement/tower.png)"),
                imported.body());
        String started = "pictures-" + UUID.randomUUID().toString().substring(0, 8);
        String later = started + "-later";
        Instant now = Instant.now();
        putContest(started, List.of(), List.of(tower), now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.HOURS));
        putContest(later, List.of(), List.of(tower), now.plus(1, ChronoUnit.HOURS), now.plus(2, ChronoUnit.HOURS));

        HttpResponse<byte[]> picture = HTTP.send(
                HttpRequest.newBuilder(
                                uri("/api/v1/contests/" + started + "/problems/" + tower + "/statement/tower.png"))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, picture.statusCode(), "anyone may read a started contest's statements");
        assertTrue(java.util.Arrays.equals(KattisZip.PNG, picture.body()));
        assertEquals("image/png", picture.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(
                "nosniff",
                picture.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertTrue(picture.headers()
                .firstValue("Content-Security-Policy")
                .orElseThrow()
                .contains("sandbox"));

        assertEquals(
                404,
                send("GET", "/api/v1/contests/" + later + "/problems/" + tower + "/statement/tower.png", null, null)
                        .statusCode(),
                "not before the contest starts");
        assertEquals(
                404,
                send("GET", "/api/v1/contests/" + open + "/problems/" + tower + "/statement/tower.png", null, null)
                        .statusCode(),
                "not through a contest the problem is not in");
        assertEquals(
                404,
                send("GET", "/api/v1/contests/" + started + "/problems/" + tower + "/statement/other.png", null, null)
                        .statusCode());
        int escape = send(
                        "GET",
                        "/api/v1/contests/" + started + "/problems/" + tower + "/statement/..%2Fproblem.yaml",
                        null,
                        null)
                .statusCode();
        assertTrue(escape == 400 || escape == 404, "a name that is no picture's: " + escape);
        // the free judge API: a key that may read the problem, not a contest's key
        assertEquals(
                200,
                send("GET", "/api/v1/problems/" + tower + "/statement/tower.png", null, TestKeys.ADMIN)
                        .statusCode());
        assertEquals(
                401,
                send("GET", "/api/v1/problems/" + tower + "/statement/tower.png", null, null)
                        .statusCode());
        assertEquals(
                403,
                send("GET", "/api/v1/problems/" + tower + "/statement/tower.png", null, enterByName(started, "Bo"))
                        .statusCode());
    }

    // ------------------------------------------------------------------ a contest changed under its keys

    @Test
    void aDeletedContestsKeysActNowhereAndARecreatedOneTakesThemBack() throws Exception {
        String key = enterByName(open, "Ada");
        ticket(send("POST", "/api/v1/contests/" + open + "/submissions", contestSubmission(), key));
        assertEquals(
                204,
                send("DELETE", "/api/v1/admin/contests/" + open, null, TestKeys.ADMIN)
                        .statusCode());
        assertEquals(
                404,
                send("POST", "/api/v1/contests/" + open + "/submissions", contestSubmission(), key)
                        .statusCode());
        assertEquals(
                404,
                send("GET", "/api/v1/contests/" + open + "/submissions", null, key)
                        .statusCode());
        assertEquals(
                403, send("POST", "/api/v1/submissions", judgeInline(null), key).statusCode());
        assertEquals(
                403,
                send("POST", "/api/v1/contests/" + invited + "/submissions", contestSubmission(), key)
                        .statusCode());

        // the same id is the same contest: its submissions count again, and so do its keys
        putContest(open, List.of());
        ticket(send("POST", "/api/v1/contests/" + open + "/submissions", contestSubmission(), key));
        assertEquals(
                2,
                json(send("GET", "/api/v1/contests/" + open + "/submissions", null, key))
                        .size());

        // unless it comes back by invitation: then only invited participants act in it
        putContest(open, List.of(Map.of("token", token + "-r", "participant", candidate)));
        HttpResponse<String> r = send("POST", "/api/v1/contests/" + open + "/submissions", contestSubmission(), key);
        assertEquals(403, r.statusCode(), r.body());
        assertTrue(detail(r).contains("not invited"), r.body());
    }

    @Test
    void aWithdrawnInvitationStopsTheKeysItLetIn() throws Exception {
        String key = enterByToken(invited, token);
        ticket(send("POST", "/api/v1/contests/" + invited + "/submissions", contestSubmission(), key));
        putContest(invited, List.of(Map.of("token", token + "-2", "participant", "someone-else")));
        assertEquals(
                403,
                send("POST", "/api/v1/contests/" + invited + "/submissions", contestSubmission(), key)
                        .statusCode());
        assertEquals(
                403,
                send("GET", "/api/v1/contests/" + invited + "/submissions", null, key)
                        .statusCode());
    }

    @Test
    void aMemberStillMeetsTheContestsWindowAndProblems() throws Exception {
        String later = "later-" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now();
        putContest(later, List.of(), now.plus(1, ChronoUnit.HOURS), now.plus(2, ChronoUnit.HOURS));
        String key = enterByName(later, "Early");
        HttpResponse<String> r = send("POST", "/api/v1/contests/" + later + "/submissions", contestSubmission(), key);
        assertEquals(409, r.statusCode(), r.body());
        String inOpen = enterByName(open, "Ada");
        assertEquals(
                400,
                send(
                                "POST",
                                "/api/v1/contests/" + open + "/submissions",
                                contestSubmission().replace(problem, "not-" + problem),
                                inOpen)
                        .statusCode());
    }

    // ------------------------------------------------------------------ helpers

    private void putContest(String id, List<Map<String, String>> invitations) throws Exception {
        Instant now = Instant.now();
        putContest(id, invitations, now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.HOURS));
    }

    private void putContest(String id, List<Map<String, String>> invitations, Instant start, Instant end)
            throws Exception {
        putContest(id, invitations, List.of(problem), start, end);
    }

    private void putContest(
            String id, List<Map<String, String>> invitations, List<String> problems, Instant start, Instant end)
            throws Exception {
        String body = Json.write(Map.of(
                "title",
                "Contest " + id,
                "problemIds",
                problems,
                "start",
                start.toString(),
                "end",
                end.toString(),
                "scoring",
                "POINTS",
                "invitations",
                invitations));
        HttpResponse<String> r = send("PUT", "/api/v1/admin/contests/" + id, body, TestKeys.ADMIN);
        assertEquals(200, r.statusCode(), r.body());
    }

    private String enterByName(String contest, String name) throws Exception {
        // a name is taken once in a contest: each call registers a fresh account
        return entry(
                contest,
                "{\"name\":\"" + name + " "
                        + java.util.UUID.randomUUID().toString().substring(0, 8)
                        + "\",\"password\":\"correct horse\"}");
    }

    private String enterByToken(String contest, String token) throws Exception {
        return entry(contest, "{\"token\":\"" + token + "\"}");
    }

    private String entry(String contest, String body) throws Exception {
        HttpResponse<String> r = send("POST", "/api/v1/contests/" + contest + "/entries", body, null);
        assertEquals(201, r.statusCode(), r.body());
        return json(r).get("key").asString();
    }

    /** An admin-issued participant key, scoped to {@code contest} unless it is null. */
    private String issue(String subject, String contest) throws Exception {
        return issueKey(subject, "PARTICIPANT", contest);
    }

    private String issueKey(String subject, String role, String contest) throws Exception {
        Map<String, String> body = new HashMap<>(Map.of("subject", subject, "role", role));
        if (contest != null) {
            body.put("contestId", contest);
        }
        HttpResponse<String> r = send("POST", "/api/v1/admin/keys", Json.write(body), TestKeys.ADMIN);
        assertEquals(201, r.statusCode(), r.body());
        return json(r).get("key").asString();
    }

    private String contestSubmission() {
        return Json.write(
                Map.of("problemId", problem, "language", "python", "files", List.of(Map.of("content", SOURCE))));
    }

    /** A judge API submission to the problem, naming {@code contest} unless it is null. */
    private String judgeSubmission(String contest) {
        return judgeSubmission(contest, null);
    }

    /** ...and naming {@code participant} unless it is null (a service's or admin's submission). */
    private String judgeSubmission(String contest, String participant) {
        Map<String, Object> body = new HashMap<>(
                Map.of("problemId", problem, "language", "python", "files", List.of(Map.of("content", SOURCE))));
        if (contest != null) {
            body.put("contestId", contest);
        }
        if (participant != null) {
            body.put("participant", participant);
        }
        return Json.write(body);
    }

    /** A judge API submission with its own test, naming {@code contest} unless it is null. */
    private String judgeInline(String contest) {
        Map<String, Object> body = new HashMap<>(Map.of(
                "language",
                "python",
                "files",
                List.of(Map.of("content", SOURCE)),
                "tests",
                List.of(Map.of("name", "t", "input", "1 2", "expectedOutput", "3"))));
        if (contest != null) {
            body.put("contestId", contest);
        }
        return Json.write(body);
    }

    private int scoreboardRows(String contest) throws Exception {
        HttpResponse<String> r = send("GET", "/api/v1/contests/" + contest + "/scoreboard", null, null);
        assertEquals(200, r.statusCode(), r.body());
        return json(r).get("rows").size();
    }

    private static String ticket(HttpResponse<String> accepted) {
        assertEquals(202, accepted.statusCode(), accepted.body());
        JsonNode body = json(accepted);
        return (body.isArray() ? body.get(0) : body).get("ticket").asString();
    }

    private static String detail(HttpResponse<String> r) {
        return json(r).get("detail").asString();
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
