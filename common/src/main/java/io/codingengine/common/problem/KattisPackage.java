package io.codingengine.common.problem;

import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.Ids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a problem package in the Kattis problem package format (legacy, 2023-07 and 2025-09)
 * into a {@link Problem}, refusing with an {@link InvalidPackageException} (a 400 at the api)
 * whatever it cannot judge as the format means it, rather than judging it some other way. The
 * work is split along the format's parts:
 * <ul>
 *   <li>{@link PackageArchive}: the zip or directory, safely (paths, links, sizes);</li>
 *   <li>{@link ProblemYaml}: {@code problem.yaml} (version, type, limits, name, constants);</li>
 *   <li>{@link TestData}: {@code data/} (tests and their settings files);</li>
 *   <li>{@link OutputValidator}: the checker;</li>
 *   <li>here: the statement, the package-wide refusals, and the defaults.</li>
 * </ul>
 * The time limit is {@code limits.time_limit} in seconds, else a {@code .timelimit} file, else
 * the format's other way: multipliers over the accepted submissions' times
 * ({@link TimeLimitRule}), which needs those submissions run; {@link #readForImport} gives them
 * with the rule to whoever can run them, and {@link #read} gives
 * {@value #DEFAULT_TIME_LIMIT_SECONDS} s (an interactive or multi-pass problem's accepted
 * submissions run with its output validator, judged as submissions are). The problem says which
 * ({@link Problem#timeLimitSource()}). The memory limit
 * is {@code limits.memory} in MiB (default {@value #DEFAULT_MEMORY_MIB}). The engine's own
 * output, code size, compilation and checker limits apply, whatever {@code limits} says of them.
 * <p>
 * The statement is {@code problem.<language>.md} or {@code .tex} (or {@code problem.md},
 * {@code problem.tex}) in {@code problem_statement/} (legacy) or {@code statement/} (2023-07 on):
 * English first, then one without a language, then the others by language; Markdown before
 * LaTeX of the same language. LaTeX becomes Markdown ({@link LatexStatement}); its
 * {@code \problemname} names a problem whose {@code problem.yaml} does not. Markdown is at most
 * {@link Problem#MAX_STATEMENT_CHARS}. The pictures the statement names in its directory are kept
 * with the problem ({@link StatementFile}) and the statement refers to them by a relative URL;
 * what participants see must really be in that directory, links followed ({@link Pictures}).
 * PDF statements are not shown.
 * <p>
 * Refused here: {@code include/} (files the format adds to every submission; the engine
 * compiles what was submitted, nothing else) and {@code static_validator/}.
 */
public final class KattisPackage {

    static final int DEFAULT_TIME_LIMIT_SECONDS = 3;
    static final int DEFAULT_MEMORY_MIB = 256;

    private KattisPackage() {}

    /**
     * A package read for import: the problem, and when its time limit is to be computed from its
     * accepted submissions, the rule and those submissions (else the rule is {@code null} and the
     * list empty).
     */
    public record Read(Problem problem, TimeLimitRule rule, List<AcceptedSubmission> accepted) {}

    /**
     * One submission of {@code submissions/accepted/}: a file, or a directory of files.
     *
     * @param path     its path in the package
     * @param language the engine's language for its extension ({@code python}, {@code c++},
     *                 {@code c}, {@code java}, {@code javascript}), or {@code null} for another
     * @param files    its files, the main one first
     */
    public record AcceptedSubmission(String path, String language, List<SourceFile> files) {}

    /** The languages the engine runs, by a source file's extension. */
    private static final Map<String, String> LANGUAGES = Map.of(
            "py",
            "python",
            "py3",
            "python",
            "cpp",
            "c++",
            "cc",
            "c++",
            "cxx",
            "c++",
            "c",
            "c",
            "java",
            "java",
            "js",
            "javascript");
    /** Accepted submissions read at most, and the most bytes of one. */
    static final int MAX_ACCEPTED = 20;

    static final int MAX_SUBMISSION_BYTES = 256 * 1024;

    /** Reads the package for import under {@code problemId}, or its short name when {@code null}. */
    public static Read readForImport(String problemId, Path dirOrZip) {
        try (PackageArchive archive = PackageArchive.open(dirOrZip, PackageArchive.Limits.DEFAULT)) {
            Problem problem = parse(problemId, archive);
            // An interactive or multi-pass problem's submissions run with its validator, as they are judged.
            if (problem.timeLimitSource() != null && !problem.timeLimitSource().startsWith(DEFAULT_SOURCE)) {
                return new Read(problem, null, List.of());
            }
            return new Read(
                    problem, ProblemYaml.parse(archive.text("problem.yaml")).timeRule(), accepted(archive));
        } catch (IOException e) {
            throw new InvalidPackageException("cannot read " + dirOrZip.getFileName() + ": " + e.getMessage(), e);
        }
    }

    private static List<AcceptedSubmission> accepted(PackageArchive archive) throws IOException {
        Map<String, List<String>> byEntry = new java.util.TreeMap<>();
        for (String path : archive.under("submissions/accepted/")) {
            String rest = path.substring("submissions/accepted/".length());
            int slash = rest.indexOf('/');
            byEntry.computeIfAbsent(slash < 0 ? rest : rest.substring(0, slash), k -> new ArrayList<>())
                    .add(path);
        }
        List<AcceptedSubmission> accepted = new ArrayList<>();
        for (var entry : byEntry.entrySet()) {
            if (accepted.size() >= MAX_ACCEPTED) {
                break;
            }
            String language = null;
            List<SourceFile> files = new ArrayList<>();
            long bytes = 0;
            for (String path : entry.getValue()) {
                String name = path.substring(path.lastIndexOf('/') + 1);
                String extension = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
                String text = PackageArchive.utf8(archive.bytes(path));
                bytes += text == null ? 0 : text.length();
                if (text == null || bytes > MAX_SUBMISSION_BYTES) {
                    language = null;
                    break;
                }
                boolean python2 = extension.startsWith("py")
                        && text.lines().findFirst().orElse("").contains("python2");
                if (language == null && LANGUAGES.containsKey(extension) && !python2) {
                    language = LANGUAGES.get(extension);
                    files.addFirst(SourceFile.utf8(name, text));
                } else {
                    files.add(SourceFile.utf8(name, text));
                }
            }
            accepted.add(new AcceptedSubmission("submissions/accepted/" + entry.getKey(), language, files));
        }
        return accepted;
    }

    /** How a problem's limit reads when it is the default. */
    public static final String DEFAULT_SOURCE = "default";

    /** Reads the package under its short name (see {@link ProblemStore#importPackage(Path)}). */
    public static Problem read(Path dirOrZip) {
        return read(null, dirOrZip, PackageArchive.Limits.DEFAULT);
    }

    /** Reads the package under {@code problemId}. */
    public static Problem read(String problemId, Path dirOrZip) {
        return read(problemId, dirOrZip, PackageArchive.Limits.DEFAULT);
    }

    /**
     * Reads the package under {@code problemId}, or its short name when {@code null}.
     *
     * @throws InvalidPackageException when it is unsafe, incomplete or unsupported
     */
    public static Problem read(String problemId, Path dirOrZip, PackageArchive.Limits limits) {
        try (PackageArchive archive = PackageArchive.open(dirOrZip, limits)) {
            return parse(problemId, archive);
        } catch (IOException e) {
            throw new InvalidPackageException("cannot read " + dirOrZip.getFileName() + ": " + e.getMessage(), e);
        }
    }

    private static Problem parse(String problemId, PackageArchive archive) throws IOException {
        String id = problemId != null ? problemId : archive.shortName();
        if (!Ids.isValid(id)) {
            throw new InvalidPackageException("the package's short name \"" + id + "\" is not a valid"
                    + " problem id; import it under an explicit id");
        }
        if (!archive.has("problem.yaml")) {
            throw new InvalidPackageException("problem.yaml is missing (a Kattis package has it at its root)");
        }
        ProblemYaml yaml = ProblemYaml.parse(archive.text("problem.yaml"));
        refuseUnsupportedParts(archive);
        CheckerSpec checker =
                OutputValidator.checker(archive, yaml.customValidation(), yaml.validatorFlags(), yaml.constants());
        ProblemType type = ProblemType.read(archive.text("problem.yaml"));
        checker = type.judge(checker);
        boolean custom = checker instanceof CheckerSpec.Custom;
        if (yaml.scoring() && custom && ((CheckerSpec.Custom) checker).talksOrPasses()) {
            throw new InvalidPackageException("scoring interactive or multi-pass problems are not supported: the"
                    + " engine does not read score.txt of a validator that runs with the submission");
        }
        TestData.Tests tests =
                TestData.read(archive, yaml, custom, custom && ((CheckerSpec.Custom) checker).talksOrPasses());
        if (tests.samples().isEmpty() && tests.secret().isEmpty()) {
            throw new InvalidPackageException(
                    "the package has no tests (data/sample/*.in and data/secret/*.in with .ans)");
        }
        if (!tests.commonValidatorArgs().isEmpty()) {
            List<String> arguments = new ArrayList<>(yaml.validatorFlags());
            arguments.addAll(tests.commonValidatorArgs());
            checker = CheckerSpec.Tokens.kattis(arguments);
        }
        long memory = (long) ((yaml.memoryMib() != null ? yaml.memoryMib() : DEFAULT_MEMORY_MIB) * (1 << 20));
        long output = yaml.outputMib() != null
                ? Math.max(1, (long) (yaml.outputMib() * (1 << 20)))
                : Problem.DEFAULT_OUTPUT_LIMIT_BYTES;
        Statement statement = statement(archive, yaml.constants());
        String name = yaml.name() != null
                ? yaml.name()
                : statement.problemName() != null && !statement.problemName().isBlank() ? statement.problemName() : id;
        Double seconds = yaml.timeLimitSeconds();
        String source = "problem.yaml limits.time_limit";
        if (seconds == null && archive.has(".timelimit")) {
            seconds = ProblemYaml.positive(archive.text(".timelimit").strip(), "time limit");
            source = ".timelimit";
        }
        if (seconds == null) {
            seconds = (double) DEFAULT_TIME_LIMIT_SECONDS;
            source = DEFAULT_SOURCE + " " + DEFAULT_TIME_LIMIT_SECONDS
                    + " s: the package gives no time limit, and its accepted submissions were not run";
        }
        return new Problem(
                id,
                name,
                Duration.ofMillis(Math.max(1, Math.round(seconds * 1000))),
                memory,
                output,
                checker,
                tests.samples(),
                tests.secret(),
                statement.markdown(),
                statement.files(),
                source,
                tests.grading(),
                tests.interactions());
    }

    private static void refuseUnsupportedParts(PackageArchive archive) {
        if (!archive.under("include/").isEmpty()) {
            throw new InvalidPackageException("include/ is not supported: the format adds its files to every"
                    + " submission, and the engine compiles only what was submitted ("
                    + archive.under("include/").iterator().next() + ")");
        }
        if (!archive.under("static_validator/").isEmpty()) {
            throw new InvalidPackageException(
                    "static_validator/ is not supported: static validation is not implemented");
        }
    }

    /** The statement as Markdown (or {@code null}), the name it gives, and its pictures. */
    private record Statement(String markdown, String problemName, List<StatementFile> files) {}

    private static final Pattern STATEMENT = Pattern.compile(
            "(problem_statement|statement)/problem(?:\\.([A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})?))?\\.(md|tex)");
    private static final Pattern MARKDOWN_IMAGE =
            Pattern.compile("!\\[([^\\]\\n]*)]\\(\\s*<?([^()\\s<>]+)>?(\\s+\"[^\"\\n]*\")?\\s*\\)");

    private static Statement statement(PackageArchive archive, Constants constants) throws IOException {
        String chosen = null;
        String chosenRank = null;
        for (String path : archive.paths()) {
            Matcher m = STATEMENT.matcher(path);
            if (!m.matches()) {
                continue;
            }
            String language = m.group(2);
            // English, then no language, then the others by name; Markdown first; legacy directory first
            String rank = ("en".equals(language) ? "0" : language == null ? "1" : "2" + language) + "\u0000"
                    + (m.group(3).equals("md") ? "0" : "1") + (m.group(1).equals("problem_statement") ? "0" : "1");
            if (chosenRank == null || rank.compareTo(chosenRank) < 0) {
                chosen = path;
                chosenRank = rank;
            }
        }
        if (chosen == null) {
            for (String path : archive.paths()) {
                if ((path.startsWith("problem_statement/") || path.startsWith("statement/")) && path.endsWith(".md")) {
                    chosen = path;
                    break;
                }
            }
        }
        if (chosen == null) {
            return new Statement(null, null, List.of());
        }
        String directory = chosen.substring(0, chosen.lastIndexOf('/') + 1);
        String realDirectory = archive.realPath(directory.substring(0, directory.length() - 1)) + "/";
        if (STATEMENT_DIRECTORIES.stream().noneMatch(realDirectory::startsWith)) {
            throw new InvalidPackageException("the statement's directory " + directory + " is a link to "
                    + realDirectory + ": what it holds is shown to participants, so it must be a statement directory ("
                    + String.join(" or ", STATEMENT_DIRECTORIES) + ")");
        }
        requireIn(realDirectory, chosen, archive.realPath(chosen), "the statement");
        Pictures pictures = new Pictures(archive, directory, realDirectory);
        String text = constants.apply(archive.text(chosen), chosen);
        if (chosen.endsWith(".tex")) {
            LatexStatement.Converted converted = LatexStatement.convert(text, pictures::url);
            return new Statement(
                    converted.markdown().isBlank() ? null : converted.markdown(),
                    converted.problemName(),
                    pictures.files());
        }
        requireShort(chosen, text.length());
        Matcher image = MARKDOWN_IMAGE.matcher(text);
        StringBuilder markdown = new StringBuilder(text.length());
        while (image.find()) {
            String url = pictures.url(image.group(2));
            image.appendReplacement(
                    markdown,
                    Matcher.quoteReplacement(
                            url == null
                                    ? image.group()
                                    : "![" + image.group(1) + "](" + url
                                            + (image.group(3) == null ? "" : image.group(3)) + ")"));
        }
        image.appendTail(markdown);
        requireShort(chosen, markdown.length()); // the pictures' URLs are longer than their names
        return new Statement(markdown.toString(), null, pictures.files());
    }

    /**
     * Refuses a Markdown statement longer than a statement may be: every problem's statement
     * travels with its contest's page, to everyone who opens it. (A LaTeX one is cut instead, as
     * its conversion never fails an import; the author of Markdown sees what is too long.)
     */
    private static void requireShort(String path, int length) {
        if (length > Problem.MAX_STATEMENT_CHARS) {
            throw new InvalidPackageException("the statement " + path + " is " + length + " characters of Markdown;"
                    + " a statement may be at most " + Problem.MAX_STATEMENT_CHARS);
        }
    }

    /** The format's statement directories: the only places whose files are shown to participants. */
    private static final List<String> STATEMENT_DIRECTORIES = List.of("problem_statement/", "statement/");

    /**
     * Refuses a file shown to participants that is really (links followed) outside the statement's
     * directory: {@code problem_statement/fig.png -> ../data/secret/1.ans} would serve a secret
     * answer as a picture.
     */
    private static void requireIn(String realDirectory, String path, String realPath, String what) {
        if (!realPath.startsWith(realDirectory)) {
            throw new InvalidPackageException(
                    what + " " + path + " is a link to " + realPath + ", outside the" + " statement's directory "
                            + realDirectory + ": only files of that directory are shown to participants");
        }
    }

    /**
     * The pictures of a statement directory that its statement names: only files of the package
     * that really are in that directory or below it (links followed), of a type a browser shows,
     * within {@link StatementFile}'s sizes. One that is missing, of another type or too large is
     * left out, and the statement shows its caption instead; one that is a link out of the
     * directory, or whose bytes are not of its type, refuses the package (it would serve as a
     * picture what is none).
     */
    private static final class Pictures {
        private final PackageArchive archive;
        private final String directory;
        private final String realDirectory;
        private final Map<String, StatementFile> byName = new LinkedHashMap<>();
        private final Map<String, String> urls = new HashMap<>();
        private long total;

        Pictures(PackageArchive archive, String directory, String realDirectory) {
            this.archive = archive;
            this.directory = directory;
            this.realDirectory = realDirectory;
        }

        /** The URL the statement gives {@code reference}, or {@code null} when it is no picture here. */
        String url(String reference) {
            return urls.computeIfAbsent(reference, this::resolve);
        }

        private String resolve(String reference) {
            String relative = reference.strip();
            while (relative.startsWith("./")) {
                relative = relative.substring(2);
            }
            if (relative.isEmpty()
                    || relative.startsWith("/")
                    || relative.contains(":")
                    || relative.contains("\\")
                    || List.of(relative.split("/")).contains("..")
                    || !archive.has(directory + relative)) {
                return null;
            }
            String name = relative.replace('/', '_');
            Optional<String> type = StatementFile.typeOf(name);
            if (type.isEmpty() || !StatementFile.NAME.matcher(name).matches() || name.contains("..")) {
                return null;
            }
            if (!byName.containsKey(name)) {
                String path = directory + relative;
                requireIn(realDirectory, path, archive.realPath(path), "statement picture");
                byte[] data;
                try {
                    data = archive.bytes(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (data.length > StatementFile.MAX_BYTES || total + data.length > StatementFile.MAX_TOTAL_BYTES) {
                    return null;
                }
                if (!StatementFile.startsAs(type.get(), data)) {
                    throw new InvalidPackageException("statement picture " + path + " is not " + type.get()
                            + " as its name says: its bytes do not start as that type's do");
                }
                total += data.length;
                byName.put(name, new StatementFile(name, type.get(), sha256(data), data));
            }
            return StatementFile.URL_PREFIX + name;
        }

        List<StatementFile> files() {
            return List.copyOf(byName.values());
        }
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
