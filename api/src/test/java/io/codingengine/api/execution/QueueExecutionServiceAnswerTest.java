package io.codingengine.api.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.execution.StageResult;
import io.codingengine.common.execution.StageStatus;
import io.codingengine.common.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The worker's answers to an execute, read in one pass: a result, or either refusal. */
class QueueExecutionServiceAnswerTest {

    @Test
    void aResultIsReadWholeWhateverItsOutputsSay() {
        StageResult compile = new StageResult("", "", "", 0, null, null, null, 12, 30, 1 << 20);
        StageResult run = new StageResult(
                "{\"error\": \"x\"}\n",
                "internalError\n",
                "{\"error\": \"x\"}\n",
                1,
                null,
                StageStatus.RE,
                "error",
                3,
                5,
                2 << 20);
        ExecutionResult result = new ExecutionResult("python", "3.11.2", compile, List.of(run), "worker-1/slot-0");
        assertEquals(result, QueueExecutionService.readAnswer(Json.write(result)));
        ExecutionResult noCompile = new ExecutionResult("c", "12", null, List.of(), null);
        assertEquals(noCompile, QueueExecutionService.readAnswer(Json.write(noCompile)));
    }

    @Test
    void theWorkersRefusalsAreAClientErrorAndAnEngineFailure() {
        InvalidRequestException refused = assertThrows(
                InvalidRequestException.class,
                () -> QueueExecutionService.readAnswer(Json.write(Map.of("error", "no such runtime"))));
        assertEquals("no such runtime", refused.getMessage());
        IllegalStateException failed = assertThrows(
                IllegalStateException.class,
                () -> QueueExecutionService.readAnswer(
                        Json.write(Map.of("internalError", "the run crashed the engine"))));
        assertEquals("the worker failed: the run crashed the engine", failed.getMessage());
    }
}
