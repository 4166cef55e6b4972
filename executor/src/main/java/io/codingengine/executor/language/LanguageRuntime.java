package io.codingengine.executor.language;

import io.codingengine.common.execution.RuntimeInfo;
import java.nio.file.Path;
import java.util.List;

/**
 * A language at one detected version: a definition bound to one installed toolchain.
 *
 * @param definition the catalogue entry
 * @param version    the version the toolchain reported (three numeric parts)
 * @param toolchain  the toolchain path that fills {@code {toolchain}}
 */
public record LanguageRuntime(LanguageDefinition definition, Version version, Path toolchain) {

    public RuntimeInfo info() {
        return new RuntimeInfo(definition.language(), version.toString(), aliases(), definition.runtime());
    }

    /** The definition's aliases at this version ({@code python{major}.{minor}} is {@code python3.11}). */
    public List<String> aliases() {
        return definition.aliases().stream()
                .map(alias -> alias.replace("{major}", Integer.toString(version.major()))
                        .replace("{minor}", Integer.toString(version.minor())))
                .toList();
    }

    /** True when {@code name} is the language's name or one of its aliases at this version. */
    public boolean answersTo(String name) {
        return definition.language().equals(name) || aliases().contains(name);
    }

    public boolean compiled() {
        return definition.compile() != null;
    }
}
