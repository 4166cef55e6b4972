package io.codingengine.executor.language;

import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.executor.sandbox.Globs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The languages this host can run: the definitions of {@code languages.json}, each bound to
 * every installed toolchain it finds, with the version that toolchain reports at start-up.
 * Nothing about versions is hard-coded: install a second JDK and a second {@code java} appears.
 */
public final class Catalogue {

    private static final Logger LOG = LoggerFactory.getLogger(Catalogue.class);

    private final List<LanguageRuntime> runtimes;

    public Catalogue(List<LanguageRuntime> runtimes) {
        this.runtimes = List.copyOf(runtimes);
    }

    /** Reads the built-in definitions and detects their toolchains. */
    public static Catalogue detect() {
        try (InputStream in = Catalogue.class.getResourceAsStream("/languages.json")) {
            return detect(load(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<LanguageDefinition> load(InputStream json) {
        JsonMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        return mapper.readValue(json, new TypeReference<List<LanguageDefinition>>() {});
    }

    public static Catalogue detect(List<LanguageDefinition> definitions) {
        List<LanguageRuntime> found = new ArrayList<>();
        for (LanguageDefinition definition : definitions) {
            Set<Path> seen = new HashSet<>();
            Set<Version> versions = new HashSet<>();
            for (String pattern : definition.toolchains()) {
                for (Path candidate : Globs.expand(pattern)) {
                    if (definition.toolchainRequires() != null
                            && !Files.exists(candidate.resolve(definition.toolchainRequires()))) {
                        continue;
                    }
                    Path real = realPath(candidate);
                    if (!seen.add(real)) {
                        continue;
                    }
                    probeVersion(definition, candidate)
                            .filter(versions::add)
                            .ifPresent(v -> found.add(new LanguageRuntime(definition, v, candidate)));
                }
            }
            if (versions.isEmpty()) {
                LOG.warn("no toolchain found for {} in {}", definition.language(), definition.toolchains());
            }
        }
        found.forEach(r -> LOG.info("runtime {} {} at {}", r.definition().language(), r.version(), r.toolchain()));
        return new Catalogue(found);
    }

    /** Every runtime, in catalogue order, newest version first within a language. */
    public List<LanguageRuntime> runtimes() {
        return runtimes.stream()
                .sorted(Comparator.comparingInt((LanguageRuntime r) -> firstIndexOf(r.definition()))
                        .thenComparing(LanguageRuntime::version, Comparator.reverseOrder()))
                .toList();
    }

    /**
     * The newest runtime of {@code language} (a name or alias) whose version is in {@code range}.
     *
     * @throws InvalidRequestException with Piston's message {@code "<language>-<version> runtime is unknown"}
     */
    public LanguageRuntime resolve(String language, String range) {
        VersionRange versions = VersionRange.parse(range);
        return runtimes().stream()
                .filter(r -> r.answersTo(language) && versions.matches(r.version()))
                .findFirst()
                .orElseThrow(() -> new InvalidRequestException(language + "-" + range + " runtime is unknown"));
    }

    private int firstIndexOf(LanguageDefinition definition) {
        for (int i = 0; i < runtimes.size(); i++) {
            if (runtimes.get(i).definition() == definition) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    private static Optional<Version> probeVersion(LanguageDefinition definition, Path toolchain) {
        List<String> command = definition.version().command().stream()
                .map(a -> a.replace("{toolchain}", toolchain.toString()))
                .toList();
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            Matcher m = Pattern.compile(definition.version().pattern()).matcher(out);
            if (p.exitValue() == 0 && m.find()) {
                return Optional.of(Version.parse(m.group(1)));
            }
            LOG.warn("cannot read the version of {} from {}: {}", definition.language(), command, out.trim());
        } catch (IOException e) {
            LOG.warn("cannot run {}: {}", command, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath();
        }
    }
}
