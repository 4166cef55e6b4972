package io.codingengine.common.execution;

/**
 * A client's mistake in an execution request: the message is safe to return as is (it is
 * Piston's wording where Piston has one).
 */
public class InvalidRequestException extends RuntimeException {

    public InvalidRequestException(String message) {
        super(message);
    }
}
