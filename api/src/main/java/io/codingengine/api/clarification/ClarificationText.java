package io.codingengine.api.clarification;

import io.codingengine.common.execution.InvalidRequestException;

/**
 * What a question, an answer or an announcement may say: 1 to {@value #MAX_CODE_POINTS}
 * characters (Unicode code points) of text, lines and tabs allowed, no other control characters
 * (they would reach every participant's screen, and PostgreSQL refuses NUL) and no broken UTF-16
 * (a lone surrogate cannot be stored as UTF-8).
 */
final class ClarificationText {

    static final int MAX_CODE_POINTS = 2000;

    private ClarificationText() {}

    /**
     * The text as stored: Windows and old Mac line ends as {@code \n}, leading and trailing
     * whitespace removed.
     *
     * @param field the field's name, for the message
     * @throws InvalidRequestException (400) naming the field and the rule it breaks
     */
    static String check(String text, String field) {
        if (text == null || text.isBlank()) {
            throw new InvalidRequestException(field + " is required");
        }
        String normalized = text.replace("\r\n", "\n").replace('\r', '\n').strip();
        int count = normalized.codePointCount(0, normalized.length());
        if (count > MAX_CODE_POINTS) {
            throw new InvalidRequestException(field + " has " + count + " characters; at most " + MAX_CODE_POINTS);
        }
        for (int i = 0; i < normalized.length(); i++) {
            char ch = normalized.charAt(i);
            if (Character.isISOControl(ch) && ch != '\n' && ch != '\t') {
                throw new InvalidRequestException(field + " holds the control character U+"
                        + String.format("%04X", (int) ch) + " at " + i + "; only line breaks and tabs are allowed");
            }
            if (Character.isSurrogate(ch)
                    && !(Character.isHighSurrogate(ch)
                            && i + 1 < normalized.length()
                            && Character.isLowSurrogate(normalized.charAt(i + 1)))) {
                throw new InvalidRequestException(field + " holds a lone UTF-16 surrogate at " + i + ": not text");
            }
            if (Character.isHighSurrogate(ch)) {
                i++; // its low half, checked above
            }
        }
        return normalized;
    }
}
