package io.codingengine.api.piston;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.codingengine.common.execution.RuntimeInfo;
import java.util.List;

/** One element of {@code GET /api/v2/runtimes}; {@code runtime} is left out when there is none, as Piston does. */
@JsonPropertyOrder({"language", "version", "aliases", "runtime"})
public record PistonRuntime(
        String language,
        String version,
        List<String> aliases,
        @JsonInclude(JsonInclude.Include.NON_NULL) String runtime) {

    static PistonRuntime of(RuntimeInfo info) {
        return new PistonRuntime(info.language(), info.version(), info.aliases(), info.runtime());
    }
}
