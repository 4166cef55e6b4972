package io.codingengine.api.access;

import io.codingengine.api.PostgresSettings;
import io.codingengine.common.store.PostgresExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The settings of an api under test without a worker: a fresh sandbox directory, a database of
 * its own on the suite's PostgreSQL and the bootstrap admin key of {@link TestKeys}.
 */
public final class QueueApiSettings {

    private QueueApiSettings() {}

    /** Registers them; {@code name} names the temporary directory and the database. */
    public static void register(DynamicPropertyRegistry registry, String name) {
        try {
            String dir = Files.createTempDirectory("ce-api-" + name + "-").toString();
            registry.add("coding-engine.data-dir", () -> dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PostgresSettings.register(registry, PostgresExtension.newDatabase(name));
        registry.add("coding-engine.access.admin-key-sha256", () -> TestKeys.ADMIN_SHA256);
    }
}
