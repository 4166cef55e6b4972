package io.codingengine.common.queue;

import com.azure.core.util.BinaryData;
import com.azure.messaging.servicebus.ServiceBusMessage;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * How the queue port's values map onto Service Bus messages, kept apart from the client calls so
 * that it is tested without a broker.
 *
 * <p><b>Delivery count.</b> The port counts every delivery of a message, abandons with a delay
 * included. Service Bus has no delayed abandon: the adapter completes the delivery and schedules
 * a copy, whose native count starts again at 1. The copy carries the deliveries before it in
 * {@value #PRIOR_DELIVERIES}, and the port's count is that plus the native count.
 *
 * <p><b>Dead letters.</b> A dead-lettered message keeps the port's reason as Service Bus'
 * {@code DeadLetterReason}, plus {@value #DELIVERIES} (the deliveries consumers saw) and
 * {@value #DEAD_LETTERED_AT}, which Service Bus does not record.
 */
final class ServiceBusMessages {

    static final String PRIOR_DELIVERIES = "ce-prior-deliveries";
    static final String DELIVERIES = "ce-deliveries";
    static final String DEAD_LETTERED_AT = "ce-dead-lettered-at";
    /** The reason Service Bus itself gives when it dead-letters for the entity's MaxDeliveryCount. */
    static final String NATIVE_MAX_DELIVERY_REASON = "MaxDeliveryCountExceeded";

    private ServiceBusMessages() {}

    /** A message as the api sends it. */
    static ServiceBusMessage toMessage(String messageId, String body) {
        return new ServiceBusMessage(BinaryData.fromString(body))
                .setMessageId(messageId)
                .setContentType("application/json");
    }

    /** The copy that stands for a delivery abandoned with a delay, after {@code deliveries} deliveries. */
    static ServiceBusMessage retryCopy(String messageId, String body, int deliveries) {
        ServiceBusMessage copy = toMessage(messageId, body);
        copy.getApplicationProperties().put(PRIOR_DELIVERIES, deliveries);
        return copy;
    }

    /** The port's delivery count of a received message. */
    static int deliveryCount(Map<String, Object> properties, long nativeDeliveryCount) {
        return (int) (number(properties.get(PRIOR_DELIVERIES), 0) + nativeDeliveryCount);
    }

    /** What a dead-lettering writes onto the message besides the reason. */
    static Map<String, Object> deadLetterProperties(int deliveries, Instant at) {
        return Map.of(DELIVERIES, deliveries, DEAD_LETTERED_AT, at.toString());
    }

    /**
     * A dead letter as the port shows it. A message the broker dead-lettered on its own (its
     * entity limit, which should sit above the adapter's) gets the port's reason and its counts.
     */
    static DeadLetter deadLetter(
            Lane lane,
            String messageId,
            String body,
            String reason,
            Map<String, Object> properties,
            long nativeDeliveryCount,
            OffsetDateTime enqueued) {
        boolean byBroker = NATIVE_MAX_DELIVERY_REASON.equals(reason);
        int deliveries = (int) number(properties.get(DELIVERIES), deliveryCount(properties, nativeDeliveryCount));
        Object at = properties.get(DEAD_LETTERED_AT);
        Instant deadLetteredAt = at instanceof String s ? Instant.parse(s) : enqueued.toInstant();
        return new DeadLetter(
                messageId == null ? "" : messageId,
                body,
                lane,
                byBroker ? SubmissionQueue.MAX_DELIVERY_COUNT_EXCEEDED : (reason == null ? "" : reason),
                deliveries,
                deadLetteredAt);
    }

    private static long number(Object value, long otherwise) {
        return value instanceof Number n ? n.longValue() : otherwise;
    }
}
