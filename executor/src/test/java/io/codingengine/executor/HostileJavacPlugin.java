package io.codingengine.executor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.tools.ToolProvider;

/**
 * A real javac plugin that starts itself: javac loads every {@code com.sun.source.util.Plugin}
 * that META-INF/services names on its class path (the working directory, by default) and starts
 * those whose {@code autoStart()} is true, with or without {@code -proc:none}. Shipped as a class
 * file and a services file beside a harmless Main.java, it would run the submitter's code inside
 * the compiler. When it runs it says so on stderr, creates {@link #MARK} in the working directory
 * and fails the compile.
 */
public final class HostileJavacPlugin {

    public static final String SAYS = "HOSTILE PLUGIN RAN";
    public static final String MARK = "plugin-ran";
    public static final String SERVICES = "META-INF/services/com.sun.source.util.Plugin";
    private static final String SOURCE = """
            public class Evil implements com.sun.source.util.Plugin {
                public String getName() { return "evil"; }
                public boolean autoStart() { return true; }
                public void init(com.sun.source.util.JavacTask task, String... args) {
                    System.err.println("%s");
                    try { java.nio.file.Files.writeString(java.nio.file.Path.of("%s"), "x"); } catch (Exception e) { }
                    throw new IllegalStateException("%s");
                }
            }
            """.formatted(SAYS, MARK, SAYS);

    private HostileJavacPlugin() {}

    /** The plugin's files: {@code Evil.class} (for Java 17 and later) and its services file. */
    public static Map<String, byte[]> files() {
        try {
            Path dir = Files.createTempDirectory("ce-hostile-plugin-");
            Files.writeString(dir.resolve("Evil.java"), SOURCE);
            ByteArrayOutputStream errors = new ByteArrayOutputStream();
            int rc = ToolProvider.getSystemJavaCompiler()
                    .run(
                            null,
                            errors,
                            errors,
                            "--release",
                            "17",
                            "-d",
                            dir.toString(),
                            dir.resolve("Evil.java").toString());
            if (rc != 0) {
                throw new IllegalStateException("cannot build the plugin: " + errors.toString(StandardCharsets.UTF_8));
            }
            byte[] evil = Files.readAllBytes(dir.resolve("Evil.class"));
            return Map.of("Evil.class", evil, SERVICES, "Evil\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
