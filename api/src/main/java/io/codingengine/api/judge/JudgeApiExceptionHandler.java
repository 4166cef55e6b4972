package io.codingengine.api.judge;

import io.codingengine.api.contest.ContestController;
import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.execution.RequestTooLargeException;
import io.codingengine.common.problem.InvalidPackageException;
import java.util.NoSuchElementException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/** The judge and contest APIs answer errors as RFC 9457 problem details, never with a stack trace. */
@RestControllerAdvice(
        basePackageClasses = {
            JudgeApiExceptionHandler.class,
            ContestController.class,
            io.codingengine.api.clarification.ClarificationController.class,
            io.codingengine.api.access.KeyController.class,
            io.codingengine.api.audit.AuditController.class
        })
@Order(Ordered.HIGHEST_PRECEDENCE)
public class JudgeApiExceptionHandler {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JudgeApiExceptionHandler.class);

    @ExceptionHandler({InvalidRequestException.class, InvalidPackageException.class})
    ProblemDetail badRequest(Exception e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage());
    }

    @ExceptionHandler(io.codingengine.api.access.NotPermittedException.class)
    ProblemDetail forbidden(Exception e) {
        return problem(HttpStatus.FORBIDDEN, "Forbidden", e.getMessage());
    }

    /** Too many submissions (429) or a queue too deep (503), with when to try again. */
    @ExceptionHandler(io.codingengine.api.limits.LimitExceededException.class)
    org.springframework.http.ResponseEntity<ProblemDetail> limited(
            io.codingengine.api.limits.LimitExceededException e) {
        ProblemDetail p = problem(HttpStatus.valueOf(e.status()), e.title(), e.getMessage());
        return org.springframework.http.ResponseEntity.status(e.status())
                .header("Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds())))
                .body(p);
    }

    /** The engine cannot do it now (no worker answered in time, an import's time-limit runs under way): 503, with when to try again. */
    @ExceptionHandler(io.codingengine.api.execution.BusyException.class)
    org.springframework.http.ResponseEntity<ProblemDetail> busy(io.codingengine.api.execution.BusyException e) {
        return org.springframework.http.ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header("Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds())))
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable", e.getMessage()));
    }

    /** A body, a test's input, too many tests, or files over the executor's count or size limit. */
    @ExceptionHandler({io.codingengine.api.web.PayloadTooLargeException.class, RequestTooLargeException.class})
    ProblemDetail tooLarge(Exception e) {
        return problem(HttpStatus.CONTENT_TOO_LARGE, "Content too large", e.getMessage());
    }

    /** Tomcat refuses parameters it cannot parse (not percent-encoded UTF-8, too many) when they are read. */
    @ExceptionHandler(org.apache.tomcat.util.http.InvalidParameterException.class)
    ProblemDetail badQuery(Exception e) {
        return problem(
                HttpStatus.BAD_REQUEST,
                "Invalid request",
                "malformed request parameters (percent-encoded UTF-8 expected)");
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail badParameter(MethodArgumentTypeMismatchException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", "bad value for parameter " + e.getName());
    }

    /** Anything else is ours: logged with its stack trace, answered without it. */
    @ExceptionHandler(Exception.class)
    org.springframework.http.ResponseEntity<ProblemDetail> internal(Exception e) {
        if (e instanceof org.springframework.web.ErrorResponse known) {
            // Spring's own 4xx (wrong method, media type...) keep their status
            return org.springframework.http.ResponseEntity.status(known.getStatusCode())
                    .body(known.getBody());
        }
        if (io.codingengine.api.web.StoreOutage.isOutage(e)) {
            LOG.warn("judge API request failed: a store is unreachable: {}", e.toString());
            return org.springframework.http.ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header("Retry-After", Long.toString(io.codingengine.api.web.StoreOutage.RETRY_AFTER_SECONDS))
                    .body(problem(
                            HttpStatus.SERVICE_UNAVAILABLE,
                            "Service unavailable",
                            "storage is unreachable; try again shortly"));
        }
        LOG.error("judge API request failed", e);
        return org.springframework.http.ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
                .body(problem(
                        HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", "the request failed; see the server log"));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ProblemDetail unreadable(HttpMessageNotReadableException e) {
        return problem(
                HttpStatus.BAD_REQUEST, "Invalid request", "the request body is not valid JSON of the expected shape");
    }

    @ExceptionHandler(NoSuchElementException.class)
    ProblemDetail notFound(NoSuchElementException e) {
        return problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage());
    }

    /** A batch item's mistake with the status the same request alone would get, and its index. */
    @ExceptionHandler(SubmissionController.BatchItemException.class)
    org.springframework.http.ResponseEntity<ProblemDetail> batchItem(SubmissionController.BatchItemException e) {
        HttpStatus status = switch (e.getCause()) {
            case NoSuchElementException missing -> HttpStatus.NOT_FOUND;
            case io.codingengine.api.access.NotPermittedException other -> HttpStatus.FORBIDDEN;
            case io.codingengine.api.web.PayloadTooLargeException large -> HttpStatus.CONTENT_TOO_LARGE;
            case RequestTooLargeException large -> HttpStatus.CONTENT_TOO_LARGE;
            case InvalidRequestException invalid -> HttpStatus.BAD_REQUEST;
            default -> null;
        };
        if (status == null) {
            return internal((Exception) e.getCause()); // ours, not the client's: a 500 without the message, or a 503
        }
        ProblemDetail p = problem(status, "Invalid submission in batch", e.getMessage());
        p.setProperty("index", e.index);
        return org.springframework.http.ResponseEntity.status(status).body(p);
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setTitle(title);
        return p;
    }
}
