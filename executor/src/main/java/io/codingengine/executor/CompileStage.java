package io.codingengine.executor;

import io.codingengine.common.execution.StageLimits;
import io.codingengine.common.execution.StageResult;
import io.codingengine.common.execution.StageStatus;
import io.codingengine.executor.compile.CompileCache;
import io.codingengine.executor.compile.CompileSettings;
import io.codingengine.executor.compile.JavacService;
import io.codingengine.executor.compile.PrecompiledHeaders;
import io.codingengine.executor.language.Catalogue;
import io.codingengine.executor.language.LanguageRuntime;
import io.codingengine.executor.language.SourceLayout;
import io.codingengine.executor.sandbox.Box;
import io.codingengine.executor.sandbox.Isolation;
import io.codingengine.executor.sandbox.RunSpec;
import io.codingengine.executor.sandbox.Sandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The compile stage of one submission, as fast as the settings allow: a cached compile of the
 * same sources is reused, Java goes to the warm compiler of its JDK, C++ gets its precompiled
 * header, and otherwise the compiler runs in the box as before. Whichever path is taken the
 * caller sees the same {@link StageResult} and the same files in the box.
 */
final class CompileStage implements AutoCloseable {

    private final CompileSettings settings;
    private final PrecompiledHeaders headers;
    private final CompileCache cache;
    private final Map<String, String> env;
    private final Path javacHome;
    private final List<LanguageRuntime> javacRuntimes;
    private final int javacUidBase;
    /** The largest compile limits a request may have: they size the warm compilers' output. */
    private final StageLimits maxLimits;

    private final Sandbox sandbox;
    private final Map<LanguageRuntime, JavacService> javac = new ConcurrentHashMap<>();

    private CompileStage(
            CompileSettings settings,
            PrecompiledHeaders headers,
            CompileCache cache,
            Map<String, String> env,
            Path javacHome,
            List<LanguageRuntime> javacRuntimes,
            int javacUidBase,
            StageLimits maxLimits,
            Sandbox sandbox) {
        this.settings = settings;
        this.headers = headers;
        this.cache = cache;
        this.env = env;
        this.javacHome = javacHome;
        this.javacRuntimes = javacRuntimes;
        this.javacUidBase = javacUidBase;
        this.maxLimits = maxLimits;
        this.sandbox = sandbox;
    }

    /** Every compile in the box, nothing cached (for an executor built around a given sandbox). */
    static CompileStage plain(Map<String, String> env) {
        CompileSettings off = CompileSettings.off();
        return new CompileStage(
                off,
                PrecompiledHeaders.start(off, null),
                new CompileCache(null, 0),
                env,
                null,
                List.of(),
                0,
                null,
                null);
    }

    /**
     * With the settings' speed-ups: the cache under {@code <dataDir>/compile-cache}, warm compilers
     * under {@code <dataDir>/javac}, each a service of {@code sandbox}, running as the uids right below the sandbox's first slot uid
     * ({@code uidBase - 1}, {@code uidBase - 2}, ...): never a slot's uid, so a check for processes
     * a run left behind is not confused by a compiler that is meant to live on.
     */
    static CompileStage start(
            CompileSettings settings,
            Catalogue catalogue,
            Sandbox sandbox,
            PrecompiledHeaders headers,
            Map<String, String> env,
            StageLimits maxLimits) {
        List<LanguageRuntime> javacRuntimes = catalogue.runtimes().stream()
                .filter(r -> "javac".equals(r.definition().compileService()))
                .toList();
        return new CompileStage(
                settings,
                headers,
                new CompileCache(sandbox.config().dataDir().resolve("compile-cache"), settings.cacheBytes()),
                env,
                sandbox.config().dataDir().resolve("javac"),
                javacRuntimes,
                sandbox.config().uidBase() - 1,
                maxLimits,
                sandbox);
    }

    /**
     * Compiles {@code layout} (already written into {@code box}); afterwards the outputs are part
     * of the box's program, so every later run finds them in its work directory.
     */
    StageResult compile(
            Box box, LanguageRuntime runtime, SourceLayout layout, Map<String, String> options, StageLimits limits) {
        List<String> command =
                Commands.expand(runtime.definition().compile(), runtime, layout, options, List.of(), List.of(), limits);
        Map<String, byte[]> sources = new HashMap<>();
        layout.files().forEach(f -> sources.put(f.path(), f.content()));
        CompileCache.Entry entry = cache.get(
                CompileCache.key(runtime, command, limits.toString(), sources),
                () -> compileNow(box, runtime, layout, options, limits, sources));
        if (entry.result().succeeded()) {
            String clash = clash(layout, entry.files().keySet());
            if (clash != null) {
                return new StageResult("", clash, clash, 1, null, StageStatus.RE, clash, 0, 0, 0);
            }
            entry.files().forEach((path, content) -> box.writeFile(path, content, true));
        }
        return entry.result();
    }

    /**
     * Why the compiler's outputs cannot join the submitted files in the work directory, or null:
     * an output where a submitted file's directory is ({@code Main.class} and a file
     * {@code Main.class/y}), or under a submitted file ({@code p/Main.class} and a file {@code p}).
     * Every run would fail writing them: the submitter's mistake, a compile error.
     */
    static String clash(SourceLayout layout, Set<String> outputs) {
        Set<String> files = new HashSet<>();
        Set<String> directories = new HashSet<>();
        for (SourceLayout.PlacedFile f : layout.files()) {
            files.add(f.path());
            for (int slash = f.path().indexOf('/'); slash >= 0; slash = f.path().indexOf('/', slash + 1)) {
                directories.add(f.path().substring(0, slash));
            }
        }
        for (String output : outputs) {
            if (directories.contains(output)) {
                return "the compiler wrote " + output + ", which the submitted files use as a directory";
            }
            for (int slash = output.indexOf('/'); slash >= 0; slash = output.indexOf('/', slash + 1)) {
                if (files.contains(output.substring(0, slash))) {
                    return "the compiler wrote " + output + ", but the submitted file " + output.substring(0, slash)
                            + " is where its directory goes";
                }
            }
        }
        return null;
    }

    /** The warm compiler of a JDK, once one has been started. */
    Optional<JavacService> javac(LanguageRuntime runtime) {
        return Optional.ofNullable(javac.get(runtime));
    }

    @Override
    public void close() {
        javac.values().forEach(JavacService::close);
    }

    private CompileCache.Entry compileNow(
            Box box,
            LanguageRuntime runtime,
            SourceLayout layout,
            Map<String, String> options,
            StageLimits limits,
            Map<String, byte[]> sources) {
        JavacService service = service(runtime);
        if (service != null) {
            Duration timeout = settings.javacTimeout().compareTo(limits.wallTime()) < 0
                    ? settings.javacTimeout()
                    : limits.wallTime();
            // Options and files apart: the service never lets a file name be read as an option.
            SourceLayout noSources = new SourceLayout(layout.files(), layout.main(), List.of(), layout.mainClass());
            List<String> javacOptions = Commands.expand(
                    runtime.definition().compile(), runtime, noSources, options, List.of(), List.of(), limits);
            if (service.compile(
                            sources,
                            javacOptions.subList(1, javacOptions.size()),
                            layout.sources(),
                            timeout,
                            limits.diskBytes(),
                            limits.outputBytes())
                    instanceof JavacService.Outcome.Compiled compiled) {
                return compiled.entry();
            }
        }
        List<String> argv = Commands.expand(
                runtime.definition().compile(),
                runtime,
                layout,
                options,
                List.of(),
                headers.arguments(runtime, options),
                limits);
        StageResult result = StageMapper.map(box.run(new RunSpec(argv, env, new byte[0], limits)));
        if (!result.succeeded()) {
            return new CompileCache.Entry(result, Map.of());
        }
        try {
            // Before the next run replaces the work directory. The compile's processes are gone
            // (the run returned), and the box is read without following links all the same.
            Map<String, byte[]> outputs = new HashMap<>(box.outputs(limits.diskBytes()));
            outputs.keySet().removeAll(sources.keySet());
            return new CompileCache.Entry(result, outputs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the compile's outputs", e);
        }
    }

    private JavacService service(LanguageRuntime runtime) {
        int index = javacRuntimes.indexOf(runtime);
        // A sandboxed service needs namespaces (Sandbox.startService): without them javac runs in the box.
        if (!settings.warmJavac() || index < 0 || sandbox.isolation().level() != Isolation.Level.NAMESPACES) {
            return null;
        }
        return javac.computeIfAbsent(
                runtime,
                r -> new JavacService(
                        r,
                        javacHome.resolve(r.version().toString()),
                        javacUidBase - index,
                        maxLimits.diskBytes(),
                        maxLimits.diskInodes(),
                        sandbox,
                        settings));
    }
}
