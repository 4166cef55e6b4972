package io.codingengine.worker.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a worker whose sandbox fails from taking work. A run that the sandbox failed under
 * ({@link #failed}) closes the gate of every slot ({@link QueueConsumer.Gate}) and starts a probe
 * (a trivial program through the executor, {@code Executor.probe}) at once, then every
 * {@code probeInterval} until one passes; meanwhile the worker's messages wait on the queue for the
 * other workers, and its health shows {@code sandbox} out of service. An idle worker whose sandbox
 * fails would otherwise take its own given-back message again at each retry, while another worker
 * is healthy, until the submission's deliveries ran out into an IE.
 */
public final class SandboxWatch implements QueueConsumer.Gate, AutoCloseable {

    /** Whether the slots may take work. */
    public sealed interface State permits Working, Failing {}

    /** The sandbox ran the last probe, or never failed. */
    public record Working() implements State {}

    /**
     * The sandbox failed under a run and has passed no probe since.
     *
     * @param since     when the run failed
     * @param reason    what the run reported
     * @param probes    probes failed since
     * @param lastProbe why the last probe failed, or null before the first
     */
    public record Failing(Instant since, String reason, int probes, String lastProbe) implements State {}

    private static final Logger LOG = LoggerFactory.getLogger(SandboxWatch.class);
    private static final Working WORKING = new Working();

    private final Supplier<String> probe;
    private final Duration probeInterval;
    private final Clock clock;
    private final Object lock = new Object();
    private State state = WORKING;
    private Thread prober;
    private volatile boolean closed;

    /**
     * @param probe         runs a trivial program: null when it ran, else why not
     * @param probeInterval the pause between two failed probes
     */
    public SandboxWatch(Supplier<String> probe, Duration probeInterval, Clock clock) {
        if (!probeInterval.isPositive()) {
            throw new IllegalArgumentException("the probe interval must be positive, was " + probeInterval);
        }
        this.probe = probe;
        this.probeInterval = probeInterval;
        this.clock = clock;
    }

    /** The sandbox failed under a run: no slot takes work until a probe passes. */
    public void failed(String reason) {
        synchronized (lock) {
            if (state instanceof Failing || closed) {
                return; // a probe is on its way already
            }
            state = new Failing(clock.instant(), reason, 0, null);
            LOG.warn(
                    "the sandbox failed under a run ({}): this worker takes no work until its sandbox passes a probe",
                    reason);
            prober = Thread.ofPlatform().daemon().name("sandbox-probe").start(this::probeUntilOneRuns);
        }
    }

    private void probeUntilOneRuns() {
        while (!closed) {
            String failure;
            try {
                failure = probe.get();
            } catch (RuntimeException e) {
                failure = e.toString();
            }
            synchronized (lock) {
                Failing failing = (Failing) state;
                if (failure == null) {
                    state = WORKING;
                    lock.notifyAll();
                    LOG.info(
                            "the sandbox passed its probe after {} failed ones: this worker takes work again",
                            failing.probes());
                    return;
                }
                state = new Failing(failing.since(), failing.reason(), failing.probes() + 1, failure);
            }
            LOG.warn("sandbox probe failed: {}; the next in {}", failure, probeInterval);
            try {
                Thread.sleep(probeInterval);
            } catch (InterruptedException e) {
                return; // closed
            }
        }
    }

    /** Waits up to {@code max} for the sandbox to work; false when it still fails (or the wait was interrupted). */
    @Override
    public boolean awaitOpen(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (lock) {
            while (state instanceof Failing) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    public State state() {
        synchronized (lock) {
            return state;
        }
    }

    @Override
    public void close() {
        Thread running;
        synchronized (lock) {
            closed = true;
            running = prober;
        }
        if (running != null) {
            running.interrupt();
        }
    }
}
