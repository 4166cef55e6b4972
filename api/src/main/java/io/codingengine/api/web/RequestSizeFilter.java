package io.codingengine.api.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * 413 for a judge API body over {@code coding-engine.max-request-size}. A declared length is
 * checked before anything is read; a body without one (chunked) is read here, at most one byte
 * past the limit, because the JSON binding behind this filter would otherwise read any amount
 * into memory. The Piston endpoints count bytes as they read, in {@link JsonBodyReader}.
 * Problem imports are exempt: a Kattis package with its test data is larger, and only admins send them.
 */
public final class RequestSizeFilter extends OncePerRequestFilter {

    private final long maxBytes;
    private final ProblemResponses problems;

    public RequestSizeFilter(long maxBytes, ProblemResponses problems) {
        this.maxBytes = maxBytes;
        this.problems = problems;
    }

    private static final PathPattern JUDGE_API = PathPatternParser.defaultInstance.parse("/api/v1/**");
    private static final PathPattern PROBLEM_IMPORT = PathPatternParser.defaultInstance.parse("/api/v1/problems/*");

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        PathContainer path = MatchedPath.of(request); // as the controllers see it: /api/%761/... is /api/v1/...
        return !JUDGE_API.matches(path) || "PUT".equals(request.getMethod()) && PROBLEM_IMPORT.matches(path);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            tooLarge(response);
            return;
        }
        if (declared < 0) { // chunked, or HTTP/2 without a length
            byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) {
                // the rest of the body is not read: the connection cannot carry another request
                response.setHeader(HttpHeaders.CONNECTION, "close");
                tooLarge(response);
                return;
            }
            request = new ReadBody(request, body);
        }
        chain.doFilter(request, response);
    }

    private void tooLarge(HttpServletResponse response) throws IOException {
        problems.write(response, HttpStatus.CONTENT_TOO_LARGE, "Content too large",
                "request body must not exceed " + maxBytes + " bytes");
    }

    /** The request with its body already read (and within the limit). */
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

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is already read");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            Charset charset = encoding != null && Charset.isSupported(encoding) ? Charset.forName(encoding)
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
