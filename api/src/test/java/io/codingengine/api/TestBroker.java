package io.codingengine.api;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.codingengine.common.queue.EmbeddedArtemisBroker;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * The embedded broker for a test that runs it outside Spring. There Logback logs at DEBUG, which
 * turns on Artemis' audit loggers (the api's settings turn them off), and they call
 * {@code Subject.getSubject}, which JDK 24+ no longer supports: the broker would not start.
 */
public final class TestBroker {

    private TestBroker() {}

    /** A broker keeping its data in {@code dir}, on a free port. */
    public static EmbeddedArtemisBroker start(Path dir) {
        ((Logger) LoggerFactory.getLogger("org.apache.activemq.audit")).setLevel(Level.OFF);
        return EmbeddedArtemisBroker.start(dir, 0);
    }
}
