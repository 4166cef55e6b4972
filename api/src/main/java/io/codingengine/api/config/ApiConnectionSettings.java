package io.codingengine.api.config;

import io.codingengine.common.config.ConnectionSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the api finds the queue and the Azure stores, and as whom: {@code coding-engine.queue},
 * {@code broker-url}, {@code broker-user}, {@code broker-password}, {@code servicebus-namespace},
 * {@code servicebus-emulator-connection-string}, {@code storage}, {@code table-prefix}, {@code table-endpoint}, {@code blob-endpoint} and
 * {@code managed-identity-client-id} (declared in {@link ConnectionSettings}, as the worker's).
 * An empty {@code broker-url} (the default) embeds the broker the workers connect to.
 */
@ConfigurationProperties("coding-engine")
public class ApiConnectionSettings extends ConnectionSettings {}
