package io.codingengine.executor.sandbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts the native relay and decodes its frames ({@code ce-sandbox.c} documents the format).
 * stdin is fed by a virtual thread, so a program that never reads it cannot block the reader.
 */
final class Relay {

    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);
    private static final int MAX_ERROR_BYTES = 4096;

    private Relay() {
    }

    static Result run(List<String> command, byte[] stdin) {
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            return Result.failed("cannot start the sandbox helper: " + e.getMessage());
        }
        Thread feeder = Thread.ofVirtual().name("sandbox-stdin").start(() -> feed(process.getOutputStream(), stdin));
        ByteArrayOutputStream helperErrors = new ByteArrayOutputStream();
        Thread errors = Thread.ofVirtual().name("sandbox-stderr").start(() -> drain(process, helperErrors));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Map<String, String> status = null;
        try (DataInputStream in = new DataInputStream(process.getInputStream())) {
            while (status == null) {
                int tag = in.read();
                if (tag < 0) {
                    break;
                }
                byte[] payload = new byte[in.readInt()];
                in.readFully(payload);
                switch (tag) {
                    case 'o' -> { stdout.writeBytes(payload); output.writeBytes(payload); }
                    case 'e' -> { stderr.writeBytes(payload); output.writeBytes(payload); }
                    case 's' -> status = parse(new String(payload, StandardCharsets.US_ASCII));
                    default -> throw new IOException("unknown frame " + tag);
                }
            }
        } catch (EOFException e) {
            status = null;
        } catch (IOException e) {
            process.destroyForcibly();
            return Result.failed("sandbox helper stream broken: " + e.getMessage());
        }
        try {
            feeder.join();
            errors.join();
            if (status == null) {
                int code = process.waitFor();
                return Result.failed("sandbox helper failed (exit " + code + "): "
                        + helperErrors.toString(StandardCharsets.UTF_8).trim());
            }
            // The status frame is the relay's last word; what is left is its exit, which tears
            // down the run's mount and IPC namespaces (milliseconds): not worth waiting for.
            process.onExit().thenAccept(p -> {
                if (p.exitValue() != 0) {
                    LOG.warn("sandbox helper exited with {} after reporting: {}", p.exitValue(),
                            helperErrors.toString(StandardCharsets.UTF_8).trim());
                }
            });
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return Result.failed("interrupted");
        }
        return new Result(stdout.toByteArray(), stderr.toByteArray(), output.toByteArray(), status, null);
    }

    private static void feed(OutputStream in, byte[] stdin) {
        try (in) {
            in.write(stdin);
        } catch (IOException ignored) {
            // The program exited or closed stdin without reading everything: that is its right.
        }
    }

    private static void drain(Process process, ByteArrayOutputStream sink) {
        try (var err = process.getErrorStream()) {
            byte[] buf = new byte[1024];
            for (int n; (n = err.read(buf)) >= 0; ) {
                if (sink.size() < MAX_ERROR_BYTES) {
                    sink.write(buf, 0, Math.min(n, MAX_ERROR_BYTES - sink.size()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> parse(String text) {
        Map<String, String> values = new HashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return values;
    }

    /** The decoded frames, or why there are none. */
    record Result(byte[] stdout, byte[] stderr, byte[] output, Map<String, String> status, String failure) {

        /** Why the relay could not enter a pre-started box (no untrusted code ran then), or null. */
        String boxError() {
            return status == null ? null : status.get("box_error");
        }

        static Result failed(String why) {
            return new Result(new byte[0], new byte[0], new byte[0], Map.of(), why);
        }

        RunOutcome toOutcome(long peakMemory, boolean oomKilled) {
            if (failure != null) {
                return new RunOutcome(stdout, stderr, output, null, null, null, null, 0, 0, peakMemory,
                        false, failure);
            }
            Integer exit = integer("exit");
            Integer signal = integer("signal");
            if (exit == null && signal == null) {
                // Killed before the box init reported (a limit, or the init itself was killed).
                int raw = Integer.parseInt(status.getOrDefault("command_status", "0"));
                signal = (raw & 0x7f) != 0 ? raw & 0x7f : 9;
            }
            RunOutcome.Timeout timeout = switch (status.getOrDefault("timeout", "")) {
                case "cpu" -> RunOutcome.Timeout.CPU;
                case "wall" -> RunOutcome.Timeout.WALL;
                default -> null;
            };
            RunOutcome.Stream exceeded = switch (status.getOrDefault("exceeded", "")) {
                case "stdout" -> RunOutcome.Stream.STDOUT;
                case "stderr" -> RunOutcome.Stream.STDERR;
                default -> null;
            };
            long wall = Long.parseLong(status.getOrDefault("wall_ns", status.getOrDefault("relay_wall_ns", "0")));
            long cpu = Math.max(0, Long.parseLong(status.getOrDefault("cpu_ns", "0")));
            return new RunOutcome(stdout, stderr, output, exit, signal, timeout, exceeded, cpu, wall,
                    peakMemory, oomKilled, null);
        }

        private Integer integer(String key) {
            String v = status.get(key);
            return v == null ? null : Integer.valueOf(v);
        }
    }
}
