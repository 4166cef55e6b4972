package io.codingengine.executor.sandbox;

import io.codingengine.common.execution.Conversation;
import io.codingengine.common.execution.StageResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A live run's conversation that keeps the client's input, so that when an attempt could not enter
 * its pre-started box (no untrusted code ran, the run is tried again) the next attempt gets what
 * the first one took. Used by one input thread at a time; attempts follow one another.
 */
final class ReplayedInput implements Conversation {

    private final Conversation client;
    /** Everything the run took: at most the client's stdin limit, and a few signals. */
    private final List<Input> taken = new ArrayList<>();

    private int position;

    ReplayedInput(Conversation client) {
        this.client = client;
    }

    /** The next attempt starts with the input taken so far. */
    void rewind() {
        position = 0;
    }

    @Override
    public Input next(Duration wait) throws InterruptedException {
        if (position < taken.size()) {
            return taken.get(position++);
        }
        Input input = client.next(wait);
        if (input != null) {
            taken.add(input);
            position++;
        }
        return input;
    }

    @Override
    public void started(String language, String version) {
        client.started(language, version);
    }

    @Override
    public void stage(Stage stage) {
        client.stage(stage);
    }

    @Override
    public void output(Stream stream, String text) {
        client.output(stream, text);
    }

    @Override
    public void exit(Stage stage, StageResult result) {
        client.exit(stage, result);
    }

    @Override
    public Duration idleLimit() {
        return client.idleLimit();
    }
}
