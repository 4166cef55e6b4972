package io.codingengine.api.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * The body the filter read is given to the application whole, to blocking and to asynchronous
 * (servlet {@link ReadListener}) readers alike. Spring's servlet API stand-ins replace Tomcat here:
 * what runs is the filter's own wrapper.
 */
@Tag("fast")
class RequestSizeFilterTest {

    @Test
    void anAsynchronousReaderGetsTheWholeBodyThenTheEnd() throws Exception {
        RequestSizeFilter filter =
                new RequestSizeFilter(1024, Duration.ofSeconds(5), new ProblemResponses(new JsonMapper()));
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/submissions");
        request.setContent("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        AtomicReference<ServletRequest> passed = new AtomicReference<>();
        filter.doFilter(request, new MockHttpServletResponse(), new MockFilterChain() {
            @Override
            public void doFilter(ServletRequest r, jakarta.servlet.ServletResponse response) {
                passed.set(r);
            }
        });
        ServletInputStream in = passed.get().getInputStream();
        List<String> events = new ArrayList<>();
        StringBuilder read = new StringBuilder();
        in.setReadListener(new ReadListener() {
            @Override
            public void onDataAvailable() throws java.io.IOException {
                events.add("data");
                read.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }

            @Override
            public void onAllDataRead() {
                events.add("end");
            }

            @Override
            public void onError(Throwable t) {
                events.add("error " + t);
            }
        });
        assertEquals(List.of("data", "end"), events);
        assertEquals("{\"a\":1}", read.toString());
    }
}
