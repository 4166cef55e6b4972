package io.codingengine.api.web;

import io.codingengine.common.queue.DeadLetter;
import io.codingengine.common.queue.Delivery;
import io.codingengine.common.queue.Lane;
import io.codingengine.common.queue.SubmissionQueue;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The sending half of a {@link SubmissionQueue}, for the web slices: keeps what the api sends, in
 * order, and counts it as each lane's depth (nothing here takes messages off). Receiving is the
 * workers' business and is not supported.
 */
public final class SentMessages implements SubmissionQueue {

    /** One message as sent. */
    public record Sent(Lane lane, String messageId, String body) {}

    private final List<Sent> sent = new CopyOnWriteArrayList<>();

    @Override
    public void send(Lane lane, String messageId, String body) {
        SubmissionQueue.requireSendable(messageId, body);
        sent.add(new Sent(lane, messageId, body));
    }

    /** Everything sent, oldest first. */
    public List<Sent> sent() {
        return List.copyOf(sent);
    }

    @Override
    public Optional<Delivery> receive(List<Lane> order, Duration maxWait) {
        throw new UnsupportedOperationException("the web slices only send");
    }

    @Override
    public long depth(Lane lane) {
        return sent.stream().filter(s -> s.lane() == lane).count();
    }

    @Override
    public List<DeadLetter> deadLetters(Lane lane, int max) {
        return List.of();
    }

    @Override
    public Optional<DeadLetter> removeDeadLetter(Lane lane, String messageId) {
        return Optional.empty();
    }

    @Override
    public void close() {}
}
