package io.codingengine.common.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.codingengine.common.execution.Conversation;
import io.codingengine.common.execution.StageResult;
import io.codingengine.common.json.Json;
import java.util.List;
import java.util.Objects;

/**
 * What the api and the worker of a live run ({@link WorkItem.Converse}) tell each other on their
 * {@link ReplyChannel}s, all under the run's request id: the worker's {@link Event}s in the order
 * they happened, the client's {@link Control}s in the order it sent them. The body is the value as
 * JSON, with the variant in {@code "kind"}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = LiveMessage.Attached.class, name = "ATTACHED"),
    @JsonSubTypes.Type(value = LiveMessage.Alive.class, name = "ALIVE"),
    @JsonSubTypes.Type(value = LiveMessage.Started.class, name = "STARTED"),
    @JsonSubTypes.Type(value = LiveMessage.StageBegan.class, name = "STAGE"),
    @JsonSubTypes.Type(value = LiveMessage.Output.class, name = "OUTPUT"),
    @JsonSubTypes.Type(value = LiveMessage.Exit.class, name = "EXIT"),
    @JsonSubTypes.Type(value = LiveMessage.Failed.class, name = "FAILED"),
    @JsonSubTypes.Type(value = LiveMessage.Ended.class, name = "ENDED"),
    @JsonSubTypes.Type(value = LiveMessage.Stdin.class, name = "STDIN"),
    @JsonSubTypes.Type(value = LiveMessage.EndOfInput.class, name = "EOF"),
    @JsonSubTypes.Type(value = LiveMessage.Signal.class, name = "SIGNAL"),
    @JsonSubTypes.Type(value = LiveMessage.HangUp.class, name = "HANG_UP")
})
public sealed interface LiveMessage {

    /** From the run to its client, in order; {@link Ended} is the last. */
    sealed interface Event extends LiveMessage {}

    /** From the client to its run. */
    sealed interface Control extends LiveMessage {}

    /**
     * The worker took the run: the client's controls go to {@code address} from now on. A worker
     * that says {@code heartbeatMillis} (more than 0) sends {@link Alive} at least that often while
     * the run lasts, so the api knows within a few of them that the worker died; a worker that
     * sends none (0: one older than heartbeats) is given the api's whole patience per event.
     */
    record Attached(String address, long heartbeatMillis) implements Event {
        public Attached {
            Objects.requireNonNull(address, "address");
            if (heartbeatMillis < 0) {
                throw new IllegalArgumentException("heartbeatMillis must not be negative: " + heartbeatMillis);
            }
        }

        /** As read from JSON, where a worker older than heartbeats leaves the promise out. */
        @JsonCreator
        static Attached read(
                @JsonProperty("address") String address, @JsonProperty("heartbeatMillis") Long heartbeatMillis) {
            return new Attached(address, heartbeatMillis == null ? 0 : heartbeatMillis);
        }
    }

    /** The run's worker is alive; for the api, never passed to the client. */
    record Alive() implements Event {}

    /** The program has its slot and runs {@code language} {@code version} ({@link Conversation#started}). */
    record Started(String language, String version) implements Event {}

    /** A stage began ({@link Conversation#stage}). */
    record StageBegan(Conversation.Stage stage) implements Event {}

    /**
     * Output of the current stage ({@link Conversation#output}) as the program wrote it within a
     * short window, in order, each chunk one stream's.
     */
    record Output(List<Chunk> chunks) implements Event {
        public Output {
            chunks = List.copyOf(chunks);
        }
    }

    /** Text one stream got. */
    record Chunk(Conversation.Stream stream, String text) {}

    /** A stage ended ({@link Conversation#exit}). */
    record Exit(Conversation.Stage stage, StageResult result) implements Event {}

    /** The run cannot go on or never started; {@code message} is for the client. */
    record Failed(String message) implements Event {}

    /** Nothing follows. */
    record Ended() implements Event {}

    /** Text for the program's standard input. */
    record Stdin(String text) implements Control {}

    /** The end of the program's standard input. */
    record EndOfInput() implements Control {}

    /** A signal, by its Linux number, for the program. */
    record Signal(int number) implements Control {}

    /** The client went away: the run is stopped. */
    record HangUp() implements Control {}

    static String toJson(LiveMessage message) {
        return Json.write(message);
    }

    static LiveMessage fromJson(String json) {
        return Json.read(json, LiveMessage.class);
    }
}
