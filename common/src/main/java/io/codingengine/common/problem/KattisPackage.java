package io.codingengine.common.problem;

import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.Ids;
import io.codingengine.common.judge.TestCase;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a problem package in the Kattis format (legacy and 2023-07 layouts, leniently) into a
 * {@link Problem}. What is read:
 * <ul>
 *   <li>{@code problem.yaml} (required): {@code name} (a string, or a map of languages from which
 *       {@code en} is preferred; default: the id); {@code limits.time_limit} in seconds (else a
 *       {@code .timelimit} file, else {@value #DEFAULT_TIME_LIMIT_SECONDS} s:
 *       {@code time_multiplier} needs reference solutions, which are not run here, so it is
 *       ignored); {@code limits.memory} in MiB (default {@value #DEFAULT_MEMORY_MIB});
 *       {@code validation} / {@code type}; {@code validator_flags}.</li>
 *   <li>{@code data/sample/**}{@code /*.in} with {@code .ans}: visible tests named
 *       {@code sample/<path>}; {@code data/secret/**}{@code /*.in} with {@code .ans}: hidden tests
 *       named {@code secret/<path>}; each in path order. Other files under {@code data/} are
 *       ignored.</li>
 *   <li>The checker: {@code validation: custom} (or a present {@code output_validators/} or
 *       {@code output_validator/} directory) makes a {@link CheckerSpec.Custom} from the one
 *       validator program there, its language told by the main file's extension; otherwise the
 *       default validator's flags: {@code float_tolerance ε} gives {@link CheckerSpec.Floats}
 *       (ε, ε), {@code float_absolute_tolerance}/{@code float_relative_tolerance} set one each;
 *       {@code space_change_sensitive} gives {@link CheckerSpec.Exact}; no flags give
 *       {@link CheckerSpec.Tokens}, as Kattis's default validator compares tokens.</li>
 *   <li>The statement: the first of {@code problem_statement/problem.en.md},
 *       {@code problem_statement/problem.md}, {@code statement/problem.en.md},
 *       {@code statement/problem.md}, then any other {@code .md} in those directories.</li>
 * </ul>
 * Refused, with an {@link InvalidPackageException} naming the file: zip entries or links that
 * leave the package (absolute paths, {@code ..}, backslashes, drive letters, links pointing
 * outside), duplicate zip entries, a {@code .in} without {@code .ans} or the reverse, no tests,
 * test data that is not UTF-8, interactive problems, a custom validation without a validator,
 * several validators, and packages past the size {@link Limits}. A zip whose files all sit in one
 * top-level directory is read from inside it. Nothing is written to disk.
 */
public final class KattisPackage {

    static final int DEFAULT_TIME_LIMIT_SECONDS = 3;
    static final int DEFAULT_MEMORY_MIB = 256;

    /** Caps that keep a package (or a zip bomb) from exhausting the importer. */
    public record Limits(int maxFiles, long maxFileBytes, long maxTotalBytes) {
        public static final Limits DEFAULT = new Limits(20_000, 64L << 20, 512L << 20);
    }

    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");
    private static final Map<String, String> LANGUAGES = Map.of(
            "c", "c", "cc", "c++", "cpp", "c++", "cxx", "c++", "c++", "c++",
            "py", "python", "java", "java", "js", "javascript");
    private static final List<String> VALIDATOR_MAIN_NAMES = List.of("validate", "validator",
            "output_validator", "checker", "check");

    private KattisPackage() {
    }

    /** Reads the package under its short name (see {@link ProblemStore#importPackage(Path)}). */
    public static Problem read(Path dirOrZip) {
        return read(null, dirOrZip, Limits.DEFAULT);
    }

    /** Reads the package under {@code problemId}. */
    public static Problem read(String problemId, Path dirOrZip) {
        return read(problemId, dirOrZip, Limits.DEFAULT);
    }

    /**
     * Reads the package under {@code problemId}, or its short name when {@code null}.
     *
     * @throws InvalidPackageException when it is unsafe, incomplete or unsupported
     */
    public static Problem read(String problemId, Path dirOrZip, Limits limits) {
        try (Source source = open(dirOrZip, limits)) {
            return parse(problemId, source);
        } catch (IOException e) {
            throw new InvalidPackageException("cannot read " + dirOrZip.getFileName() + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------------------ sources

    /** The package's regular files by relative, {@code /}-separated path. */
    private abstract static class Source implements Closeable {
        final Limits limits;
        final TreeMap<String, String> files = new TreeMap<>(); // package path -> source's own name
        String shortName;
        private long total;

        Source(Limits limits) {
            this.limits = limits;
        }

        abstract InputStream open(String sourceName) throws IOException;

        void add(String path, String sourceName) {
            if (files.containsKey(path)) {
                throw new InvalidPackageException("duplicate entry in package: " + path);
            }
            if (files.size() >= limits.maxFiles()) {
                throw new InvalidPackageException("package has more than " + limits.maxFiles() + " files");
            }
            files.put(path, sourceName);
        }

        /** Moves the package root into its single top-level directory when problem.yaml is there. */
        void stripSingleTopDirectory() {
            if (files.containsKey("problem.yaml")) {
                return;
            }
            Set<String> tops = new TreeSet<>();
            for (String path : files.keySet()) {
                int slash = path.indexOf('/');
                tops.add(slash < 0 ? "" : path.substring(0, slash));
            }
            if (tops.size() != 1 || tops.contains("") || !files.containsKey(tops.iterator().next() + "/problem.yaml")) {
                return;
            }
            String top = tops.iterator().next();
            var moved = new TreeMap<String, String>();
            files.forEach((path, name) -> moved.put(path.substring(top.length() + 1), name));
            files.clear();
            files.putAll(moved);
            shortName = top;
        }

        boolean has(String path) {
            return files.containsKey(path);
        }

        byte[] bytes(String path) throws IOException {
            try (InputStream in = open(files.get(path))) {
                byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.maxFileBytes() + 1));
                if (data.length > limits.maxFileBytes()) {
                    throw new InvalidPackageException(path + " is larger than " + limits.maxFileBytes() + " bytes");
                }
                total += data.length;
                if (total > limits.maxTotalBytes()) {
                    throw new InvalidPackageException("package is larger than " + limits.maxTotalBytes() + " bytes");
                }
                return data;
            }
        }

        String text(String path) throws IOException {
            String text = utf8(bytes(path));
            if (text == null) {
                throw new InvalidPackageException(path + " is not UTF-8 text");
            }
            return text;
        }
    }

    private static Source open(Path dirOrZip, Limits limits) throws IOException {
        if (Files.isDirectory(dirOrZip)) {
            return new DirectorySource(dirOrZip, limits);
        }
        if (Files.isRegularFile(dirOrZip)) {
            return new ZipSource(dirOrZip, limits);
        }
        throw new InvalidPackageException("no package at " + dirOrZip + ": neither a directory nor a zip file");
    }

    private static final class DirectorySource extends Source {

        DirectorySource(Path dir, Limits limits) throws IOException {
            super(limits);
            Path root = dir.toRealPath();
            shortName = root.getFileName() == null ? null : root.getFileName().toString();
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    String path = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                    if (attributes.isSymbolicLink()) {
                        Path target;
                        try {
                            target = file.toRealPath();
                        } catch (IOException e) {
                            throw new InvalidPackageException("broken link in package: " + path);
                        }
                        if (!target.startsWith(root) || !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                            throw new InvalidPackageException("link leaves the package or is not a file: " + path);
                        }
                        add(path, target.toString());
                    } else if (attributes.isRegularFile()) {
                        add(path, file.toString());
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
            stripSingleTopDirectory();
        }

        @Override
        InputStream open(String sourceName) throws IOException {
            return Files.newInputStream(Path.of(sourceName), LinkOption.NOFOLLOW_LINKS);
        }

        @Override
        public void close() {
        }
    }

    private static final class ZipSource extends Source {
        private final ZipFile zip;

        ZipSource(Path file, Limits limits) throws IOException {
            super(limits);
            String fileName = file.getFileName().toString();
            shortName = fileName.toLowerCase(Locale.ROOT).endsWith(".zip")
                    ? fileName.substring(0, fileName.length() - 4) : fileName;
            try {
                zip = new ZipFile(file.toFile(), StandardCharsets.UTF_8);
            } catch (ZipException e) {
                throw new InvalidPackageException(fileName + " is neither a directory nor a zip file");
            }
            try {
                Enumeration<? extends ZipEntry> entries = zip.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry entry = entries.nextElement();
                    String name = entry.getName();
                    requireSafe(name);
                    if (!entry.isDirectory()) {
                        add(name, name);
                    }
                }
                stripSingleTopDirectory();
            } catch (RuntimeException e) {
                zip.close();
                throw e;
            }
        }

        @Override
        InputStream open(String sourceName) throws IOException {
            return zip.getInputStream(zip.getEntry(sourceName));
        }

        @Override
        public void close() throws IOException {
            zip.close();
        }
    }

    /** Refuses a zip entry name that could land outside the package when extracted. */
    static void requireSafe(String name) {
        boolean unsafe = name.isEmpty() || name.startsWith("/") || name.indexOf('\\') >= 0
                || name.indexOf('\0') >= 0 || DRIVE.matcher(name).matches();
        String trimmed = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        for (String segment : trimmed.split("/", -1)) {
            unsafe |= segment.isEmpty() || segment.equals("..") || segment.equals(".");
        }
        if (unsafe) {
            throw new InvalidPackageException("unsafe path in package (leaves the package or is not"
                    + " a plain relative path): " + name);
        }
    }

    // ------------------------------------------------------------------------------ parsing

    private static Problem parse(String problemId, Source source) throws IOException {
        String id = problemId != null ? problemId : source.shortName;
        if (!Ids.isValid(id)) {
            throw new InvalidPackageException("the package's short name \"" + id + "\" is not a valid"
                    + " problem id; import it under an explicit id");
        }
        if (!source.has("problem.yaml")) {
            throw new InvalidPackageException("problem.yaml is missing (a Kattis package has it at its root)");
        }
        Map<?, ?> yaml = yaml(source.text("problem.yaml"));
        Map<?, ?> limits = yaml.get("limits") instanceof Map<?, ?> map ? map : Map.of();

        String name = name(yaml.get("name"), id);
        Duration timeLimit = timeLimit(limits, source);
        long memory = (long) (positive(limits.get("memory"), DEFAULT_MEMORY_MIB, "limits.memory") * (1 << 20));
        String validation = String.valueOf(yaml.containsKey("validation") ? yaml.get("validation") : "default")
                .toLowerCase(Locale.ROOT);
        String type = String.valueOf(yaml.containsKey("type") ? yaml.get("type") : "pass-fail").toLowerCase(Locale.ROOT);
        if (validation.contains("interactive") || type.contains("interactive")) {
            throw new InvalidPackageException("interactive problems are not supported");
        }
        CheckerSpec checker = checker(source, validation.startsWith("custom"), yaml.get("validator_flags"));

        List<TestCase> samples = tests(source, "sample", true);
        List<TestCase> secret = tests(source, "secret", false);
        if (samples.isEmpty() && secret.isEmpty()) {
            throw new InvalidPackageException("the package has no tests (data/sample/*.in and data/secret/*.in with .ans)");
        }
        return new Problem(id, name, timeLimit, memory, checker, samples, secret, statement(source));
    }

    private static Map<?, ?> yaml(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(20);
        options.setCodePointLimit(1 << 20);
        Object document;
        try {
            document = new Yaml(new SafeConstructor(options)).load(text);
        } catch (YAMLException e) {
            throw new InvalidPackageException("problem.yaml is not valid YAML: " + e.getMessage(), e);
        }
        if (document == null) {
            return Map.of();
        }
        if (!(document instanceof Map<?, ?> map)) {
            throw new InvalidPackageException("problem.yaml is not a mapping of keys to values");
        }
        return map;
    }

    private static String name(Object value, String fallback) {
        if (value instanceof Map<?, ?> byLanguage && !byLanguage.isEmpty()) {
            Object english = byLanguage.get("en");
            return String.valueOf(english != null ? english : byLanguage.values().iterator().next()).strip();
        }
        return value == null || String.valueOf(value).isBlank() ? fallback : String.valueOf(value).strip();
    }

    private static Duration timeLimit(Map<?, ?> limits, Source source) throws IOException {
        Object seconds = limits.get("time_limit");
        if (seconds == null && source.has(".timelimit")) {
            seconds = source.text(".timelimit").strip();
        }
        double value = positive(seconds, DEFAULT_TIME_LIMIT_SECONDS, "time limit");
        return Duration.ofMillis(Math.max(1, Math.round(value * 1000)));
    }

    private static double positive(Object value, double fallback, String what) {
        if (value == null) {
            return fallback;
        }
        double number;
        try {
            number = value instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(value).strip());
        } catch (NumberFormatException e) {
            throw new InvalidPackageException(what + " is not a number: " + value);
        }
        if (!(number > 0) || Double.isInfinite(number)) {
            throw new InvalidPackageException(what + " must be positive: " + value);
        }
        return number;
    }

    private static List<TestCase> tests(Source source, String group, boolean visible) throws IOException {
        String prefix = "data/" + group + "/";
        List<TestCase> tests = new ArrayList<>();
        for (String path : source.files.subMap(prefix, prefix + Character.MAX_VALUE).keySet()) {
            if (path.endsWith(".ans") && !source.has(path.substring(0, path.length() - 4) + ".in")) {
                throw new InvalidPackageException(path + " has no matching .in file");
            }
            if (!path.endsWith(".in")) {
                continue;
            }
            String stem = path.substring(0, path.length() - 3);
            if (!source.has(stem + ".ans")) {
                throw new InvalidPackageException(path + " has no matching .ans file");
            }
            tests.add(new TestCase(stem.substring("data/".length()), source.text(path),
                    source.text(stem + ".ans"), visible));
        }
        return tests;
    }

    private static String statement(Source source) throws IOException {
        for (String candidate : List.of("problem_statement/problem.en.md", "problem_statement/problem.md",
                "statement/problem.en.md", "statement/problem.md")) {
            if (source.has(candidate)) {
                return source.text(candidate);
            }
        }
        for (String path : source.files.keySet()) {
            if ((path.startsWith("problem_statement/") || path.startsWith("statement/")) && path.endsWith(".md")) {
                return source.text(path);
            }
        }
        return null;
    }

    // ------------------------------------------------------------------------------ checkers

    private static CheckerSpec checker(Source source, boolean custom, Object flags) throws IOException {
        Map<String, List<String>> programs = validatorPrograms(source);
        if (custom || !programs.isEmpty()) {
            if (programs.isEmpty()) {
                throw new InvalidPackageException("validation is custom but output_validators/ has no validator");
            }
            if (programs.size() > 1) {
                throw new InvalidPackageException("more than one output validator: " + programs.keySet());
            }
            var program = programs.entrySet().iterator().next();
            return customChecker(source, program.getKey(), program.getValue());
        }
        List<String> words = flags == null ? List.of() : List.of(String.valueOf(flags).strip().split("\\s+"));
        Double absolute = null;
        Double relative = null;
        for (int i = 0; i < words.size(); i++) {
            switch (words.get(i)) {
                case "float_tolerance" -> absolute = relative = flagValue(words, ++i);
                case "float_absolute_tolerance" -> absolute = flagValue(words, ++i);
                case "float_relative_tolerance" -> relative = flagValue(words, ++i);
                default -> { }
            }
        }
        if (absolute != null || relative != null) {
            return new CheckerSpec.Floats(absolute == null ? 0 : absolute, relative == null ? 0 : relative);
        }
        return words.contains("space_change_sensitive") ? new CheckerSpec.Exact() : new CheckerSpec.Tokens();
    }

    private static double flagValue(List<String> words, int index) {
        if (index >= words.size()) {
            throw new InvalidPackageException("validator_flags: " + words.get(index - 1) + " needs a value");
        }
        try {
            double value = Double.parseDouble(words.get(index));
            if (value < 0 || Double.isNaN(value) || Double.isInfinite(value)) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new InvalidPackageException("validator_flags: " + words.get(index - 1)
                    + " needs a non-negative number, got " + words.get(index));
        }
    }

    /**
     * The validator programs by directory: {@code output_validators/<name>/...} is one program
     * per directory, a file directly in {@code output_validators/} is a program of its own, and
     * {@code output_validator/} (2023-07) is one program.
     */
    private static Map<String, List<String>> validatorPrograms(Source source) {
        Map<String, List<String>> programs = new LinkedHashMap<>();
        for (String path : source.files.keySet()) {
            if (path.startsWith("output_validator/")) {
                programs.computeIfAbsent("output_validator/", k -> new ArrayList<>()).add(path);
            } else if (path.startsWith("output_validators/")) {
                String rest = path.substring("output_validators/".length());
                int slash = rest.indexOf('/');
                String program = slash < 0 ? path : "output_validators/" + rest.substring(0, slash + 1);
                programs.computeIfAbsent(program, k -> new ArrayList<>()).add(path);
            }
        }
        return programs;
    }

    private static CheckerSpec.Custom customChecker(Source source, String program, List<String> paths)
            throws IOException {
        String base = program.endsWith("/") ? program : program.substring(0, program.lastIndexOf('/') + 1);
        List<String> sources = paths.stream().filter(p -> LANGUAGES.containsKey(extension(p))).toList();
        if (sources.isEmpty()) {
            throw new InvalidPackageException("cannot tell the language of the output validator " + program
                    + " (no .c, .cpp, .cc, .py, .java or .js file)");
        }
        String main = null;
        for (String candidate : sources) {
            if (VALIDATOR_MAIN_NAMES.contains(stem(candidate))) {
                main = candidate;
                break;
            }
        }
        if (main == null && sources.size() > 1) {
            for (String candidate : sources) {
                String language = LANGUAGES.get(extension(candidate));
                if ((language.equals("c") || language.equals("c++")) && source.text(candidate).contains("main(")) {
                    main = candidate;
                    break;
                }
            }
        }
        if (main == null) {
            main = sources.getFirst();
        }
        List<SourceFile> files = new ArrayList<>();
        files.add(sourceFile(source, main, base));
        for (String path : paths) {
            if (!path.equals(main)) {
                files.add(sourceFile(source, path, base));
            }
        }
        return new CheckerSpec.Custom(LANGUAGES.get(extension(main)), "*", files);
    }

    private static SourceFile sourceFile(Source source, String path, String base) throws IOException {
        String name = path.substring(base.length());
        byte[] data = source.bytes(path);
        String text = utf8(data);
        return text != null ? SourceFile.utf8(name, text)
                : new SourceFile(name, Base64.getEncoder().encodeToString(data), SourceFile.Encoding.BASE64);
    }

    /** {@code data} decoded as strict UTF-8, or {@code null} when it is not UTF-8. */
    private static String utf8(byte[] data) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String extension(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        int dot = file.lastIndexOf('.');
        return dot <= 0 ? "" : file.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String stem(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        int dot = file.lastIndexOf('.');
        return (dot <= 0 ? file : file.substring(0, dot)).toLowerCase(Locale.ROOT);
    }
}
