package io.codingengine.api.contest;

import io.codingengine.common.contest.Invitation;
import io.codingengine.common.execution.InvalidRequestException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The invitations an admin saves with a contest: a missing token is generated, a given one must
 * not be guessable. Entry by token needs no key, so a token is all that stands between a
 * stranger and an invited participant's identity; the entry limits ({@code EntryLimiter}) slow
 * guessing down, these rules make it hopeless:
 * <ul>
 *   <li>at least {@value #MIN_LENGTH} and at most {@value #MAX_LENGTH} characters, visible ASCII
 *       only (no spaces: the entry trims what a participant types);</li>
 *   <li>no two tokens of the contest alike but for a stretch of fewer than
 *       {@value #MIN_DIFFERENCE} characters ({@code team-…-0731} and {@code team-…-0732}): whoever
 *       holds one would try its neighbours.</li>
 * </ul>
 * A generated token is {@value #GENERATED_LENGTH} characters of Crockford's base32 in lower case
 * (130 random bits from {@link SecureRandom}; digits and letters without i, l, o, u, so it reads
 * aloud and types without confusion, and is URL-safe). Tokens the contest already has (same
 * token, same participant) are kept as they are, even shorter ones saved before these rules: they
 * have been handed out, and refusing them would only stop the admin from editing the contest.
 */
final class InvitationTokens {

    static final int MIN_LENGTH = 16;
    static final int MAX_LENGTH = 128;
    static final int MIN_DIFFERENCE = 8;
    static final int GENERATED_LENGTH = 26;

    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private InvitationTokens() {}

    /**
     * The invitations to save: {@code requested} with missing tokens generated, each checked.
     *
     * @param stored the invitations of the contest as stored now (empty for a new contest)
     * @throws InvalidRequestException (400) naming the invitation and the rule it breaks
     */
    static List<Invitation> prepare(List<AdminController.InvitationRequest> requested, List<Invitation> stored) {
        if (requested == null) {
            return List.of();
        }
        Set<Invitation> kept = Set.copyOf(stored);
        List<Invitation> invitations = new ArrayList<>();
        List<Boolean> isNew = new ArrayList<>();
        for (int i = 0; i < requested.size(); i++) {
            AdminController.InvitationRequest r = requested.get(i);
            if (r == null) {
                throw new InvalidRequestException("invitations[" + i + "] is null");
            }
            String token = r.token() == null || r.token().isBlank() ? generate() : r.token();
            Invitation invitation;
            try {
                invitation = new Invitation(token, r.participant());
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new InvalidRequestException("invitations[" + i + "]: " + e.getMessage());
            }
            boolean fresh = !kept.contains(invitation);
            if (fresh) {
                check(i, token);
            }
            invitations.add(invitation);
            isNew.add(fresh);
        }
        checkApart(invitations, isNew);
        return invitations;
    }

    /** A fresh random token. */
    static String generate() {
        char[] token = new char[GENERATED_LENGTH];
        for (int i = 0; i < token.length; i++) {
            token[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(token);
    }

    private static void check(int i, String token) {
        String leaveOut = " (leave token out and a random one is generated)";
        if (!token.chars().allMatch(c -> c > ' ' && c < 127)) {
            throw new InvalidRequestException(
                    "invitations[" + i + "].token may hold only visible ASCII characters," + " no spaces" + leaveOut);
        }
        if (token.length() < MIN_LENGTH) {
            throw new InvalidRequestException("invitations[" + i + "].token has " + token.length()
                    + " characters: an invitation token needs at least " + MIN_LENGTH
                    + ", so that it cannot be guessed" + leaveOut);
        }
        if (token.length() > MAX_LENGTH) {
            throw new InvalidRequestException("invitations[" + i + "].token has " + token.length()
                    + " characters: an invitation token has at most " + MAX_LENGTH);
        }
    }

    /**
     * Refuses two tokens alike but for a short stretch, at least one of them new. Pairs with the
     * longest common start are neighbours in sorted order, those with the longest common end in
     * the order of the reversed tokens; checking neighbours in both orders finds sequences
     * ({@code …-0001}, {@code …-0002}, {@code 0001-…}) in n log n, not all n² pairs.
     */
    private static void checkApart(List<Invitation> invitations, List<Boolean> isNew) {
        List<String> tokens = invitations.stream().map(Invitation::token).toList();
        for (Comparator<Integer> order : List.<Comparator<Integer>>of(
                Comparator.comparing(tokens::get),
                Comparator.comparing(
                        i -> new StringBuilder(tokens.get(i)).reverse().toString()))) {
            List<Integer> sorted =
                    IntStream.range(0, tokens.size()).boxed().sorted(order).toList();
            for (int k = 1; k < sorted.size(); k++) {
                int a = Math.min(sorted.get(k - 1), sorted.get(k));
                int b = Math.max(sorted.get(k - 1), sorted.get(k));
                int differing = differing(tokens.get(a), tokens.get(b));
                if ((isNew.get(a) || isNew.get(b)) && differing < MIN_DIFFERENCE) {
                    throw new InvalidRequestException("invitations[" + a + "].token and invitations[" + b
                            + "].token differ only in " + differing + " character" + (differing == 1 ? "" : "s")
                            + " (at least " + MIN_DIFFERENCE + " apart): whoever holds one would guess the other;"
                            + " use random tokens (leave token out and random ones are generated)");
                }
            }
        }
    }

    /** The length of the stretch two tokens differ in, outside their common start and end. */
    static int differing(String a, String b) {
        int shorter = Math.min(a.length(), b.length());
        int start = 0;
        while (start < shorter && a.charAt(start) == b.charAt(start)) {
            start++;
        }
        int end = 0;
        while (end < shorter - start && a.charAt(a.length() - 1 - end) == b.charAt(b.length() - 1 - end)) {
            end++;
        }
        return Math.max(a.length(), b.length()) - start - end;
    }

    /** The participants whose stored tokens break today's rules (kept as they are), for a warning. */
    static List<String> weakKept(List<Invitation> saved, List<Invitation> stored) {
        Set<Invitation> kept = Set.copyOf(stored);
        return saved.stream()
                .filter(kept::contains)
                .filter(i -> i.token().length() < MIN_LENGTH)
                .map(Invitation::participant)
                .collect(Collectors.toList());
    }
}
