package io.codingengine.common.execution;

import java.util.Objects;

/**
 * One file of a submission, as the client sent it.
 *
 * @param name     relative path inside the work directory; {@code null} means the executor picks
 *                 a name (Piston's {@code file<i>.code}, or what the language needs)
 * @param content  the content, encoded as {@code encoding} says
 * @param encoding how {@code content} is encoded
 */
public record SourceFile(String name, String content, Encoding encoding) {

    public SourceFile {
        Objects.requireNonNull(content, "content");
        encoding = encoding == null ? Encoding.UTF8 : encoding;
    }

    public static SourceFile utf8(String name, String content) {
        return new SourceFile(name, content, Encoding.UTF8);
    }

    /** True for files that count as source code (Piston: the utf8 ones). */
    public boolean isSource() {
        return encoding == Encoding.UTF8;
    }

    public enum Encoding {
        UTF8,
        BASE64,
        HEX
    }
}
