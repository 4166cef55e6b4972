import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The warm Java compiler (runs inside its own bubblewrap sandbox, started in source-file mode by
 * io.codingengine.executor.compile.JavacService, so it needs no build step and runs on every JDK
 * from 17). One compile at a time: a request is one line of javac arguments separated by NUL,
 * naming files of the working directory that the host filled; the answer is
 * "exitCode cpuNanos length" and then the diagnostics, exactly what the javac command prints.
 * Each compile runs on a fresh thread with the JVM's default stack, like the javac launcher's main
 * thread, so deep nesting fails the same way. After a compiler crash (exit code 3 or 4: out of
 * memory, stack overflow) the server exits and the host starts a fresh one.
 */
public final class JavacServer {

    public static void main(String[] args) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        OutputStream protocol = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
        System.setOut(System.err);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        protocol.write("ready\n".getBytes(StandardCharsets.US_ASCII));
        protocol.flush();
        String line;
        while ((line = in.readLine()) != null) {
            String[] javacArgs = line.split("\u0000");
            ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
            int[] code = {4};
            long[] cpu = {0};
            Throwable[] fatal = {null};
            Thread compile = new Thread(() -> {
                try {
                    code[0] = javac.run(null, diagnostics, diagnostics, javacArgs);
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
}
