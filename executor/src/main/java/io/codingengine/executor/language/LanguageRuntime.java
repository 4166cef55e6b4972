package io.codingengine.executor.language;

import io.codingengine.common.execution.RuntimeInfo;

import java.nio.file.Path;

/**
 * A language at one detected version: a definition bound to one installed toolchain.
 *
 * @param definition the catalogue entry
 * @param version    the version the toolchain reported (three numeric parts)
 * @param toolchain  the toolchain path that fills {@code {toolchain}}
 */
public record LanguageRuntime(LanguageDefinition definition, Version version, Path toolchain) {

    public RuntimeInfo info() {
        return new RuntimeInfo(definition.language(), version.toString(), definition.aliases(), definition.runtime());
    }

    public boolean compiled() {
        return definition.compile() != null;
    }
}
