package io.codingengine.executor.compile;

import io.codingengine.executor.language.Catalogue;
import java.nio.file.Path;

/**
 * Builds every precompiled header of the detected catalogue ahead of time, so an engine's start-up
 * finds them valid and builds nothing: run by the session image's Dockerfile at image build and by
 * {@code scripts/run-local.sh} at install. Usage: {@code BuildPrecompiledHeaders [pchDir]} (default
 * {@link CompileSettings#defaults()}'s {@code pchDir}); exits 1 when a header cannot be built.
 */
public final class BuildPrecompiledHeaders {

    private BuildPrecompiledHeaders() {}

    public static void main(String[] args) throws Exception {
        Path dir =
                args.length > 0 ? Path.of(args[0]) : CompileSettings.defaults().pchDir();
        try {
            PrecompiledHeaders.Report report = PrecompiledHeaders.at(dir).prepare(Catalogue.detect());
            System.out.printf(
                    "precompiled headers in %s: %d reused, %d built, %d stale removed%n",
                    dir, report.reused(), report.built(), report.removed());
        } catch (java.io.IOException e) {
            System.err.println("cannot build the precompiled headers in " + dir + ": " + e.getMessage());
            System.exit(1);
        }
    }
}
