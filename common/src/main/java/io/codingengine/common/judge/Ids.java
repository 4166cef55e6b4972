package io.codingengine.common.judge;

import java.util.regex.Pattern;

/**
 * The shape of submission and problem ids: 1 to 128 characters of ASCII letters, digits, dot,
 * underscore and hyphen, starting with a letter or digit. Such an id is safe as a URL path
 * segment, a blob name segment and a table key, and cannot name a parent directory.
 */
public final class Ids {

    /** The shape in words, for the messages that refuse an id. */
    public static final String SHAPE = "1-128 characters of [A-Za-z0-9._-] starting with a letter or digit";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private Ids() {}

    /** True when {@code id} has the shape above. */
    public static boolean isValid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /**
     * Returns {@code id} when it has the shape above.
     *
     * @throws IllegalArgumentException naming {@code what} otherwise
     */
    public static String require(String id, String what) {
        if (!isValid(id)) {
            throw new IllegalArgumentException(
                    what + " must be " + SHAPE + ", was " + (id == null ? "null" : '"' + id + '"'));
        }
        return id;
    }
}
