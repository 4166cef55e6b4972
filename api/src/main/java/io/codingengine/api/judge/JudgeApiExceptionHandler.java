package io.codingengine.api.judge;

import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.problem.InvalidPackageException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import java.util.NoSuchElementException;

/** The judge API answers errors as RFC 9457 problem details, never with a stack trace. */
@RestControllerAdvice(basePackageClasses = JudgeApiExceptionHandler.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
public class JudgeApiExceptionHandler {

    @ExceptionHandler({InvalidRequestException.class, InvalidPackageException.class, IllegalArgumentException.class,
            MethodArgumentTypeMismatchException.class})
    ProblemDetail badRequest(Exception e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ProblemDetail unreadable(HttpMessageNotReadableException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", "the request body is not valid JSON of the expected shape");
    }

    @ExceptionHandler(NoSuchElementException.class)
    ProblemDetail notFound(NoSuchElementException e) {
        return problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage());
    }

    @ExceptionHandler(SubmissionController.BatchItemException.class)
    ProblemDetail batchItem(SubmissionController.BatchItemException e) {
        HttpStatus status = e.getCause() instanceof NoSuchElementException ? HttpStatus.NOT_FOUND : HttpStatus.BAD_REQUEST;
        ProblemDetail p = problem(status, "Invalid submission in batch", e.getMessage());
        p.setProperty("index", e.index);
        return p;
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setTitle(title);
        return p;
    }
}
