package io.codingengine.api.contest;

import io.codingengine.api.access.NotPermittedException;
import io.codingengine.api.access.Principal;
import io.codingengine.api.access.Role;
import io.codingengine.common.contest.Contest;
import io.codingengine.common.contest.Invitation;

/**
 * Whether a caller may act in a contest (submit to it, list its submissions there). Service and
 * admin keys may, in any contest. A participant key may only as a member:
 * <ul>
 *   <li>a key issued by the contest's entry (scoped to it) in that contest alone, and in a contest
 *       by invitation only while its participant is still invited (an invitation removed, or an
 *       open contest made by invitation, stops the keys it let in);</li>
 *   <li>a key no contest scopes (admin-issued, or issued before keys had a scope) only in a
 *       contest by invitation that invites its subject.</li>
 * </ul>
 * The contest is the one stored under its id now: a contest deleted is unknown (404) to every
 * key, and one re-created under the same id is the same contest to the keys scoped to that id,
 * as its old submissions are on its scoreboard.
 */
public final class ContestMembership {

    private ContestMembership() {}

    /** @throws NotPermittedException (403) naming why, when {@code caller} may not act in {@code contest} */
    public static void require(Principal caller, Contest contest) {
        if (caller.role().includes(Role.SERVICE)) {
            return;
        }
        String scope = caller.contestId();
        if (scope != null && !scope.equals(contest.id())) {
            throw new NotPermittedException("this key was issued by the entry to contest " + scope
                    + " and acts only in it, not in contest " + contest.id());
        }
        if (contest.byInvitation()) {
            if (!invited(caller.subject(), contest)) {
                throw new NotPermittedException("contest " + contest.id() + " is by invitation and participant "
                        + caller.subject() + " is not invited to it");
            }
        } else if (scope == null) {
            throw new NotPermittedException("this key was not issued by contest " + contest.id()
                    + ": enter it (POST /api/v1/contests/" + contest.id() + "/entries) for a key that acts in it");
        }
    }

    private static boolean invited(String participant, Contest contest) {
        return contest.invitations().stream().map(Invitation::participant).anyMatch(participant::equals);
    }
}
