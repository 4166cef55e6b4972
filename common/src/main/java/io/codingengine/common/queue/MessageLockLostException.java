package io.codingengine.common.queue;

/**
 * A {@link Delivery} could not be settled because its lock is gone: it expired, the connection to
 * the broker failed, or the queue was closed. The message is (or will be) delivered again, so the
 * consumer must drop its work on it; only a failure that hid a successful settlement leaves it
 * settled, which at-least-once delivery allows.
 */
public final class MessageLockLostException extends QueueException {

    public MessageLockLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
