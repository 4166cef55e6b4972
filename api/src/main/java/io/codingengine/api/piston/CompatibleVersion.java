package io.codingengine.api.piston;

import io.codingengine.executor.language.Version;
import io.codingengine.executor.language.VersionRange;
import java.util.Objects;

/**
 * A version Piston clients ask for that is not installed, and the installed one that runs in its
 * place ({@code coding-engine.piston.compatible-versions}): the seed deployment's clients ask for
 * Python 3.10.0, Java 15.0.2, C++ 10.2.0 and JavaScript 16.3.0. Declared by the operator; the
 * response's {@code language} and {@code version} say what ran.
 *
 * @param language  the language, as the runtimes list names it (aliases in a request count too)
 * @param requested the version asked for: that exact string, or a range an exact requested
 *                  version falls in ({@code 3.10.x})
 * @param runs      the range of installed versions that runs instead ({@code 3.x}); the newest wins
 */
public record CompatibleVersion(String language, String requested, String runs) {

    public CompatibleVersion {
        Objects.requireNonNull(language, "coding-engine.piston.compatible-versions[].language");
        Objects.requireNonNull(requested, "coding-engine.piston.compatible-versions[].requested");
        VersionRange.parse(Objects.requireNonNull(runs, "coding-engine.piston.compatible-versions[].runs"));
    }

    /** True when a request for {@code version} of this (canonical) language is meant. */
    boolean covers(String canonicalLanguage, String version) {
        if (!language.equals(canonicalLanguage)) {
            return false;
        }
        if (requested.equals(version)) {
            return true;
        }
        try {
            return VersionRange.parse(requested).matches(Version.parse(version));
        } catch (RuntimeException notAVersion) {
            return false;
        }
    }
}
