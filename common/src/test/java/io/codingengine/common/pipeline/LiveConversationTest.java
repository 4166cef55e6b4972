package io.codingengine.common.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.codingengine.common.execution.Conversation;
import io.codingengine.common.execution.StageResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A live run's output is told a window at a time, in order, and never after the event that follows it. */
class LiveConversationTest {

    private final List<LiveMessage.Event> events = new CopyOnWriteArrayList<>();
    private final LiveConversation conversation = new LiveConversation(events::add, Duration.ofSeconds(20));

    @Test
    void outputWrittenAByteAtATimeIsOneEventPerWindow() throws Exception {
        for (char c : "hello".toCharArray()) {
            conversation.output(Conversation.Stream.STDOUT, String.valueOf(c));
        }
        conversation.output(Conversation.Stream.STDERR, "!");
        conversation.output(Conversation.Stream.STDOUT, "\n");
        Thread.sleep(500);
        assertEquals(
                List.of(new LiveMessage.Output(List.of(
                        new LiveMessage.Chunk(Conversation.Stream.STDOUT, "hello"),
                        new LiveMessage.Chunk(Conversation.Stream.STDERR, "!"),
                        new LiveMessage.Chunk(Conversation.Stream.STDOUT, "\n")))),
                events);
    }

    @Test
    void theWindowIsToldBeforeTheNextEvent() {
        conversation.output(Conversation.Stream.STDOUT, "last words");
        StageResult exited = new StageResult("", "", "", 0, null, null, null, 1, 1, 1);
        conversation.exit(Conversation.Stage.RUN, exited);
        assertEquals(
                List.of(
                        new LiveMessage.Output(
                                List.of(new LiveMessage.Chunk(Conversation.Stream.STDOUT, "last words"))),
                        new LiveMessage.Exit(Conversation.Stage.RUN, exited)),
                events);
    }
}
