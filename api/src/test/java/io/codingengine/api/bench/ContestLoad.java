package io.codingengine.api.bench;

import io.codingengine.common.judge.TestCase;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Contest load test against a running system (scripts/run-local.sh; bench/load.sh starts one).
 * Not a unit test (the name matches no surefire pattern): each of CONTESTANTS virtual threads gets
 * a participant key from the admin, runs its code on the sample (Piston execute) and submits
 * correct and wrong solutions in every language, polling each until its verdict. Reports
 * throughput, p50/p95/p99 submit-to-verdict latency and errors, and checks that every submission
 * got exactly one verdict (DONE with the expected one, and exactly one audit entry); exits 1 if not.
 *
 * <pre>ContestLoad BASE_URL ADMIN_KEY [contestants=200] [submissions_each=2] [runs_each=1]</pre>
 */
public final class ContestLoad {

    /** The whole run stops by itself after this long. */
    private static final Duration BUDGET = Duration.ofMinutes(15);
    /** A contest page polls every few seconds; faster polling only measures the key and table reads. */
    private static final Duration POLL = Duration.ofSeconds(2);
    /** Contestants arrive over a few seconds, not in one instant. */
    private static final Duration ARRIVAL = Duration.ofMillis(20);

    /** A correct and a wrong solution of "print a+b". */
    record Solution(String language, String correct, String wrong) {}

    static final List<Solution> SOLUTIONS = List.of(
            new Solution(
                    "python", "a,b=map(int,input().split())\nprint(a+b)", "a,b=map(int,input().split())\nprint(a-b)"),
            new Solution(
                    "javascript",
                    "const [a,b]=require('fs').readFileSync(0,'utf8').trim().split(/\\s+/).map(Number);console.log(a+b)",
                    "const [a,b]=require('fs').readFileSync(0,'utf8').trim().split(/\\s+/).map(Number);console.log(a*b)"),
            new Solution(
                    "c",
                    "#include <stdio.h>\nint main(){long a,b;scanf(\"%ld %ld\",&a,&b);printf(\"%ld\\n\",a+b);}",
                    "#include <stdio.h>\nint main(){long a,b;scanf(\"%ld %ld\",&a,&b);printf(\"%ld\\n\",a);}"),
            new Solution(
                    "c++",
                    "#include <iostream>\nint main(){long a,b;std::cin>>a>>b;std::cout<<a+b<<'\\n';}",
                    "#include <iostream>\nint main(){long a,b;std::cin>>a>>b;std::cout<<b<<'\\n';}"),
            new Solution("java", javaMain("s.nextLong()+s.nextLong()"), javaMain("s.nextLong()-s.nextLong()")));

    static final List<TestCase> TESTS = List.of(
            new TestCase("sample", "1 2\n", "3\n", true),
            new TestCase("big", "1000000000 2000000000\n", "3000000000\n", false),
            new TestCase("neg", "-5 5\n", "0\n", false));

    record SourceFile(String content) {}

    record KeyRequest(String subject, String role) {}

    record RunRequest(String language, String version, List<SourceFile> files, String stdin) {}

    record SubmitRequest(String language, List<TestCase> tests, List<SourceFile> files) {}

    /** One judged submission: what it should have got and what it got. */
    record Judged(String ticket, String expected, String verdict, String language, double latencySeconds) {}

    record Answer(int status, String body) {}

    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30))
            .build();
    private final String base;
    private final String admin;
    private final Instant deadline = Instant.now().plus(BUDGET);
    private final Tally results = new Tally();

    /** What the contestants report, shared by all of them. */
    private static final class Tally {
        final ConcurrentLinkedQueue<Judged> judged = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        final AtomicInteger limited = new AtomicInteger();
        final AtomicInteger runs = new AtomicInteger();
    }

    private ContestLoad(String base, String admin) {
        this.base = base;
        this.admin = admin;
    }

    public static void main(String[] args) throws Exception {
        int contestants = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        int subsEach = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        int runsEach = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        System.exit(new ContestLoad(args[0], args[1]).run(contestants, subsEach, runsEach) ? 0 : 1);
    }

    private boolean run(int contestants, int subsEach, int runsEach) throws Exception {
        long stamp = Instant.now().getEpochSecond();
        Instant start = Instant.now();
        long t0 = System.nanoTime();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < contestants; i++) {
                int n = i;
                threads.submit(() -> contestant(stamp, n, subsEach, runsEach));
                Thread.sleep(ARRIVAL);
            }
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;

        List<Judged> judged = List.copyOf(results.judged);
        List<Judged> wrong =
                judged.stream().filter(j -> !j.expected().equals(j.verdict())).toList();
        Map<String, Integer> audited = auditedTickets(start.minus(Duration.ofMinutes(1)));
        List<String> notOnce = judged.stream()
                .map(Judged::ticket)
                .filter(t -> audited.getOrDefault(t, 0) != 1)
                .toList();
        List<Double> latencies =
                judged.stream().map(Judged::latencySeconds).sorted().toList();

        System.out.printf(
                "contestants %d, submissions %d, sample runs %d, in %.1f s%n",
                contestants, judged.size(), results.runs.get(), elapsed);
        System.out.printf("throughput %.2f verdicts/s%n", judged.size() / elapsed);
        System.out.printf(
                "submit-to-verdict latency p50 %.2f s, p95 %.2f s, p99 %.2f s%n",
                percentile(latencies, 50), percentile(latencies, 95), percentile(latencies, 99));
        System.out.printf(
                "errors %d, 429/503 answers (retried) %d, unexpected verdicts %d, "
                        + "submissions without exactly one audit entry %d%n",
                results.errors.size(), results.limited.get(), wrong.size(), notOnce.size());
        results.errors.stream().limit(10).forEach(e -> System.out.println("  " + e));
        wrong.stream().limit(10).forEach(w -> System.out.println("  unexpected " + w));
        notOnce.stream()
                .limit(10)
                .forEach(t -> System.out.println("  audit entries " + audited.getOrDefault(t, 0) + " for " + t));
        boolean ok = results.errors.isEmpty()
                && wrong.isEmpty()
                && notOnce.isEmpty()
                && judged.size() == contestants * subsEach;
        System.out.println(
                "RESULT " + (ok ? "OK: every submission got exactly one verdict, the expected one" : "FAILED"));
        return ok;
    }

    private void contestant(long stamp, int i, int subsEach, int runsEach) {
        try {
            Answer issued =
                    call("POST", "/api/v1/admin/keys", admin, new KeyRequest("load-" + stamp + "-" + i, "PARTICIPANT"));
            expect(issued, 201, "key");
            String key = json.readTree(issued.body()).path("key").asString();
            Random random = new Random(i);
            for (int r = 0; r < runsEach; r++) {
                Solution s = SOLUTIONS.get(random.nextInt(SOLUTIONS.size()));
                Answer ran = call(
                        "POST",
                        "/api/v2/execute",
                        key,
                        new RunRequest(s.language(), "*", List.of(new SourceFile(s.correct())), "1 2"));
                if (ran.status() != 200
                        || !"3\n"
                                .equals(json.readTree(ran.body())
                                        .path("run")
                                        .path("stdout")
                                        .asString())) {
                    throw new IllegalStateException("run " + s.language() + ": " + ran);
                }
                results.runs.incrementAndGet();
            }
            for (int n = 0; n < subsEach; n++) {
                results.judged.add(submit(key, SOLUTIONS.get((i + n) % SOLUTIONS.size()), (i + n) % 2 == 0));
            }
        } catch (Exception e) { // counted and reported, the other contestants go on
            results.errors.add("contestant " + i + ": " + e);
        }
    }

    /** Submits, then polls the ticket until DONE, as a contest page does. */
    private Judged submit(String key, Solution s, boolean correct) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Answer submitted = call(
                "POST",
                "/api/v1/submissions",
                key,
                new SubmitRequest(s.language(), TESTS, List.of(new SourceFile(correct ? s.correct() : s.wrong()))));
        expect(submitted, 202, "submit " + s.language());
        String ticket = json.readTree(submitted.body()).path("ticket").asString();
        while (true) {
            Answer polled = call("GET", "/api/v1/submissions/" + ticket, key, null);
            expect(polled, 200, "poll " + ticket);
            JsonNode view = json.readTree(polled.body());
            if ("DONE".equals(view.path("status").asString())) {
                return new Judged(
                        ticket,
                        correct ? "AC" : "WA",
                        view.path("verdict").asString(),
                        s.language(),
                        (System.nanoTime() - t0) / 1e9);
            }
            Thread.sleep(POLL);
        }
    }

    /** How many judge audit entries each submission id has, since {@code from}. */
    private Map<String, Integer> auditedTickets(Instant from) throws IOException, InterruptedException {
        Answer answer = call(
                "GET",
                "/api/v1/admin/audit?kind=JUDGE&max=10000&from="
                        + URLEncoder.encode(from.truncatedTo(ChronoUnit.SECONDS).toString(), StandardCharsets.UTF_8),
                admin,
                null);
        Map<String, Integer> counts = new HashMap<>();
        if (answer.status() == 200) {
            for (JsonNode entry : json.readTree(answer.body())) {
                counts.merge(entry.path("submissionId").asString(), 1, Integer::sum);
            }
        } else {
            results.errors.add("audit: " + answer);
        }
        return counts;
    }

    /** Sends one request; answers 429 and 503 are counted and retried after their Retry-After. */
    private Answer call(String method, String path, String key, Object body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofMinutes(5))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + key)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .build();
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 429 && response.statusCode() != 503) {
                return new Answer(response.statusCode(), response.body());
            }
            results.limited.incrementAndGet();
            Thread.sleep(Duration.ofMillis((long) (1000
                    * Double.parseDouble(
                            response.headers().firstValue("Retry-After").orElse("1")))));
        }
        throw new IllegalStateException("load test deadline");
    }

    private static void expect(Answer answer, int status, String what) {
        if (answer.status() != status) {
            throw new IllegalStateException(what + ": " + answer);
        }
    }

    /** The nearest-rank percentile of sorted values (NaN when there are none). */
    private static double percentile(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.round(p / 100.0 * (sorted.size() - 1))));
    }

    private static String javaMain(String sum) {
        return "import java.util.*;public class Main{public static void main(String[] x){Scanner s=new Scanner(System.in);"
                + "System.out.println(" + sum + ");}}";
    }
}
