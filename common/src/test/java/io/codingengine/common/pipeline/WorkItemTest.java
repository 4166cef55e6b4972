package io.codingengine.common.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    void priorAttemptsTravelWithTheMessage() {
        WorkItem.Judge sent = new WorkItem.Judge("s-2", 0, null, 4);
        assertEquals(sent, WorkItem.fromJson(WorkItem.toJson(sent)));
    }
}
