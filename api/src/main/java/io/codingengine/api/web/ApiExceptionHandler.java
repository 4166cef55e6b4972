package io.codingengine.api.web;

import io.codingengine.api.execution.BusyException;
import io.codingengine.common.execution.InvalidRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every exception of a controller into Piston's {@code {"message": ...}} body: the client's
 * mistakes with their message, anything else as a bare status (details go to the log only).
 */
@RestControllerAdvice
public class ApiExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<ErrorMessage> invalid(InvalidRequestException e) {
        return respond(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(BusyException.class)
    ResponseEntity<ErrorMessage> busy(BusyException e) {
        return ResponseEntity.status(503)
                .header("Retry-After", Long.toString(e.retryAfter().toSeconds()))
                .body(new ErrorMessage(e.getMessage()));
    }

    /** Too many executions from this key or address (429), or the queue is too deep (503): Piston's shape, with when to try again. */
    @ExceptionHandler(io.codingengine.api.limits.LimitExceededException.class)
    ResponseEntity<ErrorMessage> limited(io.codingengine.api.limits.LimitExceededException e) {
        return ResponseEntity.status(e.status())
                .header("Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds())))
                .body(new ErrorMessage(e.getMessage()));
    }

    @ExceptionHandler(PayloadTooLargeException.class)
    ResponseEntity<ErrorMessage> tooLarge(PayloadTooLargeException e) {
        return respond(HttpStatus.CONTENT_TOO_LARGE, e.getMessage());
    }

    /** Tomcat refuses parameters it cannot parse (not percent-encoded UTF-8, too many) when they are read. */
    @ExceptionHandler(org.apache.tomcat.util.http.InvalidParameterException.class)
    ResponseEntity<ErrorMessage> badQuery(Exception e) {
        return respond(HttpStatus.BAD_REQUEST, "malformed request parameters (percent-encoded UTF-8 expected)");
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ErrorMessage> unreadable(HttpMessageNotReadableException e) {
        return respond(HttpStatus.BAD_REQUEST, "request body is not valid JSON");
    }

    /** Express answers an unknown path, or a known path with another method, with 404 "Not Found". */
    @ExceptionHandler({
        NoResourceFoundException.class,
        NoHandlerFoundException.class,
        HttpRequestMethodNotSupportedException.class
    })
    ResponseEntity<ErrorMessage> notFound(Exception e) {
        return respond(HttpStatus.NOT_FOUND, HttpStatus.NOT_FOUND.getReasonPhrase());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ErrorMessage> other(Exception e) {
        if (e instanceof ErrorResponse known && known.getStatusCode().is4xxClientError()) {
            return respond(known.getStatusCode(), reason(known.getStatusCode()));
        }
        if (StoreOutage.isOutage(e)) {
            LOG.warn("request failed: a store is unreachable: {}", e.toString());
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header("Retry-After", Long.toString(StoreOutage.RETRY_AFTER_SECONDS))
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(new ErrorMessage("storage is unreachable; try again shortly"));
        }
        LOG.error("request failed", e);
        return respond(HttpStatus.INTERNAL_SERVER_ERROR, HttpStatus.INTERNAL_SERVER_ERROR.getReasonPhrase());
    }

    static ResponseEntity<ErrorMessage> respond(HttpStatusCode status, String message) {
        // An explicit content type: the error is JSON even for a client that asked for HTML.
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .body(new ErrorMessage(message));
    }

    static String reason(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known != null ? known.getReasonPhrase() : "Error " + status.value();
    }
}
