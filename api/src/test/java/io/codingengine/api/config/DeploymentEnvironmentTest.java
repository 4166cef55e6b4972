package io.codingengine.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.api.CodingEngineApi;
import io.codingengine.common.config.StoreSettings;
import io.codingengine.common.json.Json;
import io.codingengine.session.SessionSettings;
import io.codingengine.worker.WorkerApplication;
import io.codingengine.worker.config.WorkerConnectionSettings;
import io.codingengine.worker.config.WorkerProperties;
import io.codingengine.worker.config.WorkerSandboxSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

/**
 * Every environment variable the deployments set ({@code infra/main.bicep}, the Dockerfiles'
 * final stages, {@code docker-compose.yml}) reaches a setting of the program it is set for, or
 * the test fails naming it. For the api and the worker the variable goes through Spring's own
 * binder and relaxed binding ({@link SystemEnvironmentPropertySource}, the source Spring Boot
 * reads the environment with) onto every settings class the application binds ({@link #settingsOf}:
 * {@link EngineProperties} and the api's others, {@link WorkerProperties} and the worker's others)
 * with a handler that records what bound; otherwise it must be a Spring Boot property (its configuration
 * metadata on the classpath), a placeholder of the app's {@code application*.properties}, or a
 * variable the Azure SDK reads ({@code com.azure.core.util.Configuration}'s names). For the
 * session container it must be one {@link SessionSettings#VARIABLES} reads. A literal value must
 * also convert to its setting's type. {@code CODING_ENGINE_ACCESS_ADMINKEYSHA256} was such a
 * variable: Spring wants {@code CODINGENGINE_ACCESS_ADMINKEYSHA256}, and the bootstrap admin key
 * silently never arrived.
 */
@Tag("fast")
class DeploymentEnvironmentTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** Who reads a variable, and what may read it. */
    enum Reader {
        API,
        WORKER,
        SESSION,
        COLLECTOR
    }

    /** One variable as a deployment file sets it; {@code value} is empty when it is an expression. */
    record Setting(String file, int line, Reader reader, String name, Optional<String> value) {
        @Override
        public String toString() {
            return file + ":" + line + " " + name + " (for the " + reader.name().toLowerCase() + ")";
        }
    }

    @Test
    void everyVariableTheDeploymentsSetBindsToASetting() throws IOException {
        List<Setting> settings = new ArrayList<>();
        settings.addAll(bicep(ROOT.resolve("infra/main.bicep")));
        settings.addAll(dockerfile("api/Dockerfile", Reader.API));
        settings.addAll(dockerfile("worker/Dockerfile", Reader.WORKER));
        settings.addAll(dockerfile("session-image/Dockerfile", Reader.SESSION));
        settings.addAll(compose(ROOT.resolve("docker-compose.yml")));
        // The parsers found what the deployments set, not nothing.
        Set<String> names = new HashSet<>(settings.stream().map(Setting::name).toList());
        assertTrue(
                names.containsAll(List.of(
                        "CODINGENGINE_ACCESS_ADMINKEYSHA256",
                        "CODINGENGINE_WORKER_SESSIONPOOLENDPOINT",
                        "CE_EXIT_AFTER_ANSWER",
                        "SPRING_PROFILES_ACTIVE",
                        "AZURE_CLIENT_ID",
                        "METRICS_PORT")),
                names.toString());
        List<String> problems = new ArrayList<>();
        for (Setting setting : settings) {
            problems.addAll(check(setting));
        }
        assertEquals(List.of(), problems, "variables that reach no setting");
    }

    /** The check finds the mistake it is for: a name Spring's relaxed binding does not map. */
    @Test
    void aNameSpringDoesNotMapIsFound() {
        Setting wrong = new Setting("test", 1, Reader.API, "CODING_ENGINE_ACCESS_ADMINKEYSHA256", Optional.of("ab12"));
        assertEquals(1, check(wrong).size(), check(wrong).toString());
        Setting right = new Setting("test", 1, Reader.API, "CODINGENGINE_ACCESS_ADMINKEYSHA256", Optional.of("ab12"));
        assertEquals(List.of(), check(right));
        Setting workerOnApi =
                new Setting("test", 1, Reader.WORKER, "CODINGENGINE_MANAGEDIDENTITYCLIENTID", Optional.empty());
        assertEquals(1, check(workerOnApi).size(), "the api's name is not the worker's");
        Setting badValue = new Setting("test", 1, Reader.WORKER, "CODINGENGINE_WORKER_SLOTS", Optional.of("five"));
        assertTrue(
                check(badValue).getFirst().contains("does not convert"),
                check(badValue).toString());
        Setting sessionTypo = new Setting("test", 1, Reader.SESSION, "CE_SLOT", Optional.of("1"));
        assertEquals(1, check(sessionTypo).size());
    }

    /**
     * The api and the workers run with a bounded heap and end on an {@code OutOfMemoryError}
     * (whatever thread it hit), in their images and in {@code scripts/run-local.sh}; something
     * starts them again (docs/operations.md, "Heaps and running out of memory").
     */
    @Test
    void theApiAndTheWorkersRunWithABoundedHeapAndExitOnOutOfMemory() {
        for (String image : List.of("api/Dockerfile", "worker/Dockerfile")) {
            String entrypoint = read(ROOT.resolve(image))
                    .lines()
                    .filter(l -> l.startsWith("ENTRYPOINT "))
                    .findFirst()
                    .orElseThrow();
            assertTrue(
                    entrypoint.contains("\"-XX:MaxRAMPercentage=")
                            && entrypoint.contains("\"-XX:+ExitOnOutOfMemoryError\""),
                    image + ": " + entrypoint);
        }
        String script = read(ROOT.resolve("scripts/run-local.sh"));
        for (String jar : List.of("api/target/api-", "worker/target/worker-")) {
            String command = script.lines()
                    .filter(l -> l.contains("supervise ") && l.contains(jar))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("run-local.sh does not supervise " + jar));
            assertTrue(command.contains("-XX:+ExitOnOutOfMemoryError"), command);
        }
        assertTrue(script.contains("-Xmx\"$api_heap\""), "run-local.sh bounds the api's heap");
    }

    // ------------------------------------------------------------------ checks

    private static List<String> check(Setting setting) {
        return switch (setting.reader()) {
            case API -> springApp(setting, settingsOf(CodingEngineApi.class), "api");
            case WORKER -> springApp(setting, settingsOf(WorkerApplication.class), "worker");
            case SESSION ->
                SessionSettings.VARIABLES.contains(setting.name()) || OPERATING_SYSTEM.contains(setting.name())
                        ? List.of()
                        : List.of(setting + ": SessionSettings reads no such variable " + SessionSettings.VARIABLES);
            // The collector sidecar reads what its configuration names (--config=env:X, ${env:X}).
            case COLLECTOR ->
                read(ROOT.resolve("infra/main.bicep")).contains("env:" + setting.name())
                        ? List.of()
                        : List.of(setting + ": the collector's configuration does not read it");
        };
    }

    /** Set in an image for the shell, not for the program: the search path of the entry point's {@code java}. */
    private static final Set<String> OPERATING_SYSTEM = Set.of("PATH");

    /**
     * The settings classes an application binds, as it finds them: the {@code @ConfigurationProperties}
     * classes {@code @ConfigurationPropertiesScan} finds in its package, and those its
     * {@code @EnableConfigurationProperties} names (the ones it shares with the other application).
     */
    static List<Class<?>> settingsOf(Class<?> application) {
        List<Class<?>> classes = new ArrayList<>(List.of(
                application.getAnnotation(EnableConfigurationProperties.class).value()));
        ClassPathScanningCandidateComponentProvider scan = new ClassPathScanningCandidateComponentProvider(false);
        scan.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        for (BeanDefinition found : scan.findCandidateComponents(application.getPackageName())) {
            classes.add(ClassUtils.resolveClassName(found.getBeanClassName(), application.getClassLoader()));
        }
        return classes;
    }

    @Test
    void eachApplicationsSettingsAreFound() {
        assertTrue(
                settingsOf(CodingEngineApi.class)
                        .containsAll(List.of(
                                EngineProperties.class,
                                ApiSandboxSettings.class,
                                ApiConnectionSettings.class,
                                StoreSettings.class)),
                settingsOf(CodingEngineApi.class).toString());
        assertTrue(
                settingsOf(WorkerApplication.class)
                        .containsAll(List.of(
                                WorkerProperties.class,
                                WorkerSandboxSettings.class,
                                WorkerConnectionSettings.class,
                                StoreSettings.class)),
                settingsOf(WorkerApplication.class).toString());
    }

    private static List<String> springApp(Setting setting, List<Class<?>> settingsClasses, String module) {
        String name = setting.name();
        if (OPERATING_SYSTEM.contains(name)
                || azureSdkVariables().contains(name)
                || placeholders(module).contains(name)) {
            return List.of();
        }
        // Named as Spring Boot names the environment's source: only under that name does it get the
        // environment variables' relaxed mapping (ConfigurationPropertySources).
        SystemEnvironmentPropertySource environment = new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Map.of(name, setting.value().orElse("")));
        Iterable<ConfigurationPropertySource> sources = ConfigurationPropertySources.from(environment);
        Set<ConfigurationPropertyName> bound = new HashSet<>();
        AbstractBindHandler recording = new AbstractBindHandler() {
            @Override
            public Object onSuccess(
                    ConfigurationPropertyName property, Bindable<?> target, BindContext context, Object result) {
                if (context.getConfigurationProperty() != null) {
                    bound.add(property);
                }
                return super.onSuccess(property, target, context, result);
            }
        };
        for (Class<?> properties : settingsClasses) {
            String prefix =
                    properties.getAnnotation(ConfigurationProperties.class).value();
            try {
                new Binder(sources).bind(prefix, Bindable.of(properties), recording);
            } catch (BindException e) {
                if (setting.value().isPresent()) {
                    return List.of(setting + "=" + setting.value().get() + " does not convert to " + e.getName() + ": "
                            + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
                }
                bound.add(e.getName()); // an expression: only the name's mapping is checked
            }
        }
        if (!bound.isEmpty()) {
            return List.of();
        }
        ConfigurationPropertySource source = sources.iterator().next();
        for (String springBootProperty : springBootProperties()) {
            ConfigurationPropertyName property = ConfigurationPropertyName.of(springBootProperty);
            if (source.getConfigurationProperty(property) != null
                    || source.containsDescendantOf(property) == ConfigurationPropertyState.PRESENT) {
                return List.of();
            }
        }
        return List.of(setting + ": binds to no property of "
                + settingsClasses.stream().map(Class::getSimpleName).toList()
                + ", no Spring Boot property, no placeholder of " + module + "'s application*.properties, "
                + "no variable of the Azure SDK");
    }

    /** The environment variables azure-core reads ({@code Configuration.PROPERTY_*}), azure-identity's among them. */
    private static Set<String> azureSdkVariables() {
        Set<String> names = new TreeSet<>();
        for (Field field : com.azure.core.util.Configuration.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers())
                    && field.getName().startsWith("PROPERTY_")
                    && field.getType() == String.class) {
                try {
                    names.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return names;
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");

    /** Variables named in the module's own {@code application*.properties} placeholders ({@code ${PORT:2000}}). */
    private static Set<String> placeholders(String module) {
        Set<String> names = new HashSet<>();
        try (Stream<Path> files = Files.list(ROOT.resolve(module + "/src/main/resources"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("application.*\\.properties"))
                    .toList()) {
                Matcher m = PLACEHOLDER.matcher(read(file));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private static Set<String> springBootProperties;

    /**
     * Every property in the Spring Boot configuration metadata on the classpath but this project's
     * own (the api's, the worker's and common's are on this class path together: a worker variable
     * must not pass for the api's setting of the same name).
     */
    private static synchronized Set<String> springBootProperties() {
        if (springBootProperties == null) {
            Set<String> names = new TreeSet<>();
            try {
                for (URL url : Collections.list(DeploymentEnvironmentTest.class
                        .getClassLoader()
                        .getResources("META-INF/spring-configuration-metadata.json"))) {
                    try (InputStream in = url.openStream()) {
                        JsonNode properties = Json.mapper().readTree(in).get("properties");
                        if (properties != null) {
                            properties.forEach(p -> {
                                if (p.get("sourceType") == null
                                        || !p.get("sourceType").asString().startsWith("io.codingengine.")) {
                                    names.add(p.get("name").asString());
                                }
                            });
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            names.removeIf(n -> !ConfigurationPropertyName.isValid(n));
            springBootProperties = names;
        }
        return springBootProperties;
    }

    // ------------------------------------------------------------------ parsers

    private static final Pattern BICEP_ENV =
            Pattern.compile("\\{\\s*name:\\s*'([A-Z][A-Z0-9_]*)',\\s*value:\\s*(.+?)\\s*}");
    private static final Pattern BICEP_OWNER =
            Pattern.compile("^var (apiEnv|workerEnv) =|name: '(api|worker|session|otel-collector)'");

    /**
     * The {@code { name: 'X', value: ... }} entries of {@code main.bicep}, each for the reader of
     * the block it is in: the {@code apiEnv} or {@code workerEnv} variable, or the container
     * named before it.
     */
    static List<Setting> bicep(Path file) {
        List<Setting> settings = new ArrayList<>();
        Reader reader = null;
        List<String> lines = read(file).lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            Matcher owner = BICEP_OWNER.matcher(line);
            if (owner.find()) {
                String o = owner.group(1) != null ? owner.group(1) : owner.group(2);
                reader = switch (o) {
                    case "apiEnv", "api" -> Reader.API;
                    case "workerEnv", "worker" -> Reader.WORKER;
                    case "session" -> Reader.SESSION;
                    default -> Reader.COLLECTOR;
                };
            }
            Matcher env = BICEP_ENV.matcher(line);
            while (env.find()) {
                if (reader == null) {
                    throw new AssertionError(
                            file + ":" + (i + 1) + ": an environment variable outside any container: " + line);
                }
                String value = env.group(2);
                boolean literal =
                        value.length() >= 2 && value.startsWith("'") && value.endsWith("'") && !value.contains("${");
                settings.add(new Setting(
                        "infra/main.bicep",
                        i + 1,
                        reader,
                        env.group(1),
                        literal ? Optional.of(value.substring(1, value.length() - 1)) : Optional.empty()));
            }
        }
        return settings;
    }

    /** The {@code ENV} of a Dockerfile's last stage (what the image runs with); earlier stages only build. */
    static List<Setting> dockerfile(String path, Reader reader) {
        List<Setting> settings = new ArrayList<>();
        List<String> lines = read(ROOT.resolve(path)).lines().toList();
        int lastFrom = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("FROM ")) {
                lastFrom = i;
            }
        }
        for (int i = lastFrom; i < lines.size(); i++) {
            if (!lines.get(i).startsWith("ENV ")) {
                continue;
            }
            StringBuilder instruction = new StringBuilder(lines.get(i).substring(4));
            int j = i;
            while (instruction.toString().endsWith("\\") && j + 1 < lines.size()) {
                instruction.setLength(instruction.length() - 1);
                instruction.append(' ').append(lines.get(++j).strip());
            }
            for (String pair : instruction.toString().strip().split("\\s+")) {
                int eq = pair.indexOf('=');
                if (eq < 1) {
                    throw new AssertionError(path + ":" + (i + 1) + ": use ENV NAME=value: " + lines.get(i));
                }
                String value = pair.substring(eq + 1);
                settings.add(new Setting(
                        path,
                        i + 1,
                        reader,
                        pair.substring(0, eq),
                        value.contains("$") ? Optional.empty() : Optional.of(value)));
            }
        }
        return settings;
    }

    /** Services whose images are not ours: their variables are their publishers' (the emulators' documented settings). */
    private static final Set<String> THIRD_PARTY_SERVICES = Set.of("sqlserver", "servicebus", "azurite");

    @SuppressWarnings("unchecked")
    static List<Setting> compose(Path file) {
        Map<String, Object> yaml = new Yaml().load(read(file));
        Map<String, Object> services = (Map<String, Object>) yaml.get("services");
        List<Setting> settings = new ArrayList<>();
        List<String> lines = read(file).lines().toList();
        for (Map.Entry<String, Object> service : services.entrySet()) {
            Reader reader = switch (service.getKey()) {
                case "api" -> Reader.API;
                case "worker" -> Reader.WORKER;
                case "session" -> Reader.SESSION;
                default -> {
                    assertTrue(
                            THIRD_PARTY_SERVICES.contains(service.getKey()),
                            "a compose service this test does not know: " + service.getKey()
                                    + " (ours, or third party?)");
                    yield null;
                }
            };
            Object environment = ((Map<String, Object>) service.getValue()).get("environment");
            if (reader == null || environment == null) {
                continue;
            }
            Map<String, String> variables = new LinkedHashMap<>();
            if (environment instanceof Map<?, ?> map) {
                map.forEach((k, v) -> variables.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
            } else {
                for (Object entry : (List<Object>) environment) {
                    String[] kv = String.valueOf(entry).split("=", 2);
                    variables.put(kv[0], kv.length > 1 ? kv[1] : "");
                }
            }
            variables.forEach((name, value) -> settings.add(new Setting(
                    "docker-compose.yml",
                    lineOf(lines, name),
                    reader,
                    name,
                    value.contains("${") ? Optional.empty() : Optional.of(value))));
        }
        return settings;
    }

    private static int lineOf(List<String> lines, String name) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().startsWith(name + ":")
                    || lines.get(i).strip().startsWith("- " + name + "=")) {
                return i + 1;
            }
        }
        return 0;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
