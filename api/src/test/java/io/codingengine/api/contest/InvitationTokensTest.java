package io.codingengine.api.contest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.contest.Invitation;
import io.codingengine.common.execution.InvalidRequestException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The rules of invitation tokens, without a server (EntryLimitsTest: over HTTP). */
@Tag("fast")
class InvitationTokensTest {

    private static AdminController.InvitationRequest invite(String token, String participant) {
        return new AdminController.InvitationRequest(token, participant);
    }

    @Test
    void generatedTokensAreLongRandomAndUrlSafe() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String token = InvitationTokens.generate();
            assertTrue(token.matches("[0-9a-hjkmnp-tv-z]{26}"), token);
            seen.add(token);
        }
        assertEquals(10_000, seen.size());
        assertTrue(26 * 5 >= 128, "26 characters of 32 carry 130 bits");
    }

    @Test
    void thousandsOfGeneratedTokensPassTheirOwnRules() {
        List<AdminController.InvitationRequest> many =
                IntStream.range(0, 5000).mapToObj(i -> invite(null, "p-" + i)).toList();
        List<Invitation> saved = InvitationTokens.prepare(many, List.of());
        assertEquals(5000, saved.stream().map(Invitation::token).distinct().count());
    }

    @Test
    void theStretchTwoTokensDifferIn() {
        assertEquals(1, InvitationTokens.differing("team0731", "team0732"));
        assertEquals(2, InvitationTokens.differing("candidate-01-x", "candidate-10-x"));
        assertEquals(3, InvitationTokens.differing("abcdef", "abcxyzdef"));
        assertEquals(0, InvitationTokens.differing("same-token", "same-token"));
        assertEquals(4, InvitationTokens.differing("aaaa", "bbbb"));
        assertEquals(1, InvitationTokens.differing("aa", "aaa"), "overlapping start and end");
    }

    @Test
    void sequencesAreFoundWhereverTheyDiffer() {
        List<AdminController.InvitationRequest> numbered = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            numbered.add(invite(
                    InvitationTokens.generate().substring(0, 10) + "-" + "%04d".formatted(i) + "-spring-cup",
                    "p-" + i));
        }
        assertEquals(50, InvitationTokens.prepare(numbered, List.of()).size(), "random starts: far apart");
        numbered.set(37, invite(numbered.get(12).token().substring(0, 10) + "-9999-spring-cup", "p-37"));
        InvalidRequestException e =
                assertThrows(InvalidRequestException.class, () -> InvitationTokens.prepare(numbered, List.of()));
        assertTrue(
                e.getMessage().contains("invitations[12].token and invitations[37].token differ only in 4 characters"),
                e.getMessage());
    }

    @Test
    void keptTokensAreExemptButNotWhenMovedOrNear() {
        List<Invitation> stored = List.of(
                new Invitation("team0731", "team-a"),
                new Invitation("team0001", "team-b"),
                new Invitation("candidate-token-0001", "team-c"));
        assertEquals(
                stored,
                InvitationTokens.prepare(
                        stored.stream()
                                .map(i -> invite(i.token(), i.participant()))
                                .toList(),
                        stored),
                "short and alike, but kept as they were");
        assertThrows(
                InvalidRequestException.class,
                () -> InvitationTokens.prepare(List.of(invite("team0731", "team-b")), stored));
        InvalidRequestException near = assertThrows(
                InvalidRequestException.class,
                () -> InvitationTokens.prepare(
                        List.of(invite("candidate-token-0001", "team-c"), invite("candidate-token-0002", "team-d")),
                        stored));
        assertTrue(
                near.getMessage().contains("invitations[0].token and invitations[1].token differ only in 1 character"),
                "a new token near a kept one: " + near.getMessage());
        assertEquals(
                List.of("team-a"),
                InvitationTokens.weakKept(
                        InvitationTokens.prepare(List.of(invite("team0731", "team-a")), stored), stored));
    }

    @Test
    void malformedInvitationsAre400s() {
        assertThrows(
                InvalidRequestException.class,
                () -> InvitationTokens.prepare(
                        java.util.Arrays.asList((AdminController.InvitationRequest) null), List.of()));
        InvalidRequestException participant = assertThrows(
                InvalidRequestException.class,
                () -> InvitationTokens.prepare(List.of(invite(null, "no spaces allowed")), List.of()));
        assertTrue(
                participant.getMessage().startsWith("invitations[0]: invitation participant"),
                participant.getMessage());
        assertEquals(List.of(), InvitationTokens.prepare(null, List.of()));
    }
}
