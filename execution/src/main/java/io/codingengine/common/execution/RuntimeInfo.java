package io.codingengine.common.execution;

import java.util.List;

/**
 * One installed language version, as {@code GET /api/v2/runtimes} lists it.
 *
 * @param language canonical name ({@code "c++"})
 * @param version  version detected from the installed toolchain
 * @param aliases  other names a request may use
 * @param runtime  the toolchain providing it when it provides several languages, else {@code null}
 */
public record RuntimeInfo(String language, String version, List<String> aliases, String runtime) {

    public RuntimeInfo {
        aliases = List.copyOf(aliases);
    }
}
