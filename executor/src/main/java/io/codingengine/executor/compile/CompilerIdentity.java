package io.codingengine.executor.compile;

import io.codingengine.executor.language.LanguageRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What makes a compiler the same compiler: its path, reported version and the real binary's mtime. */
final class CompilerIdentity {

    private CompilerIdentity() {}

    static List<String> of(LanguageRuntime runtime) {
        return List.of(
                runtime.definition().language(),
                runtime.toolchain().toString(),
                runtime.version().toString(),
                Long.toString(modified(runtime.toolchain())));
    }

    /** The modification time of the toolchain after symlinks (an upgrade replaces the binary). */
    static long modified(Path toolchain) {
        try {
            return Files.getLastModifiedTime(toolchain.toRealPath()).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
