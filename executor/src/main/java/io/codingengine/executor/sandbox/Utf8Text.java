package io.codingengine.executor.sandbox;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * One output stream of a live run as text: a character split across two frames is decoded whole
 * from the second; bytes that are not UTF-8 become U+FFFD, as they do in a run's captured output.
 */
final class Utf8Text {

    private final CharsetDecoder decoder = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    /** The start of a character whose end has not come yet (at most three bytes). */
    private ByteBuffer pending = ByteBuffer.allocate(0);

    /** The text of {@code bytes}, with what an earlier frame left pending before it. */
    String decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.allocate(pending.remaining() + bytes.length)
                .put(pending)
                .put(bytes)
                .flip();
        CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
        decoder.decode(in, out, false);
        pending = in.slice();
        return out.flip().toString();
    }

    /** What is still pending when the stream ends (an unfinished character: U+FFFD). */
    String finish() {
        CharBuffer out = CharBuffer.allocate(pending.remaining() + 2);
        decoder.decode(pending, out, true);
        decoder.flush(out);
        pending = ByteBuffer.allocate(0);
        decoder.reset();
        return out.flip().toString();
    }
}
