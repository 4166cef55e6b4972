package io.codingengine.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.json.Json;
import io.codingengine.session.SessionSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * docs/configuration.md documents every setting of the api, the worker and what they share, and
 * names no setting that does not exist. The settings are read from the configuration metadata
 * {@code spring-boot-configuration-processor} writes for each module's
 * {@code @ConfigurationProperties} classes (common's, the worker's and the api's are all on this
 * class path), so a setting added to the code without a line in the docs fails here; the session
 * container's environment variables are {@link SessionSettings#VARIABLES}.
 */
@Tag("fast")
class ConfigurationDocsTest {

    private static final Path DOC = Path.of("..").toAbsolutePath().normalize().resolve("docs/configuration.md");
    /** A setting named in the docs: {@code `coding-engine.x.y`}, or a list's {@code `coding-engine.x[i].y`}. */
    private static final Pattern DOCUMENTED = Pattern.compile("`(coding-engine\\.[a-z0-9.-]*[a-z0-9])(\\[[^`]*)?`");

    @Test
    void everySettingIsDocumented() throws IOException {
        Set<String> settings = settings();
        Set<String> documented = documented();
        Set<String> missing = new TreeSet<>(settings);
        missing.removeAll(documented);
        assertEquals(Set.of(), missing, "settings with no line in docs/configuration.md");
    }

    @Test
    void theDocsNameOnlySettingsThatExist() throws IOException {
        Set<String> unknown = new TreeSet<>(documented());
        unknown.removeAll(settings());
        assertEquals(Set.of(), unknown, "docs/configuration.md names settings the code does not have");
    }

    /** The session container is configured by environment variables, not Spring: each has its row. */
    @Test
    void everyVariableOfTheSessionContainerIsDocumented() throws IOException {
        String doc = Files.readString(DOC);
        Set<String> missing = new TreeSet<>();
        for (String variable : SessionSettings.VARIABLES) {
            if (!doc.contains("| `" + variable + "` |")) {
                missing.add(variable);
            }
        }
        assertEquals(Set.of(), missing, "session container variables with no row in docs/configuration.md");
    }

    /** The metadata of all three modules is found: otherwise the two checks above would check nothing. */
    @Test
    void theMetadataOfEveryModuleIsRead() throws IOException {
        Set<String> settings = settings();
        for (String expected : List.of(
                "coding-engine.store", // common: the one setting both read under one name
                "coding-engine.limits.max-tests",
                "coding-engine.uid-base",
                "coding-engine.table-prefix", // api
                "coding-engine.worker.judging-budget",
                "coding-engine.worker.uid-base",
                "coding-engine.worker.table-prefix",
                "coding-engine.worker.fault-injection.crash-on-participant")) {
            assertTrue(settings.contains(expected), expected + " not in " + settings);
        }
    }

    /** Every property of this project's own configuration metadata on the class path. */
    private static Set<String> settings() throws IOException {
        Set<String> names = new TreeSet<>();
        for (URL url : Collections.list(ConfigurationDocsTest.class
                .getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                JsonNode properties = Json.mapper().readTree(in).get("properties");
                if (properties == null) {
                    continue;
                }
                for (JsonNode property : properties) {
                    JsonNode source = property.get("sourceType");
                    if (source != null && source.asString().startsWith("io.codingengine.")) {
                        names.add(property.get("name").asString());
                    }
                }
            }
        }
        return names;
    }

    private static Set<String> documented() throws IOException {
        Set<String> names = new TreeSet<>();
        Matcher m = DOCUMENTED.matcher(Files.readString(DOC));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
