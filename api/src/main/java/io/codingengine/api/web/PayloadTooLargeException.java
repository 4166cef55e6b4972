package io.codingengine.api.web;

/** The request body is larger than {@code coding-engine.max-request-size}: answered with 413. */
public class PayloadTooLargeException extends RuntimeException {

    public PayloadTooLargeException(long limit) {
        super("request body must not exceed " + limit + " bytes");
    }
}
