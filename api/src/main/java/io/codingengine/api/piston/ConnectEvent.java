package io.codingengine.api.piston;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.codingengine.common.execution.StageResult;
import java.util.Locale;

/**
 * What the server sends on {@code /api/v2/connect}, each as one JSON text message with its
 * {@code "type"} first: Piston's {@code runtime}, {@code stage}, {@code data}, {@code exit} and
 * {@code error}. {@code exit} also carries the stage's {@code status} and {@code message} (as
 * {@code execute}'s stages do), which Piston's lacks.
 */
sealed interface ConnectEvent {

    /** Not a record component: written because it is named so (the records' overrides inherit it). */
    @JsonProperty("type")
    String type();

    /** The run has its slot: what runs it. */
    @JsonPropertyOrder({"type", "language", "version"})
    record Runtime(String language, String version) implements ConnectEvent {
        @Override
        public String type() {
            return "runtime";
        }
    }

    /** A stage begins: {@code compile} or {@code run}. */
    @JsonPropertyOrder({"type", "stage"})
    record Stage(String stage) implements ConnectEvent {
        @Override
        public String type() {
            return "stage";
        }
    }

    /** Output of the current stage: {@code stdout} or {@code stderr}. */
    @JsonPropertyOrder({"type", "stream", "data"})
    record Data(String stream, String data) implements ConnectEvent {
        @Override
        public String type() {
            return "data";
        }
    }

    /** A stage ended; {@code code} and {@code signal} are {@code null} when they do not apply, as in Piston. */
    @JsonPropertyOrder({"type", "stage", "code", "signal", "status", "message"})
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Exit(String stage, Integer code, String signal, String status, String message) implements ConnectEvent {
        static Exit of(String stage, StageResult result) {
            return new Exit(
                    stage,
                    result.code(),
                    result.signal(),
                    result.status() == null ? null : result.status().name(),
                    result.message());
        }

        @Override
        public String type() {
            return "exit";
        }
    }

    /** Why the run cannot go on; the connection closes with 4002 next. */
    @JsonPropertyOrder({"type", "message"})
    record Error(String message) implements ConnectEvent {
        @Override
        public String type() {
            return "error";
        }
    }

    /** Piston's names of stages and streams: the enum's, in lower case. */
    static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
