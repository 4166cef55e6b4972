package io.codingengine.executor;

import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.Executor;
import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.execution.RunInput;
import io.codingengine.common.execution.RuntimeInfo;
import io.codingengine.common.execution.StageLimits;
import io.codingengine.common.execution.StageResult;
import io.codingengine.executor.compile.PrecompiledHeaders;
import io.codingengine.executor.language.Catalogue;
import io.codingengine.executor.language.LanguageDefinition;
import io.codingengine.executor.language.LanguageRuntime;
import io.codingengine.executor.language.SourceLayout;
import io.codingengine.executor.sandbox.Box;
import io.codingengine.executor.sandbox.RunSpec;
import io.codingengine.executor.sandbox.Sandbox;
import io.codingengine.executor.sandbox.SandboxConfig;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The executor: validates a request against the catalogue, writes its files into a fresh box,
 * compiles once (when the language compiles) and runs every input, each in a fresh sandboxed
 * process tree. Runs up to the sandbox's slot count at once; further callers wait for a slot.
 */
public final class SandboxedExecutor implements Executor, AutoCloseable {

    private static final Map<String, String> BASE_ENV = Map.of(
            "PATH", "/usr/local/bin:/usr/bin:/bin",
            "HOME", "/box",
            "TMPDIR", "/tmp",
            "LANG", "C.UTF-8",
            "LC_ALL", "C.UTF-8");
    private static final String HOST = hostName();

    private final Catalogue catalogue;
    private final Sandbox sandbox;
    private final ExecutorConfig config;
    private final Limits limits;
    private final CompileStage compileStage;

    /** Around a given sandbox: every compile runs in the box, nothing is cached. */
    public SandboxedExecutor(Catalogue catalogue, Sandbox sandbox, ExecutorConfig config) {
        this(catalogue, sandbox, config, CompileStage.plain(BASE_ENV));
    }

    private SandboxedExecutor(Catalogue catalogue, Sandbox sandbox, ExecutorConfig config, CompileStage compileStage) {
        this.catalogue = catalogue;
        this.sandbox = sandbox;
        this.config = config;
        this.limits = new Limits(config);
        this.compileStage = compileStage;
    }

    /**
     * Detects the installed languages and starts a sandbox that shows each language's runtime
     * paths ({@code readOnlyPaths} of its catalogue entry) besides {@code sandbox}'s own, with
     * the compile speed-ups of {@code config.compileSpeed()} (precompiled headers, shown read-only
     * in every box, are built in the background from here on).
     */
    public static SandboxedExecutor start(SandboxConfig sandbox, ExecutorConfig config) {
        Catalogue catalogue = Catalogue.detect();
        List<String> paths = new ArrayList<>(sandbox.readOnlyPaths());
        catalogue.runtimes().forEach(r -> r.definition().readOnlyPaths().stream()
                .filter(p -> !paths.contains(p)).forEach(paths::add));
        PrecompiledHeaders headers = PrecompiledHeaders.start(config.compileSpeed(), catalogue);
        // The default directory lies under /usr, which every box already sees read-only; another
        // one gets its own read-only mount (never a parent such as /var/lib, which boxes must not see).
        if (headers.directory() != null && paths.stream().noneMatch(p -> headers.directory().startsWith(p))) {
            paths.add(headers.directory().toString());
        }
        Sandbox boxes = new Sandbox(sandbox.withReadOnlyPaths(paths));
        return new SandboxedExecutor(catalogue, boxes, config,
                CompileStage.start(config.compileSpeed(), catalogue, boxes, headers, BASE_ENV, config.max()));
    }

    @Override
    public List<RuntimeInfo> runtimes() {
        return catalogue.runtimes().stream().map(LanguageRuntime::info).toList();
    }

    @Override
    public int capacity() {
        return sandbox.slots() - sandbox.interactiveSlots();
    }

    @Override
    public int interactiveCapacity() {
        return sandbox.interactiveSlots();
    }

    public Sandbox sandbox() {
        return sandbox;
    }

    /** {@link Sandbox#check}: a trivial program in every slot of the sandbox, as every run goes there. */
    @Override
    public String probe() {
        return sandbox.check();
    }

    CompileStage compileStage() {
        return compileStage;
    }

    Catalogue catalogue() {
        return catalogue;
    }

    @Override
    public void close() {
        compileStage.close();
        sandbox.close();
    }

    @Override
    public ExecutionResult execute(ExecutionRequest request) {
        return execute(request, false);
    }

    @Override
    public ExecutionResult executeInteractive(ExecutionRequest request) {
        return execute(request, true);
    }

    private ExecutionResult execute(ExecutionRequest request, boolean interactive) {
        LanguageRuntime runtime = catalogue.resolve(request.language(), request.version());
        LanguageDefinition language = runtime.definition();
        SourceLayout layout = SourceLayout.of(language, request.files(), config.maxFiles(), config.maxSourceBytes());
        Map<String, String> options = options(language, request.options());
        StageLimits compileLimits = limits.compile(language, request.compileLimits());
        StageLimits runLimits = limits.run(language, request.runLimits());
        if (request.runs().isEmpty()) {
            throw new InvalidRequestException("at least one run is required");
        }
        // The disk limits are for what the programs write: the box holds the submission's files besides.
        long programBytes = layout.files().stream().mapToLong(f -> f.content().length).sum();
        int programInodes = programInodes(layout);
        try (Box box = sandbox.open(Math.max(compileLimits.diskBytes(), runLimits.diskBytes()) + programBytes,
                Math.max(compileLimits.diskInodes(), runLimits.diskInodes()) + programInodes, interactive)) {
            layout.files().forEach(f -> box.writeFile(f.path(), f.content(), false));
            StageResult compile = null;
            // An interpreted language's check runs only when asked for (judging), never for Piston.
            if (runtime.compiled() && (!language.compileChecksOnly() || request.syntaxCheck())) {
                compile = compileStage.compile(box, runtime, layout, options, compileLimits);
                if (!compile.succeeded()) {
                    return new ExecutionResult(language.language(), runtime.version().toString(), compile, List.of(),
                            where(box));
                }
                if (language.compileChecksOnly()) {
                    // A passed syntax check is no stage: the result is an interpreted language's, as before.
                    compile = null;
                }
            }
            List<StageResult> runs = new ArrayList<>();
            for (RunInput input : request.runs()) {
                List<String> command = Commands.expand(language.run(), runtime, layout, options, input.args(), List.of(), runLimits);
                byte[] stdin = input.stdin().getBytes(StandardCharsets.UTF_8);
                runs.add(StageMapper.map(box.run(new RunSpec(command, BASE_ENV, stdin, runLimits,
                        request.runLimits().cutStderr()))));
            }
            return new ExecutionResult(language.language(), runtime.version().toString(), compile, runs, where(box));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a sandbox slot", e);
        }
    }

    /** The files of the submission and the directories that hold them. */
    private static int programInodes(SourceLayout layout) {
        java.util.Set<String> directories = new java.util.HashSet<>();
        for (SourceLayout.PlacedFile file : layout.files()) {
            for (int slash = file.path().indexOf('/'); slash > 0; slash = file.path().indexOf('/', slash + 1)) {
                directories.add(file.path().substring(0, slash));
            }
        }
        return layout.files().size() + directories.size();
    }

    /** The result's session: this host and the slot whose box ran it. */
    private static String where(Box box) {
        return "local:" + HOST + "/slot-" + box.slot();
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "unknown-host";
        }
    }

    private static Map<String, String> options(LanguageDefinition language, Map<String, String> requested) {
        Map<String, String> values = new HashMap<>();
        language.options().forEach((name, spec) -> values.put(name, spec.defaultValue()));
        requested.forEach((name, value) -> {
            LanguageDefinition.OptionSpec spec = language.options().get(name);
            if (spec == null) {
                throw new InvalidRequestException(language.language() + " has no option " + name
                        + (language.options().isEmpty() ? "" : "; options: " + language.options().keySet()));
            }
            if (!spec.allowed().contains(value)) {
                throw new InvalidRequestException(name + " must be one of " + spec.allowed());
            }
            values.put(name, value);
        });
        return values;
    }
}
