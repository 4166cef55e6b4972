package io.codingengine.executor;

import io.codingengine.common.execution.StageLimits;
import io.codingengine.executor.sandbox.Box;
import io.codingengine.executor.sandbox.RunOutcome;
import io.codingengine.executor.sandbox.RunSpec;
import io.codingengine.executor.sandbox.Sandbox;
import io.codingengine.executor.sandbox.SandboxConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The slot's resident relay server ({@code ce-sandbox serve}) with real programs in the real
 * sandbox: killed from outside, fed large and slowly read stdin, approached by other uids and by
 * programs in a box, and used for many runs in a row. Every run here is in the one slot, so the
 * server under test is always the same process until a test kills it; after each test nothing of
 * the slot's uid runs, no run cgroup is left, and the server has exactly its one relay forked in
 * advance and no zombie below it.
 */
class RelayServerTest {

    private static final int UID = 65450;
    private static final String CGROUP = "coding-engine-relay-test";
    private static final int NOBODY = 65534;
    private static final Path DATA_DIR = tempDir();
    private static final Path RELAY_DIR = DATA_DIR.resolve("relay");
    private static final Path SOCKET = RELAY_DIR.resolve("0.sock");
    private static final Sandbox SANDBOX = new Sandbox(SandboxConfig.defaults().withDataDir(DATA_DIR).withSlots(1)
            .withUidBase(UID).withCgroupName(CGROUP));
    private static final StageLimits LIMITS = new StageLimits(Duration.ofSeconds(5), Duration.ofSeconds(10),
            256L << 20, 16, 1 << 20, 1 << 20, 64, 16L << 20, 256);
    private static final Duration SETTLE = Duration.ofSeconds(5);

    @AfterAll
    static void close() {
        SANDBOX.close();
    }

    @AfterEach
    void nothingLeft() {
        HostCheck.assertNothingLeft(UID, 1, CGROUP);
        long server = server();
        awaitOneRelay(server);
        assertEquals(List.of(), zombiesBelow(server), "zombies below the relay server");
    }

    @Test
    void aServerKilledBetweenRunsIsReplacedAndTheBoxStaysPreStarted() throws Exception {
        try (Box box = SANDBOX.open(16L << 20, 256)) {
            assertPreStarted(reverse(box, "olleh"), "hello");
            // Killed and given time to be gone and reaped: the plain case.
            long killed = server();
            kill(killed);
            awaitGone(killed);
            assertPreStarted(reverse(box, "retal"), "later");
            assertNotEquals(killed, server(), "a new relay server");

            // Killed just before a run, which may meet the dying server and its relay (or, on a busy
            // machine, the relay may still serve it): it may go on in another box, but it succeeds,
            // and the run after it is in a pre-started box again, through a new server.
            for (int i = 0; i < 20; i++) {
                killed = server();
                long relay = awaitOneRelay(killed);
                kill(killed);
                RunOutcome right = reverse(box, "dlrow");
                assertNull(right.internalError(), describe(right));
                assertTrue(stdout(right).endsWith(" world\n"), describe(right));
                awaitGone(killed);
                awaitDead(relay);
                assertPreStarted(reverse(box, "niaga"), "again");
                assertNotEquals(killed, server(), "a new relay server");
            }
            long built = SANDBOX.boxesBuilt();
            long restarted = server();
            assertPreStarted(reverse(box, "emas"), "same");
            assertEquals(built, SANDBOX.boxesBuilt(), "the same pre-started box");
            assertEquals(restarted, server(), "through the same server");

            // Its relay forked in advance killed instead: the server forks another.
            long relay = awaitOneRelay(server());
            kill(relay);
            assertPreStarted(reverse(box, "yaler"), "relay");
            awaitDead(relay);
        }
        long server = server();
        assertEquals(List.of(), serverProcesses().stream().filter(p -> p != server && ppid(p) != server)
                .map(RelayServerTest::describe).toList(), "nothing of the killed servers");
    }

    @Test
    void anUnreachableServerIsABoxErrorAndTheRunGoesOnInAFreshBox() throws Exception {
        try (Box box = SANDBOX.open(16L << 20, 256)) {
            long killed = server();
            kill(killed);
            awaitGone(killed);
            // A server cannot listen where its socket's directory is a file.
            Path moved = DATA_DIR.resolve("relay-moved");
            Files.move(RELAY_DIR, moved);
            Files.writeString(RELAY_DIR, "not a directory");
            try {
                RunOutcome fresh = reverse(box, "hserf");
                assertNull(fresh.internalError(), fresh.internalError());
                String[] out = stdout(fresh).trim().split(" ");
                assertEquals("fresh", out[1], stdout(fresh));
                assertNotEquals(pinnedUts(), Long.parseLong(out[0]), "run in a box of its own, not the pre-started one");
            } finally {
                Files.delete(RELAY_DIR);
                Files.move(moved, RELAY_DIR);
            }
            assertPreStarted(reverse(box, "kcab"), "back");
        }
    }

    @Test
    void largeStdinReachesTheProgramByteForByte() throws Exception {
        String program = """
                import hashlib, sys
                data = sys.stdin.buffer.read()
                print(len(data), hashlib.sha256(data).hexdigest())
                """;
        Random random = new Random(42);
        try (Box box = SANDBOX.open(16L << 20, 256)) {
            for (int size : new int[]{0, 1, 4095, 4096, 65535, 65536, 65537, 131072, 5 << 20}) {
                byte[] stdin = new byte[size];
                random.nextBytes(stdin);
                RunOutcome r = run(box, stdin, "/usr/bin/python3", "-c", program);
                assertEquals(size + " " + sha256(stdin) + "\n", stdout(r), size + " bytes: " + describe(r));
            }
        }
    }

    @Test
    void aProgramThatIgnoresItsStdinDoesNotHangTheRun() throws Exception {
        byte[] stdin = new byte[5 << 20];
        try (Box box = SANDBOX.open(16L << 20, 256)) {
            for (List<String> command : List.of(List.of("/bin/true"), List.of("/bin/sh", "-c", "exec 0<&-; echo closed"),
                    List.of("/usr/bin/head", "-c", "3"))) {
                RunOutcome r = run(box, stdin, command.toArray(String[]::new));
                assertEquals(0, r.exitCode(), describe(r));
                assertNull(r.timeout(), describe(r));
                assertTrue(r.wallNanos() < Duration.ofSeconds(2).toNanos(), "ended at once: " + describe(r));
            }
            // The connection's unread stdin is not the next run's.
            RunOutcome next = run(box, "next\n".getBytes(StandardCharsets.US_ASCII), "/usr/bin/python3", "-c",
                    "import sys; print(repr(sys.stdin.read()))");
            assertEquals("'next\\n'\n", stdout(next), describe(next));
        }
    }

    @Test
    void aSlowReaderStillGetsEverything() throws Exception {
        String program = """
                import hashlib, sys, time
                h, n = hashlib.sha256(), 0
                while chunk := sys.stdin.buffer.read1(4096):
                    h.update(chunk); n += len(chunk)
                    time.sleep(0.002)
                print(n, h.hexdigest())
                """;
        byte[] stdin = new byte[3 << 20];
        new Random(7).nextBytes(stdin);
        try (Box box = SANDBOX.open(16L << 20, 256)) {
            RunOutcome r = run(box, stdin, "/usr/bin/python3", "-c", program);
            assertEquals(stdin.length + " " + sha256(stdin) + "\n", stdout(r), describe(r));
            assertTrue(r.wallNanos() > Duration.ofSeconds(1).toNanos(), "it did read slowly: " + describe(r));
        }
    }

    @Test
    void anotherUidCannotReachTheSocket() throws Exception {
        String client = """
                import os, socket
                print('uids', os.getresuid())
                for what, attempt in [('list', lambda: os.listdir(os.path.dirname(SOCK))),
                                      ('stat', lambda: os.stat(SOCK)),
                                      ('connect', lambda: socket.socket(socket.AF_UNIX).connect(SOCK))]:
                    try:
                        attempt(); print(what, 'allowed')
                    except OSError as e:
                        print(what, e.errno)
                """.replace("SOCK", "'" + SOCKET + "'");
        String nobody = Integer.toString(NOBODY);
        assertEquals("uids (" + nobody + ", " + nobody + ", " + nobody + ")\nlist 13\nstat 13\nconnect 13\n",
                host(client, "setpriv", "--reuid", nobody, "--regid", nobody, "--clear-groups"));
    }

    @Test
    void aConnectionFromAnotherUidIsRefusedByThePeerCheck() throws Exception {
        // Root's rights to reach the path, but uid 65534 as the effective uid the kernel reports to
        // the server: the file system lets it connect, so the server's own check must refuse it.
        String client = """
                import ctypes, os, socket, struct
                os.setresgid(0, NOBODY, 0); os.setresuid(0, NOBODY, 0)
                ctypes.CDLL(None).setfsuid(0)
                print('euid', os.geteuid())
                s = socket.socket(socket.AF_UNIX); s.connect(SOCK)
                args = b'--uid\\0NOBODY\\0--\\0/bin/sh\\0-c\\0echo ran > /tmp/ce-relay-test-ran\\0'
                try:
                    s.sendall(struct.pack('>I', len(args)) + args + struct.pack('>Q', 0))
                except BrokenPipeError:
                    pass  # refused before the request was read
                frames = b''
                try:
                    while chunk := s.recv(65536):
                        frames += chunk
                except ConnectionResetError:
                    pass  # the relay left our request unread: the kernel says so after its last frame
                while frames:
                    tag, n = frames[0:1], struct.unpack('>I', frames[1:5])[0]
                    print(tag.decode(), frames[5:5 + n].decode().strip())
                    frames = frames[5 + n:]
                """.replace("NOBODY", Integer.toString(NOBODY)).replace("SOCK", "'" + SOCKET + "'");
        Path ran = Path.of("/tmp/ce-relay-test-ran");
        Files.deleteIfExists(ran);
        long server = server();
        assertEquals("euid " + NOBODY + "\ns error=ce-sandbox: a connection from uid " + NOBODY + " refused\n", host(client));
        assertFalse(Files.exists(ran), "nothing ran");
        assertEquals(server, server(), "the server is still the same");
        try (Box box = SANDBOX.open(16L << 20, 256)) {
            RunOutcome r = run(box, new byte[0], "/bin/echo", "still serving");
            assertEquals("still serving\n", stdout(r), describe(r));
        }
    }

    @Test
    void aProgramInABoxCannotSeeTheRelayDirectory() throws Exception {
        String program = """
                import os, socket
                print(os.path.exists(DATA), os.path.exists(RELAY), os.path.exists(SOCK))
                try:
                    socket.socket(socket.AF_UNIX).connect(SOCK); print('connected')
                except OSError as e:
                    print('connect', e.errno)
                print(sorted(p for p in os.listdir('/proc') if p.isdigit()))
                """.replace("DATA", "'" + DATA_DIR + "'").replace("RELAY", "'" + RELAY_DIR + "'")
                .replace("SOCK", "'" + SOCKET + "'");
        try (Box box = SANDBOX.open(16L << 20, 256)) {
            RunOutcome r = run(box, new byte[0], "/usr/bin/python3", "-c", program);
            assertEquals("False False False\nconnect 2\n['1', '2']\n", stdout(r), describe(r));
        }
    }

    @Test
    void manyRunsInARowLeaveNoRelaysOrZombiesBehind() throws Exception {
        long server = server();
        long first = awaitOneRelay(server);
        try (Box box = SANDBOX.open(16L << 20, 256)) {
            for (int i = 0; i < 200; i++) {
                RunOutcome r = run(box, ("run " + i + "\n").getBytes(StandardCharsets.US_ASCII), "/bin/cat");
                assertEquals("run " + i + "\n", stdout(r), describe(r));
            }
        }
        assertEquals(server, server(), "one server served every run");
        assertNotEquals(first, awaitOneRelay(server), "the runs took relays, and one waits for the next run");
        assertEquals(List.of(), zombiesBelow(server), "zombies below the server");
    }

    // ------------------------------------------------------------------ runs

    /** Prints the inode of the run's uts namespace and its stdin reversed. */
    private static RunOutcome reverse(Box box, String stdin) throws InterruptedException {
        return run(box, (stdin + "\n").getBytes(StandardCharsets.UTF_8), "/usr/bin/python3", "-c",
                "import os; print(os.stat('/proc/self/ns/uts').st_ino, input()[::-1])");
    }

    private static RunOutcome run(Box box, byte[] stdin, String... command) throws InterruptedException {
        return box.run(new RunSpec(List.of(command), Map.of("PATH", "/usr/bin:/bin"), stdin, LIMITS));
    }

    /** The program printed its uts namespace (the pinned one of the slot's box) and {@code expected}. */
    private static void assertPreStarted(RunOutcome r, String expected) {
        assertNull(r.internalError(), describe(r));
        assertEquals(pinnedUts() + " " + expected + "\n", stdout(r), "ran in the pre-started box: " + describe(r));
    }

    /** The inode of the uts namespace pinned for slot 0's pre-started box. */
    private static long pinnedUts() {
        try {
            return (Long) Files.getAttribute(DATA_DIR.resolve("pool/0/uts"), "unix:ino");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String stdout(RunOutcome r) {
        return new String(r.stdout(), StandardCharsets.UTF_8);
    }

    private static String describe(RunOutcome r) {
        String output = new String(r.output(), StandardCharsets.UTF_8);
        return "exit " + r.exitCode() + " signal " + r.signal() + " timeout " + r.timeout() + " wall "
                + r.wallNanos() / 1_000_000 + " ms, error " + r.internalError() + ": "
                + (output.length() > 500 ? output.substring(0, 500) + "..." : output);
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a Python client on the host (outside every box), behind {@code prefix}; returns its stdout. */
    private static String host(String client, String... prefix) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(prefix));
        command.addAll(List.of("/usr/bin/python3", "-c", client));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    // ------------------------------------------------------------------ processes

    /** The slot's relay server: our child running {@code serve} on the slot's socket. */
    private static long server() {
        List<Long> servers = serverProcesses().stream().filter(p -> ppid(p) == ProcessHandle.current().pid()).toList();
        assertEquals(1, servers.size(), "one relay server: " + servers);
        return servers.getFirst();
    }

    /** Every process showing {@code serve SOCKET}: servers and the relays they forked. */
    private static List<Long> serverProcesses() {
        return pids().filter(p -> cmdline(p).equals(List.of(DATA_DIR.resolve("bin/ce-sandbox").toString(), "serve",
                SOCKET.toString()))).toList();
    }

    /** Waits until {@code server} has exactly one child (its relay forked in advance); returns it. */
    private static long awaitOneRelay(long server) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        List<Long> children;
        while ((children = children(server)).size() != 1 && System.nanoTime() < deadline) {
            sleep();
        }
        assertEquals(1, children.size(), "the server's children: " + children.stream().map(RelayServerTest::describe).toList());
        return children.getFirst();
    }

    /** SIGKILL, as from outside: the engine is not told. */
    private static void kill(long pid) {
        assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly(), "killed " + pid);
    }

    /** Waits until our child {@code pid} is gone, reaped by us rather than left a zombie. */
    private static void awaitGone(long pid) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (Files.exists(Path.of("/proc/" + pid)) && System.nanoTime() < deadline) {
            sleep();
        }
        assertFalse(Files.exists(Path.of("/proc/" + pid)), "still there: " + describe(pid));
    }

    /**
     * Waits until {@code pid}, a relay whose server was killed, is dead: gone, or a zombie of the
     * host's init, which reaps orphans at its own pace (here about every two seconds).
     */
    private static void awaitDead(long pid) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (!dead(pid) && System.nanoTime() < deadline) {
            sleep();
        }
        assertTrue(dead(pid), "still alive: " + describe(pid));
    }

    private static boolean dead(long pid) {
        String stat = stat(pid);
        return stat.isEmpty() || stat.startsWith("Z") && ppid(pid) == 1;
    }

    private static List<String> zombiesBelow(long root) {
        List<String> zombies = new ArrayList<>();
        List<Long> frontier = new ArrayList<>(List.of(root));
        while (!frontier.isEmpty()) {
            long pid = frontier.removeLast();
            for (long child : children(pid)) {
                if (stat(child).startsWith("Z")) {
                    zombies.add(describe(child));
                }
                frontier.add(child);
            }
        }
        return zombies;
    }

    private static List<Long> children(long parent) {
        return pids().filter(p -> ppid(p) == parent).toList();
    }

    private static Stream<Long> pids() {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+")).map(Long::valueOf)
                    .toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** State and the fields after it of /proc/PID/stat ("" once gone). */
    private static String stat(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2);
        } catch (IOException e) {
            return "";
        }
    }

    private static long ppid(long pid) {
        String[] fields = stat(pid).split(" ");
        return fields.length > 1 ? Long.parseLong(fields[1]) : -1;
    }

    private static List<String> cmdline(long pid) {
        try {
            String line = Files.readString(Path.of("/proc/" + pid + "/cmdline"));
            return line.isEmpty() ? List.of() : List.of(line.split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String describe(long pid) {
        return pid + " " + String.join(" ", cmdline(pid)) + " [" + stat(pid).split(" ")[0] + "]";
    }

    private static void sleep() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("ce-relay-test-");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
