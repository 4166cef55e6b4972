package io.codingengine.worker.queue;

import io.codingengine.common.queue.Delivery;
import io.codingengine.common.queue.Lane;
import io.codingengine.common.queue.SubmissionQueue;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The worker's loop: one thread per sandbox slot, each taking a message only when it can run it
 * at once, so a worker never holds more messages than it can judge (the rest stay on the queue
 * for other workers). A failure of ours gives the message back after a delay. While the gate
 * is closed (the sandbox fails, {@link SandboxWatch}) no slot receives.
 *
 * <p>Slots kept for interactive work (a Run, a Piston execute; {@code interactiveSlots}) receive
 * nothing else, so a person never waits behind judging. A judging slot serves interactive work
 * too: one that just took interactive work prefers contest work next,
 * and the other way round: interactive work is served first, but when both lanes have work each
 * gets every other turn of a slot, so a stream of executes cannot stop judging (or the reverse).
 * Regrades come only when both are empty. Interactive work may hold all but one judging slot at
 * once ({@link #borrowable}): a live run or a long execute holds its slot for up to a minute, and
 * alternation only picks a slot's next message, so a few of them sent while the contest lane was
 * empty could otherwise hold every judging slot when a contest submission came. A worker that
 * keeps no slot for interactive work ({@code interactiveSlots} 0) lets every slot serve both lanes.
 *
 * <p>An {@link Error} (out of memory, a stack overflow) ends the slot's thread: the message goes
 * back after a delay, {@link #health()} reports the worker DOWN from then on, and {@code onDeath}
 * runs, by default {@link #exitProcess exiting the process} so that its supervisor starts a fresh
 * one (a JVM after an {@code OutOfMemoryError} is not to be trusted, and a worker with a dead slot
 * would otherwise look healthy while it judges less, or nothing).
 */
public final class QueueConsumer implements SmartLifecycle {

    /** The lanes of a slot kept for interactive work. */
    private static final List<Lane> INTERACTIVE_ONLY = List.of(Lane.INTERACTIVE);
    /** A slot's lanes after it served interactive work. */
    private static final List<Lane> CONTEST_FIRST = List.of(Lane.CONTEST, Lane.INTERACTIVE, Lane.REGRADE);
    /** A judging slot's lanes while interactive work holds as many judging slots as it may. */
    private static final List<Lane> JUDGING_ONLY = List.of(Lane.CONTEST, Lane.REGRADE);
    /** The process's exit status after a slot died of an {@link Error}. */
    public static final int EXIT_STATUS = 70;

    private static final Logger LOG = LoggerFactory.getLogger(QueueConsumer.class);
    /** How long an exit after a slot died may take to stop the others cleanly before it halts. */
    private static final Duration EXIT_PATIENCE = Duration.ofSeconds(60);
    /** How long a stop waits for each slot to end its work, and then for the settlements left. */
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(30);

    /** What a slot does with one delivery; it settles the delivery. */
    @FunctionalInterface
    public interface Handler {
        void handle(Delivery delivery);
    }

    /** Whether the slots may take work now ({@link SandboxWatch}: not while the sandbox fails). */
    @FunctionalInterface
    public interface Gate {
        /** Waits up to {@code max} for the gate to open; false when it is still closed. */
        boolean awaitOpen(Duration max);
    }

    /** A gate that never closes: a handler of its own has no sandbox to watch. */
    private static final Gate ALWAYS_OPEN = max -> true;

    /**
     * Whether the slots are alive: UP when every slot's thread runs, DOWN once one died.
     *
     * @param slots     the slots started
     * @param alive     slots whose thread runs
     * @param lastDeath what ended the last slot that died, or null
     */
    public record Health(boolean up, int slots, int alive, String lastDeath) {}

    private final SubmissionQueue queue;
    private final Handler handler;
    private final Gate gate;
    private final int slots;
    private final int interactiveSlots;
    private final Duration receiveWait;
    private final Consumer<Throwable> onDeath;
    /** What {@link #stop} does once the slots have stopped: waits for the settlements they left. */
    private final Runnable afterSlots;

    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicInteger dead = new AtomicInteger();
    /** How many judging slots interactive work may hold at once. */
    private final int borrowable;
    /** Judging slots holding (or waiting to receive) interactive work now. */
    private final AtomicInteger borrowed = new AtomicInteger();

    private final AtomicReference<String> lastDeath = new AtomicReference<>();
    private volatile boolean running;

    public QueueConsumer(SubmissionQueue queue, WorkHandler handler, int slots, Duration receiveWait) {
        this(queue, handler, slots, 0, receiveWait);
    }

    /**
     * Slots that take no work while the handler's sandbox fails ({@link WorkHandler#sandbox()}).
     *
     * @param interactiveSlots receivers of interactive work only, besides the {@code slots}
     */
    public QueueConsumer(
            SubmissionQueue queue, WorkHandler handler, int slots, int interactiveSlots, Duration receiveWait) {
        this(
                queue,
                handler::handle,
                handler.sandbox(),
                slots,
                interactiveSlots,
                receiveWait,
                QueueConsumer::exitProcess,
                () -> handler.drain(STOP_PATIENCE));
    }

    /**
     * @param onDeath what to do when a slot's thread died of {@code Throwable} (an {@link Error}),
     *                after the message went back; {@link #exitProcess} in a worker
     */
    public QueueConsumer(
            SubmissionQueue queue, Handler handler, int slots, Duration receiveWait, Consumer<Throwable> onDeath) {
        this(queue, handler, slots, 0, receiveWait, onDeath);
    }

    public QueueConsumer(
            SubmissionQueue queue,
            Handler handler,
            int slots,
            int interactiveSlots,
            Duration receiveWait,
            Consumer<Throwable> onDeath) {
        this(queue, handler, ALWAYS_OPEN, slots, interactiveSlots, receiveWait, onDeath, () -> {});
    }

    private QueueConsumer(
            SubmissionQueue queue,
            Handler handler,
            Gate gate,
            int slots,
            int interactiveSlots,
            Duration receiveWait,
            Consumer<Throwable> onDeath,
            Runnable afterSlots) {
        this.queue = queue;
        this.handler = handler;
        this.gate = gate;
        this.slots = slots;
        this.interactiveSlots = interactiveSlots;
        this.receiveWait = receiveWait;
        this.onDeath = onDeath;
        this.afterSlots = afterSlots;
        this.borrowable = borrowable(slots, interactiveSlots);
    }

    /**
     * How many of {@code slots} judging slots interactive work may hold at once: all but one, so
     * that one always takes contest work as soon as it comes; all of them when the worker keeps
     * no slot for interactive work (the reservation is off: it has no other place for it).
     */
    static int borrowable(int slots, int interactiveSlots) {
        return interactiveSlots == 0 ? slots : Math.max(0, slots - 1);
    }

    @Override
    public void start() {
        running = true;
        for (int i = 0; i < slots; i++) {
            threads.add(Thread.ofPlatform().name("judge-slot-" + i).start(() -> loop(false)));
        }
        for (int i = 0; i < interactiveSlots; i++) {
            threads.add(Thread.ofPlatform().name("interactive-slot-" + i).start(() -> loop(true)));
        }
        LOG.info("worker consuming with {} slots and {} for interactive work", slots, interactiveSlots);
    }

    private void loop(boolean interactiveOnly) {
        try {
            Lane last = null;
            while (running) {
                if (!gate.awaitOpen(receiveWait)) {
                    continue; // while it is closed, the messages wait for other workers
                }
                // A judging slot reserves its place among the borrowed ones before it may receive
                // interactive work, so that slots receiving at once never pass the bound.
                boolean reserved = !interactiveOnly && reserveBorrowed();
                try {
                    Optional<Delivery> next;
                    try {
                        next = queue.receive(
                                interactiveOnly
                                        ? INTERACTIVE_ONLY
                                        : !reserved
                                                ? JUDGING_ONLY
                                                : last == Lane.INTERACTIVE ? CONTEST_FIRST : Lane.SERVED_ORDER,
                                receiveWait);
                    } catch (RuntimeException e) {
                        LOG.warn("receive failed, retrying: {}", e.toString());
                        sleep(Duration.ofSeconds(1));
                        continue;
                    }
                    if (reserved && (next.isEmpty() || next.get().lane() != Lane.INTERACTIVE)) {
                        borrowed.decrementAndGet();
                        reserved = false;
                    }
                    if (next.isPresent()) {
                        last = next.get().lane();
                        handle(next.get());
                    }
                } finally {
                    if (reserved) {
                        borrowed.decrementAndGet();
                    }
                }
            }
        } catch (Throwable e) {
            died(e);
        }
    }

    /** Takes a place among the judging slots interactive work may hold, if one is free. */
    private boolean reserveBorrowed() {
        while (true) {
            int now = borrowed.get();
            if (now >= borrowable) {
                return false;
            }
            if (borrowed.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    private void handle(Delivery delivery) {
        try {
            handler.handle(delivery);
        } catch (RuntimeException e) {
            giveBack(delivery, e);
        } catch (Error e) {
            giveBack(delivery, e);
            throw e;
        }
    }

    /** Gives a delivery whose handling or settlement failed back to the queue, after a delay that grows with its deliveries. */
    static void giveBack(Delivery delivery, Throwable e) {
        Duration delay = Duration.ofSeconds(Math.min(30, 1L << Math.min(5, delivery.deliveryCount())));
        try {
            LOG.error(
                    "work on {} failed (delivery {}), back on the queue in {}",
                    delivery.messageId(),
                    delivery.deliveryCount(),
                    delay,
                    e);
            delivery.abandon(delay);
        } catch (RuntimeException abandonFailed) {
            LOG.warn("cannot abandon {}: its lock will expire", delivery.messageId(), abandonFailed);
        } catch (Error abandonFailed) {
            // Out of memory still: the lock expires and the message comes back all the same.
        }
    }

    private void died(Throwable e) {
        dead.incrementAndGet();
        lastDeath.set(Thread.currentThread().getName() + ": " + e);
        try {
            LOG.error("{} died: {}; this worker is DOWN", Thread.currentThread().getName(), e.toString(), e);
        } finally {
            onDeath.accept(e);
        }
    }

    /**
     * Ends the process with {@link #EXIT_STATUS}: a clean shutdown (the other slots finish or
     * give their messages back), or a halt if that takes longer than a minute.
     */
    public static void exitProcess(Throwable cause) {
        LOG.error("exiting with status {} so that a fresh worker takes over", EXIT_STATUS);
        Thread.ofPlatform().daemon().name("halt-after-error").start(() -> {
            sleep(EXIT_PATIENCE);
            Runtime.getRuntime().halt(EXIT_STATUS);
        });
        // From another thread: the shutdown joins the slots' threads, this one included.
        Thread.ofPlatform().name("exit-after-error").start(() -> System.exit(EXIT_STATUS));
    }

    /** UP while every slot's thread runs; DOWN once one died (until the process is replaced). */
    public Health health() {
        int alive = (int) threads.stream().filter(Thread::isAlive).count();
        return new Health(
                running && dead.get() == 0 && alive == slots + interactiveSlots,
                slots + interactiveSlots,
                alive,
                lastDeath.get());
    }

    @Override
    public void stop() {
        running = false;
        for (Thread t : threads) {
            if (t == Thread.currentThread()) {
                continue;
            }
            try {
                t.join(STOP_PATIENCE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        threads.clear();
        afterSlots.run();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
