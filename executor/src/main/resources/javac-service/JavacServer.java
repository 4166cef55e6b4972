import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import com.sun.tools.javac.api.JavacTaskImpl;

/**
 * The warm Java compiler (runs inside its own bubblewrap sandbox, started in source-file mode by
 * io.codingengine.executor.compile.JavacService, so it needs no build step and runs on every JDK
 * from 17). One compile at a time: a request is two lines, javac's options (from the language
 * catalogue) and then the source files (relative paths in the working directory, which the host
 * filled), each list separated by NUL. The answer is "exitCode cpuNanos length" and then the
 * diagnostics, what the javac command prints.
 *
 * <p>This JVM serves every user of its JDK in turn, so no code of a submission may ever run in
 * it. javac runs foreign code only through class loaders: annotation processors and plugins
 * (including plugins that start themselves, found through META-INF/services on the class path,
 * with or without -proc:none) come from the file manager's class loaders, and JDK service
 * providers from the system class loader. So (1) file names are handed to javac as compilation
 * units, never parsed as options (an "@file" or "-processor" name stays a file name); (2) the file
 * manager answers every class-loader and service-loader request with a loader that sees only the
 * JDK; (3) the JVM's own class path (set by the host) is a read-only directory of the server, never
 * the working directory. The host additionally never lets a file name begin with '-' or '@'.
 *
 * <p>Each compile runs on a fresh thread with the JVM's default stack, like the javac launcher's
 * main thread, so deep nesting fails the same way, and with a fresh file manager, so nothing of
 * one compile (a cached directory listing) is seen by the next. After a compiler crash (exit code
 * 3 or 4: out of memory, stack overflow) the server exits and the host starts a fresh one.
 */
public final class JavacServer {

    /** Sees the JDK only: what javac gets for every class loader it asks for. */
    private static final ClassLoader JDK_ONLY = new ClassLoader(ClassLoader.getPlatformClassLoader()) {
    };

    public static void main(String[] args) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        OutputStream protocol = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
        System.setOut(System.err);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        protocol.write("ready\n".getBytes(StandardCharsets.US_ASCII));
        protocol.flush();
        String optionLine;
        while ((optionLine = in.readLine()) != null) {
            String fileLine = in.readLine();
            if (fileLine == null) {
                return;
            }
            List<String> options = new ArrayList<>(split(optionLine));
            // Annotation processing stays off whatever the request says (also enforced by the loaders).
            options.add("-proc:none");
            List<String> files = split(fileLine);
            ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
            int[] code = {4};
            long[] cpu = {0};
            Throwable[] fatal = {null};
            Thread compile = new Thread(() -> {
                try {
                    code[0] = compile(javac, options, files, diagnostics);
                } catch (Throwable t) {
                    fatal[0] = t;
                }
                cpu[0] = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            }, "compile");
            compile.start();
            compile.join();
            byte[] text = diagnostics.toByteArray();
            protocol.write((code[0] + " " + cpu[0] + " " + text.length + "\n").getBytes(StandardCharsets.US_ASCII));
            protocol.write(text);
            protocol.flush();
            if (fatal[0] != null || code[0] >= 3) {
                System.exit(3);
            }
        }
    }

    /**
     * javac's exit code, as the javac command gives it: 0 compiled, 1 errors in the sources, 2 a bad
     * option, 3 out of resources, 4 a crash ({@code doCall} tells them apart, {@code call} does not;
     * the host exports its package to this class).
     */
    private static int compile(JavaCompiler javac, List<String> options, List<String> files, ByteArrayOutputStream diagnostics)
            throws IOException {
        OutputStreamWriter out = new OutputStreamWriter(diagnostics, StandardCharsets.UTF_8);
        try (StandardJavaFileManager standard = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8);
             JavaFileManager manager = new NoForeignCode(standard)) {
            int code;
            try {
                var task = (JavacTaskImpl) javac.getTask(out, manager, null, options, null,
                        standard.getJavaFileObjectsFromStrings(files));
                code = task.doCall().exitCode;
            } catch (IllegalArgumentException e) {
                out.write("error: " + e.getMessage() + "\n");
                out.flush();
                return 2;
            } catch (RuntimeException e) {
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw e;
            }
            out.flush();
            return code;
        }
    }

    private static List<String> split(String line) {
        return line.isEmpty() ? List.of() : Arrays.asList(line.split("\u0000", -1));
    }

    /** A file manager that gives javac no way to load a class from outside the JDK. */
    private static final class NoForeignCode extends ForwardingJavaFileManager<StandardJavaFileManager> {

        NoForeignCode(StandardJavaFileManager standard) {
            super(standard);
        }

        @Override
        public ClassLoader getClassLoader(Location location) {
            return JDK_ONLY;
        }

        @Override
        public <S> ServiceLoader<S> getServiceLoader(Location location, Class<S> service) throws IOException {
            throw new IOException("no service loading from " + location.getName());
        }

        @Override
        public boolean hasLocation(Location location) {
            if (location == StandardLocation.ANNOTATION_PROCESSOR_MODULE_PATH) {
                return false;
            }
            return super.hasLocation(location);
        }
    }
}
