package io.codingengine.api.piston;

/** An {@code init} that cannot run; the message is for the client (Piston's error event). */
final class ConnectRefused extends RuntimeException {
    ConnectRefused(String message) {
        super(message, null, false, false);
    }
}
