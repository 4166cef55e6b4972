package io.codingengine.api.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Reads the body of every judge API ({@code /api/v1}) and Piston ({@code /api/v2}) request here,
 * whole, before anything else does, so that two limits hold for every body:
 * <ul>
 *   <li>size: {@code coding-engine.max-request-size}; a declared length over it is refused before
 *       reading, a body without one (chunked) once it passes it. {@code 413}.</li>
 *   <li>time: {@code coding-engine.limits.body-read-timeout} for the whole body. The servlet
 *       container's timeout counts each read alone, so a client sending a byte every few seconds
 *       would hold a request open for ever; past the deadline it is {@code 408}.</li>
 * </ul>
 * Either way the rest of the body is not read and the connection is closed. Problem imports are
 * exempt: a Kattis package with its test data is larger and slower, and only admins, whose key is
 * checked before, send them.
 */
public final class RequestSizeFilter extends OncePerRequestFilter {

    private static final PathPattern JUDGE_API = PathPatternParser.defaultInstance.parse("/api/v1/**");
    private static final PathPattern PISTON_API = PathPatternParser.defaultInstance.parse("/api/v2/**");
    private static final PathPattern PROBLEM_IMPORT = PathPatternParser.defaultInstance.parse("/api/v1/problems/*");

    private final long maxBytes;
    private final Duration readTimeout;
    private final ProblemResponses problems;

    public RequestSizeFilter(long maxBytes, Duration readTimeout, ProblemResponses problems) {
        this.maxBytes = maxBytes;
        this.readTimeout = readTimeout;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        PathContainer path = MatchedPath.of(request); // as the controllers see it: /api/%761/... is /api/v1/...
        return !(JUDGE_API.matches(path) || PISTON_API.matches(path))
                || "PUT".equals(request.getMethod()) && PROBLEM_IMPORT.matches(path);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBytes) {
            refuse(
                    request,
                    response,
                    HttpStatus.CONTENT_TOO_LARGE,
                    "Content too large",
                    "request body must not exceed " + maxBytes + " bytes");
            return;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + readTimeout.toNanos();
        byte[] buffer = new byte[8192];
        InputStream in = request.getInputStream();
        for (int n; (n = in.read(buffer)) >= 0; ) {
            body.write(buffer, 0, n);
            if (body.size() > maxBytes) {
                refuse(
                        request,
                        response,
                        HttpStatus.CONTENT_TOO_LARGE,
                        "Content too large",
                        "request body must not exceed " + maxBytes + " bytes");
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                refuse(
                        request,
                        response,
                        HttpStatus.REQUEST_TIMEOUT,
                        "Request timeout",
                        "the request body took longer than " + readTimeout.toSeconds() + " s to arrive");
                return;
            }
        }
        chain.doFilter(new ReadBody(request, body.toByteArray()), response);
    }

    /** The refusal in the API's own error shape; the unread rest of the body ends the connection. */
    private void refuse(
            HttpServletRequest request, HttpServletResponse response, HttpStatus status, String title, String detail)
            throws IOException {
        response.setHeader(HttpHeaders.CONNECTION, "close");
        if (PISTON_API.matches(MatchedPath.of(request))) {
            response.setStatus(status.value());
            response.setContentType("application/json");
            response.getOutputStream().write(("{\"message\":\"" + detail + "\"}").getBytes(StandardCharsets.UTF_8));
        } else {
            problems.write(response, status, title, detail);
        }
    }

    /** The request with its body already read (and within the limits). */
    private static final class ReadBody extends HttpServletRequestWrapper {

        private final byte[] body;

        ReadBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                /** Asynchronous reading of a body that is all in memory: ready at once, then done. */
                @Override
                public void setReadListener(ReadListener listener) {
                    try {
                        if (in.available() > 0) {
                            listener.onDataAvailable();
                        }
                        listener.onAllDataRead();
                    } catch (IOException | RuntimeException e) {
                        listener.onError(e);
                    }
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            Charset charset = encoding != null && Charset.isSupported(encoding)
                    ? Charset.forName(encoding)
                    : StandardCharsets.UTF_8;
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
