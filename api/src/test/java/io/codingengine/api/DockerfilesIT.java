package io.codingengine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every Dockerfile builds by construction, checked without a Docker engine after {@code mvn
 * package} (a failsafe test: it runs in the verify phase, when every module's jar exists). Each
 * Dockerfile is read stage by stage and what its build does to the image's files is followed:
 * <ul>
 *   <li>every {@code COPY} source exists: in the build context (the repository), or in the stage
 *       it is copied from, where it came from the base image, an {@code apt-get install}, a
 *       {@code cp} of a Maven output (whose pattern must match exactly one file after {@code mvn
 *       package}) or {@code dependency:copy-dependencies};</li>
 *   <li>every {@code java} a {@code RUN} or the entry point starts resolves on the stage's
 *       {@code PATH}, at that point of the file, to a JDK at least as new as the class version
 *       of the main class it runs ({@code session-image/Dockerfile} once ran Temurin 25's jars
 *       under Debian's JDK 17: class version 69 against 61);</li>
 *   <li>the entry point and the health check name files the image has: the executable, the
 *       jar or class path, the main class, a class-path resource given as a logback configuration.</li>
 * </ul>
 * What the base images and Debian packages put where is in {@link #BASE_IMAGES} and
 * {@link #APT_PACKAGES}, each with where it is documented.
 */
class DockerfilesIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** The reactor modules whose jars the images contain. */
    private static final List<String> MODULES =
            List.of("execution", "common", "executor", "session-image", "worker", "api");

    // ------------------------------------------------------------------ what the images start from

    /** A JDK (or JRE) in an image: its home and feature version. */
    record Jdk(String home, int version) {}

    /** A base image's JDK, its {@code PATH}, and the Debian release its packages come from. */
    record Base(Optional<Jdk> jdk, String path, String distribution) {}

    /**
     * The eclipse-temurin images put the JDK in /opt/java/openjdk, with {@code JAVA_HOME} there and
     * its bin first on {@code PATH} (Docker Hub, "eclipse-temurin", How to use this Image; the
     * image's Dockerfile in adoptium/containers). They are Ubuntu; debian:12 has no JDK.
     */
    private static final String STANDARD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    static final Map<String, Base> BASE_IMAGES = Map.of(
            "eclipse-temurin:25-jdk",
                    new Base(
                            Optional.of(new Jdk("/opt/java/openjdk", 25)),
                            "/opt/java/openjdk/bin:" + STANDARD_PATH,
                            "ubuntu"),
            "eclipse-temurin:25-jre",
                    new Base(
                            Optional.of(new Jdk("/opt/java/openjdk", 25)),
                            "/opt/java/openjdk/bin:" + STANDARD_PATH,
                            "ubuntu"),
            "debian:12", new Base(Optional.empty(), STANDARD_PATH, "debian"),
            "debian:12-slim", new Base(Optional.empty(), STANDARD_PATH, "debian"));

    /**
     * The files a package installs that a Dockerfile relies on (packages.debian.org, each
     * package's file list): executables in /usr/bin, and for a JDK /usr/bin/java through the
     * alternatives system. {@code maven} depends on {@code default-jre-headless}, Debian 12's
     * being JDK 17 (so maven puts a /usr/bin/java 17 there too).
     */
    static final Map<String, List<String>> APT_PACKAGES = Map.of(
            "openjdk-17-jdk-headless", List.of("/usr/bin/java=17", "/usr/bin/javac=17"),
            "maven", List.of("/usr/bin/mvn", "/usr/bin/java=17"),
            "tini", List.of("/usr/bin/tini"),
            "curl", List.of("/usr/bin/curl"),
            "python3", List.of("/usr/bin/python3"),
            "gcc", List.of("/usr/bin/gcc"),
            "g++", List.of("/usr/bin/g++"),
            "nodejs", List.of("/usr/bin/node"),
            "npm", List.of("/usr/bin/npm"),
            "bubblewrap", List.of("/usr/bin/bwrap"));

    // ------------------------------------------------------------------ the tests

    @ParameterizedTest
    @ValueSource(strings = {"session-image/Dockerfile", "api/Dockerfile", "worker/Dockerfile"})
    void buildsByConstruction(String dockerfile) {
        List<String> problems = new Build(dockerfile).run();
        assertEquals(List.of(), problems, dockerfile);
    }

    /** The check finds the mistake it is for: Temurin's jars run by Debian's JDK 17. */
    @Test
    void aJavaOfTheWrongJdkIsFound() throws IOException {
        String broken = Files.readString(ROOT.resolve("session-image/Dockerfile"))
                .replace("ENV PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH", "ENV PORTX=1");
        List<String> problems = new Build("session-image/Dockerfile", broken).run();
        assertTrue(
                problems.stream().anyMatch(p -> p.contains("JDK 17") && p.contains("class version 69")),
                problems.toString());
    }

    @Test
    void aCopySourceNoBuildMakesIsFound() throws IOException {
        String broken = Files.readString(ROOT.resolve("worker/Dockerfile")).replace("-exec.jar", "-standalone.jar");
        List<String> problems = new Build("worker/Dockerfile", broken).run();
        assertTrue(
                problems.stream().anyMatch(p -> p.contains("worker/target/worker-*-standalone.jar")),
                problems.toString());
    }

    // ------------------------------------------------------------------ the model

    /** A stage's files as far as the checks need them: a path and, for a java, its JDK version (0: not a JDK). */
    static final class Stage {
        final String name;
        final Map<String, Integer> files = new LinkedHashMap<>();
        /** Paths whose content is a directory of jars the build put there: path to the jars (repository files). */
        final Map<String, List<Path>> jarDirectories = new HashMap<>();
        /** Paths that are a repository file copied in (a jar): path to the file. */
        final Map<String, Path> repositoryFiles = new HashMap<>();

        final Map<String, String> env = new HashMap<>();
        final List<Jdk> jdks = new ArrayList<>();
        String workdir = "/";
        String distribution;

        Stage(String name) {
            this.name = name;
        }
    }

    static final class Build {
        private final String dockerfile;
        private final String text;
        private final Map<String, Stage> stages = new LinkedHashMap<>();
        private final List<String> problems = new ArrayList<>();
        private Stage stage;

        Build(String dockerfile) {
            this(dockerfile, read(ROOT.resolve(dockerfile)));
        }

        Build(String dockerfile, String text) {
            this.dockerfile = dockerfile;
            this.text = text;
        }

        List<String> run() {
            int number = 0;
            for (String[] instruction : instructions(text)) {
                number++;
                String where = dockerfile + " instruction " + number + " (" + instruction[0] + " "
                        + (instruction[1].length() > 60 ? instruction[1].substring(0, 60) + "…" : instruction[1]) + ")";
                switch (instruction[0]) {
                    case "FROM" -> from(instruction[1], where);
                    case "ENV" -> env(instruction[1]);
                    case "WORKDIR" -> stage.workdir = instruction[1].strip();
                    case "COPY" -> copy(instruction[1], where);
                    case "RUN" -> run(instruction[1], where);
                    case "ENTRYPOINT" -> command(jsonArray(instruction[1], where), where);
                    case "HEALTHCHECK" -> healthcheck(instruction[1], where);
                    default -> {} // EXPOSE, USER, LABEL: nothing to follow
                }
            }
            return problems;
        }

        private void from(String args, String where) {
            String[] words = args.strip().split("\\s+");
            Base base = BASE_IMAGES.get(words[0]);
            Stage next = new Stage(
                    words.length >= 3 && words[1].equalsIgnoreCase("AS") ? words[2] : "stage" + stages.size());
            if (base == null) {
                problems.add(where + ": base image " + words[0]
                        + " is not in DockerfilesIT.BASE_IMAGES: add what it contains");
                base = new Base(Optional.empty(), STANDARD_PATH, "unknown");
            }
            base.jdk().ifPresent(jdk -> {
                next.jdks.add(jdk);
                next.files.put(jdk.home(), 0);
                next.files.put(jdk.home() + "/bin/java", jdk.version());
                next.env.put("JAVA_HOME", jdk.home());
            });
            next.env.put("PATH", base.path());
            next.distribution = base.distribution();
            stages.put(next.name, next);
            stage = next;
        }

        /** {@code ENV a=1 b=$a}: the references are to the values before the instruction, as Docker substitutes. */
        private void env(String args) {
            Map<String, String> before = Map.copyOf(stage.env);
            for (String pair : args.strip().split("\\s+")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    String value = pair.substring(eq + 1);
                    for (Map.Entry<String, String> e : before.entrySet()) {
                        value = value.replace("$" + e.getKey(), e.getValue())
                                .replace("${" + e.getKey() + "}", e.getValue());
                    }
                    stage.env.put(pair.substring(0, eq), value);
                }
            }
        }

        private void copy(String args, String where) {
            List<String> words = new ArrayList<>(List.of(args.strip().split("\\s+")));
            Optional<Stage> from = Optional.empty();
            if (words.getFirst().startsWith("--from=")) {
                String name = words.removeFirst().substring("--from=".length());
                from = Optional.ofNullable(stages.get(name));
                if (from.isEmpty()) {
                    problems.add(where + ": no earlier stage named " + name);
                    return;
                }
            }
            String destination = absolute(words.getLast());
            for (String source : words.subList(0, words.size() - 1)) {
                if (from.isPresent()) {
                    copyFromStage(from.get(), absolute(source, from.get()), destination, where);
                } else if (source.equals(".")) {
                    stage.files.put(destination, 0); // the build context: the repository, .dockerignore applied
                } else if (!Files.exists(ROOT.resolve(source))) {
                    problems.add(where + ": " + source + " is not in the build context (the repository root)");
                } else {
                    stage.files.put(destination, 0);
                }
            }
        }

        private void copyFromStage(Stage source, String path, String destination, String where) {
            if (!source.files.containsKey(path)) {
                problems.add(where + ": stage " + source.name + " has no " + path);
                return;
            }
            // The whole tree below the path comes along, a JDK's java included.
            for (Map.Entry<String, Integer> file : Map.copyOf(source.files).entrySet()) {
                if (file.getKey().equals(path) || file.getKey().startsWith(path + "/")) {
                    stage.files.put(destination + file.getKey().substring(path.length()), file.getValue());
                }
            }
            source.jdks.stream()
                    .filter(jdk -> jdk.home().equals(path))
                    .forEach(jdk -> stage.jdks.add(new Jdk(destination, jdk.version())));
            if (source.jarDirectories.containsKey(path)) {
                stage.jarDirectories.put(destination, source.jarDirectories.get(path));
            }
            if (source.repositoryFiles.containsKey(path)) {
                stage.repositoryFiles.put(destination, source.repositoryFiles.get(path));
            }
        }

        private static final Pattern APT_INSTALL = Pattern.compile("apt-get install ([^&;]+)");
        private static final Pattern CP = Pattern.compile("(?:^|&&\\s*)cp\\s+(\\S+)\\s+(\\S+)");
        private static final Pattern MKDIR = Pattern.compile("mkdir -p ((?:/\\S+\\s*)+)");
        private static final Pattern COPY_DEPENDENCIES =
                Pattern.compile("mvn .*?-pl (\\S+) dependency:copy-dependencies .*?-DoutputDirectory=(\\S+)");

        private void run(String command, String where) {
            Matcher apt = APT_INSTALL.matcher(command);
            while (apt.find()) {
                for (String word : apt.group(1).strip().split("\\s+")) {
                    for (String file : APT_PACKAGES.getOrDefault(word, List.of())) {
                        String[] pathAndVersion = file.split("=");
                        int version = pathAndVersion.length > 1 ? Integer.parseInt(pathAndVersion[1]) : 0;
                        // A JDK package does not replace a /usr/bin/java another JDK package put there.
                        stage.files.putIfAbsent(pathAndVersion[0], version);
                    }
                }
            }
            Matcher mkdir = MKDIR.matcher(command);
            while (mkdir.find()) {
                for (String dir : mkdir.group(1).strip().split("\\s+")) {
                    stage.files.put(dir, 0);
                }
            }
            if (command.contains("mvn ")) {
                javaOf(stage.env.getOrDefault("JAVA_HOME", "") + "/bin/java", where + " (mvn, by JAVA_HOME)")
                        .or(() -> javaOf("java", where + " (mvn)"))
                        .ifPresent(version -> requireAtLeast(version, 25, where, "the build's maven.compiler release"));
            }
            Matcher dependencies = COPY_DEPENDENCIES.matcher(command);
            while (dependencies.find()) {
                // The module's runtime jars; of ours those it depends on, and Maven Central's.
                String directory = absolute(dependencies.group(2));
                stage.files.put(directory, 0);
                stage.jarDirectories
                        .computeIfAbsent(directory, d -> new ArrayList<>())
                        .addAll(moduleJarsOf(dependencies.group(1)));
            }
            Matcher cp = CP.matcher(command);
            while (cp.find()) {
                String pattern = cp.group(1);
                List<Path> matches = glob(pattern);
                if (matches.size() != 1) {
                    problems.add(where + ": after mvn package, " + pattern + " matches " + matches.size() + " files ("
                            + matches + "), not one");
                    continue;
                }
                String destination = absolute(cp.group(2));
                if (destination.endsWith("/") || stage.jarDirectories.containsKey(destination.replaceAll("/$", ""))) {
                    String directory = destination.replaceAll("/$", "");
                    stage.jarDirectories
                            .computeIfAbsent(directory, d -> new ArrayList<>())
                            .add(matches.getFirst());
                    stage.files.put(directory + "/" + matches.getFirst().getFileName(), 0);
                } else {
                    stage.files.put(destination, 0);
                    stage.repositoryFiles.put(destination, matches.getFirst());
                }
            }
            if (command.matches("(?s)^\\s*java\\s.*")) {
                command(List.of(command.strip().split("\\s+")), where);
            }
        }

        private void healthcheck(String args, String where) {
            int cmd = args.indexOf("CMD ");
            if (cmd < 0) {
                return;
            }
            String executable = args.substring(cmd + 4).strip().split("\\s+")[0];
            if (resolve(executable).isEmpty()) {
                problems.add(where + ": the health check runs " + executable + ", which the image does not have");
            }
        }

        /** An entry point or a {@code RUN java ...}: the executable, and for java its JDK, class path and main class. */
        private void command(List<String> words, String where) {
            List<String> rest = new ArrayList<>(
                    words.stream().map(w -> w.replaceAll("^\"|\"$", "")).toList());
            String executable = rest.removeFirst();
            if (executable.equals("/usr/bin/tini") || executable.equals("tini")) {
                if (resolve(executable).isEmpty()) {
                    problems.add(
                            where + ": the entry point " + executable + " is not in the image (apt-get install tini)");
                }
                if (!rest.isEmpty() && rest.getFirst().equals("--")) {
                    rest.removeFirst();
                }
                executable = rest.removeFirst();
            }
            if (!executable.equals("java")) {
                if (resolve(executable).isEmpty()) {
                    problems.add(where + ": " + executable + " is not in the image");
                }
                return;
            }
            Optional<Integer> jdk = javaOf("java", where);
            List<Path> classPath = new ArrayList<>();
            String mainClass = null;
            String logback = null;
            for (int i = 0; i < rest.size(); i++) {
                String word = rest.get(i);
                if (word.equals("-cp") || word.equals("-classpath")) {
                    String entry = rest.get(++i).replaceAll("/\\*$", "");
                    if (!stage.jarDirectories.containsKey(entry)) {
                        problems.add(where + ": the class path " + rest.get(i)
                                + " names no directory of jars the image has");
                    } else {
                        classPath.addAll(stage.jarDirectories.get(entry));
                    }
                } else if (word.equals("-jar")) {
                    Path jar = stage.repositoryFiles.get(absolute(rest.get(++i)));
                    if (jar == null) {
                        problems.add(where + ": the jar " + rest.get(i) + " is not in the image");
                    } else {
                        classPath.add(jar);
                        mainClass = startClass(jar);
                    }
                    break;
                } else if (word.startsWith("-Dlogback.configurationFile=")) {
                    logback = word.substring("-Dlogback.configurationFile=".length());
                } else if (!word.startsWith("-")) {
                    mainClass = word;
                    break;
                }
            }
            if (mainClass == null) {
                problems.add(where + ": java without a main class");
                return;
            }
            Optional<Integer> required = classVersion(classPath, mainClass);
            if (required.isEmpty()) {
                problems.add(where + ": the main class " + mainClass + " is in no jar of its class path " + classPath);
            } else if (jdk.isPresent()) {
                requireAtLeast(
                        jdk.get(), required.get() - 44, where, "class version " + required.get() + " of " + mainClass);
            }
            String configuration = logback;
            if (configuration != null
                    && !configuration.startsWith("/")
                    && classPath.stream().noneMatch(jar -> hasEntry(jar, configuration))) {
                problems.add(
                        where + ": the logback configuration " + configuration + " is in no jar of the class path");
            }
        }

        private void requireAtLeast(int jdk, int required, String where, String what) {
            if (jdk < required) {
                problems.add(where + ": java resolves to JDK " + jdk + ", but " + what + " needs JDK " + required);
            }
        }

        /** The version of the JDK {@code java} (a name looked up on PATH, or a path) is, reporting when it is none. */
        private Optional<Integer> javaOf(String java, String where) {
            Optional<String> path = resolve(java);
            if (path.isEmpty()) {
                if (!java.startsWith("/")) {
                    problems.add(where + ": no java on the PATH " + stage.env.get("PATH"));
                }
                return Optional.empty();
            }
            int version = stage.files.getOrDefault(path.get(), 0);
            for (Jdk jdk : stage.jdks) {
                if (path.get().equals(jdk.home() + "/bin/java")) {
                    version = jdk.version();
                }
            }
            return version > 0 ? Optional.of(version) : Optional.empty();
        }

        /** Where the shell finds {@code executable}: itself if a path, else the first PATH entry that has it. */
        private Optional<String> resolve(String executable) {
            if (executable.startsWith("/")) {
                return stage.files.containsKey(executable) ? Optional.of(executable) : Optional.empty();
            }
            for (String dir : stage.env.getOrDefault("PATH", STANDARD_PATH).split(":")) {
                if (stage.files.containsKey(dir + "/" + executable)) {
                    return Optional.of(dir + "/" + executable);
                }
            }
            return Optional.empty();
        }

        private String absolute(String path) {
            return absolute(path, stage);
        }

        private static String absolute(String path, Stage in) {
            String p = path.startsWith("/") ? path : (in.workdir.endsWith("/") ? in.workdir : in.workdir + "/") + path;
            return p.length() > 1 && p.endsWith("/") && !path.endsWith("/") ? p.substring(0, p.length() - 1) : p;
        }
    }

    // ------------------------------------------------------------------ the repository after mvn package

    /** Files of the repository matching a {@code cp} pattern relative to the repository root (the build's WORKDIR). */
    static List<Path> glob(String pattern) {
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        Path dir = ROOT.resolve(pattern).getParent();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> matcher.matches(ROOT.relativize(f)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The reactor jars on {@code module}'s runtime class path: its own and those of the modules it depends on. */
    static List<Path> moduleJarsOf(String module) {
        List<Path> jars = new ArrayList<>();
        String pom = read(ROOT.resolve(module + "/pom.xml"));
        for (String other : MODULES) {
            if (other.equals(module)
                    || pom.matches("(?s).*<artifactId>" + other + "</artifactId>\\s*</dependency>.*")) {
                List<Path> found = glob(other + "/target/" + other + "-*.jar");
                jars.addAll(found.stream()
                        .filter(j -> !j.toString().matches(".*-(exec|tests|sources|javadoc)\\.jar"))
                        .toList());
                if (!other.equals(module)) {
                    jars.addAll(moduleJarsOf(other).stream()
                            .filter(j -> !jars.contains(j))
                            .toList());
                }
            }
        }
        return jars.stream().distinct().toList();
    }

    /** The class-file major version of {@code mainClass} in the first jar of {@code classPath} that has it. */
    static Optional<Integer> classVersion(List<Path> classPath, String mainClass) {
        String entry = mainClass.replace('.', '/') + ".class";
        for (Path jar : classPath) {
            try (JarFile file = new JarFile(jar.toFile())) {
                ZipEntry found =
                        Optional.ofNullable(file.getEntry(entry)).orElse(file.getEntry("BOOT-INF/classes/" + entry));
                if (found != null) {
                    try (DataInputStream in = new DataInputStream(file.getInputStream(found))) {
                        if (in.readInt() != 0xCAFEBABE) {
                            throw new IllegalStateException(entry + " in " + jar + " is not a class file");
                        }
                        in.readUnsignedShort(); // minor
                        return Optional.of(in.readUnsignedShort());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Optional.empty();
    }

    /** A Spring Boot jar's application class ({@code Start-Class}), else its {@code Main-Class}. */
    static String startClass(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String start = manifest.getMainAttributes().getValue("Start-Class");
            return start != null ? start : manifest.getMainAttributes().getValue("Main-Class");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean hasEntry(Path jar, String name) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getEntry(name) != null || file.getEntry("BOOT-INF/classes/" + name) != null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Dockerfile's instructions, continuation lines joined, comments left out: {keyword, arguments}. */
    static List<String[]> instructions(String text) {
        List<String[]> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.lines().toList()) {
            String stripped = line.strip();
            if (stripped.startsWith("#") || (stripped.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (stripped.endsWith("\\")) {
                current.append(stripped, 0, stripped.length() - 1).append(' ');
                continue;
            }
            current.append(stripped);
            String instruction = current.toString().strip();
            current.setLength(0);
            if (instruction.isEmpty()) {
                continue;
            }
            int space = instruction.indexOf(' ');
            instructions.add(
                    new String[] {instruction.substring(0, space).toUpperCase(), instruction.substring(space + 1)});
        }
        return instructions;
    }

    static List<String> jsonArray(String text, String where) {
        String t = text.strip();
        if (!t.startsWith("[") || !t.endsWith("]")) {
            throw new AssertionError(where + ": use the exec form [\"...\"], so that signals reach the process");
        }
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(t);
        while (m.find()) {
            words.add(m.group(1));
        }
        return words;
    }

    private static String read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
