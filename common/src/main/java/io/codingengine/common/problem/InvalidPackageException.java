package io.codingengine.common.problem;

/**
 * A problem package that cannot be imported: unsafe paths, missing files, unsupported features.
 * The message names the offending file and is safe to show to the admin who uploaded it.
 */
public class InvalidPackageException extends RuntimeException {

    public InvalidPackageException(String message) {
        super(message);
    }

    public InvalidPackageException(String message, Throwable cause) {
        super(message, cause);
    }
}
