package io.codingengine.common.problem;

import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.judge.CheckerSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The checker of a package: its custom output validator, or Kattis's default validator with
 * the package's arguments.
 * <ul>
 *   <li>Custom: {@code output_validators/<name>/...} (legacy: one program per directory, or a
 *       file of its own) or {@code output_validator/} (2023-07: one program), used when present
 *       or when the legacy {@code validation} is {@code custom}. It becomes a
 *       {@link CheckerSpec.Custom} in the language of its main file's extension. Refused: none
 *       with {@code validation: custom}, several, {@code build}/{@code run} scripts and an
 *       unknown language. Its arguments ({@code validator_flags}, then the test's group's
 *       {@code output_validator_flags}/{@code output_validator_args}) follow the input, answer and
 *       feedback directory of each test's run ({@link io.codingengine.common.judge.Grading}).</li>
 *   <li>Default: {@code validator_flags} become {@link CheckerSpec.Tokens#kattis}: Kattis's
 *       default output validator with those flags, judged as problemtools'
 *       {@code default_validator} does; a group's flags are added for its tests. A flag it does
 *       not have is refused.</li>
 * </ul>
 */
final class OutputValidator {

    private static final Map<String, String> LANGUAGES = Map.of(
            "c",
            "c",
            "cc",
            "c++",
            "cpp",
            "c++",
            "cxx",
            "c++",
            "c++",
            "c++",
            "py",
            "python",
            "java",
            "java",
            "js",
            "javascript");
    private static final List<String> MAIN_NAMES =
            List.of("validate", "validator", "output_validator", "checker", "check");

    private OutputValidator() {}

    /**
     * @param custom    the legacy {@code validation: custom}
     * @param arguments the legacy {@code validator_flags}: the default validator's flags; a custom
     *                  validator gets them per test, before its group's
     *                  ({@link io.codingengine.common.judge.Grading#outputValidatorArgs})
     */
    static CheckerSpec checker(PackageArchive archive, boolean custom, List<String> arguments, Constants constants)
            throws IOException {
        Map<String, List<String>> programs = programs(archive);
        if (!custom && programs.isEmpty()) {
            return defaultValidator(arguments);
        }
        if (programs.isEmpty()) {
            throw new InvalidPackageException("validation is custom but output_validators/ has no validator");
        }
        if (programs.size() > 1) {
            throw new InvalidPackageException("more than one output validator: " + programs.keySet());
        }
        var program = programs.entrySet().iterator().next();
        return custom(archive, program.getKey(), program.getValue(), constants);
    }

    /**
     * Kattis's default output validator with the package's flags (case-insensitive tokens unless
     * {@code case_sensitive}; {@code space_change_sensitive}; the float tolerances), judged as
     * problemtools' {@code default_validator} does.
     */
    private static CheckerSpec defaultValidator(List<String> words) {
        try {
            return CheckerSpec.Tokens.kattis(words); // which refuses a flag it does not know
        } catch (IllegalArgumentException e) {
            throw new InvalidPackageException("validator_flags: " + e.getMessage());
        }
    }

    /**
     * The validator programs by directory: {@code output_validators/<name>/...} is one program
     * per directory, a file directly in {@code output_validators/} is a program of its own, and
     * {@code output_validator/} (2023-07) is one program.
     */
    private static Map<String, List<String>> programs(PackageArchive archive) {
        Map<String, List<String>> programs = new LinkedHashMap<>();
        for (String path : archive.under("output_validator/")) {
            programs.computeIfAbsent("output_validator/", k -> new ArrayList<>())
                    .add(path);
        }
        for (String path : archive.under("output_validators/")) {
            String rest = path.substring("output_validators/".length());
            int slash = rest.indexOf('/');
            String program = slash < 0 ? path : "output_validators/" + rest.substring(0, slash + 1);
            programs.computeIfAbsent(program, k -> new ArrayList<>()).add(path);
        }
        return programs;
    }

    private static CheckerSpec.Custom custom(
            PackageArchive archive, String program, List<String> paths, Constants constants) throws IOException {
        String base = program.endsWith("/") ? program : program.substring(0, program.lastIndexOf('/') + 1);
        if (paths.stream().anyMatch(p -> p.equals(base + "build") || p.equals(base + "run"))) {
            throw new InvalidPackageException("the output validator " + program + " is built by build/run scripts,"
                    + " which are not supported: give it as C, C++, Python, Java or JavaScript source");
        }
        List<String> sources =
                paths.stream().filter(p -> LANGUAGES.containsKey(extension(p))).toList();
        if (sources.isEmpty()) {
            throw new InvalidPackageException("cannot tell the language of the output validator " + program
                    + " (no .c, .cpp, .cc, .py, .java or .js file)");
        }
        String main = sources.stream()
                .filter(p -> MAIN_NAMES.contains(stem(p)))
                .findFirst()
                .orElse(null);
        if (main == null && sources.size() > 1) {
            for (String candidate : sources) {
                String language = LANGUAGES.get(extension(candidate));
                if ((language.equals("c") || language.equals("c++"))
                        && archive.text(candidate).contains("main(")) {
                    main = candidate;
                    break;
                }
            }
        }
        if (main == null) {
            main = sources.getFirst();
        }
        List<SourceFile> files = new ArrayList<>();
        files.add(sourceFile(archive, main, base, constants));
        for (String path : paths) {
            if (!path.equals(main)) {
                files.add(sourceFile(archive, path, base, constants));
            }
        }
        return new CheckerSpec.Custom(LANGUAGES.get(extension(main)), "*", files);
    }

    private static SourceFile sourceFile(PackageArchive archive, String path, String base, Constants constants)
            throws IOException {
        String name = path.substring(base.length());
        byte[] data = archive.bytes(path);
        String text = PackageArchive.utf8(data);
        return text != null
                ? SourceFile.utf8(name, constants.apply(text, path))
                : new SourceFile(name, Base64.getEncoder().encodeToString(data), SourceFile.Encoding.BASE64);
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
