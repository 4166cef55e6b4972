package io.codingengine.api.web;

import io.codingengine.api.access.CurrentPrincipal;
import io.codingengine.api.access.Principal;
import io.codingengine.api.config.EngineProperties;
import io.codingengine.api.execution.ExecutionService;
import io.codingengine.api.judge.Disclosure;
import io.codingengine.api.judge.Submissions;
import io.codingengine.api.limits.LimitBuckets;
import io.codingengine.api.limits.SubmissionLimiter;
import io.codingengine.api.limits.WaitingLimit;
import io.codingengine.api.piston.PistonRequests;
import io.codingengine.common.contest.Contest;
import io.codingengine.common.contest.ContestStore;
import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.RuntimeInfo;
import io.codingengine.common.execution.StageResult;
import io.codingengine.common.pipeline.LiveMessage;
import io.codingengine.common.problem.Problem;
import io.codingengine.common.problem.ProblemStore;
import io.codingengine.common.problem.ProblemSummary;
import io.codingengine.common.problem.StatementFile;
import io.codingengine.common.store.InMemorySubmissionStore;
import io.codingengine.common.store.SubmissionStore;
import io.codingengine.executor.ExecutorConfig;
import io.codingengine.executor.language.Catalogue;
import io.codingengine.executor.language.LanguageDefinition;
import io.codingengine.executor.language.LanguageRuntime;
import io.codingengine.executor.language.Version;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * What the {@code @WebMvcTest} slices of the api run on, with no database, broker, sandbox or
 * toolchain: the real request checks ({@link PistonRequests}, {@link Submissions}, the limits,
 * {@link Disclosure}) over stores and a queue in memory ({@link InMemorySubmissionStore}, which
 * passes the store contract, {@link SentMessages}, {@link InMemoryBuckets}). The catalogue is the
 * real {@code languages.json} at fixed versions, so the checks do not depend on what this host has
 * installed. Nothing here runs code: {@link Executions} answers every request that gets through the
 * checks with an empty run and keeps it, so a test sees what reached execution. No problems and no
 * contests are stored. The access filter is not part of a slice: a test names its caller with
 * {@link #as(Principal)}.
 */
@TestConfiguration(proxyBeanMethods = false)
@EnableConfigurationProperties(EngineProperties.class)
@Import({PistonRequests.class, JsonBodyReader.class, CurrentPrincipal.class, Submissions.class, Disclosure.class})
public class WebSlice {

    /** The versions the slices' catalogue gives each language of {@code languages.json}. */
    private static final Map<String, String> VERSIONS =
            Map.of("python", "3.11.2", "java", "17.0.15", "c++", "12.2.0", "c", "12.2.0", "javascript", "20.19.2");

    /** The caller {@code principal}, as the access filter records an authenticated key for the request. */
    public static RequestPostProcessor as(Principal principal) {
        // AccessFilter.PRINCIPAL_ATTRIBUTE, which CurrentPrincipal reads
        return request -> {
            request.setAttribute(Principal.class.getName(), principal);
            return request;
        };
    }

    /** Every execution that got through the checks, answered without running anything. */
    public static final class Executions implements ExecutionService {

        private final Catalogue catalogue;
        private final List<ExecutionRequest> executed = new CopyOnWriteArrayList<>();

        Executions(Catalogue catalogue) {
            this.catalogue = catalogue;
        }

        public List<ExecutionRequest> executed() {
            return List.copyOf(executed);
        }

        @Override
        public ExecutionResult execute(ExecutionRequest request, String caller) {
            executed.add(request);
            StageResult run = new StageResult("", "", "", 0, null, null, null, 1, 1, 1 << 20);
            return new ExecutionResult(request.language(), request.version(), null, List.of(run), "slice");
        }

        /** No slice opens a WebSocket: a live run is the api's full tests' (PistonConnect*Test). */
        @Override
        public Consumer<LiveMessage.Control> converse(
                ExecutionRequest request, String caller, Duration idleLimit, Consumer<LiveMessage.Event> events) {
            throw new UnsupportedOperationException("the web slices run nothing live");
        }

        @Override
        public ExecutionResult executeInBackground(
                ExecutionRequest request, String caller, Instant startBy, Instant answerBy) {
            return execute(request, caller);
        }

        @Override
        public List<RuntimeInfo> runtimes() {
            return catalogue.runtimes().stream().map(LanguageRuntime::info).toList();
        }
    }

    @Bean
    Catalogue catalogue() {
        try (InputStream in = Catalogue.class.getResourceAsStream("/languages.json")) {
            List<LanguageDefinition> definitions = Catalogue.load(in);
            return new Catalogue(definitions.stream()
                    .map(d -> new LanguageRuntime(
                            d,
                            Version.parse(VERSIONS.getOrDefault(d.language(), "1.0.0")),
                            Path.of("/nonexistent", d.language())))
                    .toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Bean
    ExecutorConfig executorConfig() {
        return ExecutorConfig.defaults();
    }

    @Bean
    Executions executionService(Catalogue catalogue) {
        return new Executions(catalogue);
    }

    @Bean
    InMemorySubmissionStore submissionStore() {
        return new InMemorySubmissionStore();
    }

    @Bean
    SentMessages submissionQueue() {
        return new SentMessages();
    }

    @Bean
    ClientAddress clientAddress(EngineProperties p) {
        return new ClientAddress(p.access().trustedProxies(), p.access().clientAddressHeader());
    }

    @Bean
    SubmissionLimiter submissionLimiter(EngineProperties p, SentMessages queue) {
        return new SubmissionLimiter(new LimitBuckets(new InMemoryBuckets(), 1), queue, p.limits());
    }

    @Bean
    WaitingLimit waitingLimit(SubmissionStore store, EngineProperties p) {
        return new WaitingLimit(store, p.limits().maxWaiting());
    }

    /** No problem is stored: a submission naming one names an unknown problem. */
    @Bean
    ProblemStore problemStore() {
        return new ProblemStore() {
            @Override
            public ProblemSummary save(Problem problem) {
                throw new UnsupportedOperationException("the web slices store no problems");
            }

            @Override
            public Optional<ProblemSummary> get(String id) {
                return Optional.empty();
            }

            @Override
            public List<ProblemSummary> list() {
                return List.of();
            }

            @Override
            public Optional<Problem> load(String id) {
                return Optional.empty();
            }

            @Override
            public Optional<StatementFile> statementFile(String problemId, String name) {
                return Optional.empty();
            }

            @Override
            public boolean delete(String id) {
                return false;
            }
        };
    }

    /** No contest is stored. */
    @Bean
    ContestStore contestStore() {
        return new ContestStore() {
            @Override
            public void save(Contest contest) {
                throw new UnsupportedOperationException("the web slices store no contests");
            }

            @Override
            public Optional<Contest> get(String id) {
                return Optional.empty();
            }

            @Override
            public List<Contest> list() {
                return List.of();
            }

            @Override
            public boolean delete(String id) {
                return false;
            }
        };
    }
}
