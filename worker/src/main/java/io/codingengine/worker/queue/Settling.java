package io.codingengine.worker.queue;

import io.codingengine.common.queue.Delivery;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Settles a delivery once its work is done: the durable writes that end it (a verdict, an audit
 * entry) and then its completion on the queue. Off the slot's thread, a slot runs its next message
 * while its last one is settled, instead of leaving its CPU idle through three commits; each slot
 * has at most one settlement in flight, and waits for it before it hands over the next, so a store
 * that is slow or down holds the slots back as it did when they wrote themselves. Inline (the
 * tests' handlers, which assert on the store as soon as {@code handle} returns) the slot settles
 * before it takes more.
 *
 * <p>Nothing is lost by settling later: the message stays locked on the queue until its
 * settlement completes it, so a worker that dies first has it delivered again, which stores the
 * verdict once (the first stored wins) and writes a missing audit entry. A settlement that fails
 * gives its message back as a failed handling does ({@link QueueConsumer#giveBack}); an
 * {@link Error} in one is thrown again on its slot's thread, which dies of it as it would have.
 */
final class Settling {

    private static final Logger LOG = LoggerFactory.getLogger(Settling.class);

    /** Null: inline. */
    private final ExecutorService threads;
    /** Each slot's settlement in flight, by the slot's thread. */
    private final Map<Thread, Future<?>> inFlight = new ConcurrentHashMap<>();

    /** @param offSlot whether settlements run off the slots' threads */
    Settling(boolean offSlot) {
        this.threads = offSlot
                ? Executors.newCachedThreadPool(
                        Thread.ofPlatform().daemon().name("settle-", 0).factory())
                : null;
    }

    /**
     * Runs {@code settlement}, which ends by settling {@code delivery}: inline, or off this
     * thread once this thread's previous settlement has finished.
     */
    void settle(Delivery delivery, Runnable settlement) {
        if (threads == null) {
            settlement.run();
            return;
        }
        Thread slot = Thread.currentThread();
        awaitPrevious(slot);
        Map<String, String> context = MDC.getCopyOfContextMap();
        inFlight.put(slot, threads.submit(() -> {
            if (context != null) {
                MDC.setContextMap(context);
            }
            try {
                settlement.run();
            } catch (RuntimeException e) {
                QueueConsumer.giveBack(delivery, e);
            } catch (Error e) {
                QueueConsumer.giveBack(delivery, e);
                throw e;
            } finally {
                MDC.clear();
            }
        }));
    }

    /** Waits for {@code slot}'s settlement in flight, if any; an {@link Error} of it is thrown here. */
    private void awaitPrevious(Thread slot) {
        Future<?> previous = inFlight.remove(slot);
        if (previous == null) {
            return;
        }
        try {
            previous.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            // A RuntimeException gave its message back already.
        }
    }

    /**
     * Waits up to {@code max} for every settlement in flight (the slots have stopped): a message
     * whose settlement does not end by then comes back to the queue when its lock expires.
     */
    void drain(Duration max) {
        if (threads == null) {
            return;
        }
        long deadline = System.nanoTime() + max.toNanos();
        Set<Thread> slots = Set.copyOf(inFlight.keySet());
        for (Thread slot : slots) {
            Future<?> pending = inFlight.remove(slot);
            if (pending == null) {
                continue;
            }
            try {
                pending.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                // given back already, or an Error the slot no longer can die of: logged where it failed
            } catch (TimeoutException e) {
                LOG.warn("a settlement did not end within {}; its message comes back when its lock expires", max);
            }
        }
    }
}
