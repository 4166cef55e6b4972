package io.codingengine.common.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.TestCase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The queue's message bodies, as workers of this version and of the one before read them. */
class WorkItemTest {

    @Test
    void aJudgeMessageWithoutPriorAttemptsHasNone() {
        // What the api sent before messages carried the attempts before them.
        WorkItem read =
                WorkItem.fromJson("{\"kind\":\"JUDGE\",\"submissionId\":\"s-1\",\"round\":3,\"correlationId\":\"c\"}");
        assertEquals(new WorkItem.Judge("s-1", 3, "c", 0), read);
    }

    @Test
    void aCalibrationCarriesItsSubmissionWithTestsAndValidator() {
        CheckerSpec.Custom validator = CheckerSpec.Custom.of("python", "v.py", "import sys\nsys.exit(42)\n")
                .judging(true, 1);
        WorkItem.Calibrate sent = new WorkItem.Calibrate(
                "r-1",
                "replies",
                new Submission(
                        "s-3",
                        null,
                        null,
                        "admin",
                        "python",
                        "*",
                        List.of(SourceFile.utf8(null, "print(input())")),
                        List.of(new TestCase("secret/1", "7\n", "7\n", false)),
                        validator,
                        Instant.parse("2026-12-07T06:00:00Z")),
                Duration.ofSeconds(10),
                256L << 20,
                8L << 20,
                Instant.parse("2026-12-07T06:02:00Z"),
                Instant.parse("2026-12-07T06:00:00Z"),
                "admin",
                null);
        WorkItem read = WorkItem.fromJson(WorkItem.toJson(sent));
        assertEquals(sent, read);
        assertTrue(((WorkItem.Calibrate) read).submission().checker() instanceof CheckerSpec.Custom c && c.interacts());
    }

    @Test
    void priorAttemptsTravelWithTheMessage() {
        WorkItem.Judge sent = new WorkItem.Judge("s-2", 0, null, 4);
        assertEquals(sent, WorkItem.fromJson(WorkItem.toJson(sent)));
    }
}
