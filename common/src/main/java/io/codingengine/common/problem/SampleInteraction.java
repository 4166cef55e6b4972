package io.codingengine.common.problem;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A sample interaction of an interactive or multi-pass problem, as its package's
 * {@code data/sample/X.interaction} gives it, for the statement: lines the submission wrote begin
 * with {@code >}, lines it read (the output validator's) with {@code <}, and a line {@code ---}
 * ends a pass of a multi-pass problem. Blank lines are kept out. Public: clients see it as it is.
 *
 * @param name the sample's name, {@code sample/X} (as its test's would be)
 * @param text the interaction, one line per message, each ending with a line end
 */
public record SampleInteraction(String name, String text) {

    /** The longest interaction a sample may have, in characters: it travels with the contest's page. */
    public static final int MAX_CHARS = 64 * 1024;

    /** Who wrote a line of an interaction. */
    public enum Sender {
        /** The submission wrote it ({@code >}). */
        PROGRAM,
        /** The output validator wrote it, and the submission read it ({@code <}). */
        JUDGE,
        /** A pass of a multi-pass problem ended here ({@code ---}). */
        PASS_END
    }

    /** One line of an interaction, without its marker. */
    public record Line(Sender sender, String text) {}

    public SampleInteraction {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(text, "text");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a sample interaction needs a name");
        }
        lines(name, text); // refuses what is not an interaction
    }

    /** Reads a package's {@code .interaction} file, refusing one that is not an interaction. */
    static SampleInteraction read(String path, String name, String content) {
        try {
            StringBuilder text = new StringBuilder();
            for (Line line : lines(path, content)) {
                text.append(
                                switch (line.sender()) {
                                    case PROGRAM -> ">";
                                    case JUDGE -> "<";
                                    case PASS_END -> "---";
                                })
                        .append(line.text())
                        .append('\n');
            }
            return new SampleInteraction(name, text.toString());
        } catch (IllegalArgumentException e) {
            throw new InvalidPackageException(e.getMessage());
        }
    }

    /** The interaction line by line. */
    public List<Line> lines() {
        return lines(name, text);
    }

    private static List<Line> lines(String where, String text) {
        if (text.length() > MAX_CHARS) {
            throw new IllegalArgumentException(
                    where + ": a sample interaction may have " + MAX_CHARS + " characters, this has " + text.length());
        }
        List<Line> lines = new ArrayList<>();
        String[] split = text.split("\r?\n", -1);
        for (int i = 0; i < split.length; i++) {
            String line = split[i];
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith(">")) {
                lines.add(new Line(Sender.PROGRAM, line.substring(1)));
            } else if (line.startsWith("<")) {
                lines.add(new Line(Sender.JUDGE, line.substring(1)));
            } else if (line.strip().equals("---")) {
                lines.add(new Line(Sender.PASS_END, ""));
            } else {
                throw new IllegalArgumentException(where + " line " + (i + 1) + ": a line of an interaction begins"
                        + " with > (the submission wrote it) or < (it read it), or is --- (a pass ends); not: "
                        + (line.length() > 40 ? line.substring(0, 40) + "..." : line));
            }
        }
        return List.copyOf(lines);
    }
}
