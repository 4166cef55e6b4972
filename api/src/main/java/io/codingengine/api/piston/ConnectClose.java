package io.codingengine.api.piston;

import org.springframework.web.socket.CloseStatus;

/** Piston's close codes of {@code /api/v2/connect}, with its reasons word for word. */
enum ConnectClose {
    ALREADY_INITIALIZED(4000, "Already Initialized"),
    INITIALIZATION_TIMEOUT(4001, "Initialization Timeout"),
    NOTIFIED_ERROR(4002, "Notified Error"),
    NOT_YET_INITIALIZED(4003, "Not yet initialized"),
    CAN_ONLY_WRITE_TO_STDIN(4004, "Can only write to stdin"),
    INVALID_SIGNAL(4005, "Invalid signal"),
    JOB_COMPLETED(4999, "Job Completed");

    private final CloseStatus status;

    ConnectClose(int code, String reason) {
        this.status = new CloseStatus(code, reason);
    }

    CloseStatus status() {
        return status;
    }
}
