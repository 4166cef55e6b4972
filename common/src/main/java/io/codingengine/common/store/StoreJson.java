package io.codingengine.common.store;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import tools.jackson.databind.DeserializationFeature;

import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON form in which the store adapters keep domain values (submissions, judgements,
 * problems): a record's components and nothing else, ISO-8601 instants, unknown properties
 * ignored so that values written by a newer version stay readable by an older one.
 */
public final class StoreJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // Only record components: derived methods such as SourceFile.isSource() stay out.
            .changeDefaultVisibility(v -> v.withIsGetterVisibility(JsonAutoDetect.Visibility.NONE))
            .build();

    private StoreJson() {
    }

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
