package io.codingengine.common.contest;

import io.codingengine.common.judge.Ids;
import java.util.Objects;

/**
 * A personal entry ticket to a contest: whoever presents {@code token} enters as
 * {@code participant}, every time, so a candidate keeps one identity across browsers.
 *
 * @param token       a secret of at least 8 characters
 * @param participant the participant id the token enters as (an {@link Ids id})
 */
public record Invitation(String token, String participant) {

    public Invitation {
        Objects.requireNonNull(token, "token");
        if (token.length() < 8) {
            throw new IllegalArgumentException("an invitation token needs at least 8 characters");
        }
        Ids.require(participant, "invitation participant");
    }
}
