package io.codingengine.api.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One real OS process of a system test (Azurite, the api, a worker), its output appended to a log
 * file under {@code target/} that failure messages quote. Java processes run on the test JVM's own
 * java binary and class path, with the JVM flags every process of the engine needs.
 */
final class TestProcess {

    /** What Netty (Artemis) and the executor's FFM calls need on JDK 25, as in the surefire argLine. */
    static final List<String> JVM_FLAGS = List.of(
            "--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow",
            "-Dio.netty.noUnsafe=false",
            // Short-lived JVMs on 2 cores: start fast, stay small.
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xmx384m");

    private final String name;
    private final List<String> command;
    private final Path log;
    private Process process;
    /** Where the current run's output starts in the log. */
    private long startOffset;

    private TestProcess(String name, List<String> command, Path log) {
        this.name = name;
        this.command = List.copyOf(command);
        this.log = log;
    }

    /** Starts {@code mainClass} in a new JVM with these program arguments. */
    static TestProcess java(String name, Path logDir, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        return start(name, logDir, command);
    }

    static TestProcess start(String name, Path logDir, List<String> command) {
        TestProcess p = new TestProcess(name, command, logDir.resolve(name + ".log"));
        p.start();
        return p;
    }

    /** Starts the same command again (same ports, same data), appending to the same log. */
    TestProcess restart() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is still running");
        }
        start();
        return this;
    }

    private void start() {
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(
                    log,
                    "==== start: " + String.join(" ", command.subList(0, Math.min(3, command.size()))) + " ...\n",
                    StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            startOffset = Files.size(log);
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    String name() {
        return name;
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The running process, to find what it started (its sandbox's helpers). */
    ProcessHandle handle() {
        return process.toHandle();
    }

    /** The exit code once it has exited. */
    int exitValue() {
        return process.exitValue();
    }

    /** SIGKILL, as a crash or an OOM kill would: no shutdown hook runs. Children go too. */
    void kill() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        // The sandbox's children die with the worker (PDEATHSIG); this only makes sure of it.
        children.forEach(ProcessHandle::destroyForcibly);
        waitFor(10);
    }

    /** SIGTERM (a clean shutdown), SIGKILL if it has not exited in 20 s. */
    void stop() {
        if (!isAlive()) {
            return;
        }
        process.destroy();
        if (!waitFor(20)) {
            kill();
        }
    }

    private boolean waitFor(int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The whole log so far. */
    String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    boolean logContains(String text) {
        return output().contains(text);
    }

    /** Whether the current run (since the last start) printed {@code text}. */
    boolean printedSinceStart(String text) {
        String out = output();
        return out.length() >= startOffset && out.substring((int) startOffset).contains(text);
    }

    /** The end of the log, for an assertion message. */
    String tail() {
        String out = output();
        int max = 6000;
        return "---- " + name + " (" + log + ")" + (isAlive() ? "" : ", exited") + " ----\n"
                + (out.length() > max ? "..." + out.substring(out.length() - max) : out);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
