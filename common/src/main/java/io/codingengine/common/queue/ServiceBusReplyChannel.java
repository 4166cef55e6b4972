package io.codingengine.common.queue;

import com.azure.core.credential.TokenCredential;
import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.ServiceBusSessionReceiverAsyncClient;
import com.azure.messaging.servicebus.models.ServiceBusReceiveMode;
import io.codingengine.common.azure.AzureCredentials;
import io.codingengine.common.pipeline.ReplyChannel;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.util.retry.Retry;

/**
 * {@link ReplyChannel} over Service Bus, which has no temporary queues: one session-enabled queue
 * ({@link ServiceBusSettings#replyQueue()}) carries every reply, and each listening api process
 * owns the session named by its address ({@code ce.reply.<uuid>}), holding that session's lock
 * while it runs. A worker replies with the address as the session id; replies live for
 * {@link #REPLY_TIME_TO_LIVE} and are received and deleted at once, so a reply for a process that
 * is gone expires unread.
 *
 * <p>The listener outlives its session receiver: {@code receiveMessages()} can end with an error
 * (the connection dropped) or complete normally (the session or its link was closed by the
 * broker), and either way the session is accepted again, after a pause, for as long as the channel
 * is open. Retrying on errors alone would leave a completed receiver's process deaf to its
 * replies for good, every Piston execute it waits for ending in a timeout.
 */
public final class ServiceBusReplyChannel implements ReplyChannel {

    /** Longer than any execute waits (the api's {@code execute-timeout}, 120 s by default). */
    static final Duration REPLY_TIME_TO_LIVE = Duration.ofMinutes(10);

    static final String REQUEST_ID = "ce-request-id";
    /** The pause before a session whose messages ended normally is accepted again. */
    static final Duration RELISTEN_DELAY = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(ServiceBusReplyChannel.class);

    private final ServiceBusSenderClient sender;
    private final ServiceBusSessionReceiverAsyncClient sessions;
    private final Disposable listening;
    private final String address;
    private final PendingReplies pending = new PendingReplies();

    private ServiceBusReplyChannel(ServiceBusSettings settings, Supplier<TokenCredential> credential, boolean listen) {
        ServiceBusClientBuilder builder = settings.clientBuilder(credential);
        this.sender = builder.sender().queueName(settings.replyQueue()).buildClient();
        this.address = "ce.reply." + UUID.randomUUID();
        if (listen) {
            // Receive-and-delete: a reply is wanted once, by whoever waits now. The session lock
            // is renewed for as long as the process lives.
            this.sessions = builder.sessionReceiver()
                    .queueName(settings.replyQueue())
                    .receiveMode(ServiceBusReceiveMode.RECEIVE_AND_DELETE)
                    .maxAutoLockRenewDuration(Duration.ofDays(3650))
                    .buildAsyncClient();
            this.listening = listen(
                    () -> sessions.acceptSession(address)
                            .flatMapMany(receiver -> receiver.receiveMessages().doFinally(signal -> receiver.close())),
                    this::onReply,
                    RELISTEN_DELAY);
        } else {
            this.sessions = null;
            this.listening = null;
        }
    }

    /**
     * Subscribes to {@code session} (accepting the session and receiving its messages) and, when
     * that ends, subscribes again: after {@code relistenDelay} when it completed, with a backoff
     * of 1 s doubling to 30 s when it failed. Ends only when the returned handle is disposed.
     */
    static <T> Disposable listen(Supplier<Flux<T>> session, Consumer<T> onMessage, Duration relistenDelay) {
        return Flux.defer(session)
                .repeatWhen(completions -> completions
                        .doOnNext(n -> LOG.info("the reply session's receiver ended; accepting the session again"))
                        .delayElements(relistenDelay))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1))
                        .maxBackoff(Duration.ofSeconds(30))
                        .doBeforeRetry(failure -> LOG.warn(
                                "the reply session's receiver failed, accepting it again: {}",
                                failure.failure().toString())))
                .subscribe(onMessage);
    }

    /** A channel that sends replies and receives its own (the api side). */
    public static ServiceBusReplyChannel listening(ServiceBusSettings settings) {
        return connect(settings, true);
    }

    /** A channel that only sends replies (the worker side). */
    public static ServiceBusReplyChannel sending(ServiceBusSettings settings) {
        return connect(settings, false);
    }

    private static ServiceBusReplyChannel connect(ServiceBusSettings settings, boolean listen) {
        try {
            return new ServiceBusReplyChannel(
                    settings, () -> AzureCredentials.defaultCredential(settings.managedIdentityClientId()), listen);
        } catch (RuntimeException e) {
            throw new QueueException("cannot open the Service Bus reply channel", e);
        }
    }

    @Override
    public String address() {
        if (sessions == null) {
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
    public boolean receives() {
        return sessions != null;
    }

    @Override
    public void reply(String to, String requestId, String body) {
        ServiceBusMessage message = ServiceBusMessages.toMessage(
                        UUID.randomUUID().toString(), body)
                .setSessionId(to)
                .setTimeToLive(REPLY_TIME_TO_LIVE);
        message.getApplicationProperties().put(REQUEST_ID, requestId);
        try {
            sender.sendMessage(message);
        } catch (RuntimeException e) {
            throw new QueueException("cannot send the reply to " + requestId, e);
        }
    }

    private void onReply(ServiceBusReceivedMessage message) {
        Object requestId = message.getApplicationProperties().get(REQUEST_ID);
        pending.arrived(
                requestId == null ? null : requestId.toString(),
                message.getBody().toString());
    }

    @Override
    public void close() {
        if (listening != null) {
            listening.dispose();
            sessions.close();
        }
        sender.close();
    }
}
