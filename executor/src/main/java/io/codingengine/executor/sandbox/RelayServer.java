package io.codingengine.executor.sandbox;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A slot's resident relay server ({@code ce-sandbox serve}): started once, it keeps a relay forked
 * in advance, so a run is a connection to a Unix socket rather than a process started from the JVM
 * (about 2 ms of {@code fork}/{@code exec} from a large process, and as much again waiting for the
 * relay to exit). The socket lives in a root-only directory, and the server accepts only our uid.
 * A server that died is started again on the next run; it exits by itself when the JVM does (its
 * stdin closes), and with it every relay it forked.
 */
final class RelayServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RelayServer.class);

    private final Path helper;
    private final Path socket;
    private final int slot;
    private Process process;
    private boolean closed;

    RelayServer(Path helper, Path dir, int slot) {
        this.helper = helper;
        this.slot = slot;
        this.socket = dir.resolve(slot + ".sock");
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
    }

    /** A connection to a relay of this slot, starting the server first when it is not running. */
    synchronized SocketChannel connect() throws IOException {
        if (closed) {
            throw new IOException("the sandbox is closed");
        }
        if (process == null || !process.isAlive()) {
            start();
        }
        return SocketChannel.open(UnixDomainSocketAddress.of(socket));
    }

    private void start() throws IOException {
        if (process != null) {
            LOG.warn("relay server of slot {} ended ({}); starting it again", slot, process.exitValue());
        }
        ProcessBuilder builder = new ProcessBuilder(helper.toString(), "serve", socket.toString());
        // Nothing of the engine's environment (credentials among it) reaches a relay or a box init.
        builder.environment().clear();
        Process started = builder.start();
        // A platform thread: a virtual one blocked on the pipe for the server's life would hold
        // its carrier, and one per slot would stop every virtual thread of the JVM.
        Thread.ofPlatform().daemon().name("relay-server-" + slot + "-stderr").start(() -> log(started));
        if (started.getInputStream().read() != 'r') {
            started.destroyForcibly();
            throw new IOException("the relay server of slot " + slot + " did not start (see its log above)");
        }
        process = started;
    }

    /**
     * Kills the server and the relays it started (they have it as parent-death signal, which
     * reaches even a stopped process), so the next {@link #connect()} starts a fresh one: after a
     * relay of this slot hung.
     */
    synchronized void restart() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The server's and its relays' own errors (a run's errors come back on its connection). */
    private void log(Process server) {
        try (BufferedReader err =
                new BufferedReader(new InputStreamReader(server.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = err.readLine()) != null; ) {
                LOG.warn("relay server of slot {}: {}", slot, line);
            }
        } catch (IOException e) {
            LOG.debug("relay server of slot {}: stderr closed: {}", slot, e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (process != null) {
            // Runs still going on end with it (their relays have it as parent-death signal).
            process.destroy();
        }
    }
}
