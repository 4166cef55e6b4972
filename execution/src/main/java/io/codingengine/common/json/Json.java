package io.codingengine.common.json;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON form of the domain values, wherever they travel: in the stores (submissions,
 * judgements, problems), on the queue, and between the worker and a session container (execution
 * requests and results). A record's components and nothing else, ISO-8601 instants, unknown
 * properties ignored so that values written by a newer version stay readable by an older one.
 */
public final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // Only record components: derived methods such as SourceFile.isSource() stay out.
            .changeDefaultVisibility(v -> v.withIsGetterVisibility(JsonAutoDetect.Visibility.NONE))
            .build();

    private Json() {}

    /** The mapper itself, thread-safe. */
    public static JsonMapper mapper() {
        return MAPPER;
    }

    public static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    public static <T> T read(String json, Class<T> type) {
        return MAPPER.readValue(json, type);
    }
}
