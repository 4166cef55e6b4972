package io.codingengine.api.web;

/** The request body, or a part of it with its own limit (stdin, a test's input), is too large: answered with 413. */
public class PayloadTooLargeException extends RuntimeException {

    public PayloadTooLargeException(long limit) {
        super("request body must not exceed " + limit + " bytes");
    }

    public PayloadTooLargeException(String message) {
        super(message);
    }
}
