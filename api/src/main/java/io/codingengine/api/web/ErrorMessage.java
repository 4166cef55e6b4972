package io.codingengine.api.web;

/** Every error body: Piston's {@code {"message": "..."}}, never a stack trace. */
public record ErrorMessage(String message) {}
