package io.codingengine.worker.judge;

import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.executor.language.Catalogue;
import io.codingengine.executor.language.LanguageDefinition;
import io.codingengine.executor.language.SourceLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Collects a custom checker's Kattis feedback directory through the executor, which hands back a
 * run's standard output and error but no files. A small program in the checker's own language
 * (resources {@code feedback/}) is added to the checker's files: it creates the feedback
 * directory named by the third argument, runs the checker unchanged (same arguments, same
 * standard input), and after it ended writes one line to standard output, a marker followed by
 * {@code judgemessage.txt}, {@code teammessage.txt}, {@code score.txt} and
 * {@code score_multiplier.txt} in base64 (each cut at {@link #LIMIT} bytes), then ends with the checker's exit code. Python and JavaScript checkers run as its child
 * process, C and C++ ones fork from it before their {@code main}, Java ones run in its JVM, which
 * writes the line from a shutdown hook. The marker is random per judging, so neither the checker
 * nor the output it reads can forge the line. A checker in another language runs without it,
 * with the current directory as its feedback directory, and no feedback is collected.
 */
final class FeedbackShim {

    /**
     * Bytes of each feedback file collected: more than a judge message keeps
     * ({@link CustomChecker#CLIP} characters), little of the checker's 64 KiB of output.
     */
    static final int LIMIT = 4 * 1024;

    static final String JUDGE_MESSAGE = "judgemessage.txt";
    static final String TEAM_MESSAGE = "teammessage.txt";
    static final String SCORE = "score.txt";
    static final String SCORE_MULTIPLIER = "score_multiplier.txt";

    private static final List<LanguageDefinition> LANGUAGES = languages();

    private FeedbackShim() {}

    /**
     * The checker to run: its files, with the collecting program added when the language has one.
     *
     * @param collects whether runs end with the feedback line ({@link #read} finds it)
     */
    record Program(List<SourceFile> files, boolean collects) {}

    /** What one run of the checker said ({@code score} and {@code scoreMultiplier}: the files' text, or null). */
    record Feedback(
            String stdout,
            String judgeMessage,
            String teamMessage,
            boolean collected,
            String score,
            String scoreMultiplier) {
        Feedback(String stdout, String judgeMessage, String teamMessage, boolean collected) {
            this(stdout, judgeMessage, teamMessage, collected, null, null);
        }
    }

    /**
     * {@code checker} with the collecting program for its language, whose feedback line starts
     * with {@code marker}. Its files keep the names the executor would give them.
     *
     * @throws io.codingengine.common.execution.InvalidRequestException if the executor would refuse its files
     */
    static Program wrap(CheckerSpec.Custom checker, String marker) {
        Optional<LanguageDefinition> found =
                LANGUAGES.stream().filter(l -> l.answersTo(checker.language())).findFirst();
        if (found.isEmpty()) {
            return new Program(checker.files(), false);
        }
        LanguageDefinition language = found.get();
        String kind = switch (language.language()) {
            case "python" -> "py";
            case "javascript" -> "js";
            case "c", "c++" -> "c";
            case "java" -> "java";
            default -> null;
        };
        if (kind == null) {
            return new Program(checker.files(), false);
        }
        SourceLayout layout = SourceLayout.of(language, checker.files(), Integer.MAX_VALUE, Long.MAX_VALUE);
        List<SourceFile> placed = new ArrayList<>();
        for (int i = 0; i < checker.files().size(); i++) {
            SourceFile f = checker.files().get(i);
            placed.add(new SourceFile(layout.files().get(i).path(), f.content(), f.encoding()));
        }
        String shim = switch (kind) {
            case "java" -> resource("CeFeedbackShim.java").replace("@MAIN@", layout.mainClass());
            case "c" -> resource("shim.c");
            default -> resource("shim." + kind).replace("@MAIN@", quoted(layout.main()));
        };
        shim = shim.replace("@MARK@", marker).replace("@LIMIT@", Integer.toString(LIMIT));
        List<SourceFile> files = new ArrayList<>();
        switch (kind) {
            case "c" -> {
                // One more source compiled in; the checker's main file stays the main one.
                files.addAll(placed);
                files.add(SourceFile.utf8(
                        "ce_feedback_shim" + language.extensions().getFirst(), shim));
            }
            case "java" -> {
                files.add(SourceFile.utf8("CeFeedbackShim.java", shim));
                files.addAll(placed);
            }
            default -> {
                files.add(SourceFile.utf8("ce_feedback_shim." + kind, shim));
                files.addAll(placed);
            }
        }
        return new Program(files, true);
    }

    /** Splits a run's standard output into the checker's own and the feedback line (the last one with {@code marker}). */
    static Feedback read(String stdout, String marker) {
        int at = stdout.lastIndexOf("\n" + marker);
        if (at < 0) {
            return new Feedback(stdout, null, null, false);
        }
        int start = at + 1 + marker.length();
        int end = stdout.indexOf('\n', start);
        String line = stdout.substring(start, end < 0 ? stdout.length() : end);
        String judge = null, team = null, score = null, multiplier = null;
        for (String field : line.strip().split(" ")) {
            int eq = field.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String text;
            try {
                text = new String(Base64.getDecoder().decode(field.substring(eq + 1)), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                continue;
            }
            switch (field.substring(0, eq)) {
                case JUDGE_MESSAGE -> judge = text;
                case TEAM_MESSAGE -> team = text;
                case SCORE -> score = text;
                case SCORE_MULTIPLIER -> multiplier = text;
                default -> {}
            }
        }
        return new Feedback(stdout.substring(0, at), judge, team, true, score, multiplier);
    }

    /** A string literal of both Python and JavaScript (the names a layout allows have no control characters). */
    private static String quoted(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String resource(String name) {
        try (InputStream in = FeedbackShim.class.getResourceAsStream("feedback/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource feedback/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<LanguageDefinition> languages() {
        try (InputStream in = Catalogue.class.getResourceAsStream("/languages.json")) {
            return Catalogue.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
