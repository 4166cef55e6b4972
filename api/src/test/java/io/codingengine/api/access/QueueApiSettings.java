package io.codingengine.api.access;

import io.codingengine.common.store.AzuriteExtension;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.UUID;

/**
 * The settings of an api under test without a worker: a fresh sandbox directory, the suite's
 * Azurite, a table prefix of its own and the bootstrap admin key of {@link TestKeys}.
 */
public final class QueueApiSettings {

    private QueueApiSettings() {
    }

    /** Registers them; {@code name} names the temporary directory and starts the table prefix. */
    public static void register(DynamicPropertyRegistry registry, String name) {
        try {
            String dir = Files.createTempDirectory("ce-api-" + name + "-").toString();
            registry.add("coding-engine.data-dir", () -> dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String prefix = name.charAt(0) + UUID.randomUUID().toString().substring(0, 8);
        registry.add("coding-engine.storage", AzuriteExtension::connectionString);
        registry.add("coding-engine.table-prefix", () -> prefix);
        registry.add("coding-engine.access.admin-key-sha256", () -> TestKeys.ADMIN_SHA256);
    }
}
