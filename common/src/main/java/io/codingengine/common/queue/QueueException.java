package io.codingengine.common.queue;

/** The broker could not be reached or refused an operation; nothing is known to have happened. */
public class QueueException extends RuntimeException {

    public QueueException(String message, Throwable cause) {
        super(message, cause);
    }
}
