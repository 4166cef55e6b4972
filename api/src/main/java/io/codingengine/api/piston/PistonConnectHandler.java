package io.codingengine.api.piston;

import io.codingengine.api.access.Principal;
import io.codingengine.api.config.EngineProperties;
import io.codingengine.api.execution.BusyException;
import io.codingengine.api.execution.ExecutionService;
import io.codingengine.api.limits.LimitExceededException;
import io.codingengine.api.limits.SubmissionLimiter;
import io.codingengine.api.web.CorrelationIdFilter;
import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.execution.RunInput;
import io.codingengine.common.pipeline.LiveMessage;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import tools.jackson.databind.JsonNode;

/**
 * Piston's WebSocket execution, {@code /api/v2/connect}: the protocol of each connection is
 * {@link ConnectSession}'s; here an {@code init} is checked in {@code execute}'s order, admitted
 * against the same execution rate and queue depth, and started as a live run on the interactive
 * lane, audited as an execute. A connection that sends no {@code init} within
 * {@code connect-init-timeout} is closed with 4001.
 */
@Component
public class PistonConnectHandler extends TextWebSocketHandler {

    /** The session attribute holding who connected ({@link Caller}), set during the handshake. */
    public static final String CALLER = Caller.class.getName();

    private static final String SESSION = ConnectSession.class.getName();
    private static final Logger LOG = LoggerFactory.getLogger(PistonConnectHandler.class);

    /** Who opened the connection, as the handshake's request showed them. */
    public record Caller(Optional<Principal> principal, String address, String correlationId) {
        String who() {
            return principal.map(Principal::subject).orElse("anonymous@" + address);
        }
    }

    private final ExecutionService executions;
    private final PistonRequests requests;
    private final SubmissionLimiter limiter;
    private final long maxStdinBytes;
    private final Duration initTimeout;
    private final Duration idleTimeout;
    private final ConnectSession.Budget budget;
    /** One platform thread for every connection's init timeout. */
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("connect-init-timeout").factory());

    public PistonConnectHandler(
            ExecutionService executions,
            PistonRequests requests,
            SubmissionLimiter limiter,
            EngineProperties properties) {
        this.executions = executions;
        this.requests = requests;
        this.limiter = limiter;
        this.maxStdinBytes = properties.limits().maxStdinBytes().toBytes();
        this.initTimeout = properties.piston().connectInitTimeout();
        this.idleTimeout = properties.piston().connectIdleTimeout();
        this.budget = new ConnectSession.Budget(
                properties.piston().connectMaxMessages(), properties.piston().connectMessagesPerSecond());
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession socket) {
        Caller caller = (Caller) socket.getAttributes().get(CALLER);
        ConnectSession session =
                new ConnectSession(socket, (init, events) -> start(init, caller, events), maxStdinBytes, budget);
        socket.getAttributes().put(SESSION, session);
        timers.schedule(session::initTimeout, initTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void handleTextMessage(WebSocketSession socket, TextMessage message) {
        session(socket).received(message.getPayload());
    }

    @Override
    public void afterConnectionClosed(WebSocketSession socket, CloseStatus status) {
        session(socket).closed();
    }

    private static ConnectSession session(WebSocketSession socket) {
        return (ConnectSession) socket.getAttributes().get(SESSION);
    }

    /** Checks, admits and starts an {@code init}; throws {@link ConnectRefused} with Piston's message. */
    private Consumer<LiveMessage.Control> start(JsonNode init, Caller caller, Consumer<LiveMessage.Event> events) {
        if (caller.correlationId() != null) {
            MDC.put(CorrelationIdFilter.MDC_KEY, caller.correlationId());
        }
        try {
            ExecutionRequest parsed = requests.parse(init, executions.runtimes());
            // Piston's init takes no stdin: the program's input comes as data messages.
            ExecutionRequest request = new ExecutionRequest(
                    parsed.language(),
                    parsed.version(),
                    parsed.files(),
                    parsed.options(),
                    parsed.compileLimits(),
                    parsed.runLimits(),
                    List.of(new RunInput("", parsed.runs().getFirst().args())),
                    parsed.syntaxCheck());
            SubmissionLimiter.InFlight held = limiter.holdExecution(caller.principal(), caller.address());
            try {
                limiter.admitExecution(caller.principal(), caller.address());
                return executions.converse(request, caller.who(), idleTimeout, event -> {
                    if (event instanceof LiveMessage.Ended) {
                        held.close();
                    }
                    events.accept(event);
                });
            } catch (RuntimeException e) {
                held.close();
                throw e;
            }
        } catch (InvalidRequestException | LimitExceededException | BusyException e) {
            throw new ConnectRefused(e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("connect: an init failed", e);
            throw new ConnectRefused("internal error");
        } finally {
            MDC.remove(CorrelationIdFilter.MDC_KEY);
        }
    }
}
