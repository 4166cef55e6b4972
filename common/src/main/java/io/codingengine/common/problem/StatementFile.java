package io.codingengine.common.problem;

import java.util.Arrays;
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
    static final Map<String, String> TYPES = Map.of(
            "png",
            "image/png",
            "jpg",
            "image/jpeg",
            "jpeg",
            "image/jpeg",
            "gif",
            "image/gif",
            "svg",
            "image/svg+xml",
            "webp",
            "image/webp");
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

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};

    /**
     * Whether {@code data} is what {@code contentType} says by its first bytes, the type's magic:
     * PNG's signature, JPEG's start-of-image marker, {@code GIF87a}/{@code GIF89a}, a RIFF
     * {@code WEBP} header, or for SVG UTF-8 text whose first element is {@code <svg}. A file named
     * like a picture is not taken for one on its name alone: it came in an uploaded package and
     * is served to participants.
     */
    static boolean startsAs(String contentType, byte[] data) {
        return switch (contentType) {
            case "image/png" -> startsWith(data, 0, PNG);
            case "image/jpeg" -> startsWith(data, 0, JPEG);
            case "image/gif" -> startsWith(data, 0, ascii("GIF87a")) || startsWith(data, 0, ascii("GIF89a"));
            case "image/webp" -> startsWith(data, 0, ascii("RIFF")) && startsWith(data, 8, ascii("WEBP"));
            case "image/svg+xml" -> {
                String text = PackageArchive.utf8(data);
                yield text != null && svgElementFirst(text);
            }
            default -> false;
        };
    }

    /** Whether this file's bytes are a picture of its type ({@link #startsAs}); false without its bytes. */
    public boolean dataMatchesType() {
        return data != null && startsAs(contentType, data);
    }

    /**
     * Whether the first element of {@code text} is {@code <svg}, after a byte order mark, an XML
     * declaration, comments and a doctype without an internal subset (no entity definitions).
     * One pass, no backtracking, whatever the text.
     */
    private static boolean svgElementFirst(String text) {
        int i = text.startsWith("\uFEFF") ? 1 : 0;
        while (true) {
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            int end;
            if (text.startsWith("<?xml", i)) {
                end = text.indexOf("?>", i);
                i = end < 0 ? -1 : end + 2;
            } else if (text.startsWith("<!--", i)) {
                end = text.indexOf("-->", i + 4);
                i = end < 0 ? -1 : end + 3;
            } else if (text.startsWith("<!DOCTYPE", i)) {
                end = text.indexOf('>', i);
                i = end < 0 || text.substring(i, end).indexOf('[') >= 0 ? -1 : end + 1;
            } else {
                return text.startsWith("<svg", i)
                        && i + 4 < text.length()
                        && (Character.isWhitespace(text.charAt(i + 4))
                                || text.charAt(i + 4) == '>'
                                || text.charAt(i + 4) == '/');
            }
            if (i < 0) {
                return false;
            }
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static boolean startsWith(byte[] data, int offset, byte[] prefix) {
        return data.length >= offset + prefix.length
                && Arrays.equals(data, offset, offset + prefix.length, prefix, 0, prefix.length);
    }

    /** The content type of a picture file of that name, or empty when it is none a browser shows. */
    static Optional<String> typeOf(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot < 0
                ? Optional.empty()
                : Optional.ofNullable(TYPES.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT)));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StatementFile that
                && name.equals(that.name)
                && contentType.equals(that.contentType)
                && sha256.equals(that.sha256)
                && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, contentType, sha256);
    }

    @Override
    public String toString() {
        return "StatementFile[" + name + ", " + contentType + ", " + sha256
                + (data == null ? "" : ", " + data.length + " bytes") + "]";
    }

    /** This file without its bytes: what a manifest keeps. */
    public StatementFile withoutData() {
        return new StatementFile(name, contentType, sha256, null);
    }
}
