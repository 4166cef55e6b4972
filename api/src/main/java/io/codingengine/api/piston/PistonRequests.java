package io.codingengine.api.piston;

import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.execution.LimitRequest;
import io.codingengine.common.execution.RunInput;
import io.codingengine.common.execution.RuntimeInfo;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.execution.StageLimits;
import io.codingengine.executor.ExecutorConfig;
import io.codingengine.executor.language.Version;
import io.codingengine.executor.language.VersionRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Turns a Piston v2 {@code execute} body into an {@link ExecutionRequest}, checking it in
 * Piston's order with Piston's messages (the first failure wins):
 * language, version, files, each file's content, the runtime, a utf8 file, then the limits
 * {@code compile_memory_limit, run_memory_limit, compile_timeout, run_timeout,
 * compile_cpu_time, run_cpu_time}. Deliberate differences: a limit of 0 or null, and a memory
 * limit of -1, mean the default (Piston would run without that limit); the maximums are the
 * executor's ({@link ExecutorConfig#max()}).
 */
@Component
public class PistonRequests {

    private final List<LimitField> limitFields;
    private final List<CompatibleVersion> compatible;

    public PistonRequests(ExecutorConfig config, io.codingengine.api.config.EngineProperties properties) {
        this.compatible = properties.piston().compatibleVersions();
        StageLimits max = config.max();
        this.limitFields = List.of(
                new LimitField("compile_memory_limit", Kind.MEMORY, max.memoryBytes()),
                new LimitField("run_memory_limit", Kind.MEMORY, max.memoryBytes()),
                new LimitField("compile_timeout", Kind.WALL, max.wallTime().toMillis()),
                new LimitField("run_timeout", Kind.WALL, max.wallTime().toMillis()),
                new LimitField("compile_cpu_time", Kind.CPU, max.cpuTime().toMillis()),
                new LimitField("run_cpu_time", Kind.CPU, max.cpuTime().toMillis()));
    }

    /**
     * @param body     the request body
     * @param runtimes what can run now, to resolve {@code language} and {@code version}
     * @throws InvalidRequestException with Piston's message for the first problem found
     */
    public ExecutionRequest parse(JsonNode body, List<RuntimeInfo> runtimes) {
        String language = requiredString(body, "language");
        String version = requiredString(body, "version");
        JsonNode files = body.get("files");
        if (files == null || !files.isArray()) {
            throw new InvalidRequestException("files is required as an array");
        }
        for (int i = 0; i < files.size(); i++) {
            JsonNode content = files.get(i).get("content");
            if (content == null || !content.isString()) {
                throw new InvalidRequestException("files[" + i + "].content is required as a string");
            }
        }
        RuntimeInfo runtime = resolve(runtimes, language, version)
                .or(() -> compatible(runtimes, language, version))
                .orElseThrow(() -> new InvalidRequestException(language + "-" + version + " runtime is unknown"));
        if (!hasUtf8File(files)) {
            throw new InvalidRequestException("files must include at least one utf8 encoded file");
        }
        Long[] limits = new Long[limitFields.size()];
        for (int i = 0; i < limits.length; i++) {
            limits[i] = limitFields.get(i).read(body);
        }
        LimitRequest compile = new LimitRequest(millis(limits[4]), millis(limits[2]), limits[0], null);
        LimitRequest run = new LimitRequest(millis(limits[5]), millis(limits[3]), limits[1], null);
        return new ExecutionRequest(
                runtime.language(),
                runtime.version(),
                sourceFiles(files),
                Map.of(),
                compile,
                run,
                List.of(new RunInput(stdin(body), args(body))));
    }

    /** Piston's lookup: the name or an alias, a node-semver range, the highest matching version. */
    static Optional<RuntimeInfo> resolve(List<RuntimeInfo> runtimes, String language, String range) {
        VersionRange versions = VersionRange.parse(range);
        return runtimes.stream()
                .filter(r -> r.language().equals(language) || r.aliases().contains(language))
                .filter(r -> parseVersion(r.version()).filter(versions::matches).isPresent())
                .max(Comparator.comparing(r -> parseVersion(r.version()).orElseThrow()));
    }

    /** The installed runtime an operator declared for a version that is not installed, if any. */
    private Optional<RuntimeInfo> compatible(List<RuntimeInfo> runtimes, String language, String version) {
        return runtimes.stream()
                .filter(r -> r.language().equals(language) || r.aliases().contains(language))
                .map(RuntimeInfo::language)
                .distinct()
                .flatMap(canonical -> compatible.stream().filter(c -> c.covers(canonical, version)))
                .findFirst()
                .flatMap(c -> resolve(runtimes, language, c.runs()));
    }

    private static Optional<Version> parseVersion(String text) {
        try {
            return Optional.of(Version.parse(text));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String requiredString(JsonNode body, String name) {
        JsonNode node = body.get(name);
        if (node == null || !node.isString() || node.stringValue().isEmpty()) {
            throw new InvalidRequestException(name + " is required as a string");
        }
        return node.stringValue();
    }

    /** Piston counts a file as utf8 when its encoding is missing, falsy or {@code "utf8"}. */
    private static boolean hasUtf8File(JsonNode files) {
        for (JsonNode file : files) {
            JsonNode encoding = file.get("encoding");
            if (isFalsy(encoding)
                    || encoding.isString() && encoding.stringValue().equals("utf8")) {
                return true;
            }
        }
        return false;
    }

    private static List<SourceFile> sourceFiles(JsonNode files) {
        List<SourceFile> result = new ArrayList<>();
        for (JsonNode file : files) {
            JsonNode name = file.get("name");
            JsonNode encoding = file.get("encoding");
            result.add(new SourceFile(
                    name != null && name.isString() && !name.stringValue().isEmpty() ? name.stringValue() : null,
                    file.get("content").stringValue(),
                    encoding(encoding == null || !encoding.isString() ? "" : encoding.stringValue())));
        }
        return result;
    }

    /** Piston's rule: base64 and hex as asked, anything else is utf8. */
    private static SourceFile.Encoding encoding(String name) {
        return switch (name) {
            case "base64" -> SourceFile.Encoding.BASE64;
            case "hex" -> SourceFile.Encoding.HEX;
            default -> SourceFile.Encoding.UTF8;
        };
    }

    /** Piston appends a newline to stdin when it does not end with one (an empty stdin becomes "\n"). */
    private static String stdin(JsonNode body) {
        JsonNode node = body.get("stdin");
        if (node == null || node.isNull()) {
            return "\n";
        }
        if (!node.isString()) {
            throw new InvalidRequestException("If specified, stdin must be a string");
        }
        String text = node.stringValue();
        return text.endsWith("\n") ? text : text + "\n";
    }

    private static List<String> args(JsonNode body) {
        JsonNode node = body.get("args");
        if (node == null || node.isNull()) {
            return List.of();
        }
        List<String> args = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode arg : node) {
                if (!arg.isValueNode() || arg.isNull()) {
                    args = null;
                    break;
                }
                args.add(arg.asString());
            }
        }
        if (args == null || !node.isArray()) {
            throw new InvalidRequestException("If specified, args must be an array of strings");
        }
        return args;
    }

    private static Duration millis(Long value) {
        return value == null ? null : Duration.ofMillis(value);
    }

    /** JavaScript's falsiness for JSON values: missing, null, 0, "" and false. */
    private static boolean isFalsy(JsonNode node) {
        return node == null
                || node.isNull()
                || node.isMissingNode()
                || node.isNumber() && node.doubleValue() == 0
                || node.isString() && node.stringValue().isEmpty()
                || node.isBoolean() && !node.booleanValue();
    }

    private enum Kind {
        MEMORY,
        WALL,
        CPU
    }

    /** One limit field of the request and the largest value it may ask for. */
    private record LimitField(String name, Kind kind, long max) {

        /** The value asked for, or null for the default. */
        Long read(JsonNode body) {
            JsonNode node = body.get(name);
            if (isFalsy(node)) {
                return null;
            }
            if (!node.isNumber()) {
                throw new InvalidRequestException("If specified, " + name + " must be a number");
            }
            double value = node.doubleValue();
            if (kind == Kind.MEMORY && value == -1) {
                return null; // what piston-client 1.0.2 sends; Piston's own default "unlimited"
            }
            if (value > max) {
                throw new InvalidRequestException(name + " cannot exceed the configured limit of " + max);
            }
            if (value < 0) {
                throw new InvalidRequestException(name + " must be non-negative");
            }
            return (long) Math.ceil(value);
        }
    }
}
