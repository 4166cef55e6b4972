package io.codingengine.api.health;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.ModelAndView;

/**
 * {@code GET /}, negotiated: browsers (which ask for {@code text/html}) get the contest UI;
 * programs (load balancers, Piston clients probing the server, {@code curl}) get a fixed JSON
 * health answer.
 */
@RestController
public class HealthController {

    private static final Health HEALTHY = new Health("healthy", "coding-engine");

    @GetMapping(path = "/", produces = MediaType.APPLICATION_JSON_VALUE)
    Health root() {
        return HEALTHY;
    }

    /** The UI's single page (built by npm into the static resources). */
    @GetMapping(path = "/", produces = MediaType.TEXT_HTML_VALUE)
    ModelAndView ui() {
        return new ModelAndView("forward:/index.html");
    }

    @JsonPropertyOrder({"status", "service"})
    record Health(String status, String service) {}
}
