package io.codingengine.executor;

import io.codingengine.common.execution.Conversation;
import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.Executor;
import io.codingengine.common.execution.InteractionRequest;
import io.codingengine.common.execution.InteractionResult;
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
import io.codingengine.executor.sandbox.RuntimePages;
import io.codingengine.executor.sandbox.Sandbox;
import io.codingengine.executor.sandbox.SandboxConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
        catalogue
                .runtimes()
                .forEach(r -> r.definition().readOnlyPaths().stream()
                        .filter(p -> !paths.contains(p))
                        .forEach(paths::add));
        PrecompiledHeaders headers = PrecompiledHeaders.start(config.compileSpeed(), catalogue);
        // The default directory lies under /usr, which every box already sees read-only; another
        // one gets its own read-only mount (never a parent such as /var/lib, which boxes must not see).
        if (headers.directory() != null
                && paths.stream().noneMatch(p -> headers.directory().startsWith(p))) {
            paths.add(headers.directory().toString());
        }
        Sandbox boxes = new Sandbox(sandbox.withReadOnlyPaths(paths));
        if (sandbox.lockRuntimes() && headers.directory() != null) {
            // Headers built after start are locked once built, like the rest of what boxes show.
            Path pch = headers.directory();
            headers.ready().whenComplete((report, failure) -> RuntimePages.lockNew(pch));
        }
        return new SandboxedExecutor(
                catalogue,
                boxes,
                config,
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
        return execute(request, false, null);
    }

    @Override
    public ExecutionResult executeInteractive(ExecutionRequest request) {
        return execute(request, true, null);
    }

    /** The compile's output and end are told once it is over; the run's output as the program writes it. */
    @Override
    public ExecutionResult converse(ExecutionRequest request, Conversation conversation) {
        if (request.runs().size() != 1) {
            throw new InvalidRequestException("a live run has exactly one run");
        }
        if (!request.runs().getFirst().stdin().isEmpty()) {
            throw new InvalidRequestException("a live run's stdin comes from its client, not the request");
        }
        return execute(request, true, conversation);
    }

    /**
     * {@code interactive}: the interactive lane's work, which may take the slots kept for it;
     * {@code live}: the client of a live run, else null.
     */
    private ExecutionResult execute(ExecutionRequest request, boolean interactive, Conversation live) {
        Prepared program = prepare(
                request.language(),
                request.version(),
                request.files(),
                request.options(),
                request.compileLimits(),
                request.runLimits());
        LanguageRuntime runtime = program.runtime();
        LanguageDefinition language = program.language();
        SourceLayout layout = program.layout();
        Map<String, String> options = program.options();
        StageLimits runLimits = program.runLimits();
        if (request.runs().isEmpty()) {
            throw new InvalidRequestException("at least one run is required");
        }
        try (Box box = sandbox.open(program.diskBytes(), program.diskInodes(), interactive)) {
            StageResult compile = build(box, program, request.syntaxCheck(), live);
            if (compile != null && !compile.succeeded()) {
                return new ExecutionResult(
                        language.language(), runtime.version().toString(), compile, List.of(), where(box));
            }
            List<StageResult> runs = new ArrayList<>();
            for (RunInput input : request.runs()) {
                List<String> command =
                        Commands.expand(language.run(), runtime, layout, options, input.args(), List.of(), runLimits);
                byte[] stdin = input.stdin().getBytes(StandardCharsets.UTF_8);
                if (live != null) {
                    live.stage(Conversation.Stage.RUN);
                }
                StageResult run = StageMapper.map(box.run(new RunSpec(
                        command, BASE_ENV, stdin, runLimits, request.runLimits().cutStderr(), List.of(), live)));
                if (live != null) {
                    live.exit(Conversation.Stage.RUN, run);
                }
                runs.add(run);
            }
            return new ExecutionResult(language.language(), runtime.version().toString(), compile, runs, where(box));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a sandbox slot", e);
        }
    }

    @Override
    public InteractionResult interact(InteractionRequest request) {
        return new Interactions(this).run(request, false);
    }

    /**
     * This executor as the interactive lane's work uses it: executions, interactions (an
     * interactive problem judged for a person who waits) and live runs all take a slot kept for
     * that lane first ({@link SandboxConfig#interactiveSlots()}), then any.
     */
    @Override
    public Executor interactive() {
        return new InteractiveLane();
    }

    /** See {@link #interactive()}. */
    private final class InteractiveLane implements Executor {

        @Override
        public List<RuntimeInfo> runtimes() {
            return SandboxedExecutor.this.runtimes();
        }

        @Override
        public ExecutionResult execute(ExecutionRequest request) {
            return SandboxedExecutor.this.executeInteractive(request);
        }

        @Override
        public InteractionResult interact(InteractionRequest request) {
            return new Interactions(SandboxedExecutor.this).run(request, true);
        }

        @Override
        public ExecutionResult converse(ExecutionRequest request, Conversation conversation) {
            return SandboxedExecutor.this.converse(request, conversation);
        }

        @Override
        public int capacity() {
            return Math.max(1, SandboxedExecutor.this.interactiveCapacity());
        }
    }

    /**
     * A program checked against the catalogue and the limits, not yet in a box.
     *
     * @param diskBytes  the work directory's size: the limits' room for what the program writes,
     *                   and its own files besides
     * @param diskInodes likewise in inodes
     */
    record Prepared(
            LanguageRuntime runtime,
            LanguageDefinition language,
            SourceLayout layout,
            Map<String, String> options,
            StageLimits compileLimits,
            StageLimits runLimits,
            long diskBytes,
            int diskInodes) {}

    /**
     * Checks a program against the catalogue and the limits.
     *
     * @throws InvalidRequestException when anything of it is not runnable; nothing ran
     */
    Prepared prepare(
            String language,
            String version,
            List<io.codingengine.common.execution.SourceFile> files,
            Map<String, String> requestedOptions,
            io.codingengine.common.execution.LimitRequest compile,
            io.codingengine.common.execution.LimitRequest run) {
        LanguageRuntime runtime = catalogue.resolve(language, version);
        LanguageDefinition definition = runtime.definition();
        SourceLayout layout = SourceLayout.of(definition, files, config.maxFiles(), config.maxSourceBytes());
        Map<String, String> options = options(definition, requestedOptions);
        StageLimits compileLimits = limits.compile(definition, compile);
        StageLimits runLimits = limits.run(definition, run);
        // The disk limits are for what the programs write: the box holds the submission's files besides.
        long programBytes =
                layout.files().stream().mapToLong(f -> f.content().length).sum();
        return new Prepared(
                runtime,
                definition,
                layout,
                options,
                compileLimits,
                runLimits,
                Math.max(compileLimits.diskBytes(), runLimits.diskBytes()) + programBytes,
                Math.max(compileLimits.diskInodes(), runLimits.diskInodes()) + programInodes(layout));
    }

    /**
     * Writes {@code program} into {@code box} and compiles it when its language compiles (an
     * interpreted language's syntax check only when {@code syntaxCheck}): the compile stage to
     * report, or {@code null} when there is none (a passed syntax check is no stage).
     */
    StageResult build(Box box, Prepared program, boolean syntaxCheck) {
        return build(box, program, syntaxCheck, null);
    }

    /** As {@link #build(Box, Prepared, boolean)}, telling a live run's client ({@code live}, else null) of it. */
    private StageResult build(Box box, Prepared program, boolean syntaxCheck, Conversation live) {
        program.layout().files().forEach(f -> box.writeFile(f.path(), f.content(), false));
        LanguageDefinition language = program.language();
        if (live != null) {
            live.started(language.language(), program.runtime().version().toString());
        }
        // An interpreted language's check runs only when asked for (judging), never for Piston.
        if (!program.runtime().compiled() || language.compileChecksOnly() && !syntaxCheck) {
            return null;
        }
        if (live != null && !language.compileChecksOnly()) {
            live.stage(Conversation.Stage.COMPILE);
        }
        StageResult compile = compileStage.compile(
                box, program.runtime(), program.layout(), program.options(), program.compileLimits());
        if (live != null && (!language.compileChecksOnly() || !compile.succeeded())) {
            tellCompile(live, compile, language.compileChecksOnly());
        }
        // A passed syntax check is no stage: the result is an interpreted language's, as before.
        return compile.succeeded() && language.compileChecksOnly() ? null : compile;
    }

    /**
     * A live run's compile stage, once it is over: a language that only checks its sources has
     * its stage told only when the check failed, as its result shows a compile stage only then.
     */
    private static void tellCompile(Conversation live, StageResult compile, boolean checkOnly) {
        if (checkOnly) {
            live.stage(Conversation.Stage.COMPILE);
        }
        if (!compile.stdout().isEmpty()) {
            live.output(Conversation.Stream.STDOUT, compile.stdout());
        }
        if (!compile.stderr().isEmpty()) {
            live.output(Conversation.Stream.STDERR, compile.stderr());
        }
        live.exit(Conversation.Stage.COMPILE, compile);
    }

    /** The run's argv of {@code program} with {@code args}. */
    static List<String> runCommand(Prepared program, List<String> args) {
        return Commands.expand(
                program.language().run(),
                program.runtime(),
                program.layout(),
                program.options(),
                args,
                List.of(),
                program.runLimits());
    }

    /** The environment of every run. */
    static Map<String, String> environment() {
        return BASE_ENV;
    }

    ExecutorConfig config() {
        return config;
    }

    /** The files of the submission and the directories that hold them. */
    private static int programInodes(SourceLayout layout) {
        java.util.Set<String> directories = new java.util.HashSet<>();
        for (SourceLayout.PlacedFile file : layout.files()) {
            for (int slash = file.path().indexOf('/');
                    slash > 0;
                    slash = file.path().indexOf('/', slash + 1)) {
                directories.add(file.path().substring(0, slash));
            }
        }
        return layout.files().size() + directories.size();
    }

    /** The result's session: this host and the slot whose box ran it. */
    static String where(Box box) {
        return where() + "/slot-" + box.slot();
    }

    /** The session of a result that ran in no box: this host. */
    static String where() {
        return "local:" + HOST;
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
                        + (language.options().isEmpty()
                                ? ""
                                : "; options: " + language.options().keySet()));
            }
            if (!spec.allowed().contains(value)) {
                throw new InvalidRequestException(name + " must be one of " + spec.allowed());
            }
            values.put(name, value);
        });
        return values;
    }
}
