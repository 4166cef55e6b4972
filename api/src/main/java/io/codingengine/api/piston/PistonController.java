package io.codingengine.api.piston;

import io.codingengine.api.access.CurrentPrincipal;
import io.codingengine.api.access.Principal;
import io.codingengine.api.config.EngineProperties;
import io.codingengine.api.execution.ExecutionService;
import io.codingengine.api.limits.SubmissionLimiter;
import io.codingengine.api.web.ClientAddress;
import io.codingengine.api.web.JsonBodyReader;
import io.codingengine.api.web.PayloadTooLargeException;
import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.RunInput;
import jakarta.servlet.http.HttpServletRequest;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Piston v2: {@code GET /api/v2/runtimes}, {@code POST /api/v2/execute} and {@code GET /api/v2/packages}. The body of
 * {@code execute} is read as JSON whatever its content type (piston-client 1.0.2 sends
 * {@code text/plain;charset=UTF-8}), then checked in Piston's order before anything runs.
 */
@RestController
@RequestMapping("/api/v2")
public class PistonController {

    private final ExecutionService executions;
    private final PistonRequests requests;
    private final JsonBodyReader bodies;
    private final SubmissionLimiter limiter;
    private final CurrentPrincipal principal;
    private final ClientAddress clientAddress;
    private final long maxStdinBytes;

    public PistonController(
            ExecutionService executions,
            PistonRequests requests,
            JsonBodyReader bodies,
            SubmissionLimiter limiter,
            CurrentPrincipal principal,
            ClientAddress clientAddress,
            EngineProperties properties) {
        this.executions = executions;
        this.requests = requests;
        this.bodies = bodies;
        this.limiter = limiter;
        this.principal = principal;
        this.clientAddress = clientAddress;
        this.maxStdinBytes = properties.limits().maxStdinBytes().toBytes();
    }

    @GetMapping("/runtimes")
    public ResponseEntity<List<PistonRuntime>> runtimes() {
        return json(executions.runtimes().stream().map(PistonRuntime::of).toList());
    }

    /** The installed packages, once each (C and C++ come from one {@code gcc}). */
    @GetMapping("/packages")
    public ResponseEntity<List<PistonPackage>> packages() {
        return json(
                executions.runtimes().stream().map(PistonPackage::of).distinct().toList());
    }

    /** Piston installs and removes packages here; the engine's runtimes are part of its image. */
    @RequestMapping(
            path = "/packages",
            method = {
                org.springframework.web.bind.annotation.RequestMethod.POST,
                org.springframework.web.bind.annotation.RequestMethod.DELETE
            })
    public ResponseEntity<io.codingengine.api.web.ErrorMessage> managePackages() {
        return ResponseEntity.status(org.springframework.http.HttpStatus.METHOD_NOT_ALLOWED)
                .header(org.springframework.http.HttpHeaders.ALLOW, "GET")
                .contentType(MediaType.APPLICATION_JSON)
                .body(new io.codingengine.api.web.ErrorMessage("packages cannot be installed or removed here: the"
                        + " engine's runtimes are part of its image (GET /api/v2/runtimes lists them)"));
    }

    /**
     * Checked in Piston's order, then against the queue's depth and the caller's
     * {@code executions-per-minute} (a key's bucket, or without a key the client address's, as
     * {@link ClientAddress} finds it); 429 and 503 come in Piston's {@code {"message": ...}} shape.
     */
    @PostMapping("/execute")
    public ResponseEntity<PistonExecuteResponse> execute(InputStream body, HttpServletRequest http) {
        ExecutionRequest request = requests.parse(bodies.read(body), executions.runtimes());
        for (RunInput run : request.runs()) {
            if (run.stdin() != null && run.stdin().getBytes(StandardCharsets.UTF_8).length > maxStdinBytes) {
                throw new PayloadTooLargeException("stdin must not exceed " + maxStdinBytes + " bytes");
            }
        }
        Optional<Principal> caller = principal.get();
        String address = clientAddress.of(http);
        try (SubmissionLimiter.InFlight held = limiter.holdExecution(caller, address)) {
            limiter.admitExecution(caller, address);
            String who = caller.map(Principal::subject).orElse("anonymous@" + address);
            return json(PistonExecuteResponse.of(executions.execute(request, who)));
        }
    }

    /** Always JSON, as Piston answers, whatever the client's Accept header says (never a 406). */
    private static <T> ResponseEntity<T> json(T body) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
    }
}
