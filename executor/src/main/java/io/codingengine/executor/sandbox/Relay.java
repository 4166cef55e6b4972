package io.codingengine.executor.sandbox;

import io.codingengine.common.execution.Conversation;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the native relay and decodes its frames ({@code ce-sandbox.c} documents the request and
 * the frames): sent to a relay of the slot's {@link RelayServer} (pre-started boxes), or started
 * for one run ({@code ce-sandbox run}: fresh boxes, process isolation). stdin is fed by a thread of its
 * own (beyond what the request carries), so a program that never reads it cannot block the reader.
 * What the executor sends the relay after the request is one of: the program's stdin; one side of
 * an interaction's {@link Stop}; or a live run's control frames (the client's input, from a thread
 * of its own, while the run's output goes to the client frame by frame).
 */
final class Relay {

    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);
    private static final int MAX_ERROR_BYTES = 4096;
    /** stdin bytes sent with the request itself; most tests' inputs are smaller. */
    private static final int FIRST_STDIN_BYTES = 1 << 16;

    private Relay() {}

    /**
     * Starts {@code command} (a {@code ce-sandbox run}) for this run alone; a relay that has not
     * reported by {@code deadline} (it enforces the run's own limits, so it is hung) is killed and
     * the run is a failure of the sandbox.
     */
    static Result run(List<String> command, byte[] stdin, Duration deadline) {
        return run(command, stdin, deadline, null, null);
    }

    /**
     * {@link #run(List, byte[], Duration)}; with a {@code stop} (one side of an interaction, which
     * takes no stdin) the relay's stdin stays open for the stop; with {@code live} (a live run) it
     * carries the client's input as control frames. At most one of them.
     */
    static Result run(List<String> command, byte[] stdin, Duration deadline, Stop stop, Conversation live) {
        requireOneOf(stop, live);
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            return Result.failed("cannot start the sandbox helper: " + e.getMessage());
        }
        // Platform threads: a virtual thread blocked on a process pipe holds its carrier, and a
        // few of them would stop every virtual thread of the JVM. An interaction's side takes no
        // stdin: the pipe stays open for its stop instead; a live run's carries its client's input.
        Thread feeder = null;
        if (stop != null) {
            stop.attach(process.getOutputStream());
        } else if (live != null) {
            feeder = talk(live, process.getOutputStream());
        } else {
            feeder = Thread.ofPlatform()
                    .daemon()
                    .name("sandbox-stdin")
                    .start(() -> feed(process.getOutputStream(), stdin));
        }
        ByteArrayOutputStream helperErrors = new ByteArrayOutputStream();
        Thread errors = Thread.ofPlatform().daemon().name("sandbox-stderr").start(() -> drain(process, helperErrors));
        Result result;
        Watchdog watchdog = Watchdog.start(deadline, process::destroyForcibly);
        try (DataInputStream in = new DataInputStream(process.getInputStream())) {
            result = watchdog.judge(read(in, live));
        } catch (IOException e) {
            process.destroyForcibly();
            return watchdog.judge(Result.failed("sandbox helper stream broken: " + e.getMessage()));
        } finally {
            watchdog.cancel();
            if (stop != null) {
                stop.detach();
            }
            if (live != null) {
                feeder.interrupt();
            }
        }
        try {
            if (feeder != null) {
                feeder.join();
            }
            errors.join();
            if (result.status().isEmpty()) {
                int code = process.waitFor();
                return Result.failed("sandbox helper failed (exit " + code + "): "
                        + helperErrors.toString(StandardCharsets.UTF_8).trim());
            }
            // The status frame is the relay's last word; what is left is its exit, which tears
            // down the run's mount and IPC namespaces (milliseconds): not worth waiting for.
            process.onExit().thenAccept(p -> {
                if (p.exitValue() != 0) {
                    LOG.warn(
                            "sandbox helper exited with {} after reporting: {}",
                            p.exitValue(),
                            helperErrors.toString(StandardCharsets.UTF_8).trim());
                }
            });
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return Result.failed("interrupted");
        }
        return result;
    }

    /**
     * Sends {@code args} (the options of a {@code ce-sandbox run}) to a relay of {@code server}; a
     * relay that has not reported by {@code deadline} is hung: the connection is closed and the
     * run is a failure of the sandbox ({@link Result#hung()}).
     */
    static Result run(RelayServer server, List<String> args, byte[] stdin, Duration deadline) {
        return run(server, args, stdin, deadline, null, null);
    }

    /**
     * {@link #run(RelayServer, List, byte[], Duration)}, stopped by {@code stop} when it says so (one
     * side of an interaction), or talking to {@code live} (a live run). At most one of them.
     */
    static Result run(
            RelayServer server, List<String> args, byte[] stdin, Duration deadline, Stop stop, Conversation live) {
        requireOneOf(stop, live);
        SocketChannel connection;
        try {
            connection = server.connect();
        } catch (IOException e) {
            // No untrusted code ran: the run may go on in a fresh box.
            return new Result(
                    new byte[0],
                    new byte[0],
                    new byte[0],
                    Map.of("box_error", "relay server unreachable: " + e.getMessage()),
                    null,
                    List.of());
        }
        Watchdog watchdog = Watchdog.start(deadline, () -> closeQuietly(connection));
        Thread talking = null;
        try (SocketChannel channel = connection) {
            int first = Math.min(stdin.length, FIRST_STDIN_BYTES);
            channel.write(new ByteBuffer[] {request(args, stdin.length), ByteBuffer.wrap(stdin, 0, first)});
            if (first < stdin.length) {
                Thread.ofVirtual()
                        .name("sandbox-stdin")
                        .start(() -> feed(channel, ByteBuffer.wrap(stdin, first, stdin.length - first)));
            }
            if (stop != null) {
                stop.attach(channel);
            }
            if (live != null) {
                talking = talk(live, Channels.newOutputStream(channel));
            }
            return watchdog.judge(read(
                    new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel), 1 << 16)), live));
        } catch (IOException e) {
            return watchdog.judge(Result.failed("sandbox relay stream broken: " + e.getMessage()));
        } finally {
            watchdog.cancel();
            if (stop != null) {
                stop.detach();
            }
            stopTalking(talking);
        }
    }

    /** A live run is no side of an interaction: a relay's input carries a stop or control frames, not both. */
    private static void requireOneOf(Stop stop, Conversation live) {
        if (stop != null && live != null) {
            throw new IllegalArgumentException("a live run is no side of an interaction");
        }
    }

    /**
     * Stops one side of an interaction from another thread: a {@code 'k'} to its relay (on the
     * connection, or the relay's stdin), which kills the run's box and reports {@code stopped=1}.
     * A stop asked for before the relay is reached is sent as soon as it is; one after it
     * reported does nothing. (A live run's control frames are another protocol: see {@link #talk}.)
     */
    static final class Stop {
        private Object target;
        private boolean stop;
        private boolean done;

        synchronized void stop() {
            stop = true;
            send();
        }

        synchronized void attach(Object relay) {
            target = relay;
            send();
        }

        /** The relay reported (or was abandoned): nothing more to stop; a process's stdin is closed. */
        synchronized void detach() {
            done = true;
            if (target instanceof OutputStream in) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // the relay is gone
                }
            }
            target = null;
        }

        private void send() {
            if (!stop || done || target == null) {
                return;
            }
            try {
                if (target instanceof SocketChannel channel) {
                    channel.write(ByteBuffer.wrap(new byte[] {'k'}));
                } else if (target instanceof OutputStream in) {
                    in.write('k');
                    in.flush();
                }
            } catch (IOException ignored) {
                // the relay has ended: nothing left to stop
            }
            done = true;
        }
    }

    /**
     * Hands a live run the client's input, as control frames ({@code ce-sandbox.c} documents
     * them), until interrupted when the run is over. A platform thread: it may block writing to
     * the relay while the program does not read its stdin.
     */
    private static Thread talk(Conversation live, OutputStream control) {
        return Thread.ofPlatform().daemon().name("sandbox-live-input").start(() -> {
            try {
                while (true) {
                    Conversation.Input input = live.next(Duration.ofSeconds(1));
                    if (input != null) {
                        control.write(controlFrame(input));
                        control.flush();
                    }
                }
            } catch (InterruptedException | IOException e) {
                // The run is over (or its relay is gone): nobody reads the client's input any more.
            }
        });
    }

    /** One control frame: a tag, four bytes of length, the payload. */
    private static byte[] controlFrame(Conversation.Input input) {
        return switch (input) {
            case Conversation.Input.Stdin stdin ->
                ByteBuffer.allocate(5 + stdin.bytes().length)
                        .put((byte) 'i')
                        .putInt(stdin.bytes().length)
                        .put(stdin.bytes())
                        .array();
            case Conversation.Input.EndOfInput end ->
                ByteBuffer.allocate(5).put((byte) 'c').putInt(0).array();
            case Conversation.Input.Signal signal ->
                ByteBuffer.allocate(9)
                        .put((byte) 'k')
                        .putInt(4)
                        .putInt(signal.number())
                        .array();
        };
    }

    /** Stops a live run's input thread, so no later input is taken for a run that is over. */
    private static void stopTalking(Thread talking) {
        if (talking == null) {
            return;
        }
        talking.interrupt();
        try {
            talking.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing is all the watchdog can do
        }
    }

    /** One platform thread for every run's deadline: it fires whatever the virtual threads do. */
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("sandbox-relay-deadlines").factory());

    /** Ends a relay's stream at the deadline, and tells the result it caused from any other. */
    private static final class Watchdog {
        private final ScheduledFuture<?> timer;
        private final Duration deadline;
        private volatile boolean fired;

        private Watchdog(Duration deadline, Runnable kill) {
            this.deadline = deadline;
            this.timer = DEADLINES.schedule(
                    () -> {
                        fired = true;
                        kill.run();
                    },
                    deadline.toNanos(),
                    TimeUnit.NANOSECONDS);
        }

        static Watchdog start(Duration deadline, Runnable kill) {
            return new Watchdog(deadline, kill);
        }

        Result judge(Result result) {
            return fired ? Result.failed(HUNG + deadline.toSeconds() + " s; the run was abandoned") : result;
        }

        void cancel() {
            timer.cancel(false);
        }
    }

    /** Four bytes of length, the {@code run} arguments each ended by a NUL, eight bytes of stdin length. */
    private static ByteBuffer request(List<String> args, long stdinBytes) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        for (String arg : args) {
            block.writeBytes(arg.getBytes(StandardCharsets.UTF_8));
            block.write(0);
        }
        ByteBuffer request = ByteBuffer.allocate(4 + block.size() + 8);
        request.putInt(block.size()).put(block.toByteArray()).putLong(stdinBytes);
        return request.flip();
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

    private static void feed(SocketChannel channel, ByteBuffer rest) {
        try {
            while (rest.hasRemaining()) {
                channel.write(rest);
            }
        } catch (IOException ignored) {
            // The run ended (the channel is closed) without reading everything: that is its right.
        }
    }

    /** Reads the frames to the status frame; a live run's output goes to {@code live} as it comes too. */
    private static Result read(DataInputStream in, Conversation live) throws IOException {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        List<Chunk> transcript = new ArrayList<>();
        Utf8Text outText = new Utf8Text();
        Utf8Text errText = new Utf8Text();
        try {
            while (true) {
                int tag = in.read();
                if (tag < 0) {
                    return Result.failed("the sandbox relay ended without a status");
                }
                byte[] payload = new byte[in.readInt()];
                in.readFully(payload);
                switch (tag) {
                    case 'o' -> {
                        stdout.writeBytes(payload);
                        output.writeBytes(payload);
                        tell(live, Conversation.Stream.STDOUT, outText.decode(payload));
                    }
                    case 'e' -> {
                        stderr.writeBytes(payload);
                        output.writeBytes(payload);
                        tell(live, Conversation.Stream.STDERR, errText.decode(payload));
                    }
                    case '<', '>' -> Chunk.add(transcript, tag == '>', payload);
                    case 's' -> {
                        tell(live, Conversation.Stream.STDOUT, outText.finish());
                        tell(live, Conversation.Stream.STDERR, errText.finish());
                        // The relay's last word; its exit (tearing down the run's mount and IPC
                        // namespaces, milliseconds) is not waited for.
                        Map<String, String> status = parse(new String(payload, StandardCharsets.US_ASCII));
                        return status.containsKey("error")
                                ? Result.failed(status.get("error"))
                                : new Result(
                                        stdout.toByteArray(),
                                        stderr.toByteArray(),
                                        output.toByteArray(),
                                        status,
                                        null,
                                        transcript);
                    }
                    default -> throw new IOException("unknown frame " + tag);
                }
            }
        } catch (EOFException e) {
            return Result.failed("the sandbox relay ended inside a frame");
        }
    }

    private static void tell(Conversation live, Conversation.Stream stream, String text) {
        if (live != null && !text.isEmpty()) {
            live.output(stream, text);
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

    private static final String HUNG = "the sandbox relay did not report within ";

    /**
     * What passed between the two sides of an interaction in one piece (consecutive frames of one
     * direction joined), recorded by the validator's relay.
     *
     * @param fromSubmission true for bytes the submission wrote, false for the validator's
     */
    record Chunk(boolean fromSubmission, byte[] bytes) {

        static void add(List<Chunk> transcript, boolean fromSubmission, byte[] bytes) {
            if (!transcript.isEmpty() && transcript.getLast().fromSubmission() == fromSubmission) {
                byte[] last = transcript.getLast().bytes();
                byte[] joined = java.util.Arrays.copyOf(last, last.length + bytes.length);
                System.arraycopy(bytes, 0, joined, last.length, bytes.length);
                transcript.set(transcript.size() - 1, new Chunk(fromSubmission, joined));
            } else {
                transcript.add(new Chunk(fromSubmission, bytes));
            }
        }
    }

    /** The decoded frames, or why there are none. */
    record Result(
            byte[] stdout,
            byte[] stderr,
            byte[] output,
            Map<String, String> status,
            String failure,
            List<Chunk> transcript) {

        /** Why the relay could not enter a pre-started box (no untrusted code ran then), or null. */
        String boxError() {
            return status == null ? null : status.get("box_error");
        }

        /** True when the relay was abandoned at its deadline: its slot's relays need replacing. */
        boolean hung() {
            return failure != null && failure.startsWith(HUNG);
        }

        static Result failed(String why) {
            return new Result(new byte[0], new byte[0], new byte[0], Map.of(), why, List.of());
        }

        /** When the relay reaped its run, on the host's monotonic clock; 0 when unknown. */
        long endedNanos() {
            return failure != null ? 0 : Long.parseLong(status.getOrDefault("ended_ns", "0"));
        }

        /** The run's outcome; peak memory and OOM kills are the relay's readings of the run's cgroup. */
        RunOutcome toOutcome() {
            if (failure != null) {
                return new RunOutcome(stdout, stderr, output, null, null, null, null, 0, 0, -1, false, failure);
            }
            long peakMemory = Long.parseLong(status.getOrDefault("memory_peak", "-1"));
            boolean oomKilled = Long.parseLong(status.getOrDefault("oom_kill", "-1")) > 0;
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
                case "idle" -> RunOutcome.Timeout.IDLE;
                default -> null;
            };
            RunOutcome.Stream exceeded = switch (status.getOrDefault("exceeded", "")) {
                case "stdout" -> RunOutcome.Stream.STDOUT;
                case "stderr" -> RunOutcome.Stream.STDERR;
                default -> null;
            };
            long wall = Long.parseLong(status.getOrDefault("wall_ns", status.getOrDefault("relay_wall_ns", "0")));
            long cpu = Math.max(0, Long.parseLong(status.getOrDefault("cpu_ns", "0")));
            return new RunOutcome(
                    stdout, stderr, output, exit, signal, timeout, exceeded, cpu, wall, peakMemory, oomKilled, null);
        }

        private Integer integer(String key) {
            String v = status.get(key);
            return v == null ? null : Integer.valueOf(v);
        }
    }
}
