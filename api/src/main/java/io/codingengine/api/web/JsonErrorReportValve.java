package io.codingengine.api.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's own error answers in the API's JSON shapes instead of its HTML page: a request Tomcat
 * refuses before any filter sees it (a {@code %00} or an encoded {@code /} in the path, a
 * malformed header) still gets JSON, and never the server's name or a stack trace.
 */
public final class JsonErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // As Tomcat's own: only an error not yet reported, with nothing written, on a connection that can still be
        // written.
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        String title = known != null ? known.getReasonPhrase() : "Error";
        String detail = status == 400 ? "the request is not valid HTTP for this server (its path or headers)" : title;
        // Piston's routes answer {"message": ...} as Piston does; the rest of the API problem details.
        String uri = request.getRequestURI();
        boolean piston = uri != null && uri.startsWith("/api/v2/");
        String body = piston
                ? "{\"message\":\"" + detail + "\"}"
                : "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\""
                        + detail + "\"}";
        try {
            response.setContentType(piston ? "application/json" : "application/problem+json");
            response.setCharacterEncoding("UTF-8");
            response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response was taken over: nothing left to tell
        }
    }
}
