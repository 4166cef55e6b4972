package io.codingengine.common.queue;

import java.time.Instant;
import java.util.Objects;

/**
 * A message taken out of its lane for good, as shown by {@link SubmissionQueue#deadLetters}.
 *
 * @param messageId      the id it was sent with
 * @param body           the body it was sent with
 * @param lane           the lane it was sent to
 * @param reason         why it was dead-lettered: the consumer's reason, or
 *                       {@link SubmissionQueue#MAX_DELIVERY_COUNT_EXCEEDED}
 * @param deliveryCount  how many deliveries consumers saw before it was dead-lettered
 * @param deadLetteredAt when it was dead-lettered
 */
public record DeadLetter(
        String messageId, String body, Lane lane, String reason, int deliveryCount, Instant deadLetteredAt) {

    public DeadLetter {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(lane, "lane");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(deadLetteredAt, "deadLetteredAt");
    }
}
