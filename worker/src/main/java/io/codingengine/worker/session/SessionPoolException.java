package io.codingengine.worker.session;

/** The session pool could not run a request: refused access, stayed busy, or failed. */
public class SessionPoolException extends RuntimeException {

    public SessionPoolException(String message) {
        super(message);
    }

    public SessionPoolException(String message, Throwable cause) {
        super(message, cause);
    }
}
