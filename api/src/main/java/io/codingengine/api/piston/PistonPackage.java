package io.codingengine.api.piston;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.codingengine.common.execution.RuntimeInfo;

/**
 * One element of {@code GET /api/v2/packages}, in Piston's shape: a package is a toolchain (its
 * {@code runtime}, such as {@code gcc} for C and C++, else the language) at one version. Only
 * installed packages exist here: runtimes are part of the engine's image.
 */
@JsonPropertyOrder({"language", "language_version", "installed"})
public record PistonPackage(
        String language, @JsonProperty("language_version") String languageVersion, boolean installed) {

    static PistonPackage of(RuntimeInfo info) {
        return new PistonPackage(info.runtime() != null ? info.runtime() : info.language(), info.version(), true);
    }
}
