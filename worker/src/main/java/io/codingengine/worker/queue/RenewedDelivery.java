package io.codingengine.worker.queue;

import io.codingengine.common.queue.Delivery;
import io.codingengine.common.queue.Lane;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A delivery whose lock is renewed from when the worker takes it until it is settled: through the
 * run, and through every wait around it, for the store (a verdict, an audit entry) or for the
 * slot's previous settlement ({@link Settling}). A lock that ran out while the worker still held
 * its message would send the message to another worker, or back to this one, while this one went
 * on with it: the program ran twice, and the delivery was spent. If this process dies, the renewals
 * stop and the lock runs out as it should.
 */
final class RenewedDelivery implements Delivery {

    private static final Logger LOG = LoggerFactory.getLogger(RenewedDelivery.class);

    private final Delivery delivery;
    private final ScheduledFuture<?> renewals;
    /** Settled, or its settlement handed to another thread ({@link Settling}), which will. */
    private volatile boolean accountedFor;

    private RenewedDelivery(Delivery delivery, ScheduledExecutorService renewer, Duration every) {
        this.delivery = delivery;
        this.renewals =
                renewer.scheduleAtFixedRate(this::renew, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Renews {@code delivery}'s lock every {@code every} on {@code renewer} until it is settled or {@link #release}d. */
    static RenewedDelivery renewing(Delivery delivery, ScheduledExecutorService renewer, Duration every) {
        return new RenewedDelivery(delivery, renewer, every);
    }

    private void renew() {
        try {
            delivery.renewLock();
        } catch (RuntimeException e) {
            // Lost or settled: renewing again cannot help, and a settlement will say so.
            LOG.warn("cannot renew the lock of {}: {}", delivery.messageId(), e.toString());
            renewals.cancel(false);
        }
    }

    /** Stops renewing without settling: for a caller that settles the underlying delivery itself. */
    void release() {
        renewals.cancel(false);
    }

    /** Its settlement is on its way on another thread, which keeps it renewed until then. */
    void handedOver() {
        accountedFor = true;
    }

    /** Whether it was settled or handed over; one that is neither must not be renewed on for ever. */
    boolean accountedFor() {
        return accountedFor;
    }

    @Override
    public String messageId() {
        return delivery.messageId();
    }

    @Override
    public String body() {
        return delivery.body();
    }

    @Override
    public Lane lane() {
        return delivery.lane();
    }

    @Override
    public int deliveryCount() {
        return delivery.deliveryCount();
    }

    @Override
    public void complete() {
        accountedFor = true;
        release();
        delivery.complete();
    }

    @Override
    public void abandon(Duration delay) {
        accountedFor = true;
        release();
        delivery.abandon(delay);
    }

    @Override
    public void deadLetter(String reason) {
        accountedFor = true;
        release();
        delivery.deadLetter(reason);
    }

    @Override
    public Instant renewLock() {
        return delivery.renewLock();
    }
}
