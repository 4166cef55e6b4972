package io.codingengine.common.execution;

/**
 * The executor had no room for the request and ran nothing of it: back-pressure, not a failure
 * of the request nor of the engine (a Dynamic Sessions pool with no session left, its gateway
 * answering 429, 502, 503 or 504, or unreachable for longer than the executor waits). The caller
 * waits and asks again; a worker keeps the queue message while it waits, so that a full pool
 * never costs a submission a delivery.
 */
public class ExecutorBusyException extends RuntimeException {

    public ExecutorBusyException(String message) {
        super(message);
    }
}
