package io.codingengine.api.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.api.InProcessWorker;
import io.codingengine.api.KattisZip;
import io.codingengine.api.PostgresSettings;
import io.codingengine.api.access.ApiKeyStore;
import io.codingengine.api.access.Principal;
import io.codingengine.api.access.Role;
import io.codingengine.common.json.Json;
import io.codingengine.common.queue.EmbeddedArtemisBroker;
import io.codingengine.common.store.PostgresExtension;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The contest UI and its API against the running stack: the real api (embedded broker, PostgreSQL
 * stores) and a real worker in this JVM. {@link #browser} drives headless Chromium (Debian
 * {@code chromium}) with {@code playwright-core} through {@code src/test/e2e/contest-ui.e2e.mjs}
 * ({@link BrowserScript}), which asserts every scenario of the UI and saves screenshots to
 * {@code target/screenshots}.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "coding-engine.execution=queue",
            "coding-engine.broker-port=0",
            // every entry here comes from 127.0.0.1, faster than people would (EntryLimitsTest tests the limit)
            "coding-engine.limits.open-entries-per-address=1000"
        })
class ContestUiTest {

    private static final PostgresExtension.Database DATABASE = PostgresExtension.newDatabase("ContestUiTest");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static InProcessWorker worker;
    private static String adminKey;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add(
                "coding-engine.data-dir",
                () -> InProcessWorker.tempDir("ce-api-ui-").toString());
        PostgresSettings.register(registry, DATABASE);
    }

    @BeforeAll
    static void start(
            @Autowired EmbeddedArtemisBroker broker, @Autowired ApiKeyStore keys, @Autowired MeterRegistry metrics) {
        worker =
                InProcessWorker.start(broker.url(), DATABASE.dataSource(), 66000, "coding-engine-api-ui-test", metrics);
        adminKey = keys.issue(new Principal("admin", Role.ADMIN));
    }

    @AfterAll
    static void stop() {
        worker.close();
    }

    @Test
    void rootServesTheUiToBrowsersAndHealthToPrograms() throws Exception {
        HttpResponse<String> page = send(
                HttpRequest.newBuilder(uri("/"))
                        .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
                null);
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("/app.js"), page.body());
        HttpResponse<String> health = send(HttpRequest.newBuilder(uri("/")), null);
        assertEquals("{\"status\":\"healthy\",\"service\":\"coding-engine\"}", health.body());
        HttpResponse<String> curl = send(HttpRequest.newBuilder(uri("/")).header("Accept", "*/*"), null);
        assertTrue(curl.body().contains("healthy"), curl.body());
        HttpResponse<String> bundle =
                send(HttpRequest.newBuilder(uri("/app.js")).header("Accept-Encoding", "gzip"), 200);
        assertEquals(
                "gzip", bundle.headers().firstValue("Content-Encoding").orElse(""), "the bundle travels compressed");
        HttpResponse<String> icon = send(HttpRequest.newBuilder(uri("/favicon.ico")), 200);
        assertTrue(
                icon.headers().firstValue("Content-Type").orElse("").startsWith("image/"),
                icon.headers().toString());
    }

    @Test
    void entryIssuesKeysAndEndpointsKnowTheCaller() throws Exception {
        importSum("sum-api");
        Instant now = Instant.now();
        putContest("open-api", "sum-api", now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.HOURS), List.of());
        putContest(
                "invited-api",
                "sum-api",
                now.minus(1, ChronoUnit.HOURS),
                now.plus(1, ChronoUnit.HOURS),
                List.of(Map.of("token", "tok-0123456789abcdef", "participant", "candidate-7")));
        putContest("later-api", "sum-api", now.plus(1, ChronoUnit.HOURS), now.plus(2, ChronoUnit.HOURS), List.of());

        JsonNode ada = json(send(
                post(
                        "/api/v1/contests/open-api/entries",
                        "{\"name\":\"Ada L.\",\"password\":\"analytical engine\"}",
                        null),
                201));
        assertTrue(ada.get("participant").asString().matches("ada-l-[0-9a-f]{6}"), ada.toString());
        assertEquals("Ada L.", ada.get("displayName").asString());
        String adaKey = ada.get("key").asString();
        problem(
                send(
                        post(
                                "/api/v1/contests/open-api/entries",
                                "{\"name\":\"ada l\",\"password\":\"someone else\"}",
                                null),
                        409),
                "taken");
        problem(send(post("/api/v1/contests/open-api/entries", "{\"name\":\"Ada L.\"}", null), 400), "password");
        JsonNode again = json(send(
                post("/api/v1/contests/open-api/entries", "{\"name\":\"Ada K.\",\"password\":\"another one\"}", null),
                201));
        send(
                post("/api/v1/contests/open-api/entries", "{\"name\":\"  \",\"password\":\"analytical engine\"}", null),
                400);

        problem(send(post("/api/v1/contests/invited-api/entries", "{\"name\":\"Eve\"}", null), 403), "by invitation");
        send(post("/api/v1/contests/invited-api/entries", "{\"token\":\"tok-wrong-000\"}", null), 403);
        JsonNode invited = json(
                send(post("/api/v1/contests/invited-api/entries", "{\"token\":\"tok-0123456789abcdef\"}", null), 201));
        assertEquals("candidate-7", invited.get("participant").asString());

        String submission =
                "{\"problemId\":\"sum-api\",\"language\":\"python\",\"files\":[{\"content\":\"print(2)\"}]}";
        problem(send(post("/api/v1/contests/open-api/submissions", submission, null), 401), "API key");
        problem(send(post("/api/v1/contests/later-api/submissions", submission, adaKey), 403), "only in it");
        problem(send(post("/api/v1/contests/invited-api/submissions", submission, adaKey), 403), "only in it");
        String earlyKey = json(send(
                        post(
                                "/api/v1/contests/later-api/entries",
                                "{\"name\":\"Early\",\"password\":\"early bird\"}",
                                null),
                        201))
                .get("key")
                .asString();
        problem(send(post("/api/v1/contests/later-api/submissions", submission, earlyKey), 409), "not started");
        send(post("/api/v1/contests/open-api/submissions", submission.replace("sum-api", "other"), adaKey), 400);
        JsonNode ticket = json(send(post("/api/v1/contests/open-api/submissions", submission, adaKey), 202));
        JsonNode mine = json(send(
                HttpRequest.newBuilder(uri("/api/v1/contests/open-api/submissions"))
                        .header("Authorization", "Bearer " + adaKey),
                200));
        assertEquals(ticket.get("ticket").asString(), mine.get(0).get("id").asString());
        assertEquals(
                ada.get("participant").asString(),
                mine.get(0).get("participant").asString());
        assertEquals("open-api", mine.get(0).get("contestId").asString());
        JsonNode theirs = json(send(
                HttpRequest.newBuilder(uri("/api/v1/contests/open-api/submissions"))
                        .header("Authorization", "Bearer " + again.get("key").asString()),
                200));
        assertEquals(0, theirs.size(), "each participant sees only their own submissions");

        JsonNode later = json(send(HttpRequest.newBuilder(uri("/api/v1/contests/later-api")), 200));
        assertEquals(0, later.get("problems").size(), "problems stay hidden until the start");
        assertTrue(!later.toString().contains("tok-"), "tokens never reach participants");
        assertTrue(!json(send(HttpRequest.newBuilder(uri("/api/v1/contests/invited-api")), 200))
                .toString()
                .contains("tok-0123456789abcdef"));

        problem(
                send(
                        HttpRequest.newBuilder(uri("/api/v1/admin/contests"))
                                .header("Authorization", "Bearer " + adaKey),
                        403),
                "admin role");
        send(HttpRequest.newBuilder(uri("/api/v1/admin/queue")), 401);
        problem(
                send(
                        put(
                                "/api/v1/admin/contests/bad",
                                "{\"title\":\"B\",\"problemIds\":[\"nope\"],\"start\":\"2026-01-01T00:00:00Z\",\"end\":\"2026-01-02T00:00:00Z\"}"),
                        400),
                "unknown problem nope");
        problem(
                send(
                        put(
                                "/api/v1/admin/contests/bad",
                                "{\"title\":\"B\",\"problemIds\":[],\"start\":\"2026-01-02T00:00:00Z\",\"end\":\"2026-01-01T00:00:00Z\"}"),
                        400),
                "end must be after start");
        send(HttpRequest.newBuilder(uri("/api/v1/contests/nope/scoreboard")), 404);
    }

    /**
     * Open contests' accounts: sign in again on any device as the same participant, wrong
     * passwords limited, sign-out revoking the key; drafts per participant with conflicts; what
     * admins see of accounts. Nobody acts as another, and no password or hash is ever answered.
     */
    @Test
    void accountsSessionsAndDrafts() throws Exception {
        importSum("sum-acc");
        Instant now = Instant.now();
        putContest("acc", "sum-acc", now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.HOURS), List.of());
        putContest(
                "acc-inv",
                "sum-acc",
                now.minus(1, ChronoUnit.HOURS),
                now.plus(1, ChronoUnit.HOURS),
                List.of(Map.of("token", "tok-acc-0123456789abcdef", "participant", "team-x")));
        JsonNode bob = json(send(
                post(
                        "/api/v1/contests/acc/entries",
                        "{\"name\":\"  Bob   the  Builder \",\"password\":\"can we fix it\"}",
                        null),
                201));
        String participant = bob.get("participant").asString();
        assertEquals("Bob the Builder", bob.get("displayName").asString());
        assertTrue(!bob.toString().contains("can we fix it"), "the password never comes back");

        // sign in again (another device): same participant, a new key; name as typed or as its login
        JsonNode device = json(send(
                post(
                        "/api/v1/contests/acc/sessions",
                        "{\"name\":\"bob-the-builder\",\"password\":\"can we fix it\"}",
                        null),
                201));
        assertEquals(participant, device.get("participant").asString());
        assertTrue(!device.get("key").asString().equals(bob.get("key").asString()), "each device its own key");
        problem(
                send(
                        post(
                                "/api/v1/contests/acc/sessions",
                                "{\"name\":\"Bob the Builder\",\"password\":\"yes we can\"}",
                                null),
                        403),
                "unknown name or wrong password");
        problem(
                send(
                        post(
                                "/api/v1/contests/acc/sessions",
                                "{\"name\":\"Nobody\",\"password\":\"yes we can\"}",
                                null),
                        403),
                "unknown name or wrong password");
        problem(
                send(
                        post(
                                "/api/v1/contests/acc-inv/sessions",
                                "{\"name\":\"Bob\",\"password\":\"can we fix it\"}",
                                null),
                        403),
                "invitation");
        send(post("/api/v1/contests/acc/sessions", "{\"password\":\"can we fix it\"}", null), 400);
        send(post("/api/v1/contests/nope/sessions", "{\"name\":\"Bob\",\"password\":\"can we fix it\"}", null), 404);
        JsonNode me = json(send(get("/api/v1/contests/acc/me", device.get("key").asString()), 200));
        assertEquals("Bob the Builder", me.get("displayName").asString());
        assertEquals(
                "team-x",
                json(send(
                                get(
                                        "/api/v1/contests/acc-inv/me",
                                        json(send(
                                                        post(
                                                                "/api/v1/contests/acc-inv/entries",
                                                                "{\"token\":\"tok-acc-0123456789abcdef\"}",
                                                                null),
                                                        201))
                                                .get("key")
                                                .asString()),
                                200))
                        .get("displayName")
                        .asString());
        send(get("/api/v1/contests/acc-inv/me", device.get("key").asString()), 403);

        // drafts: per participant, revisions, conflicts, limits
        String key = bob.get("key").asString();
        String other = json(send(
                        post(
                                "/api/v1/contests/acc/entries",
                                "{\"name\":\"Wendy\",\"password\":\"can we fix it\"}",
                                null),
                        201))
                .get("key")
                .asString();
        JsonNode saved = json(send(
                put("/api/v1/contests/acc/drafts/sum-acc/c++", "{\"code\":\"int main(){}\",\"baseRevision\":0}", key),
                200));
        assertEquals(1, saved.get("revision").asInt());
        JsonNode onDevice = json(send(
                get("/api/v1/contests/acc/drafts/sum-acc", device.get("key").asString()), 200));
        assertEquals("int main(){}", onDevice.get(0).get("code").asString());
        assertEquals("c++", onDevice.get(0).get("language").asString());
        HttpResponse<String> conflict = send(
                put(
                        "/api/v1/contests/acc/drafts/sum-acc/c++",
                        "{\"code\":\"stale\",\"baseRevision\":0}",
                        device.get("key").asString()),
                409);
        assertEquals("int main(){}", json(conflict).get("current").get("code").asString());
        assertEquals(1, json(conflict).get("current").get("revision").asInt());
        assertEquals(
                0,
                json(send(get("/api/v1/contests/acc/drafts/sum-acc", other), 200))
                        .size(),
                "drafts are each participant's own");
        send(get("/api/v1/contests/acc/drafts/sum-acc", null), 401);
        send(get("/api/v1/contests/acc-inv/drafts/sum-acc", key), 403);
        problem(send(get("/api/v1/contests/acc/drafts/other-problem", key), 404), "no problem");
        send(put("/api/v1/contests/acc/drafts/sum-acc/c++", "{\"baseRevision\":1}", key), 400);
        send(put("/api/v1/contests/acc/drafts/sum-acc/c++", "{\"code\":\"x\",\"baseRevision\":-1}", key), 400);
        send(put("/api/v1/contests/acc/drafts/sum-acc/a%20b", "{\"code\":\"x\"}", key), 400);
        problem(
                send(
                        put(
                                "/api/v1/contests/acc/drafts/sum-acc/python",
                                Json.write(Map.of("code", "x".repeat(64 * 1024 + 1))),
                                key),
                        413),
                "64 KiB");

        // the scoreboard shows the names participants chose, of those on it only
        send(
                post(
                        "/api/v1/contests/acc/submissions",
                        "{\"problemId\":\"sum-acc\",\"language\":\"python\",\"files\":[{\"content\":\"print(2)\"}]}",
                        key),
                202);
        JsonNode board = json(send(get("/api/v1/contests/acc/scoreboard", null), 200));
        assertEquals(
                "Bob the Builder", board.get("displayNames").get(participant).asString(), board.toString());
        assertEquals(1, board.get("displayNames").size(), "only participants on the board: " + board);
        assertEquals(participant, board.get("rows").get(0).get("participant").asString());

        // admins see accounts without passwords, and can hand out a new one
        JsonNode accounts = json(send(get("/api/v1/admin/contests/acc/accounts", adminKey), 200));
        assertEquals(2, accounts.size());
        assertTrue(!accounts.toString().contains("$2"), "no hash: " + accounts);
        send(get("/api/v1/admin/contests/acc/accounts", key), 403);
        JsonNode reset =
                json(send(post("/api/v1/admin/contests/acc/accounts/bob-the-builder/password", "", adminKey), 200));
        String fresh = reset.get("password").asString();
        assertTrue(fresh.matches("[2-9a-z]{12}"), fresh);
        // a reset ends every session of the account: whoever else knew the old password is out
        assertEquals(2, reset.get("revokedKeys").asInt(), reset.toString());
        send(get("/api/v1/contests/acc/me", key), 401);
        send(get("/api/v1/contests/acc/me", device.get("key").asString()), 401);
        send(
                put(
                        "/api/v1/contests/acc/drafts/sum-acc/c++",
                        "{\"code\":\"intruder\",\"baseRevision\":1}",
                        device.get("key").asString()),
                401);
        send(
                post(
                        "/api/v1/contests/acc/sessions",
                        "{\"name\":\"Bob the Builder\",\"password\":\"can we fix it\"}",
                        null),
                403);
        String signIn = Json.write(Map.of("name", "Bob the Builder", "password", fresh));
        JsonNode laptop = json(send(post("/api/v1/contests/acc/sessions", signIn, null), 201));
        assertEquals(participant, laptop.get("participant").asString());
        String phone = json(send(post("/api/v1/contests/acc/sessions", signIn, null), 201))
                .get("key")
                .asString();
        send(post("/api/v1/admin/contests/acc/accounts/nobody/password", "", adminKey), 404);

        // sign-out revokes the key it is made with, and that key only
        send(
                HttpRequest.newBuilder(uri("/api/v1/contests/acc/session"))
                        .header("Authorization", "Bearer " + laptop.get("key").asString())
                        .DELETE(),
                204);
        send(get("/api/v1/contests/acc/me", laptop.get("key").asString()), 401);
        send(get("/api/v1/contests/acc/me", phone), 200);
        send(HttpRequest.newBuilder(uri("/api/v1/contests/acc/session")).DELETE(), 401);
        problem(
                send(
                        HttpRequest.newBuilder(uri("/api/v1/contests/acc/session"))
                                .header("Authorization", "Bearer " + adminKey)
                                .DELETE(),
                        403),
                "admin/keys/revoke");
        // everywhere: the participant's own, or an admin's for any participant (not another's keys)
        String tablet = json(send(post("/api/v1/contests/acc/sessions", signIn, null), 201))
                .get("key")
                .asString();
        assertEquals(
                2,
                json(send(
                                HttpRequest.newBuilder(uri("/api/v1/contests/acc/sessions"))
                                        .header("Authorization", "Bearer " + phone)
                                        .DELETE(),
                                200))
                        .get("revokedKeys")
                        .asInt());
        send(get("/api/v1/contests/acc/me", tablet), 401);
        send(get("/api/v1/contests/acc/me", other), 200);
        String again = json(send(post("/api/v1/contests/acc/sessions", signIn, null), 201))
                .get("key")
                .asString();
        send(
                HttpRequest.newBuilder(uri("/api/v1/admin/contests/acc/participants/" + participant + "/keys"))
                        .header("Authorization", "Bearer " + other)
                        .DELETE(),
                403);
        assertEquals(
                1,
                json(send(
                                HttpRequest.newBuilder(
                                                uri("/api/v1/admin/contests/acc/participants/" + participant + "/keys"))
                                        .header("Authorization", "Bearer " + adminKey)
                                        .DELETE(),
                                200))
                        .get("revokedKeys")
                        .asInt());
        send(get("/api/v1/contests/acc/me", again), 401);
        send(get("/api/v1/contests/acc/me", other), 200);
        send(get("/api/v1/admin/contests/acc/accounts", adminKey), 200);
    }

    /**
     * A participant reads the code of their own submissions again (to resubmit it); another
     * participant of the same contest cannot, not even learn that the submission exists.
     */
    @Test
    void ownSubmissionSourceIsTheOwnersAlone() throws Exception {
        importSum("sum-src");
        Instant now = Instant.now();
        putContest("src", "sum-src", now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.HOURS), List.of());
        putContest("src-other", "sum-src", now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.HOURS), List.of());
        String ada = json(send(
                        post(
                                "/api/v1/contests/src/entries",
                                "{\"name\":\"Ada\",\"password\":\"analytical engine\"}",
                                null),
                        201))
                .get("key")
                .asString();
        String bob = json(send(
                        post(
                                "/api/v1/contests/src/entries",
                                "{\"name\":\"Bob\",\"password\":\"difference engine\"}",
                                null),
                        201))
                .get("key")
                .asString();
        String elsewhere = json(send(
                        post(
                                "/api/v1/contests/src-other/entries",
                                "{\"name\":\"Ada\",\"password\":\"analytical engine\"}",
                                null),
                        201))
                .get("key")
                .asString();
        String code = "a, b = map(int, input().split())\nprint(a + b)  # Ada's own\n";
        String ticket = json(send(
                        post(
                                "/api/v1/contests/src/submissions",
                                Json.write(Map.of(
                                        "problemId",
                                        "sum-src",
                                        "language",
                                        "python",
                                        "files",
                                        List.of(Map.of("content", code)))),
                                ada),
                        202))
                .get("ticket")
                .asString();
        String path = "/api/v1/contests/src/submissions/" + ticket + "/source";

        JsonNode own = json(send(get(path, ada), 200));
        assertEquals(code, own.get("files").get(0).get("content").asString());
        assertEquals("python", own.get("language").asString());
        assertEquals("sum-src", own.get("problemId").asString());
        assertEquals(
                code,
                json(send(get(path, adminKey), 200))
                        .get("files")
                        .get(0)
                        .get("content")
                        .asString(),
                "an admin reads it too");

        HttpResponse<String> theirs = send(get(path, bob), 404);
        assertTrue(!theirs.body().contains("Ada's own"), theirs.body());
        problem(theirs, "no submission");
        problem(
                send(get("/api/v1/contests/src/submissions/no-such-ticket/source", bob), 404),
                "no submission",
                "another's submission and none at all answer alike");
        send(get(path, null), 401);
        send(get(path, elsewhere), 403);
        send(get("/api/v1/contests/src-other/submissions/" + ticket + "/source", adminKey), 404);
    }

    /**
     * The scoreboard freeze: before it every verdict shows; from it on, and after the end, the
     * submissions made since show as pending to everyone but an admin (the participant still sees
     * their own verdict in their submissions); an admin's unfreeze shows them to all again, and a
     * later save of the contest keeps it unfrozen.
     */
    @Test
    void scoreboardFreezesForAllButAdminsUntilUnfrozen() throws Exception {
        importSum("sum-frz");
        Instant now = Instant.now();
        Instant start = now.minus(2, ChronoUnit.HOURS);
        putContest("frz", start, now.plus(1, ChronoUnit.HOURS), 30);
        JsonNode ada = json(send(
                post("/api/v1/contests/frz/entries", "{\"name\":\"Ada\",\"password\":\"analytical engine\"}", null),
                201));
        String key = ada.get("key").asString();
        String ticket = json(send(
                        post(
                                "/api/v1/contests/frz/submissions",
                                "{\"problemId\":\"sum-frz\",\"language\":\"python\","
                                        + "\"files\":[{\"content\":\"a, b = map(int, input().split())\\nprint(a + b)\"}]}",
                                key),
                        202))
                .get("ticket")
                .asString();
        JsonNode judged = awaitDone(ticket, key);
        assertEquals("AC", judged.get("verdict").asString());
        Instant submitted = Instant.parse(judged.get("createdAt").asString());

        JsonNode before = json(send(get("/api/v1/contests/frz/scoreboard", null), 200));
        assertEquals(false, before.get("frozen").asBoolean(), before.toString());
        assertEquals(
                now.plus(30, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS),
                Instant.parse(before.get("freezesAt").asString()).truncatedTo(ChronoUnit.SECONDS));
        assertEquals(1, before.get("rows").get(0).get("solved").asInt(), "before the freeze the AC shows");

        putContest("frz", start, now.plus(1, ChronoUnit.HOURS), 90); // froze 30 minutes ago
        for (String caller : new String[] {null, key}) {
            JsonNode during = json(send(get("/api/v1/contests/frz/scoreboard", caller), 200));
            assertEquals(true, during.get("frozen").asBoolean(), during.toString());
            JsonNode row = during.get("rows").get(0);
            assertEquals(
                    0,
                    row.get("solved").asInt(),
                    "a solve made during the freeze is hidden, from its owner too: " + during);
            assertEquals(1, row.get("problems").get("sum-frz").get("pending").asInt(), during.toString());
        }
        assertEquals(
                "AC",
                json(send(get("/api/v1/contests/frz/submissions", key), 200))
                        .get(0)
                        .get("verdict")
                        .asString(),
                "the participant sees their own verdict in their submissions");
        JsonNode judges = json(send(get("/api/v1/contests/frz/scoreboard", adminKey), 200));
        assertEquals(false, judges.get("frozen").asBoolean());
        assertEquals(1, judges.get("rows").get(0).get("solved").asInt(), "an admin sees the real board");
        assertEquals(
                true,
                json(send(get("/api/v1/contests/frz", null), 200)).get("frozen").asBoolean());

        putContest("frz", start, submitted.plusMillis(500), 90); // over: still frozen
        Thread.sleep(Math.max(
                0, Duration.between(Instant.now(), submitted.plusMillis(600)).toMillis()));
        JsonNode after = json(send(get("/api/v1/contests/frz/scoreboard", null), 200));
        assertEquals(true, after.get("frozen").asBoolean(), "the freeze outlasts the end: " + after);
        assertEquals(0, after.get("rows").get(0).get("solved").asInt());

        problem(send(post("/api/v1/admin/contests/frz/unfreeze", "", key), 403), "admin role");
        JsonNode lifted = json(send(post("/api/v1/admin/contests/frz/unfreeze", "", adminKey), 200));
        assertTrue(lifted.hasNonNull("unfrozenAt"), lifted.toString());
        JsonNode unfrozen = json(send(get("/api/v1/contests/frz/scoreboard", null), 200));
        assertEquals(false, unfrozen.get("frozen").asBoolean());
        assertEquals(1, unfrozen.get("rows").get(0).get("solved").asInt(), "unfrozen, everyone sees the solve");
        problem(send(post("/api/v1/admin/contests/frz/unfreeze", "", adminKey), 409), "unfrozen at");
        putContest("frz", start, submitted.plusMillis(500), 90);
        assertEquals(
                false,
                json(send(get("/api/v1/contests/frz/scoreboard", null), 200))
                        .get("frozen")
                        .asBoolean(),
                "saving the contest again keeps it unfrozen");

        putContest("frz-none", start, now.plus(1, ChronoUnit.HOURS), 0);
        problem(send(post("/api/v1/admin/contests/frz-none/unfreeze", "", adminKey), 409), "no scoreboard freeze");
        putContest("frz-later", start, now.plus(1, ChronoUnit.HOURS), 10);
        problem(send(post("/api/v1/admin/contests/frz-later/unfreeze", "", adminKey), 409), "not yet");
        send(post("/api/v1/admin/contests/nope/unfreeze", "", adminKey), 404);
        problem(
                send(
                        put(
                                "/api/v1/admin/contests/frz-long",
                                Json.write(Map.of(
                                        "title",
                                        "Long",
                                        "problemIds",
                                        List.of("sum-frz"),
                                        "start",
                                        start.toString(),
                                        "end",
                                        now.plus(1, ChronoUnit.HOURS).toString(),
                                        "freezeMinutes",
                                        181))),
                        400),
                "freezeMinutes");
    }

    /**
     * Admin: a judging dead-lettered because its problem was gone is requeued once the problem is
     * back: judged in a new round (its internal error kept in its history) and out of the dead
     * letters. Only an admin may (401, 403); an unknown dead letter is 404, an unknown lane 400.
     */
    @Test
    void aDeadLetteredJudgingIsRequeuedAsANewRound() throws Exception {
        String[] dead = deadLetter("sum-dl", SUM, "AC", "");
        String ticket = dead[0];
        String requeue = "/api/v1/admin/dead-letters/regrade/" + dead[1] + "/requeue";
        String participant = json(send(
                        post(
                                "/api/v1/contests/dl/entries",
                                "{\"name\":\"Dee\",\"password\":\"analytical engine\"}",
                                null),
                        201))
                .get("key")
                .asString();
        send(post(requeue, "", null), 401);
        problem(send(post(requeue, "", participant), 403), "admin role");
        problem(send(post("/api/v1/admin/dead-letters/nowhere/" + dead[1] + "/requeue", "", adminKey), 400), "lane");
        problem(
                send(post("/api/v1/admin/dead-letters/regrade/no-such-letter/requeue", "", adminKey), 404),
                "no dead letter");
        assertTrue(deadLetterIds().contains(dead[1]), "still dead: " + deadLetterIds());

        JsonNode requeued = json(send(post(requeue, "", adminKey), 202));
        assertEquals(ticket, requeued.get("submissionId").asString(), requeued.toString());
        assertEquals("REGRADE", requeued.get("lane").asString());
        JsonNode judged = awaitDone(ticket, adminKey);
        assertEquals(requeued.get("round").asLong(), judged.get("round").asLong(), judged.toString());
        assertEquals("AC", judged.get("verdict").asString(), judged.toString());
        assertTrue(
                judged.get("history").toString().contains("IE"), "the internal error stays in its history: " + judged);
        assertTrue(!deadLetterIds().contains(dead[1]), "no longer a dead letter: " + deadLetterIds());
        problem(send(post(requeue, "", adminKey), 404), "no dead letter");
    }

    /**
     * A rejudge asked with {@code allTests=true} that was dead-lettered runs every test when it is
     * requeued: a wrong answer, which lazy judging stops at the sample, is run on the secret tests too.
     */
    @Test
    void aRequeuedRejudgeStillRunsEveryTestWhenItWasAskedTo() throws Exception {
        String[] dead = deadLetter("sum-dl-all", "print(0)", "WA", "?allTests=true");
        json(send(post("/api/v1/admin/dead-letters/regrade/" + dead[1] + "/requeue", "", adminKey), 202));
        JsonNode judged = awaitDone(dead[0], adminKey);
        assertEquals("WA", judged.get("verdict").asString(), judged.toString());
        List<String> verdicts = new java.util.ArrayList<>();
        judged.get("tests").forEach(t -> verdicts.add(t.get("verdict").asString()));
        assertEquals(3, verdicts.size(), judged.toString());
        assertFalse(verdicts.contains("NR"), "the secret tests ran too: " + judged);
    }

    private static final String SUM = "a, b = map(int, input().split())\\nprint(a + b)";

    /**
     * A contest submission of problem {@code problem} (imported here, in contest "dl") judged
     * {@code verdict}, then rejudged ({@code rejudgeQuery}) while the problem is gone: the worker
     * dead-letters that round (IE). The problem is imported again. Returns the ticket and the dead
     * letter's message id.
     */
    private String[] deadLetter(String problem, String source, String verdict, String rejudgeQuery) throws Exception {
        importSum(problem);
        Instant now = Instant.now();
        putContest("dl", problem, now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.HOURS), List.of());
        String key = json(send(
                        post(
                                "/api/v1/contests/dl/entries",
                                "{\"name\":\"Dl " + problem + "\",\"password\":\"analytical engine\"}",
                                null),
                        201))
                .get("key")
                .asString();
        String ticket = json(send(
                        post(
                                "/api/v1/contests/dl/submissions",
                                "{\"problemId\":\"" + problem + "\",\"language\":\"python\","
                                        + "\"files\":[{\"content\":\"" + source + "\"}]}",
                                key),
                        202))
                .get("ticket")
                .asString();
        assertEquals(verdict, awaitDone(ticket, key).get("verdict").asString());
        putContest("dl", List.of(), now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.HOURS), List.of());
        send(delete("/api/v1/problems/" + problem, adminKey), 204);
        long round = json(send(
                        post("/api/v1/admin/submissions/" + ticket + "/rejudge" + rejudgeQuery, "", adminKey), 202))
                .get("round")
                .asLong();
        String messageId = ticket + "-" + round;
        Instant deadline = Instant.now().plusSeconds(60);
        while (!deadLetterIds().contains(messageId)) {
            assertTrue(Instant.now().isBefore(deadline), "dead-lettered: " + deadLetterIds());
            Thread.sleep(200);
        }
        assertEquals("IE", awaitDone(ticket, adminKey).get("verdict").asString());
        importSum(problem);
        return new String[] {ticket, messageId};
    }

    /** The message ids of the regrade lane's dead letters. */
    private List<String> deadLetterIds() throws Exception {
        JsonNode lanes = json(send(get("/api/v1/admin/dead-letters", adminKey), 200));
        List<String> ids = new java.util.ArrayList<>();
        lanes.forEach(l -> {
            if ("REGRADE".equals(l.get("lane").asString())) {
                l.get("deadLetters").forEach(d -> ids.add(d.get("messageId").asString()));
            }
        });
        return ids;
    }

    /**
     * Admin: a problem in use by a contest cannot be deleted (409 naming the contest); out of it,
     * it is deleted and its submissions stay. One submission is judged again, its verdict kept
     * in its history.
     */
    @Test
    void adminDeletesUnusedProblemsAndRejudgesOneSubmission() throws Exception {
        importSum("sum-del");
        Instant now = Instant.now();
        putContest("del", "sum-del", now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.HOURS), List.of());
        String key = json(send(
                        post(
                                "/api/v1/contests/del/entries",
                                "{\"name\":\"Ada\",\"password\":\"analytical engine\"}",
                                null),
                        201))
                .get("key")
                .asString();
        String ticket = json(send(
                        post(
                                "/api/v1/contests/del/submissions",
                                "{\"problemId\":\"sum-del\",\"language\":\"python\","
                                        + "\"files\":[{\"content\":\"a, b = map(int, input().split())\\nprint(a + b)\"}]}",
                                key),
                        202))
                .get("ticket")
                .asString();
        assertEquals("AC", awaitDone(ticket, key).get("verdict").asString());

        problem(send(post("/api/v1/admin/submissions/" + ticket + "/rejudge", "", key), 403), "admin role");
        JsonNode rejudge = json(send(post("/api/v1/admin/submissions/" + ticket + "/rejudge", "", adminKey), 202));
        long round = rejudge.get("round").asLong();
        JsonNode again = awaitDone(ticket, adminKey);
        assertEquals(round, again.get("round").asLong(), again.toString());
        assertEquals("AC", again.get("verdict").asString());
        assertEquals(1, again.get("history").size(), "the first verdict is kept: " + again);
        send(post("/api/v1/admin/submissions/no-such-ticket/rejudge", "", adminKey), 404);

        HttpResponse<String> inUse = send(delete("/api/v1/problems/sum-del", adminKey), 409);
        problem(inUse, "del");
        send(delete("/api/v1/problems/sum-del", key), 403);
        putContest("del", List.of(), now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.HOURS), List.of());
        send(delete("/api/v1/problems/sum-del", adminKey), 204);
        send(get("/api/v1/problems/sum-del", adminKey), 404);
        send(delete("/api/v1/problems/sum-del", adminKey), 404);
        assertEquals(
                "AC",
                json(send(get("/api/v1/submissions/" + ticket, adminKey), 200))
                        .get("verdict")
                        .asString(),
                "its submissions stay");
    }

    @Test
    void browser() throws Exception {
        importSum("sum");
        send(
                HttpRequest.newBuilder(uri("/api/v1/problems/sum-b"))
                        .header("Content-Type", "application/zip")
                        .header("Authorization", "Bearer " + adminKey)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(KattisZip.sumInSections())),
                201);
        String[] dead = deadLetter("sum-dl-ui", SUM, "AC", "");
        Instant now = Instant.now();
        putContest(
                "spring",
                List.of("sum", "sum-b"),
                now.minus(10, ChronoUnit.MINUTES),
                now.plus(3, ChronoUnit.HOURS),
                List.of());
        Path zip = Files.createTempFile("ce-ui-", ".zip");
        Files.write(zip, KattisZip.sum());
        BrowserScript.run(
                "contest-ui.e2e.mjs",
                Map.of(
                        "BASE_URL",
                        "http://127.0.0.1:" + port,
                        "ADMIN_KEY",
                        adminKey,
                        "CONTEST",
                        "spring",
                        "PROBLEM",
                        "sum",
                        "PROBLEM_B",
                        "sum-b",
                        "PACKAGE_ZIP",
                        zip.toString(),
                        "DEAD_TICKET",
                        dead[0],
                        "DEAD_LETTER",
                        dead[1]),
                Duration.ofMinutes(5));
        Files.deleteIfExists(zip);
    }

    // ------------------------------------------------------------------ helpers

    private void importSum(String id) throws Exception {
        send(
                HttpRequest.newBuilder(uri("/api/v1/problems/" + id))
                        .header("Content-Type", "application/zip")
                        .header("Authorization", "Bearer " + adminKey)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(KattisZip.sum())),
                201);
    }

    private void putContest(
            String id, String problem, Instant start, Instant end, List<Map<String, String>> invitations)
            throws Exception {
        putContest(id, List.of(problem), start, end, invitations);
    }

    private void putContest(
            String id, List<String> problems, Instant start, Instant end, List<Map<String, String>> invitations)
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
                "ICPC",
                "invitations",
                invitations));
        send(put("/api/v1/admin/contests/" + id, body), 200);
    }

    private void putContest(String id, Instant start, Instant end, int freezeMinutes) throws Exception {
        send(
                put(
                        "/api/v1/admin/contests/" + id,
                        Json.write(Map.of(
                                "title",
                                "Contest " + id,
                                "problemIds",
                                List.of("sum-frz"),
                                "start",
                                start.toString(),
                                "end",
                                end.toString(),
                                "freezeMinutes",
                                freezeMinutes))),
                200);
    }

    /** Polls a submission until it is judged. */
    private JsonNode awaitDone(String ticket, String key) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (true) {
            JsonNode s = json(send(get("/api/v1/submissions/" + ticket, key), 200));
            if ("DONE".equals(s.get("status").asString()) || Instant.now().isAfter(deadline)) {
                return s;
            }
            Thread.sleep(200);
        }
    }

    private HttpRequest.Builder delete(String path, String key) {
        return HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + key)
                .DELETE();
    }

    private HttpRequest.Builder put(String path, String json) {
        return HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + adminKey)
                .PUT(HttpRequest.BodyPublishers.ofString(json));
    }

    private HttpRequest.Builder get(String path, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
        return key == null ? b : b.header("Authorization", "Bearer " + key);
    }

    private HttpRequest.Builder put(String path, String json, String key) {
        return HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + key)
                .PUT(HttpRequest.BodyPublishers.ofString(json));
    }

    private HttpRequest.Builder post(String path, String json, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        return key == null ? b : b.header("Authorization", "Bearer " + key);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, Integer expected) throws Exception {
        HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (expected != null) {
            assertEquals((int) expected, r.statusCode(), r.body());
        }
        return r;
    }

    private static JsonNode json(HttpResponse<String> r) {
        return Json.mapper().readTree(r.body());
    }

    /** Asserts an RFC 9457 problem detail whose detail mentions {@code text}. */
    private static void problem(HttpResponse<String> r, String text) {
        problem(r, text, r.body());
    }

    private static void problem(HttpResponse<String> r, String text, String why) {
        JsonNode p = json(r);
        assertEquals(r.statusCode(), p.get("status").asInt(), r.body());
        assertTrue(p.get("detail").asString().contains(text), why + ": " + r.body());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
