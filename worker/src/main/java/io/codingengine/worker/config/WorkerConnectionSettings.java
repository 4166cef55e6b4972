package io.codingengine.worker.config;

import io.codingengine.common.config.ConnectionSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the worker finds the queue and the Azure stores, and as whom: {@code coding-engine.worker.queue},
 * {@code broker-url}, {@code broker-user}, {@code broker-password}, {@code servicebus-namespace},
 * {@code servicebus-emulator-connection-string}, {@code storage}, {@code table-prefix}, {@code table-endpoint}, {@code blob-endpoint} and
 * {@code managed-identity-client-id} (declared in {@link ConnectionSettings}, as the api's). The
 * identity also authenticates the worker to a Dynamic Sessions pool. The broker is by default the
 * one the api embeds on this host, {@code tcp://127.0.0.1:61616}.
 */
@ConfigurationProperties("coding-engine.worker")
public class WorkerConnectionSettings extends ConnectionSettings {

    public WorkerConnectionSettings() {
        setBrokerUrl("tcp://127.0.0.1:61616");
    }
}
