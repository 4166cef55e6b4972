package io.codingengine.api.piston;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.codingengine.api.ApiTestBase;
import io.codingengine.common.audit.AuditEntry;
import io.codingengine.common.audit.AuditLog;
import io.codingengine.common.audit.AuditQuery;
import io.codingengine.common.execution.SourceFile;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** {@code /api/v2/connect} with {@code execution=local}: the api's own sandbox runs the program live, and audits it. */
class PistonConnectLocalTest extends ApiTestBase {

    @Autowired
    AuditLog audit;

    @Test
    void anEchoTalksThroughTheApisOwnExecutor() throws Exception {
        String source = "# %s\nprint(input()[::-1], flush=True)\nprint(input().upper())".formatted(UUID.randomUUID());
        Instant from = Instant.now().minusSeconds(5);
        PistonConnectClient client = PistonConnectClient.connect(port, null);
        client.send(Map.of(
                "type", "init", "language", "python", "version", "*", "files", List.of(Map.of("content", source))));
        assertEquals("python", client.next("runtime").get("language").asString());
        assertEquals("run", client.next("stage").get("stage").asString());
        client.stdin("olleh\n");
        assertEquals("hello\n", client.stdoutUntil("hello\n"));
        client.stdin("again\n");
        assertEquals("AGAIN\n", client.stdoutUntil("AGAIN\n"));
        assertEquals(0, client.next("exit").get("code").asInt());
        assertEquals("4999 Job Completed", client.closeStatus());
        String sha = AuditEntry.sourceSha256(List.of(SourceFile.utf8(null, source)));
        AuditEntry entry = await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> audit
                                .query(new AuditQuery(
                                        from,
                                        Instant.now().plusSeconds(5),
                                        "anonymous@127.0.0.1",
                                        null,
                                        "python",
                                        null,
                                        AuditEntry.Kind.EXECUTE,
                                        10_000))
                                .stream()
                                .filter(e -> e.sourceSha256().equals(sha))
                                .findFirst(),
                        java.util.Optional::isPresent)
                .orElseThrow();
        assertEquals("OK", entry.verdict());
        assertEquals("api-" + ProcessHandle.current().pid(), entry.worker());
    }
}
