package io.codingengine.common.queue;

import java.util.Locale;

/**
 * Which technology carries the submission queue and the reply channel, as the {@code queue}
 * setting of the api and of the worker names it: {@code artemis} (local, the default) or
 * {@code servicebus} (Azure, or its emulator).
 */
public enum QueueKind {
    ARTEMIS,
    SERVICEBUS;

    /** @throws IllegalArgumentException naming {@code setting} when {@code value} is neither */
    public static QueueKind parse(String setting, String value) {
        return switch (value == null ? "" : value.strip().toLowerCase(Locale.ROOT)) {
            case "artemis" -> ARTEMIS;
            case "servicebus" -> SERVICEBUS;
            default -> throw new IllegalArgumentException(setting + " must be artemis or servicebus: " + value);
        };
    }
}
