package io.codingengine.api.health;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /} for programs (load balancers, Piston clients probing the server): a fixed JSON
 * health answer. A browser page for {@code /} can be added with {@code produces = "text/html"}.
 */
@RestController
public class HealthController {

    private static final Health HEALTHY = new Health("healthy", "coding-engine");

    @GetMapping(path = "/", produces = MediaType.APPLICATION_JSON_VALUE)
    Health root() {
        return HEALTHY;
    }

    @JsonPropertyOrder({"status", "service"})
    record Health(String status, String service) {
    }
}
