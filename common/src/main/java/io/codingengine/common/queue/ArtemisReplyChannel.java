package io.codingengine.common.queue;

import io.codingengine.common.pipeline.ReplyChannel;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;

/**
 * {@link ReplyChannel} over Artemis: each listening process owns a temporary queue
 * {@code ce.reply.<uuid>}, which the broker deletes when the process disconnects; replies are
 * non-durable messages carrying the request id. A reply for a process that is gone is dropped.
 *
 * <p>A live run's inbox ({@link #inbox}) is a temporary queue of its own, {@code ce.live.<uuid>},
 * with a session and consumer of its own: the embedded broker bounds each such address for one
 * run ({@link EmbeddedArtemisBroker}), so a client that floods its run can fill only its run's
 * queue, and no other run's handler waits behind its handler.
 */
public final class ArtemisReplyChannel implements ReplyChannel {

    private static final SimpleString REQUEST_ID = SimpleString.of("ce.requestId");

    /** The prefix of live runs' own addresses ({@link #inbox}). */
    static final String LIVE_RUN_PREFIX = ArtemisChannel.ADDRESS_PREFIX + "live.";

    private final ArtemisBroker broker;
    private final ServerLocator locator;
    private final ClientSessionFactory factory;
    private final ClientSession sendSession;
    private final ClientProducer producer;
    private final ClientSession listenSession;
    private final String address;
    private final PendingReplies pending = new PendingReplies();

    private ArtemisReplyChannel(ArtemisBroker broker, boolean listen) throws Exception {
        this.broker = broker;
        this.locator = broker.locator();
        locator.setReconnectAttempts(-1);
        this.factory = locator.createSessionFactory();
        this.sendSession = broker.session(factory, true, true);
        this.producer = sendSession.createProducer();
        this.address = "ce.reply." + UUID.randomUUID();
        if (listen) {
            this.listenSession = broker.session(factory, true, true);
            listenSession.createQueue(QueueConfiguration.of(address)
                    .setRoutingType(RoutingType.ANYCAST)
                    .setDurable(false)
                    .setTemporary(true));
            listenSession.createConsumer(address).setMessageHandler(this::onReply);
            listenSession.start();
        } else {
            this.listenSession = null;
        }
    }

    /** A channel that sends replies and receives its own (the api side). */
    public static ArtemisReplyChannel listening(ArtemisBroker broker) {
        return connect(broker, true);
    }

    /** A channel that only sends replies (the worker side). */
    public static ArtemisReplyChannel sending(ArtemisBroker broker) {
        return connect(broker, false);
    }

    /** {@link #listening(ArtemisBroker)} on a broker without authentication. */
    public static ArtemisReplyChannel listening(String brokerUrl) {
        return listening(ArtemisBroker.anonymous(brokerUrl));
    }

    /** {@link #sending(ArtemisBroker)} on a broker without authentication. */
    public static ArtemisReplyChannel sending(String brokerUrl) {
        return sending(ArtemisBroker.anonymous(brokerUrl));
    }

    private static ArtemisReplyChannel connect(ArtemisBroker broker, boolean listen) {
        try {
            return new ArtemisReplyChannel(broker, listen);
        } catch (Exception e) {
            throw new QueueException("cannot open the reply channel at " + broker, e);
        }
    }

    @Override
    public String address() {
        if (listenSession == null) {
            throw new IllegalStateException("a sending channel has no reply address");
        }
        return address;
    }

    @Override
    public CompletableFuture<String> expect(String requestId, Duration timeout) {
        return pending.expect(requestId, timeout);
    }

    @Override
    public Listening listen(String requestId, Consumer<String> onMessage) {
        return pending.listen(requestId, onMessage);
    }

    @Override
    public Inbox inbox(String requestId, Consumer<String> onMessage) {
        if (listenSession == null) {
            throw new IllegalStateException("a sending channel has no inbox");
        }
        String runAddress = LIVE_RUN_PREFIX + UUID.randomUUID();
        ClientSession session = null;
        try {
            session = broker.session(factory, true, true);
            session.createQueue(QueueConfiguration.of(runAddress)
                    .setRoutingType(RoutingType.ANYCAST)
                    .setDurable(false)
                    .setTemporary(true));
            session.createConsumer(runAddress).setMessageHandler(message -> {
                if (requestId.equals(message.getStringProperty(REQUEST_ID))) {
                    onMessage.accept(message.getBodyBuffer().readString());
                }
            });
            session.start();
        } catch (ActiveMQException e) {
            closeQuietly(session);
            throw new QueueException("cannot open the inbox of " + requestId, e);
        }
        ClientSession own = session;
        // The temporary queue goes with its session, and what it still held with it.
        return Inbox.of(runAddress, () -> closeQuietly(own));
    }

    private static void closeQuietly(ClientSession session) {
        if (session == null) {
            return;
        }
        try {
            session.close();
        } catch (ActiveMQException e) {
            // the broker is gone, and the queue with it
        }
    }

    @Override
    public boolean receives() {
        return listenSession != null;
    }

    @Override
    public void reply(String to, String requestId, String body) {
        synchronized (producer) {
            try {
                ClientMessage message = sendSession.createMessage(false);
                message.putStringProperty(REQUEST_ID, SimpleString.of(requestId));
                message.getBodyBuffer().writeString(body);
                producer.send(to, message);
            } catch (ActiveMQException e) {
                throw new QueueException("cannot send the reply to " + requestId, e);
            }
        }
    }

    private void onReply(ClientMessage message) {
        String requestId = message.getStringProperty(REQUEST_ID);
        pending.arrived(requestId, message.getBodyBuffer().readString());
    }

    @Override
    public void close() {
        try {
            if (listenSession != null) {
                listenSession.close();
            }
            sendSession.close();
        } catch (ActiveMQException e) {
            throw new QueueException("cannot close the reply channel", e);
        } finally {
            factory.close();
            locator.close();
        }
    }
}
