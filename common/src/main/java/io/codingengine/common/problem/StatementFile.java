package io.codingengine.common.problem;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A picture a problem's statement shows: a file of the package's statement directory that the
 * statement names ({@code \illustration}, {@code \includegraphics}, a Markdown image), served
 * with the problem to whoever may read its statement. The statement refers to it as
 * {@link #URL_PREFIX}{@code name}, a relative URL the UI resolves against the endpoint it reads
 * the problem from.
 *
 * @param name        a file name, {@link #NAME} (the path in the statement directory, its
 *                    slashes made {@code _})
 * @param contentType one of {@link #TYPES}' values
 * @param sha256      the data's SHA-256 in hex: where the store keeps it
 * @param data        the bytes, or {@code null} when the problem was loaded without them
 */
public record StatementFile(String name, String contentType, String sha256, byte[] data) {

    /** What a statement's Markdown puts before a file's name. */
    public static final String URL_PREFIX = "statement/";
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /** The pictures a browser shows, by extension. */
    static final Map<String, String> TYPES = Map.of("png", "image/png", "jpg", "image/jpeg", "jpeg", "image/jpeg",
            "gif", "image/gif", "svg", "image/svg+xml", "webp", "image/webp");
    /** The largest picture kept, and the most a problem's pictures take together. */
    static final int MAX_BYTES = 4 << 20;
    static final int MAX_TOTAL_BYTES = 16 << 20;

    public StatementFile {
        if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
            throw new IllegalArgumentException("bad statement file name " + name);
        }
        if (!TYPES.containsValue(contentType)) {
            throw new IllegalArgumentException("not a picture type: " + contentType);
        }
        Objects.requireNonNull(sha256, "sha256");
    }

    /** The content type of a picture file of that name, or empty when it is none a browser shows. */
    static Optional<String> typeOf(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? Optional.empty()
                : Optional.ofNullable(TYPES.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT)));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StatementFile that && name.equals(that.name) && contentType.equals(that.contentType)
                && sha256.equals(that.sha256) && java.util.Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, contentType, sha256);
    }

    @Override
    public String toString() {
        return "StatementFile[" + name + ", " + contentType + ", " + sha256 + (data == null ? "" : ", " + data.length + " bytes") + "]";
    }

    /** This file without its bytes: what a manifest keeps. */
    public StatementFile withoutData() {
        return new StatementFile(name, contentType, sha256, null);
    }
}
