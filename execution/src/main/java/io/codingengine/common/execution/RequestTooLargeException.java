package io.codingengine.common.execution;

/**
 * A request over one of the executor's size or count limits (files, bytes of source). Still a
 * client's mistake: the judge API answers it with 413; Piston's API, which answers every
 * mistake the executor finds with 400 (across the queue the worker only sends the message),
 * keeps 400.
 */
public class RequestTooLargeException extends InvalidRequestException {

    public RequestTooLargeException(String message) {
        super(message);
    }
}
