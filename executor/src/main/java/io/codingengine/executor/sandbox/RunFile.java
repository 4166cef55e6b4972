package io.codingengine.executor.sandbox;

import java.util.Objects;

/**
 * A file or directory put into a box's work directory for one run only, after the program's
 * files: an output validator's input and answer files, its feedback directory with what earlier
 * passes left there. The host writes it into the fresh work directory before any process of the
 * run exists.
 *
 * @param path     relative path inside the work directory, already checked by the caller
 * @param content  the file's bytes, or {@code null} for a directory
 * @param writable whether the run may change it: then it is owned by the run's uid, else by root
 *                 (readable by all); a directory is always the run's
 */
public record RunFile(String path, byte[] content, boolean writable) {

    public RunFile {
        Objects.requireNonNull(path, "path");
    }

    /** A directory the run may write in. */
    public static RunFile directory(String path) {
        return new RunFile(path, null, true);
    }

    public boolean isDirectory() {
        return content == null;
    }
}
