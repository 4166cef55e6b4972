package io.codingengine.api.config;

import io.codingengine.api.access.CurrentPrincipal;
import io.codingengine.api.piston.PistonConnectHandler;
import io.codingengine.api.web.ClientAddress;
import io.codingengine.api.web.CorrelationIdFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.slf4j.MDC;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/**
 * {@code /api/v2/connect}. The handshake is an ordinary request under the access rules of
 * {@code /api/v2/**} (a key, unless the Piston endpoints are open) and behind the CORS filter of
 * {@code /api/**}, which alone decides which browser origins may connect; who made it is kept for
 * the connection's rate limit and audit.
 */
@Configuration
@EnableWebSocket
public class WebSocketConfiguration implements WebSocketConfigurer {

    private final PistonConnectHandler connect;
    private final CurrentPrincipal principal;
    private final ClientAddress clientAddress;

    public WebSocketConfiguration(
            PistonConnectHandler connect, CurrentPrincipal principal, ClientAddress clientAddress) {
        this.connect = connect;
        this.principal = principal;
        this.clientAddress = clientAddress;
    }

    /**
     * An {@code init} carries {@code execute}'s files, so a message may be as large as a request
     * body: Tomcat's default buffer (8 KiB) would close most with 1009.
     */
    @Bean
    ServletServerContainerFactoryBean webSocketContainer(EngineProperties properties) {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize(
                Math.toIntExact(properties.maxRequestSize().toBytes()));
        return container;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(connect, "/api/v2/connect")
                .addInterceptors(new HandshakeInterceptor() {
                    @Override
                    public boolean beforeHandshake(
                            ServerHttpRequest request,
                            ServerHttpResponse response,
                            WebSocketHandler handler,
                            Map<String, Object> attributes) {
                        HttpServletRequest http = ((ServletServerHttpRequest) request).getServletRequest();
                        attributes.put(
                                PistonConnectHandler.CALLER,
                                new PistonConnectHandler.Caller(
                                        principal.get(), clientAddress.of(http), MDC.get(CorrelationIdFilter.MDC_KEY)));
                        return true;
                    }

                    @Override
                    public void afterHandshake(
                            ServerHttpRequest request,
                            ServerHttpResponse response,
                            WebSocketHandler handler,
                            Exception exception) {
                        // nothing to do
                    }
                })
                .setAllowedOrigins("*");
    }
}
