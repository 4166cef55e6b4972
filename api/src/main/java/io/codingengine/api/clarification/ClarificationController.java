package io.codingengine.api.clarification;

import io.codingengine.api.access.CurrentPrincipal;
import io.codingengine.api.access.Principal;
import io.codingengine.api.clarification.Clarifications.AdminView;
import io.codingengine.api.clarification.Clarifications.ParticipantView;
import io.codingengine.api.contest.ContestMembership;
import io.codingengine.common.contest.Contest;
import io.codingengine.common.contest.ContestStore;
import io.codingengine.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.NoSuchElementException;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Clarifications over HTTP ({@link Clarifications} has the rules): a member of a contest asks
 * and reads what they may see; admins read everything, answer, and announce. The listings carry
 * an ETag of what the caller sees, so the UI's poll every few seconds is a {@code 304} without a
 * body until something changes for that caller.
 */
@RestController
public class ClarificationController {

    private final ContestStore contests;
    private final CurrentPrincipal principal;
    private final Clarifications clarifications;

    public ClarificationController(ContestStore contests, CurrentPrincipal principal, Clarifications clarifications) {
        this.contests = contests;
        this.principal = principal;
        this.clarifications = clarifications;
    }

    /** A participant's question: about one of the contest's problems, or general without {@code problemId}. */
    public record Question(String problemId, String text) {}

    /** An admin's answer: to the asker alone, or ({@code toAll}) to every participant. */
    public record Answer(String text, Boolean toAll) {}

    /** An admin's announcement to every participant: about one of the contest's problems, or general. */
    public record Announcement(String problemId, String text) {}

    @PostMapping("/api/v1/contests/{id}/clarifications")
    ResponseEntity<ParticipantView> ask(@PathVariable String id, @RequestBody Question body) {
        Principal caller = principal.require();
        Contest c = memberOf(caller, id);
        ParticipantView asked = clarifications.ask(c, caller.subject(), body.problemId(), body.text());
        return ResponseEntity.status(HttpStatus.CREATED).body(asked);
    }

    /** The caller's questions with their answers, questions answered to all, and announcements; oldest first. */
    @GetMapping("/api/v1/contests/{id}/clarifications")
    ResponseEntity<List<ParticipantView>> visible(@PathVariable String id) {
        Principal caller = principal.require();
        Contest c = memberOf(caller, id);
        return versioned(clarifications.visibleTo(c.id(), caller.subject()));
    }

    @GetMapping("/api/v1/admin/contests/{id}/clarifications")
    ResponseEntity<List<AdminView>> everything(@PathVariable String id) {
        return versioned(clarifications.everything(contest(id).id()));
    }

    @PostMapping("/api/v1/admin/contests/{id}/clarifications/{clarificationId}/answer")
    AdminView answer(@PathVariable String id, @PathVariable String clarificationId, @RequestBody Answer body) {
        Contest c = contest(id);
        return clarifications.answer(
                c, principal.require().subject(), clarificationId, body.text(), Boolean.TRUE.equals(body.toAll()));
    }

    @PostMapping("/api/v1/admin/contests/{id}/announcements")
    ResponseEntity<AdminView> announce(@PathVariable String id, @RequestBody Announcement body) {
        Contest c = contest(id);
        AdminView announced = clarifications.announce(c, principal.require().subject(), body.problemId(), body.text());
        return ResponseEntity.status(HttpStatus.CREATED).body(announced);
    }

    /** Changes an announcement (text and problem): participants see it as new again. 404 for no such announcement. */
    @PutMapping("/api/v1/admin/contests/{id}/announcements/{announcementId}")
    AdminView editAnnouncement(
            @PathVariable String id, @PathVariable String announcementId, @RequestBody Announcement body) {
        Contest c = contest(id);
        return clarifications.editAnnouncement(
                c, principal.require().subject(), announcementId, body.problemId(), body.text());
    }

    /** Deletes an announcement (204); a question cannot be deleted (404, as for no such announcement). */
    @DeleteMapping("/api/v1/admin/contests/{id}/announcements/{announcementId}")
    ResponseEntity<Void> deleteAnnouncement(@PathVariable String id, @PathVariable String announcementId) {
        clarifications.deleteAnnouncement(contest(id), announcementId);
        return ResponseEntity.noContent().build();
    }

    private Contest memberOf(Principal caller, String id) {
        Contest c = contest(id);
        ContestMembership.require(caller, c);
        return c;
    }

    private Contest contest(String id) {
        return contests.get(id).orElseThrow(() -> new NoSuchElementException("unknown contest " + id));
    }

    /**
     * The listing with an ETag of its content: Spring answers a GET whose {@code If-None-Match}
     * names it with {@code 304} and no body. Not stored by browsers or proxies: what one
     * participant sees is theirs alone, and the client keeps its own copy.
     */
    private static <T> ResponseEntity<T> versioned(T body) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(Json.write(body).getBytes(StandardCharsets.UTF_8));
            String etag = "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
            return ResponseEntity.ok()
                    .eTag(etag)
                    .cacheControl(CacheControl.noStore())
                    .body(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
