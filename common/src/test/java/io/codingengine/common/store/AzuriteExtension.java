package io.codingengine.common.store;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one Azurite (the npm package, run by {@code node}) per test JVM, on free loopback ports
 * with in-memory persistence, and stops it when the JVM's tests are done. Test classes use it with
 * {@code @ExtendWith(AzuriteExtension.class)} and take {@link #connectionString()}; each class
 * isolates itself with its own table and container name prefix.
 *
 * <p>Azurite is looked up at {@code $AZURITE_JS}, else at
 * {@code <repo>/.tools/azurite/node_modules/azurite/dist/src/azurite.js}, where
 * {@code scripts/azurite.sh install} puts it. Missing node or Azurite fail the tests with a
 * message that says how to install them; they are never skipped.
 */
public final class AzuriteExtension implements BeforeAllCallback {

    private static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private static Azurite instance;

    /** A running Azurite; closing it stops the process. */
    record Azurite(Process process, int blobPort, int tablePort, Path log) implements AutoCloseable {
        @Override
        public void close() {
            stop(this);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    /** The connection string of the running instance; starts it when needed. */
    public static synchronized String connectionString() {
        try {
            start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return AzureStorage.azuriteConnectionString(HOST, instance.blobPort(), instance.tablePort());
    }

    private static synchronized void start() throws IOException {
        if (instance != null && instance.process().isAlive()) {
            return;
        }
        instance = launch(List.of());
    }

    /**
     * A second Azurite of its own that serves HTTPS with the certificate in {@code pfx} and takes
     * only OAuth bearer tokens (Azurite's {@code --oauth basic}: issuer, audience and lifetime are
     * checked, the signature is not), as Azure Storage does for a managed identity.
     */
    static Azurite startWithOAuth(Path pfx, String password) throws IOException {
        return launch(List.of("--oauth", "basic", "--cert", pfx.toString(), "--pwd", password));
    }

    private static Azurite launch(List<String> extraArguments) throws IOException {
        Path script = locate();
        String node = findNode();
        int blobPort = freePort();
        int tablePort = freePort();
        int queuePort = freePort();
        Path log = Files.createTempFile("azurite-", ".log");
        Path workspace = Files.createTempDirectory("azurite-");
        workspace.toFile().deleteOnExit();
        log.toFile().deleteOnExit();
        List<String> command = new ArrayList<>(List.of(
                node,
                script.toString(),
                "--blobHost",
                HOST,
                "--blobPort",
                String.valueOf(blobPort),
                "--tableHost",
                HOST,
                "--tablePort",
                String.valueOf(tablePort),
                "--queueHost",
                HOST,
                "--queuePort",
                String.valueOf(queuePort),
                "--inMemoryPersistence",
                "--skipApiVersionCheck",
                "--loose",
                "--disableProductStyleUrl",
                "--disableTelemetry"));
        command.addAll(extraArguments);
        Process process = new ProcessBuilder(command)
                .directory(workspace.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Azurite azurite = new Azurite(process, blobPort, tablePort, log);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(azurite), "azurite-stop"));
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!(answers(blobPort) && answers(tablePort))) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Azurite exited at start (code " + process.exitValue()
                        + "); its output:\n" + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                stop(azurite);
                throw new IllegalStateException("Azurite did not answer on ports " + blobPort + "/" + tablePort
                        + " within " + START_TIMEOUT + "; its output:\n" + Files.readString(log));
            }
            sleep(100);
        }
        return azurite;
    }

    private static void stop(Azurite azurite) {
        Process process = azurite.process();
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static Path locate() {
        String configured = System.getenv("AZURITE_JS");
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (Files.isRegularFile(path)) {
                return path;
            }
            throw new IllegalStateException("AZURITE_JS=" + configured + " is not a file");
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(".tools/azurite/node_modules/azurite/dist/src/azurite.js");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            if (Files.isRegularFile(dir.resolve("scripts/azurite.sh"))) {
                break;
            }
        }
        throw new IllegalStateException("Azurite is not installed: run `scripts/azurite.sh install`"
                + " (needs node and npm: apt-get install nodejs npm), or set AZURITE_JS to azurite.js");
    }

    private static String findNode() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path node = Path.of(dir, "node");
            if (Files.isExecutable(node)) {
                return node.toString();
            }
        }
        throw new IllegalStateException(
                "node is not on the PATH: apt-get install nodejs npm, then" + " scripts/azurite.sh install");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
