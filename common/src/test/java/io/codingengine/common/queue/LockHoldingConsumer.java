package io.codingengine.common.queue;

import java.io.IOException;
import java.time.Duration;

/**
 * The worker process of the crash test: connects over TCP, receives one message, reports it on
 * stdout and holds its lock until killed. It also exits when its stdin closes, so that it cannot
 * outlive a test JVM that died before killing it.
 */
final class LockHoldingConsumer {

    public static void main(String[] args) throws IOException {
        SubmissionQueue queue = ArtemisSubmissionQueue.connect(args[0]);
        Delivery delivery = queue.receive(Duration.ofSeconds(30)).orElseThrow();
        System.out.println("received " + delivery.messageId() + " " + delivery.deliveryCount());
        System.out.flush();
        while (System.in.read() != -1) {
            // holding the lock
        }
    }
}
