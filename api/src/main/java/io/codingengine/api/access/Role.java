package io.codingengine.api.access;

/**
 * What the holder of an API key may do. Each role includes the ones before it:
 * an admin may do what a service may, and a service what a participant may.
 */
public enum Role {
    /** A contestant or candidate: submits, runs, and reads only their own submissions. */
    PARTICIPANT,
    /** Another system (an LMS, a screening tool): submits and reads on behalf of many participants. */
    SERVICE,
    /** Runs the contest: problems, regrades, dead letters, audit. */
    ADMIN;

    /** Whether this role may do what {@code required} may. */
    public boolean includes(Role required) {
        return compareTo(required) >= 0;
    }
}
