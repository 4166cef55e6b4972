package io.codingengine.api.access;

import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * The caller of the current request, as {@link AccessFilter} resolved it. Controllers use this
 * instead of reading headers, so there is one place that knows how a caller is identified.
 */
@Component
public class CurrentPrincipal {

    /** The caller, or empty on an open endpoint called without a key. */
    public Optional<Principal> get() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        return attributes == null
                ? Optional.empty()
                : Optional.ofNullable((Principal)
                        attributes.getAttribute(AccessFilter.PRINCIPAL_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST));
    }

    /** The caller of an endpoint that requires a key. */
    public Principal require() {
        return get().orElseThrow(() -> new NotPermittedException("this request needs an API key"));
    }

    /**
     * The participant a submission is made for: a participant always submits as themselves (a
     * different name is refused); a service or admin key names the participant.
     */
    public String participantFor(String requested) {
        Principal p = require();
        if (p.role() == Role.PARTICIPANT) {
            if (requested != null && !requested.isBlank() && !requested.equals(p.subject())) {
                throw new NotPermittedException("a participant key submits only as its own participant " + p.subject());
            }
            return p.subject();
        }
        return requested;
    }

    /** Whether the caller may read what {@code participant} submitted (source, outputs). */
    public boolean mayRead(String participant) {
        Principal p = require();
        return p.role().includes(Role.SERVICE) || p.subject().equals(participant);
    }
}
