package io.codingengine.api.access;

import java.util.Objects;

/**
 * Who an API key belongs to.
 *
 * @param subject the participant id (for a participant, the {@code participant} of their
 *                submissions) or the name of the service or admin; never blank
 * @param role    what the key may do
 */
public record Principal(String subject, Role role) {

    public Principal {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(role, "role");
        if (subject.isBlank()) {
            throw new IllegalArgumentException("subject must not be blank");
        }
    }
}
