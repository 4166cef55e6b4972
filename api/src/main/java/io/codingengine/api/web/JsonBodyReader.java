package io.codingengine.api.web;

import io.codingengine.api.config.EngineProperties;
import io.codingengine.common.execution.InvalidRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Reads a request body as JSON whatever its content type says (piston-client sends
 * {@code text/plain}), reading at most {@code coding-engine.max-request-size} bytes.
 */
@Component
public class JsonBodyReader {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final long maxBytes;

    public JsonBodyReader(EngineProperties properties) {
        this.maxBytes = properties.maxRequestSize().toBytes();
    }

    /**
     * The body as a JSON tree; an empty body is an empty object (as Express's body parser makes it).
     *
     * @throws PayloadTooLargeException past the size limit
     * @throws InvalidRequestException  when the body is not JSON
     */
    public JsonNode read(InputStream body) {
        byte[] bytes = readLimited(body);
        if (isBlank(bytes)) {
            return JsonNodeFactory.instance.objectNode();
        }
        try {
            return MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            throw new InvalidRequestException("request body is not valid JSON: " + describe(e));
        }
    }

    private byte[] readLimited(InputStream body) {
        try {
            byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw new PayloadTooLargeException(maxBytes);
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the request body", e);
        }
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    private static String describe(JacksonException e) {
        String message = e.getOriginalMessage();
        TokenStreamLocation at = e.getLocation();
        return at == null || at.getLineNr() < 1
                ? message
                : message + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }
}
