package io.codingengine.common.judge;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.codingengine.common.execution.SourceFile;

import java.util.List;
import java.util.Objects;

/**
 * How a program's output is compared with a test's expected output. In JSON the variant is the
 * {@code "type"} property: {@code EXACT}, {@code LINES}, {@code TOKENS}, {@code FLOAT},
 * {@code CUSTOM}. The default, {@link #DEFAULT}, is {@link Lines}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = CheckerSpec.Exact.class, name = "EXACT"),
        @JsonSubTypes.Type(value = CheckerSpec.Lines.class, name = "LINES"),
        @JsonSubTypes.Type(value = CheckerSpec.Tokens.class, name = "TOKENS"),
        @JsonSubTypes.Type(value = CheckerSpec.Floats.class, name = "FLOAT"),
        @JsonSubTypes.Type(value = CheckerSpec.Custom.class, name = "CUSTOM")
})
public sealed interface CheckerSpec {

    /** Whitespace-tolerant line comparison: what a submission gets when it names no checker. */
    CheckerSpec DEFAULT = new Lines();

    /** Byte-for-byte equality of the whole output with the expected output. */
    record Exact() implements CheckerSpec {
    }

    /**
     * Line by line, ignoring trailing whitespace on each line and trailing empty lines at the end
     * (so {@code "1 2\n"} matches {@code "1 2"} and {@code "1 2  \n\n"}, but not {@code "1  2"}).
     */
    record Lines() implements CheckerSpec {
    }

    /** The outputs split on any whitespace are equal token sequences; line breaks do not matter. */
    record Tokens() implements CheckerSpec {
    }

    /**
     * Token by token; a token that parses as a number on both sides matches when
     * {@code |actual - expected| <= absoluteTolerance} or
     * {@code |actual - expected| <= relativeTolerance * |expected|}; other tokens must be equal.
     *
     * @param absoluteTolerance largest accepted absolute error, {@code >= 0}
     * @param relativeTolerance largest accepted error relative to the expected value, {@code >= 0}
     */
    record Floats(double absoluteTolerance, double relativeTolerance) implements CheckerSpec {

        /** Kattis's default {@code float_tolerance}: 1e-6, absolute or relative. */
        public static final Floats DEFAULT = new Floats(1e-6, 1e-6);

        public Floats {
            if (!(absoluteTolerance >= 0) || !(relativeTolerance >= 0)
                    || Double.isInfinite(absoluteTolerance) || Double.isInfinite(relativeTolerance)) {
                throw new IllegalArgumentException("tolerances must be finite and >= 0, were "
                        + absoluteTolerance + " and " + relativeTolerance);
            }
        }
    }

    /**
     * A checker program, compiled and run in the sandbox like a submission. It follows the Kattis
     * output-validator convention: it is started as {@code checker <input> <expected> <feedback-dir>}
     * with the program's output on standard input, and accepts with exit code 42, rejects with 43.
     * Each test has its own feedback directory: {@code teammessage.txt} there is shown to the
     * submitter for a visible test; {@code judgemessage.txt} and the checker's standard output and
     * error are for judges only.
     *
     * @param language language name or alias, as in an execution request
     * @param version  version or range ({@code "*"} for any); never {@code null}
     * @param files    its source files, the main one first; at least one
     */
    record Custom(String language, String version, List<SourceFile> files) implements CheckerSpec {

        public Custom {
            Objects.requireNonNull(language, "language");
            version = Objects.requireNonNullElse(version, "*");
            files = List.copyOf(files);
            if (files.isEmpty()) {
                throw new IllegalArgumentException("a custom checker needs at least one source file");
            }
        }

        /** A checker of one source file, any version of {@code language}. */
        public static Custom of(String language, String fileName, String source) {
            return new Custom(language, "*", List.of(SourceFile.utf8(fileName, source)));
        }
    }
}
