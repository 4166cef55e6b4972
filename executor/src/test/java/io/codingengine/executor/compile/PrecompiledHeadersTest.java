package io.codingengine.executor.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.executor.language.Catalogue;
import io.codingengine.executor.language.LanguageDefinition;
import io.codingengine.executor.language.LanguageRuntime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Headers built ahead of time are reused at start-up without a build; a replaced compiler's are
 * removed and rebuilt. With the real g++ behind a wrapper whose mtime stands for the binary's
 * (an upgrade replaces the binary at the same path), and one standard to keep it short.
 */
class PrecompiledHeadersTest {

    private static final Map<String, String> STD = Map.of("std", "gnu++17");

    /** JUnit's temporary directories: the headers are about 100 MB, and CI machines are reused. */
    @Test
    void aPrebuiltSetIsReusedAtStartAndAReplacedCompilersIsRebuilt(
            @TempDir Path dir, @TempDir Path tools, @TempDir Path src) throws Exception {
        Path gxx = tools.resolve("g++");
        Files.writeString(gxx, "#!/bin/sh\nexec /usr/bin/g++ \"$@\"\n");
        Files.setPosixFilePermissions(gxx, PosixFilePermissions.fromString("rwxr-xr-x"));
        LanguageRuntime detected = Catalogue.detect().resolve("c++", "*");
        LanguageDefinition d = detected.definition();
        LanguageDefinition oneStandard = new LanguageDefinition(
                d.language(),
                d.aliases(),
                d.runtime(),
                d.toolchains(),
                d.toolchainRequires(),
                d.version(),
                d.extensions(),
                d.naming(),
                d.readOnlyPaths(),
                Map.of("std", new LanguageDefinition.OptionSpec("gnu++17", List.of("gnu++17"))),
                d.compile(),
                d.run(),
                d.limits(),
                d.precompiledHeader(),
                d.compileService(),
                d.compileChecksOnly(),
                d.samples());
        LanguageRuntime runtime = new LanguageRuntime(oneStandard, detected.version(), gxx);
        Catalogue catalogue = new Catalogue(List.of(runtime));
        CompileSettings settings = new CompileSettings(true, dir, 0, false, 200, 512, Duration.ofSeconds(10));

        // Ahead of time, as the image build and the install do.
        assertEquals(
                new PrecompiledHeaders.Report(0, 1, 0),
                PrecompiledHeaders.at(dir).prepare(catalogue));
        Path include = Path.of(
                PrecompiledHeaders.at(dir).arguments(runtime, STD).getFirst().substring(2));
        Path gch = include.resolve("bits/stdc++.h.gch");
        FileTime built = Files.getLastModifiedTime(gch);

        PrecompiledHeaders started = PrecompiledHeaders.start(settings, catalogue);
        assertEquals(
                new PrecompiledHeaders.Report(1, 0, 0),
                started.ready().get(60, TimeUnit.SECONDS),
                "start-up reuses the prebuilt header");
        assertEquals(built, Files.getLastModifiedTime(gch), "and does not build it again");
        assertEquals(List.of("-I" + include), started.arguments(runtime, STD));

        // The compiler is replaced: another binary at the same path.
        Files.setLastModifiedTime(gxx, FileTime.fromMillis(System.currentTimeMillis() + 3_600_000));
        PrecompiledHeaders upgraded = PrecompiledHeaders.start(settings, catalogue);
        assertEquals(
                new PrecompiledHeaders.Report(0, 1, 1),
                upgraded.ready().get(120, TimeUnit.SECONDS),
                "the stale header is removed and rebuilt");
        assertFalse(Files.exists(include), "the replaced compiler's header is gone");
        Path rebuilt = Path.of(upgraded.arguments(runtime, STD).getFirst().substring(2));
        assertNotEquals(include, rebuilt);
        assertTrue(
                Files.readAllLines(rebuilt.resolve("identity"))
                        .contains(Long.toString(Files.getLastModifiedTime(gxx).toMillis())),
                "built by the new compiler");

        // g++ really takes the rebuilt header with the catalogue's flags.
        Files.writeString(
                src.resolve("a.cpp"),
                "#include <bits/stdc++.h>\nint main() { std::vector<int> v{1}; return v[0] - 1; }\n");
        Process p = new ProcessBuilder(
                        gxx.toString(),
                        "-I" + rebuilt,
                        "-std=gnu++17",
                        "-O2",
                        "-Winvalid-pch",
                        "-H",
                        "-fsyntax-only",
                        "a.cpp")
                .directory(src.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("! ") && l.endsWith("bits/stdc++.h.gch")), out);
    }
}
