package io.codingengine.api.contest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.api.KattisZip;
import io.codingengine.api.access.QueueApiSettings;
import io.codingengine.api.access.TestKeys;
import io.codingengine.common.contest.Contest;
import io.codingengine.common.contest.ContestStore;
import io.codingengine.common.contest.Invitation;
import io.codingengine.common.contest.Scoring;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Contest entries against the real api (embedded broker, PostgreSQL), as an attacker would try them:
 * guessing invitation tokens, entering an open contest under many names, guessing a password under
 * the many spellings of one name, signing in again and again, names that draw over the
 * scoreboard, flooding drafts, and saving guessable tokens as an admin. The api believes one proxy ({@code trusted-proxies=1}), so each test speaks
 * from addresses of its own through {@code X-Forwarded-For}, as clients behind Container Apps'
 * ingress do. The limits are small and refill one attempt every 12 to 20 s: every sequence that
 * must meet a lockout runs within that, even on a slow machine, and every loop runs until the
 * 429 rather than counting on the exact attempt it comes at (a slow run only gets more attempts
 * back). Only the end of one lockout is waited for, as long as its {@code Retry-After} says.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "coding-engine.execution=queue",
            "coding-engine.broker-port=0",
            "coding-engine.access.trusted-proxies=1",
            "coding-engine.limits.token-failures-per-address=3",
            "coding-engine.limits.token-failures-per-contest=5",
            "coding-engine.limits.open-entries-per-address=3",
            "coding-engine.limits.sign-in-failures-per-account=3",
            "coding-engine.limits.sign-ins-per-account=3",
            "coding-engine.limits.keys-per-participant=2",
            "coding-engine.limits.draft-saves-per-minute=5",
            "coding-engine.limits.entry-window=60s"
        })
class EntryLimitsTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final AtomicInteger ADDRESSES = new AtomicInteger();
    private static final String GENERATED = "[0-9a-z]{26}";

    @LocalServerPort
    int port;

    @Autowired
    ContestStore contests;

    @Autowired
    AccountStore accounts;

    @Autowired
    DraftStore drafts;

    private String problem;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        QueueApiSettings.register(registry, "entries");
    }

    @BeforeEach
    void problem() throws Exception {
        problem = "sum-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> imported = HTTP.send(
                HttpRequest.newBuilder(uri("/api/v1/problems/" + problem))
                        .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                        .header("Content-Type", "application/zip")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(KattisZip.sum()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, imported.statusCode(), imported.body());
    }

    // ------------------------------------------------------------------ guessing tokens

    @Test
    void guessingTokensGets429AndTheRightTokenWaitsOutTheLockout() throws Exception {
        String contest = contest("guess");
        String token = invitations(saveContest(contest, List.of(invite(null, "team-a")), 200))
                .get("team-a");
        String guesser = address();

        HttpResponse<String> limited = guessUntil429(contest, () -> guesser, 3);
        assertTrue(detail(limited).contains("address " + guesser), limited.body());
        HttpResponse<String> right = enter(contest, Map.of("token", token), guesser);
        assertEquals(429, right.statusCode(), "the right token during the lockout: " + right.body());
        assertEquals(
                detail(limited).replaceAll("\\d+ s", ""),
                detail(right).replaceAll("\\d+ s", ""),
                "a refusal that does not tell a right token from a wrong one");

        HttpResponse<String> elsewhere = enter(contest, Map.of("token", token), address());
        assertEquals(201, elsewhere.statusCode(), "another address is not locked out: " + elsewhere.body());
        assertEquals("team-a", json(elsewhere).get("participant").asString());

        Thread.sleep(retryAfter(right) * 1000L);
        HttpResponse<String> after = enter(contest, Map.of("token", token), guesser);
        assertEquals(201, after.statusCode(), "after the lockout: " + after.body());
        assertEquals("team-a", json(after).get("participant").asString());
    }

    @Test
    void wrongTokensFromManyAddressesLockTheirContestOnly() throws Exception {
        String contest = contest("spread");
        String other = contest("other");
        String token = invitations(saveContest(contest, List.of(invite(null, "team-a")), 200))
                .get("team-a");
        String otherToken = invitations(saveContest(other, List.of(invite(null, "team-a")), 200))
                .get("team-a");

        HttpResponse<String> limited = guessUntil429(contest, EntryLimitsTest::address, 5);
        assertTrue(detail(limited).contains("contest " + contest), limited.body());
        assertEquals(
                429,
                enter(contest, Map.of("token", token), address()).statusCode(),
                "the contest is locked out for every address, the right token too");
        assertEquals(201, enter(other, Map.of("token", otherToken), address()).statusCode(), "other contests are not");
    }

    /** Wrong tokens from {@code from} until a 429; at least {@code allowed} are plain 403s first. */
    private HttpResponse<String> guessUntil429(String contest, java.util.function.Supplier<String> from, int allowed)
            throws Exception {
        int refused = 0;
        for (int attempt = 0; attempt < allowed + 10; attempt++) {
            HttpResponse<String> r = enter(contest, Map.of("token", "wrong-" + UUID.randomUUID()), from.get());
            if (r.statusCode() == 429) {
                assertTrue(refused >= allowed, "429 after " + refused + " wrong tokens, " + allowed + " are allowed");
                long retryAfter = retryAfter(r);
                assertTrue(
                        retryAfter >= 1 && retryAfter <= 21, "at most one refill period (12 or 20 s): " + retryAfter);
                assertEquals(429, json(r).get("status").asInt(), r.body());
                return r;
            }
            assertEquals(403, r.statusCode(), r.body());
            refused++;
        }
        throw new AssertionError("no 429 after " + refused + " wrong tokens");
    }

    // ------------------------------------------------------------------ open entries

    @Test
    void openEntriesBeyondTheRateGet429PerAddressWhateverTheClientForwards() throws Exception {
        String contest = contest("open");
        saveContest(contest, List.of(), 200);
        String client = address();
        AtomicInteger spoof = new AtomicInteger();
        // a client may write anything into X-Forwarded-For; the proxy appends what it saw, and only that counts
        HttpResponse<String> limited =
                enterUntil429(contest, () -> "198.18.0." + spoof.incrementAndGet() + ", " + client);
        assertTrue(detail(limited).contains("address " + client), limited.body());
        assertEquals(201, enter(contest, Map.of("name", "Ada"), address()).statusCode(), "another address enters");

        // one IPv6 host commonly holds a whole /64: its addresses share one allowance
        int n = ADDRESSES.incrementAndGet();
        String v6 = "2001:db8:" + Integer.toHexString(n) + ":1::";
        enterUntil429(contest, () -> v6 + "1");
        HttpResponse<String> sameNetwork = enter(contest, Map.of("name", "Ada"), v6 + "abcd");
        assertEquals(429, sameNetwork.statusCode(), sameNetwork.body());
        assertTrue(
                detail(sameNetwork).contains("2001:db8:" + Integer.toHexString(n) + ":1:0:0:0:0/64"),
                sameNetwork.body());
        assertEquals(
                201,
                enter(contest, Map.of("name", "Ada"), "2001:db8:" + Integer.toHexString(n) + ":2::1")
                        .statusCode());
    }

    private HttpResponse<String> enterUntil429(String contest, java.util.function.Supplier<String> forwarded)
            throws Exception {
        int entered = 0;
        for (int attempt = 0; attempt < 13; attempt++) {
            HttpResponse<String> r = enter(contest, Map.of("name", "Mallory " + attempt), forwarded.get());
            if (r.statusCode() == 429) {
                assertTrue(entered >= 3, "429 after " + entered + " entries, 3 are allowed");
                long retryAfter = retryAfter(r);
                assertTrue(retryAfter >= 1 && retryAfter <= 21, "at most one refill period (20 s): " + retryAfter);
                return r;
            }
            assertEquals(201, r.statusCode(), r.body());
            entered++;
        }
        throw new AssertionError("no 429 after " + entered + " entries");
    }

    // ------------------------------------------------------------------ the tokens an admin saves

    @Test
    void guessableTokensAreRefusedNamingTheRule() throws Exception {
        String contest = contest("weak");
        Map<String, String> rules = Map.of(
                "at least 16", Json.write(List.of(invite("team0731", "team-a"))),
                "differ only in 1 character",
                        Json.write(List.of(
                                invite("candidate-token-0001", "team-a"), invite("candidate-token-0002", "team-b"))),
                // alike at the end, not neighbours in sorted order
                "invitations[0].token and invitations[2].token differ only in 1 character",
                        Json.write(List.of(
                                invite("a-1234-candidate-token", "team-a"),
                                invite("m" + InvitationTokens.generate(), "team-b"),
                                invite("z-1234-candidate-token", "team-c"))),
                "visible ASCII", Json.write(List.of(invite("correct horse battery staple", "team-a"))),
                "at most 128", Json.write(List.of(invite("x".repeat(129), "team-a"))));
        for (var rule : rules.entrySet()) {
            HttpResponse<String> r = saveContest(contest, rule.getValue());
            assertEquals(400, r.statusCode(), rule.getValue() + ": " + r.body());
            assertTrue(detail(r).contains(rule.getKey()), r.body());
            assertTrue(detail(r).contains("invitations["), "names the invitation: " + r.body());
        }
        assertEquals(
                404,
                send("GET", "/api/v1/contests/" + contest, null, null, null).statusCode(),
                "nothing saved");
    }

    @Test
    void aMissingTokenIsGeneratedAndEntersAsItsParticipant() throws Exception {
        String contest = contest("generated");
        String chosen = InvitationTokens.generate() + "-chosen";
        HttpResponse<String> saved =
                saveContest(contest, List.of(invite(null, "ada"), invite("", "bob"), invite(chosen, "cy")), 200);
        Map<String, String> tokens = invitations(saved);
        assertTrue(tokens.get("ada").matches(GENERATED) && tokens.get("bob").matches(GENERATED), saved.body());
        assertNotEquals(tokens.get("ada"), tokens.get("bob"));
        assertEquals(chosen, tokens.get("cy"), "a strong token of the admin's own is kept");
        assertEquals(tokens, invitations(listed(contest)), "the admin's list shows the same tokens");

        HttpResponse<String> entry = enter(contest, Map.of("token", tokens.get("ada")), address());
        assertEquals(201, entry.statusCode(), entry.body());
        assertEquals("ada", json(entry).get("participant").asString());
        String view =
                send("GET", "/api/v1/contests/" + contest, null, null, null).body();
        assertTrue(tokens.values().stream().noneMatch(view::contains), "tokens never reach participants: " + view);

        // saved again as listed: the same tokens, nothing regenerated
        assertEquals(
                tokens,
                invitations(saveContest(
                        contest,
                        tokens.entrySet().stream()
                                .map(e -> invite(e.getValue(), e.getKey()))
                                .toList(),
                        200)));
    }

    /** Tokens saved before the rules have been handed out: a contest keeps them, but takes no new weak one. */
    @Test
    void storedWeakTokensAreKeptButNoNewOnes() throws Exception {
        String contest = contest("legacy");
        Instant now = Instant.now();
        contests.save(new Contest(
                contest,
                "Before the rules",
                List.of(problem),
                now.minus(1, ChronoUnit.HOURS),
                now.plus(1, ChronoUnit.HOURS),
                Scoring.ICPC,
                List.of(new Invitation("team0731", "team-a"))));

        assertEquals(
                "team0731",
                invitations(saveContest(contest, List.of(invite("team0731", "team-a")), 200))
                        .get("team-a"),
                "the admin edits the contest with its old token");
        HttpResponse<String> added =
                saveContest(contest, Json.write(List.of(invite("team0731", "team-a"), invite("team0732", "team-b"))));
        assertEquals(400, added.statusCode(), added.body());
        assertTrue(
                detail(added).contains("invitations[1].token") && detail(added).contains("at least 16"), added.body());
        HttpResponse<String> moved = saveContest(contest, Json.write(List.of(invite("team0731", "team-b"))));
        assertEquals(
                400, moved.statusCode(), "an old token for another participant is a new invitation: " + moved.body());
        assertEquals(201, enter(contest, Map.of("token", "team0731"), address()).statusCode());
    }

    // ------------------------------------------------------------------ helpers

    /** A fresh client address, so no test meets another's buckets. */
    private static String address() {
        int n = ADDRESSES.incrementAndGet();
        return "10.77." + (n / 250) + "." + (n % 250 + 1);
    }

    // ------------------------------------------------------------------ names

    @Test
    void aNameInAnyScriptRegistersAndOneThatLooksLikeANameInTheContestIsRefused() throws Exception {
        String id = contest("names");
        saveContest(id, List.of(), 200);
        int n = ADDRESSES.incrementAndGet();
        assertEquals(201, register(id, "Grace" + n).statusCode());

        HttpResponse<String> cyrillic = register(id, "Gr\u0430\u0441e" + n); // а and с are Cyrillic
        assertEquals(409, cyrillic.statusCode(), cyrillic.body());
        assertTrue(detail(cyrillic).contains("looks like Grace" + n), cyrillic.body());
        HttpResponse<String> same = register(id, "grace" + n);
        assertEquals(409, same.statusCode(), "the same login: " + same.body());
        assertTrue(detail(same).contains("is taken"), same.body());
        assertEquals(201, register(id, "Bill " + n).statusCode());
        HttpResponse<String> digits = register(id, "Bi11 " + n);
        assertEquals(409, digits.statusCode(), digits.body());
        assertTrue(detail(digits).contains("looks like Bill " + n), digits.body());

        HttpResponse<String> ivan = register(id, "Иван " + n);
        assertEquals(201, ivan.statusCode(), ivan.body());
        assertTrue(json(ivan).get("participant").asString().startsWith("ivan-" + n + "-"), ivan.body());
        assertEquals("Иван " + n, json(ivan).get("displayName").asString());
        HttpResponse<String> again = send(
                "POST",
                "/api/v1/contests/" + id + "/sessions",
                Json.write(Map.of("name", "Иван " + n, "password", "correct horse")),
                null,
                address());
        assertEquals(201, again.statusCode(), again.body());
        assertEquals(json(ivan).get("participant"), json(again).get("participant"), "the same participant signs in");
        assertEquals(409, register(id, "\u0418\u0432\u0430\u043d " + n).statusCode(), "the same letters, escaped");
    }

    @Test
    void anAccountRegisteredUnderItsNamesFormerLoginStillSignsIn() throws Exception {
        String id = contest("former");
        saveContest(id, List.of(), 200);
        int n = ADDRESSES.incrementAndGet();
        // José was "jos" before names were written in ASCII; it is "jose" now
        assertTrue(accounts.create(new AccountStore.Account(
                id, "jos-" + n, "jos-" + n + "-abcdef", "José " + n, Accounts.hash("correct horse"), Instant.now())));
        HttpResponse<String> in = send(
                "POST",
                "/api/v1/contests/" + id + "/sessions",
                Json.write(Map.of("name", "José " + n, "password", "correct horse")),
                null,
                address());
        assertEquals(201, in.statusCode(), in.body());
        assertEquals("jos-" + n + "-abcdef", json(in).get("participant").asString());
    }

    // ------------------------------------------------------------------ passwords, sign-ins, names, drafts

    /** "Alice Né" is login alice-ne, and signs in to alice-n (its former login): it gets no guesses of its own. */
    @Test
    void everySpellingOfANameSharesTheAccountsLockout() throws Exception {
        String id = contest("variants");
        saveContest(id, List.of(), 200);
        int n = ADDRESSES.incrementAndGet();
        String alice = "Alice " + n;
        assertEquals(201, register(id, alice).statusCode());
        HttpResponse<String> locked = null;
        for (int attempt = 0; attempt < 8 && locked == null; attempt++) {
            HttpResponse<String> r = signIn(id, alice, "wrong password " + attempt);
            if (r.statusCode() == 429) {
                assertTrue(attempt >= 3, "429 after " + attempt + " wrong passwords, 3 are allowed");
                locked = r;
            } else {
                assertEquals(403, r.statusCode(), r.body());
            }
        }
        assertTrue(locked != null && detail(locked).contains("account alice-" + n + " "), String.valueOf(locked));
        for (String variant : List.of(alice + "é", alice + "ü", alice + "ø", alice + "ñ")) {
            HttpResponse<String> r = signIn(id, variant, "another guess");
            assertEquals(429, r.statusCode(), variant + " is a spelling of " + alice + ": " + r.body());
            assertTrue(detail(r).contains("account alice-" + n + " "), r.body());
        }
        assertEquals(429, signIn(id, alice + "é", "correct horse").statusCode(), "the right password waits too");
    }

    @Test
    void signInsWithTheRightPasswordAreLimitedAndOnlyTheNewestKeysLive() throws Exception {
        String id = contest("signins");
        saveContest(id, List.of(), 200);
        String bob = "Bob " + ADDRESSES.incrementAndGet();
        List<String> keys = new java.util.ArrayList<>();
        HttpResponse<String> entered = register(id, bob);
        assertEquals(201, entered.statusCode(), entered.body());
        keys.add(json(entered).get("key").asString());
        HttpResponse<String> limited = null;
        for (int attempt = 0; attempt < 8 && limited == null; attempt++) {
            HttpResponse<String> r = signIn(id, bob, "correct horse");
            if (r.statusCode() == 429) {
                assertTrue(attempt >= 3, "429 after " + attempt + " sign-ins, 3 are allowed");
                limited = r;
            } else {
                assertEquals(201, r.statusCode(), r.body());
                keys.add(json(r).get("key").asString());
            }
        }
        assertTrue(limited != null && detail(limited).contains("signed in 3 times"), String.valueOf(limited));
        assertTrue(retryAfter(limited) >= 1 && retryAfter(limited) <= 21, "one back every 20 s: " + limited);
        for (int i = 0; i < keys.size(); i++) {
            assertEquals(
                    i >= keys.size() - 2 ? 200 : 401,
                    send("GET", "/api/v1/contests/" + id + "/me", null, keys.get(i), null)
                            .statusCode(),
                    "key " + i + " of " + keys.size() + ": only the 2 newest live");
        }
    }

    @Test
    void aNameIsCutBetweenWholeCharactersAndOneThatStacksMarksIsRefused() throws Exception {
        String id = contest("shown");
        saveContest(id, List.of(), 200);
        String base = "Zoe " + ADDRESSES.incrementAndGet() + " ";
        String kept = base + "a".repeat(Accounts.MAX_NAME - 1 - base.length());
        HttpResponse<String> emoji = register(id, kept + "\uD83D\uDE00b");
        assertEquals(201, emoji.statusCode(), emoji.body());
        assertEquals(kept, json(emoji).get("displayName").asString(), "the emoji at the cut goes whole");
        HttpResponse<String> zalgo = register(id, "Zed " + ADDRESSES.incrementAndGet() + " z" + "\u0301".repeat(39));
        assertEquals(400, zalgo.statusCode(), zalgo.body());
        assertTrue(detail(zalgo).contains("at most " + Accounts.MAX_MARKS), zalgo.body());
    }

    @Test
    void draftsAreInTheRuntimesLanguagesOnlyAndSavedAtALimitedRate() throws Exception {
        String id = contest("drafts");
        saveContest(id, List.of(), 200);
        JsonNode entry = json(register(id, "Dora " + ADDRESSES.incrementAndGet()));
        String key = entry.get("key").asString();
        String path = "/api/v1/contests/" + id + "/drafts/" + problem;
        HttpResponse<String> made = send("PUT", path + "/x0", "{\"code\":\"x\"}", key, null);
        assertEquals(400, made.statusCode(), made.body());
        assertTrue(detail(made).contains("python"), "names the languages: " + made.body());
        assertEquals(
                200,
                send("PUT", path + "/python", "{\"code\":\"print(1)\"}", key, null)
                        .statusCode());

        // drafts of made-up languages saved before the rule are never read
        String junk = "x".repeat(DraftStore.MAX_BYTES);
        for (int i = 0; i < 20; i++) {
            drafts.save(id, entry.get("participant").asString(), problem, "x" + i, junk, 0);
        }
        JsonNode listed = json(send("GET", path, null, key, null));
        assertEquals(1, listed.size(), listed.toString());
        assertEquals("python", listed.get(0).get("language").asString());

        HttpResponse<String> limited = null;
        for (int save = 1; save < 12 && limited == null; save++) {
            HttpResponse<String> r =
                    send("PUT", path + "/python", "{\"code\":\"print(2)\",\"baseRevision\":" + save + "}", key, null);
            if (r.statusCode() == 429) {
                assertTrue(save >= 5, "429 after " + save + " saves, 5 a minute are allowed");
                limited = r;
            } else {
                assertEquals(200, r.statusCode(), r.body());
            }
        }
        assertTrue(limited != null && detail(limited).contains("5 times a minute"), String.valueOf(limited));
        assertTrue(retryAfter(limited) >= 1 && retryAfter(limited) <= 13, "one back every 12 s: " + limited);
    }

    @Test
    void aContestThatHasNotStartedNamesNoneOfItsProblems() throws Exception {
        String id = contest("early");
        Instant now = Instant.now();
        String body = "{\"title\":\"Contest " + id + "\",\"problemIds\":[\"" + problem + "\"],\"start\":\""
                + now.plus(1, ChronoUnit.HOURS) + "\",\"end\":\"" + now.plus(2, ChronoUnit.HOURS) + "\"}";
        assertEquals(
                200,
                send("PUT", "/api/v1/admin/contests/" + id, body, TestKeys.ADMIN, null)
                        .statusCode());
        String key = json(register(id, "Early " + ADDRESSES.incrementAndGet()))
                .get("key")
                .asString();

        JsonNode board = json(send("GET", "/api/v1/contests/" + id + "/scoreboard", null, null, null));
        assertEquals(0, board.get("problemIds").size(), board.toString());
        JsonNode adminsBoard = json(send("GET", "/api/v1/contests/" + id + "/scoreboard", null, TestKeys.ADMIN, null));
        assertEquals(problem, adminsBoard.get("problemIds").get(0).asString(), adminsBoard.toString());

        // A question about a problem: the same 400 for a real id and a guess, naming neither.
        for (String guess : List.of(problem, "guess")) {
            HttpResponse<String> asked = send(
                    "POST",
                    "/api/v1/contests/" + id + "/clarifications",
                    "{\"problemId\":\"" + guess + "\",\"text\":\"hi\"}",
                    key,
                    null);
            assertEquals(400, asked.statusCode(), guess + ": " + asked.body());
            assertEquals(
                    "problemId cannot be given before the contest starts: leave it out for a general question",
                    detail(asked),
                    guess);
        }

        for (String guess : List.of(problem, "guess")) {
            HttpResponse<String> r = send("GET", "/api/v1/contests/" + id + "/drafts/" + guess, null, key, null);
            assertEquals(409, r.statusCode(), guess + ": " + r.body());
            assertTrue(detail(r).contains("not started"), r.body());
        }
    }

    private HttpResponse<String> signIn(String contest, String name, String password) throws Exception {
        return send(
                "POST",
                "/api/v1/contests/" + contest + "/sessions",
                Json.write(Map.of("name", name, "password", password)),
                null,
                address());
    }

    private HttpResponse<String> register(String contest, String name) throws Exception {
        return send(
                "POST",
                "/api/v1/contests/" + contest + "/entries",
                Json.write(Map.of("name", name, "password", "correct horse")),
                null,
                address());
    }

    private static String contest(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Map<String, String> invite(String token, String participant) {
        Map<String, String> m = new HashMap<>();
        m.put("token", token);
        m.put("participant", participant);
        return m;
    }

    private HttpResponse<String> saveContest(String id, List<Map<String, String>> invitations, int expected)
            throws Exception {
        HttpResponse<String> r = saveContest(id, Json.write(invitations));
        assertEquals(expected, r.statusCode(), r.body());
        return r;
    }

    private HttpResponse<String> saveContest(String id, String invitationsJson) throws Exception {
        Instant now = Instant.now();
        String body = "{\"title\":\"Contest " + id + "\",\"problemIds\":[\"" + problem + "\"],\"start\":\""
                + now.minus(1, ChronoUnit.HOURS) + "\",\"end\":\"" + now.plus(1, ChronoUnit.HOURS)
                + "\",\"invitations\":" + invitationsJson + "}";
        return send("PUT", "/api/v1/admin/contests/" + id, body, TestKeys.ADMIN, null);
    }

    /** The contest as the admin's list shows it. */
    private JsonNode listed(String id) throws Exception {
        HttpResponse<String> all = send("GET", "/api/v1/admin/contests", null, TestKeys.ADMIN, null);
        for (JsonNode c : json(all)) {
            if (c.get("id").asString().equals(id)) {
                return c;
            }
        }
        throw new AssertionError(id + " not listed: " + all.body());
    }

    /** Participant → token of a saved contest. */
    private static Map<String, String> invitations(HttpResponse<String> saved) {
        return invitations(json(saved));
    }

    private static Map<String, String> invitations(JsonNode contest) {
        Map<String, String> tokens = new HashMap<>();
        contest.get("invitations")
                .forEach(i -> tokens.put(
                        i.get("participant").asString(), i.get("token").asString()));
        return tokens;
    }

    /** An entry; one by name registers a fresh account (a name taken once in a contest, a password). */
    private HttpResponse<String> enter(String contest, Map<String, String> body, String forwardedFor) throws Exception {
        if (body.containsKey("name")) {
            body = Map.of("name", body.get("name") + " " + ADDRESSES.incrementAndGet(), "password", "correct horse");
        }
        return send("POST", "/api/v1/contests/" + contest + "/entries", Json.write(body), null, forwardedFor);
    }

    private static long retryAfter(HttpResponse<String> r) {
        return Long.parseLong(
                r.headers().firstValue("Retry-After").orElseThrow(() -> new AssertionError("no Retry-After")));
    }

    private static String detail(HttpResponse<String> r) {
        return json(r).get("detail").asString();
    }

    private static JsonNode json(HttpResponse<String> r) {
        return Json.mapper().readTree(r.body());
    }

    private HttpResponse<String> send(String method, String path, String body, String key, String forwardedFor)
            throws Exception {
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
        if (forwardedFor != null) {
            b.header("X-Forwarded-For", forwardedFor);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
