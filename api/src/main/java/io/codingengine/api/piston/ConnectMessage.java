package io.codingengine.api.piston;

import io.codingengine.common.execution.Signals;
import java.util.OptionalInt;
import tools.jackson.databind.JsonNode;

/**
 * What a client sends on {@code /api/v2/connect}, by its {@code "type"}: Piston's {@code init},
 * {@code data} and {@code signal}, and two additions, {@code kill} and {@code eof}. Any other
 * type is ignored, as Piston ignores it.
 */
sealed interface ConnectMessage {

    /** Starts the run: the body holds {@code execute}'s fields, checked the same way ({@code stdin} is not used). */
    record Init(JsonNode body) implements ConnectMessage {}

    /** Text for a stream; only {@code stdin} may be written. */
    record Data(String stream, JsonNode data) implements ConnectMessage {}

    /** A signal for the program, by Piston's name ({@code "SIGINT"}) or its number. */
    record Signal(JsonNode signal) implements ConnectMessage {

        /** The signal's number, or empty when it names none. */
        OptionalInt number() {
            if (signal != null && signal.isString()) {
                return Signals.number(signal.asString());
            }
            if (signal != null && signal.isIntegralNumber() && Signals.named(signal.asLong())) {
                return OptionalInt.of(signal.asInt());
            }
            return OptionalInt.empty();
        }
    }

    /** The program is killed (SIGKILL). */
    record Kill() implements ConnectMessage {}

    /** The end of the program's standard input. */
    record EndOfInput() implements ConnectMessage {}

    /** A type Piston does not know, or none. */
    record Other() implements ConnectMessage {}

    static ConnectMessage of(JsonNode message) {
        JsonNode type = message.isObject() ? message.get("type") : null;
        if (type == null || !type.isString()) {
            return new Other();
        }
        return switch (type.asString()) {
            case "init" -> new Init(message);
            case "data" ->
                new Data(
                        message.path("stream").isString()
                                ? message.get("stream").asString()
                                : null,
                        message.get("data"));
            case "signal" -> new Signal(message.get("signal"));
            case "kill" -> new Kill();
            case "eof" -> new EndOfInput();
            default -> new Other();
        };
    }
}
