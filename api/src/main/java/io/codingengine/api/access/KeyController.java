package io.codingengine.api.access;

import io.codingengine.api.judge.Submissions;
import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.judge.Ids;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Admins issue and revoke keys (the path is under {@code /api/v1/admin/**}, so admin only). */
@RestController
@RequestMapping("/api/v1/admin/keys")
public class KeyController {

    private final ApiKeyStore keys;
    private final Authenticator authenticator;

    public KeyController(ApiKeyStore keys, Authenticator authenticator) {
        this.keys = keys;
        this.authenticator = authenticator;
    }

    /**
     * @param contestId optional, participant keys only: scopes the key to that contest as its entry
     *                  would (the contest need not exist yet); without it the key is unscoped
     */
    public record IssueRequest(String subject, Role role, String contestId) {}

    /** The key is shown once, here; only its hash is stored. {@code contestId} is null for an unscoped key. */
    public record IssuedKey(String key, String subject, Role role, String contestId) {}

    public record RevokeRequest(String key) {}

    @PostMapping
    ResponseEntity<IssuedKey> issue(@RequestBody IssueRequest request) {
        if (request.subject() == null || request.subject().isBlank() || request.role() == null) {
            throw new InvalidRequestException("subject and role (PARTICIPANT, SERVICE or ADMIN) are required");
        }
        Submissions.checkParticipant("subject", request.subject());
        if (request.contestId() != null) {
            if (request.role() != Role.PARTICIPANT) {
                throw new InvalidRequestException("only a PARTICIPANT key is scoped to a contest");
            }
            if (!Ids.isValid(request.contestId())) {
                throw new InvalidRequestException("contestId must be " + Ids.SHAPE);
            }
        }
        Principal principal = new Principal(request.subject(), request.role(), request.contestId());
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(new IssuedKey(
                        keys.issue(principal), principal.subject(), principal.role(), principal.contestId()));
    }

    @PostMapping("/revoke")
    ResponseEntity<Void> revoke(@RequestBody RevokeRequest request) {
        if (request.key() == null || request.key().isBlank()) {
            throw new InvalidRequestException("key is required");
        }
        authenticator.revoke(request.key());
        return ResponseEntity.noContent().build();
    }
}
