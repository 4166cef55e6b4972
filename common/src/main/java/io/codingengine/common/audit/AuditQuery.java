package io.codingengine.common.audit;

import java.time.Instant;

/**
 * Which audit entries an admin asks for; every field but the time range may be {@code null}.
 *
 * @param from        submitted at or after
 * @param to          submitted before
 * @param participant only this participant's
 * @param problemId   only this problem's
 * @param language    only this language's
 * @param verdict     only this verdict
 * @param kind        only judged submissions or only Piston executes
 * @param max         at most this many entries
 */
public record AuditQuery(
        Instant from,
        Instant to,
        String participant,
        String problemId,
        String language,
        String verdict,
        AuditEntry.Kind kind,
        int max) {}
