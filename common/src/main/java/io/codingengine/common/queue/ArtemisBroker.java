package io.codingengine.common.queue;

import java.util.Objects;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;

/**
 * Where an Artemis broker is and who this client is there.
 *
 * @param url      Artemis' core URL: {@code tcp://host:61616}, with
 *                 {@code ?sslEnabled=true;trustStorePath=…;trustStorePassword=…} for TLS
 * @param user     the user this client logs in as; empty for a broker without authentication
 *                 (the embedded one on loopback, by default)
 * @param password that user's password
 */
public record ArtemisBroker(String url, String user, String password) {

    public ArtemisBroker {
        Objects.requireNonNull(url, "url");
        user = Objects.requireNonNullElse(user, "");
        password = Objects.requireNonNullElse(password, "");
        if (user.isEmpty() != password.isEmpty()) {
            throw new IllegalArgumentException("a broker user needs a password, and a password a user");
        }
    }

    /** A broker that asks nobody who they are. */
    public static ArtemisBroker anonymous(String url) {
        return new ArtemisBroker(url, "", "");
    }

    /** A locator on {@link #url}; {@link IllegalArgumentException} when it is not an Artemis URL. */
    ServerLocator locator() {
        try {
            return ActiveMQClient.createServerLocator(url);
        } catch (Exception e) {
            throw new IllegalArgumentException("not an Artemis broker URL: " + url, e);
        }
    }

    /** A session of {@code factory} logged in as {@link #user}, as {@code factory.createSession(autoCommitSends, autoCommitAcks)} otherwise. */
    ClientSession session(ClientSessionFactory factory, boolean autoCommitSends, boolean autoCommitAcks)
            throws ActiveMQException {
        ServerLocator locator = factory.getServerLocator();
        return factory.createSession(
                user.isEmpty() ? null : user,
                password.isEmpty() ? null : password,
                false,
                autoCommitSends,
                autoCommitAcks,
                locator.isPreAcknowledge(),
                locator.getAckBatchSize());
    }

    /** Never a password (the user's, or a trust store's in the URL): this shows in logs and exceptions. */
    @Override
    public String toString() {
        String shown = url.replaceAll("(?i)(password=)[^;&]*", "$1…");
        return user.isEmpty() ? shown : user + "@" + shown;
    }
}
