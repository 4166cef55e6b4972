package io.codingengine.api.access;

/** The caller is known but may not do this (answered 403). */
public class NotPermittedException extends RuntimeException {

    public NotPermittedException(String message) {
        super(message);
    }
}
