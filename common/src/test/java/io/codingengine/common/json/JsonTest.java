package io.codingengine.common.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.contest.Contest;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.TestCase;
import io.codingengine.common.judge.TestResult;
import io.codingengine.common.judge.Verdict;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class JsonTest {

    @Test
    void everyCheckerRoundTripsWithItsTypeName() {
        List<CheckerSpec> checkers = List.of(
                new CheckerSpec.Exact(),
                new CheckerSpec.Lines(),
                new CheckerSpec.Tokens(),
                new CheckerSpec.Floats(1e-4, 0),
                CheckerSpec.Custom.of("c++", "validate.cpp", "int main() { return 42; }"));
        List<String> names = List.of("EXACT", "LINES", "TOKENS", "FLOAT", "CUSTOM");
        for (int i = 0; i < checkers.size(); i++) {
            String json = Json.write(checkers.get(i));
            assertTrue(json.contains("\"type\":\"" + names.get(i) + "\""), json);
            assertEquals(checkers.get(i), Json.read(json, CheckerSpec.class));
        }
    }

    @Test
    void anInteractiveOrMultiPassCheckerSaysSoAndAPlainOneAsBefore() {
        CheckerSpec.Custom plain = CheckerSpec.Custom.of("python", "v.py", "exit(42)");
        String json = Json.write(plain);
        assertFalse(json.contains("interactive") || json.contains("passes"), json);
        CheckerSpec.Custom talking = plain.judging(true, 3);
        String talkingJson = Json.write(talking);
        assertTrue(talkingJson.contains("\"interactive\":true") && talkingJson.contains("\"passes\":3"), talkingJson);
        assertEquals(talking, Json.read(talkingJson, CheckerSpec.class));
        assertEquals(
                plain,
                Json.read(
                        json.substring(0, json.length() - 1) + ",\"interactive\":false,\"passes\":1}",
                        CheckerSpec.class));
    }

    @Test
    void submissionsAndJudgementsRoundTripWithOnlyTheirComponents() {
        Submission submission = new Submission(
                "s1",
                null,
                "c",
                "alice",
                "python",
                "3.x",
                List.of(new SourceFile("data.bin", "AAEC", SourceFile.Encoding.BASE64), SourceFile.utf8("m.py", "x")),
                List.of(new TestCase("t", "1\n", "1\n", true)),
                new CheckerSpec.Floats(1e-6, 1e-9),
                Instant.parse("2026-01-01T00:00:00.123456789Z"));
        String json = Json.write(submission);
        assertFalse(json.contains("\"source\""), json);
        assertEquals(submission, Json.read(json, Submission.class));

        Judgement judgement = new Judgement(
                Verdict.TLE,
                50,
                null,
                List.of(new TestResult("t", Verdict.TLE, 3000, 1 << 20, null, null, null, "CPU time limit", false)),
                Instant.parse("2026-01-01T00:00:01Z"),
                "worker-1",
                2,
                3);
        assertEquals(judgement, Json.read(Json.write(judgement), Judgement.class));
    }

    @Test
    void aTestResultStoredBeforeVisibilityWasRecordedReadsAsHidden() {
        String json = "{\"testName\":\"sample/1\",\"verdict\":\"WA\",\"timeMs\":1,\"memoryBytes\":2,"
                + "\"output\":\"2\\n\",\"expected\":\"1\\n\",\"message\":\"token 1 differs: expected 1, got 2\"}";
        TestResult old = Json.read(json, TestResult.class);
        assertFalse(old.visible());
        assertNull(old.judgeMessage());
        assertNull(old.forParticipant().message(), "shown as a hidden test's: nothing but verdict, time and memory");
        assertNull(old.forParticipant().expected());
    }

    @Test
    void aContestStoredBeforeScoreboardFreezesHasNone() {
        String json =
                "{\"id\":\"spring\",\"title\":\"Spring\",\"problemIds\":[\"sum\"],\"start\":\"2026-01-01T10:00:00Z\","
                        + "\"end\":\"2026-01-01T12:00:00Z\",\"scoring\":\"ICPC\",\"invitations\":[]}";
        Contest old = Json.read(json, Contest.class);
        assertEquals(0, old.freezeMinutes());
        assertNull(old.unfrozenAt());
        assertTrue(old.freezesAt().isEmpty());
    }

    @Test
    void unknownPropertiesFromANewerVersionAreIgnored() {
        String json = "{\"type\":\"FLOAT\",\"absoluteTolerance\":0.5,\"relativeTolerance\":0,\"future\":1}";
        assertEquals(new CheckerSpec.Floats(0.5, 0), Json.read(json, CheckerSpec.class));
    }
}
