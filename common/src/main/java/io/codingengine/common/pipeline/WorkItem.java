package io.codingengine.common.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.json.Json;
import io.codingengine.common.judge.Submission;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What a queue message asks a worker to do; the message body is this value as JSON, with the
 * variant in {@code "kind"}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = WorkItem.Execute.class, name = "EXECUTE"),
    @JsonSubTypes.Type(value = WorkItem.Converse.class, name = "CONVERSE"),
    @JsonSubTypes.Type(value = WorkItem.Judge.class, name = "JUDGE"),
    @JsonSubTypes.Type(value = WorkItem.Calibrate.class, name = "CALIBRATE")
})
public sealed interface WorkItem {

    /**
     * A synchronous run (Piston's execute): the result goes back on a {@link ReplyChannel}.
     *
     * @param requestId correlates the reply with the waiting request
     * @param replyTo   the reply address of the api process that waits
     * @param request   what to run
     * @param deadline  when the api stops waiting: a worker that takes it later drops it unrun,
     *                  so client retries after a timeout do not pile up work nobody wants
     * @param enqueuedAt when the api queued it (time in queue, the audit entry's "submitted at")
     * @param caller    who asked (the key's subject, or {@code anonymous@<address>} on an open
     *                  Piston endpoint), for the audit log
     * @param correlationId the id of the request (logs, the session's logs, audit), or {@code null}
     */
    record Execute(
            String requestId,
            String replyTo,
            ExecutionRequest request,
            Instant deadline,
            Instant enqueuedAt,
            String caller,
            String correlationId)
            implements WorkItem {
        public Execute {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(replyTo, "replyTo");
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(deadline, "deadline");
            Objects.requireNonNull(enqueuedAt, "enqueuedAt");
            Objects.requireNonNull(caller, "caller");
        }
    }

    /**
     * A run the client talks to while it runs (Piston's WebSocket execution): the worker tells
     * {@code replyTo} what happens as {@link LiveMessage.Event}s, the first of them
     * {@link LiveMessage.Attached} with the address the client's {@link LiveMessage.Control}s go
     * to. Never delivered twice: a client that saw part of a run cannot be shown another.
     *
     * @param requestId correlates every message of the run
     * @param replyTo   the reply address of the api process that holds the client's connection
     * @param request   what to run: one run, its stdin empty
     * @param deadline  when the api stops waiting for a worker to take it: later, it is dropped unrun
     * @param enqueuedAt when the api queued it (the audit entry's "submitted at")
     * @param caller    who asked, for the audit log, as in {@link Execute}
     * @param correlationId the id of the request that opened the connection, or {@code null}
     * @param idleLimit how long the run may go with neither input nor output before it is stopped
     */
    record Converse(
            String requestId,
            String replyTo,
            ExecutionRequest request,
            Instant deadline,
            Instant enqueuedAt,
            String caller,
            String correlationId,
            Duration idleLimit)
            implements WorkItem {
        public Converse {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(replyTo, "replyTo");
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(deadline, "deadline");
            Objects.requireNonNull(enqueuedAt, "enqueuedAt");
            Objects.requireNonNull(caller, "caller");
            Objects.requireNonNull(idleLimit, "idleLimit");
        }
    }

    /**
     * Judge a stored submission in one grading round.
     *
     * @param submissionId the submission, read from the submission store
     * @param round        0 for the first judging, the regrade's round otherwise
     * @param correlationId  the id of the request that asked for it (logs, audit), or {@code null}
     * @param priorAttempts  attempts at the round before this message: 0 for the message the api
     *                       sends with the round; for a message the sweeper sends again, the
     *                       attempt that last marked the round running, so that this message's
     *                       deliveries (attempt = prior attempts + delivery count) may take the
     *                       round over from a worker that is gone
     * @param allTests     run every test, also those a rejection already decided (lazy judging
     *                     skips them): a regrade that asks for it, or a submission to a POINTS
     *                     contest, whose pass-fail problems score the share of tests accepted
     * @param firstRejectionEnds the first rejected test (in run order) ends the judging, whatever
     *                     the package's groups would still run ({@code on_reject: continue}):
     *                     under ICPC rules, where nothing past the first failing test may show,
     *                     not even the time its judging took; never with {@code allTests}
     */
    record Judge(
            String submissionId,
            long round,
            String correlationId,
            int priorAttempts,
            boolean allTests,
            boolean firstRejectionEnds)
            implements WorkItem {
        public Judge {
            Objects.requireNonNull(submissionId, "submissionId");
            if (priorAttempts < 0) {
                throw new IllegalArgumentException("priorAttempts must be >= 0, was " + priorAttempts);
            }
        }

        public Judge(String submissionId, long round, String correlationId, int priorAttempts, boolean allTests) {
            this(submissionId, round, correlationId, priorAttempts, allTests, false);
        }

        public Judge(String submissionId, long round, String correlationId, int priorAttempts) {
            this(submissionId, round, correlationId, priorAttempts, false, false);
        }

        public Judge(String submissionId, long round, String correlationId) {
            this(submissionId, round, correlationId, 0, false, false);
        }

        /**
         * From JSON: a message sent before messages carried {@code priorAttempts} has none, 0;
         * one sent before {@code allTests} or {@code firstRejectionEnds}, false.
         */
        @JsonCreator
        static Judge fromJson(
                @JsonProperty("submissionId") String submissionId,
                @JsonProperty("round") long round,
                @JsonProperty("correlationId") String correlationId,
                @JsonProperty("priorAttempts") Integer priorAttempts,
                @JsonProperty("allTests") Boolean allTests,
                @JsonProperty("firstRejectionEnds") Boolean firstRejectionEnds) {
            return new Judge(
                    submissionId,
                    round,
                    correlationId,
                    priorAttempts == null ? 0 : priorAttempts,
                    Boolean.TRUE.equals(allTests),
                    Boolean.TRUE.equals(firstRejectionEnds));
        }

        public Judge(String submissionId, long round) {
            this(submissionId, round, null, 0, false, false);
        }
    }

    /**
     * An import's run of an accepted submission of an interactive or multi-pass package, whose
     * submissions never run alone: judged as a submission with inline tests is, its checker the
     * problem's output validator, through the same interaction path; the {@link
     * io.codingengine.common.judge.Judgement} goes back on a {@link ReplyChannel} as an
     * {@link Execute}'s result does.
     *
     * @param requestId    correlates the reply with the waiting import
     * @param replyTo      the reply address of the api process that waits
     * @param submission   the accepted submission: no problem, the tests to run and the validator
     *                     as its checker
     * @param timeLimit    each run's CPU time limit (the import's probe limit)
     * @param memoryBytes  each run's memory limit (the problem's)
     * @param outputBytes  each run's output limit (the problem's)
     * @param deadline     when the api stops waiting: a worker that takes it later drops it unrun
     * @param enqueuedAt   when the api queued it
     * @param caller       who imports, for the audit log
     * @param correlationId the id of the import request, or {@code null}
     */
    record Calibrate(
            String requestId,
            String replyTo,
            Submission submission,
            Duration timeLimit,
            long memoryBytes,
            long outputBytes,
            Instant deadline,
            Instant enqueuedAt,
            String caller,
            String correlationId)
            implements WorkItem {
        public Calibrate {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(replyTo, "replyTo");
            Objects.requireNonNull(submission, "submission");
            Objects.requireNonNull(timeLimit, "timeLimit");
            Objects.requireNonNull(deadline, "deadline");
            Objects.requireNonNull(enqueuedAt, "enqueuedAt");
            Objects.requireNonNull(caller, "caller");
        }
    }

    static String toJson(WorkItem item) {
        return Json.write(item);
    }

    static WorkItem fromJson(String json) {
        return Json.read(json, WorkItem.class);
    }
}
