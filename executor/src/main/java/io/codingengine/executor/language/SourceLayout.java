package io.codingengine.executor.language;

import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.execution.RequestTooLargeException;
import io.codingengine.common.execution.SourceFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a submission's files go in the box and which one is the program: Piston's rules (the
 * first utf8 file is the main file; a file without a name is {@code file<i>.code}) plus what the
 * language needs. Only the main file is ever renamed: it gets the language's extension when it
 * has none of them, and a Java main file is named after its public top-level class (javac wants
 * {@code public class Main} in {@code Main.java}; Piston's source launcher takes it under any
 * name), else {@code Main.java} unless it is a {@code .java} file already. Every other file keeps
 * its name and is a source only with one of the language's extensions. For Java the class to run
 * is the type around {@code main}.
 *
 * @param files     every file with its final relative path and decoded content
 * @param main      the main file's path
 * @param sources   the files the compiler gets ({@code {sources}})
 * @param mainClass for Java, the fully qualified class to run; else null
 */
public record SourceLayout(List<PlacedFile> files, String main, List<String> sources, String mainClass) {

    // Linear on any input: declarations start a line ([ \t], not \s, which would let every line
    // start scan all the blank lines below it), and the quantifiers are possessive and bounded,
    // so no match attempt backtracks across the source. Group 1: the modifiers; 3: the name.
    private static final Pattern TYPE = Pattern.compile(
            "(?m)^[ \t]*+((?:(?:public|protected|private|final|abstract|sealed|non-sealed|strictfp|static)\\s++){0,8}+)"
                    + "(class|interface|enum|record)\\s++([A-Za-z_$][\\w$]*+)");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^[ \t]*+package\\s++([\\w.]++)\\s*+;");
    private static final Pattern MAIN = Pattern.compile("\\bvoid\\s++main\\s*+\\(");
    private static final int MAX_PATH = 1024;
    /** The longest file name Linux file systems take, in bytes. */
    private static final int MAX_PART_BYTES = 255;

    public SourceLayout {
        files = List.copyOf(files);
        sources = List.copyOf(sources);
    }

    /** A file placed in the box. */
    public record PlacedFile(String path, byte[] content) {}

    /**
     * @throws InvalidRequestException for a bad name, bad encoding or no utf8 file; a
     *                                 {@link RequestTooLargeException} for too many or too large files
     */
    public static SourceLayout of(LanguageDefinition language, List<SourceFile> files, int maxFiles, long maxBytes) {
        if (files.size() > maxFiles) {
            throw new RequestTooLargeException("files must not contain more than " + maxFiles + " files");
        }
        List<String> names = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        long total = 0;
        int mainIndex = -1;
        for (int i = 0; i < files.size(); i++) {
            SourceFile f = files.get(i);
            if (f == null) {
                throw new InvalidRequestException("files[" + i + "] must be an object, not null");
            }
            byte[] content = decode(f, i);
            total += content.length;
            if (total > maxBytes) {
                throw new RequestTooLargeException("files must not exceed " + maxBytes + " bytes in total");
            }
            if (f.isSource() && mainIndex < 0) {
                mainIndex = i;
            }
            String name = f.name() == null || f.name().isEmpty() ? "file" + i + ".code" : checkName(f.name(), i);
            if (f.isSource()) {
                name = sourceName(language, name, new String(content, StandardCharsets.UTF_8), i == mainIndex);
            }
            names.add(name);
            contents.add(content);
        }
        if (mainIndex < 0) {
            throw new InvalidRequestException("files must include at least one utf8 encoded file");
        }
        checkPaths(language, files, names);
        List<PlacedFile> placed = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            placed.add(new PlacedFile(names.get(i), contents.get(i)));
            if (files.get(i).isSource() && hasExtension(language, names.get(i))) {
                sources.add(names.get(i));
            }
        }
        String mainClass =
                "java-class".equals(language.naming()) ? javaMainClass(names.get(mainIndex), placed, files) : null;
        return new SourceLayout(placed, names.get(mainIndex), sources, mainClass);
    }

    private static byte[] decode(SourceFile f, int i) {
        try {
            return switch (f.encoding()) {
                case UTF8 -> f.content().getBytes(StandardCharsets.UTF_8);
                case BASE64 -> Base64.getMimeDecoder().decode(f.content());
                case HEX -> HexFormat.of().parseHex(f.content().strip());
            };
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("files[" + i + "].content is not valid "
                    + f.encoding().name().toLowerCase());
        }
    }

    /**
     * A relative path that stays inside the work directory (no absolute path, no "..", no empty
     * part) and that no tool can take for an option: names are passed as arguments.
     */
    static String checkName(String name, int i) {
        String problem = null;
        if (name.length() > MAX_PATH) {
            problem = "is longer than " + MAX_PATH + " characters";
        } else if (name.startsWith("/")) {
            problem = "must be a relative path";
        } else if (name.startsWith("-") || name.startsWith("@")) {
            // A compiler or launcher would read it as an option or an options file.
            problem = "must not begin with '-' or '@'";
        } else if (name.chars().anyMatch(c -> c == 0 || c == '\\' || c < 0x20)) {
            problem = "contains a forbidden character";
        } else {
            for (String part : name.split("/", -1)) {
                if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                    problem = "must not contain empty, '.' or '..' parts";
                    break;
                }
                if (tooLong(part)) {
                    problem = "has a part longer than " + MAX_PART_BYTES + " bytes in UTF-8";
                    break;
                }
            }
        }
        if (problem != null) {
            throw new InvalidRequestException("files[" + i + "].name " + problem);
        }
        return name;
    }

    /**
     * The files' paths in the box can all be written, and so can what the compiler writes: no two
     * files have the same path, no file's path is a directory of another's ({@code a} and
     * {@code a/b}, in either order), no name is longer than the file system takes (the main
     * file's extension may make it so) and none is the compiler's output ({@code -o a.out}, which
     * would replace it). The box could only refuse them when it writes them: a worker's failure,
     * not the client's mistake. Checked on the paths in the box, after the main file's renaming.
     * (What else a compiler writes, javac's classes, is checked against the files once it has
     * written them: {@code CompileStage}.)
     */
    private static void checkPaths(LanguageDefinition language, List<SourceFile> files, List<String> names) {
        String output = compilerOutput(language);
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            String[] parts = name.split("/");
            for (String part : parts) {
                if (tooLong(part)) {
                    throw new InvalidRequestException(describe(files, names, i) + " has a part longer than "
                            + MAX_PART_BYTES + " bytes in UTF-8");
                }
            }
            if (parts[0].equals(output)) {
                throw new InvalidRequestException(
                        describe(files, names, i) + " is where the compiler writes the program (" + output + ")");
            }
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            Integer first = index.putIfAbsent(names.get(i), i);
            if (first != null) {
                throw new InvalidRequestException(
                        describe(files, names, first) + " and " + describe(files, names, i) + " have the same path");
            }
        }
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            for (int slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) {
                Integer file = index.get(name.substring(0, slash));
                if (file != null) {
                    throw new InvalidRequestException(describe(files, names, file)
                            + " is a file, so it cannot also be a directory of " + describe(files, names, i));
                }
            }
        }
    }

    private static boolean tooLong(String part) {
        return part.getBytes(StandardCharsets.UTF_8).length > MAX_PART_BYTES;
    }

    /** The file the language's compiler writes the program to ({@code -o FILE}), or null. */
    private static String compilerOutput(LanguageDefinition language) {
        List<String> compile = language.compile() == null ? List.of() : language.compile();
        int o = compile.indexOf("-o");
        return o >= 0 && o + 1 < compile.size() ? compile.get(o + 1) : null;
    }

    /** A file as the client named it, and its path in the box when that is another name. */
    private static String describe(List<SourceFile> files, List<String> names, int i) {
        String given = files.get(i).name();
        if (given == null || given.isEmpty()) {
            return "files[" + i + "] (no name: " + names.get(i) + ")";
        }
        return "files[" + i + "].name " + given
                + (given.equals(names.get(i)) ? "" : " (in the box: " + names.get(i) + ")");
    }

    /**
     * The main file's name in the box; any other file keeps its own. A Java main file is named
     * after its public top-level type, as javac requires.
     */
    private static String sourceName(LanguageDefinition language, String name, String content, boolean main) {
        if (!main) {
            return name;
        }
        if ("java-class".equals(language.naming())) {
            String dir = name.substring(0, name.lastIndexOf('/') + 1);
            String code = blankCommentsAndLiterals(content);
            String type = outline(code, code.length()).publicTopLevel();
            if (type != null) {
                return dir + type + ".java";
            }
            return name.endsWith(".java") ? name : dir + "Main.java";
        }
        if (!hasExtension(language, name) && !language.extensions().isEmpty()) {
            return name + language.extensions().getFirst();
        }
        return name;
    }

    private static boolean hasExtension(LanguageDefinition language, String name) {
        return language.extensions().stream().anyMatch(name::endsWith);
    }

    /**
     * The class to run: the type around {@code main} in the main file, else in another source,
     * by its binary name ({@code Outer$Inner} for a nested one); a compact source file (Java 25:
     * {@code main} in no type) is the implicit class named after its file.
     */
    private static String javaMainClass(String mainName, List<PlacedFile> placed, List<SourceFile> files) {
        List<PlacedFile> order = new ArrayList<>();
        placed.stream().filter(p -> p.path().equals(mainName)).forEach(order::add);
        for (int i = 0; i < placed.size(); i++) {
            if (files.get(i).isSource()
                    && !placed.get(i).path().equals(mainName)
                    && placed.get(i).path().endsWith(".java")) {
                order.add(placed.get(i));
            }
        }
        for (PlacedFile file : order) {
            String text = blankCommentsAndLiterals(new String(file.content(), StandardCharsets.UTF_8));
            Matcher main = MAIN.matcher(text);
            if (!main.find()) {
                continue;
            }
            Matcher pkg = PACKAGE.matcher(text);
            String prefix = pkg.find() ? pkg.group(1) + "." : "";
            List<String> around = outline(text, main.start()).enclosing();
            return prefix + (around.isEmpty() ? baseName(file.path()) : String.join("$", around));
        }
        return baseName(mainName);
    }

    /**
     * @param enclosing      the types around a position, outermost first
     * @param publicTopLevel the first public top-level type before it, or null
     */
    private record Outline(List<String> enclosing, String publicTopLevel) {}

    /**
     * The type declarations of {@code code} (comments and literals blanked) up to {@code until},
     * nested by their braces: one pass over the text and one over the declarations.
     */
    private static Outline outline(String code, int until) {
        record Open(String name, int depth) {}
        List<Open> open = new ArrayList<>();
        Matcher type = TYPE.matcher(code);
        int next = type.find() ? type.start() : -1;
        String pending = null;
        String publicTopLevel = null;
        int depth = 0;
        for (int i = 0; i < until; i++) {
            if (i == next) {
                // A declaration's body is the next '{' (past its header: extends, generics, record components).
                pending = type.group(3);
                if (publicTopLevel == null && depth == 0 && isPublic(type.group(1))) {
                    publicTopLevel = pending;
                }
                i = type.end() - 1;
                next = type.find() ? type.start() : -1;
                continue;
            }
            char c = code.charAt(i);
            if (c == '{') {
                if (pending != null) {
                    open.add(new Open(pending, depth));
                    pending = null;
                }
                depth++;
            } else if (c == '}') {
                depth = Math.max(0, depth - 1);
                while (!open.isEmpty() && open.getLast().depth() >= depth) {
                    open.removeLast();
                }
            } else if (c == ';') {
                pending = null;
            }
        }
        return new Outline(open.stream().map(Open::name).toList(), publicTopLevel);
    }

    private static boolean isPublic(String modifiers) {
        for (String modifier : modifiers.strip().split("\\s+")) {
            if (modifier.equals("public")) {
                return true;
            }
        }
        return false;
    }

    private static String baseName(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        int dot = file.indexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    /**
     * The source with its comments and the contents of its string, text block and character
     * literals blanked, in one pass (a regex here backtracked quadratically on a submitted source
     * of many unterminated comments): what is left is declarations and braces, so a comment
     * marker, a brace or a {@code class} inside a literal is not taken for one.
     */
    static String blankCommentsAndLiterals(String java) {
        StringBuilder out = new StringBuilder(java.length());
        int n = java.length();
        int i = 0;
        while (i < n) {
            char c = java.charAt(i);
            char next = i + 1 < n ? java.charAt(i + 1) : 0;
            if (c == '/' && next == '*') {
                int end = java.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (c == '/' && next == '/') {
                int end = java.indexOf('\n', i);
                i = end < 0 ? n : end;
                out.append(' ');
            } else if (c == '"' && next == '"' && i + 2 < n && java.charAt(i + 2) == '"') {
                // A text block: up to the next unescaped """, across lines.
                int end = i + 3;
                while (end < n && !java.startsWith("\"\"\"", end)) {
                    end += java.charAt(end) == '\\' ? 2 : 1;
                }
                i = Math.min(n, end + 3);
                out.append("\"\"");
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < n && java.charAt(end) != c && java.charAt(end) != '\n') {
                    end += java.charAt(end) == '\\' ? 2 : 1;
                }
                // An unterminated one ends at the line's end; the line break stays.
                i = end < n && java.charAt(end) == '\n' ? end : Math.min(n, end + 1);
                out.append(c).append(c);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
