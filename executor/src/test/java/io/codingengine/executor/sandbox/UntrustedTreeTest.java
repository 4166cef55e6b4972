package io.codingengine.executor.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Reading a work directory that shares a file system with the host (UID isolation): a hard link
 * to a file only root may read, made in the directory, is not read out as one of the run's files.
 * The link is made here by the test itself; a run could make it where the kernel does not protect
 * hard links ({@code fs.protected_hardlinks=0}) and Landlock is missing.
 */
class UntrustedTreeTest {

    private static final int UID = 61650;

    @Test
    void onlyTheOwnersFilesAreReadWhenAnOwnerIsGiven() throws Exception {
        Path dir = Files.createTempDirectory("ce-untrusted-");
        Path secret = Files.createTempFile(
                "ce-root-only-",
                ".txt",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(secret, "root's");
        Path own = Files.writeString(dir.resolve("Main.class"), "the run's");
        Files.setAttribute(own, "unix:uid", UID);
        Files.createLink(dir.resolve("stolen"), secret);
        UserPrincipal owner =
                dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(Integer.toString(UID));

        assertEquals(
                Set.of("Main.class"),
                UntrustedTree.readOwned(dir, 1 << 20, owner).keySet());
        assertEquals(
                Set.of("Main.class", "stolen"), UntrustedTree.read(dir, 1 << 20).keySet());
    }
}
