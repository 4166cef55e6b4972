package io.codingengine.api.health;

import io.codingengine.api.execution.ExecutionService;
import io.codingengine.common.queue.Lane;
import io.codingengine.common.queue.SubmissionQueue;
import io.codingengine.common.store.SubmissionFilter;
import io.codingengine.common.store.SubmissionStore;
import io.codingengine.executor.SandboxedExecutor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Liveness (the process answers) and readiness (it can do its work: the queue, the store and the
 * executor answer), for load balancers and Container Apps probes. Readiness is 503 with the
 * failing part named when any check fails.
 */
@RestController
public class ReadinessController {

    private final SubmissionQueue queue;
    private final SubmissionStore store;
    private final ExecutionService executions;
    private final ObjectProvider<SandboxedExecutor> localExecutor;

    public ReadinessController(
            SubmissionQueue queue,
            SubmissionStore store,
            ExecutionService executions,
            ObjectProvider<SandboxedExecutor> localExecutor) {
        this.queue = queue;
        this.store = store;
        this.executions = executions;
        this.localExecutor = localExecutor;
    }

    @GetMapping("/health/live")
    Map<String, String> live() {
        return Map.of("status", "UP");
    }

    @GetMapping("/health/ready")
    ResponseEntity<Map<String, Object>> ready() {
        Map<String, Object> checks = new LinkedHashMap<>();
        boolean up = check(
                checks,
                "queue",
                () -> Map.of(
                        "interactive",
                        queue.depth(Lane.INTERACTIVE),
                        "contest",
                        queue.depth(Lane.CONTEST),
                        "regrade",
                        queue.depth(Lane.REGRADE)));
        up &= check(checks, "store", () -> {
            store.list(SubmissionFilter.all(), 1, null);
            return "UP";
        });
        up &= check(checks, "executor", () -> {
            Map<String, Object> executor = new LinkedHashMap<>();
            executor.put("runtimes", executions.runtimes().size());
            SandboxedExecutor local = localExecutor.getIfAvailable();
            if (local != null) {
                executor.put("isolation", local.sandbox().isolation());
            }
            if (executions.runtimes().isEmpty()) {
                throw new IllegalStateException("no language runtime found");
            }
            return executor;
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.putAll(checks);
        return ResponseEntity.status(up ? 200 : 503).body(body);
    }

    private static boolean check(Map<String, Object> checks, String name, Supplier<Object> probe) {
        try {
            checks.put(name, probe.get());
            return true;
        } catch (RuntimeException e) {
            checks.put(name, Map.of("status", "DOWN", "error", String.valueOf(e.getMessage())));
            return false;
        }
    }
}
