package io.codingengine.common.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The live-run messages as the api and the worker exchange them, across versions. */
class LiveMessageTest {

    @Test
    void aWorkersHeartbeatAndItsPromiseTravelAsJson() {
        LiveMessage attached = new LiveMessage.Attached("run.address", 1000);
        assertEquals(attached, LiveMessage.fromJson(LiveMessage.toJson(attached)));
        assertEquals(new LiveMessage.Alive(), LiveMessage.fromJson(LiveMessage.toJson(new LiveMessage.Alive())));
    }

    @Test
    void anAttachedFromAWorkerWithoutHeartbeatsPromisesNone() {
        // What a worker older than heartbeats sends: its runs get the api's whole patience.
        assertEquals(
                new LiveMessage.Attached("run.address", 0),
                LiveMessage.fromJson("{\"kind\":\"ATTACHED\",\"address\":\"run.address\"}"));
    }

    @Test
    void aNegativeHeartbeatIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LiveMessage.Attached("run.address", -1));
    }
}
