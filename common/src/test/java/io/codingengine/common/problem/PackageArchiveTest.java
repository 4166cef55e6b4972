package io.codingengine.common.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The safe reading of a package: links, paths, limits; real zips built here, no mocks. */
@Tag("fast")
class PackageArchiveTest {

    @TempDir
    Path tmp;

    private int zips;

    @Test
    void linksInsideAZipReadAsTheirTargets() throws IOException {
        Path zip = new UnixZip()
                .file("pkg/problem.yaml", "name: Links\n")
                .file("pkg/data/secret/g1/1.in", "one\n")
                .file("pkg/data/secret/g1/1.ans", "ONE\n")
                .file("pkg/data/secret/g1/deep/2.in", "two\n")
                .link("pkg/data/secret/g2/1.in", "../g1/1.in") // to a file in a sibling directory
                .link("pkg/data/secret/g2/1.ans", "1.ans.link") // a chain: link to a link to a file
                .link("pkg/data/secret/g2/1.ans.link", "./../g1/1.ans")
                .link("pkg/data/secret/g3", "g1") // a directory
                .link("pkg/data/secret/g4", "g3/deep") // through a linked directory
                .link("pkg/data/secret/g5.in", "g4/../1.in") // `..` after a linked directory: g1, not secret/
                .write(tmp.resolve("links.zip"));
        try (PackageArchive archive = PackageArchive.open(zip, PackageArchive.Limits.DEFAULT)) {
            assertEquals("pkg", archive.shortName());
            assertEquals("one\n", archive.text("data/secret/g2/1.in"));
            assertEquals("ONE\n", archive.text("data/secret/g2/1.ans"));
            assertEquals("one\n", archive.text("data/secret/g3/1.in"));
            assertEquals("two\n", archive.text("data/secret/g3/deep/2.in"));
            assertEquals("two\n", archive.text("data/secret/g4/2.in"));
            assertEquals("one\n", archive.text("data/secret/g5.in"));
            assertEquals(
                    List.of(
                            "data/secret/g1/1.ans",
                            "data/secret/g1/1.in",
                            "data/secret/g1/deep/2.in",
                            "data/secret/g2/1.ans",
                            "data/secret/g2/1.ans.link",
                            "data/secret/g2/1.in",
                            "data/secret/g3/1.ans",
                            "data/secret/g3/1.in",
                            "data/secret/g3/deep/2.in",
                            "data/secret/g4/2.in",
                            "data/secret/g5.in",
                            "problem.yaml"),
                    List.copyOf(archive.paths()));
        }
    }

    @Test
    void linksLeavingTheZipAreRefusedNamingTheEntry() throws IOException {
        assertRefused(
                link("pkg/data/secret/x.in", "/etc/passwd"),
                "link pkg/data/secret/x.in -> /etc/passwd leaves the package");
        assertRefused(
                link("pkg/data/secret/x.in", "../../../etc/passwd"),
                "link pkg/data/secret/x.in -> ../../../etc/passwd leaves the package");
        // Out of the package's directory, though still inside the zip.
        assertRefused(
                link("pkg/data/secret/x.in", "../../../other/1.in").file("other/1.in", "x"),
                "problem.yaml is missing"); // two top directories: no package root at all
        assertRefused(
                link("pkg/data/x.in", "../../pkg/problem.yaml"),
                "link pkg/data/x.in -> ../../pkg/problem.yaml leaves the package");
        assertRefused(link("pkg/data/a", "b").link("pkg/data/b", "a"), "link pkg/data/a -> b loops");
        assertRefused(link("pkg/data/self", "self"), "link pkg/data/self -> self loops");
        assertRefused(link("pkg/data/secret/up", ".."), "link pkg/data/secret/up -> .. loops");
        assertRefused(link("pkg/data/d1/l", "../d2").link("pkg/data/d2/l", "../d1"), "loops");
        assertRefused(
                link("pkg/data/secret/x.in", "missing.in"), "link pkg/data/secret/x.in -> missing.in names nothing");
        assertRefused(link("pkg/data/x.in", "../problem.yaml/x"), "goes through the file pkg/problem.yaml");
        // Through another link that leaves: the message names the link that was followed.
        assertRefused(
                link("pkg/data/a-ok", "z-escape").link("pkg/data/z-escape", "/tmp"),
                "link pkg/data/a-ok -> z-escape leaves the package (through pkg/data/z-escape -> /tmp)");
        // Unused links are refused too: a package holds no link out of itself.
        assertRefused(link("pkg/submissions/accepted/sol.py", "/etc/shadow"), "link pkg/submissions/accepted/sol.py");
        // An entry below a link: the link is a file here, not a directory.
        assertRefused(
                link("pkg/data/secret/g", "../g1").file("pkg/data/secret/g/1.in", "x"),
                "pkg/data/secret/g is both a directory and a file or link");
    }

    @Test
    void specialFilesAndUnreadableLinksAreRefused() throws IOException {
        assertRefused(base().entry("pkg/data/fifo", new byte[0], 0010644, 3), "special file");
        assertRefused(
                base().entry("pkg/data/x.in", new byte[5000], UnixZip.LINK, 3),
                "link pkg/data/x.in has no readable target");
        // A zip made on Windows has no Unix mode: the same bits mean nothing, the entry is a file.
        Path windows = base().entry("pkg/data/secret/1.in", "../x".getBytes(StandardCharsets.UTF_8), UnixZip.LINK, 0)
                .file("pkg/data/secret/1.ans", "a")
                .write(tmp.resolve("windows.zip"));
        try (PackageArchive archive = PackageArchive.open(windows, PackageArchive.Limits.DEFAULT)) {
            assertEquals("../x", archive.text("data/secret/1.in"));
        }
    }

    @Test
    void linksMultiplyingFilesCountAgainstTheLimit() throws IOException {
        UnixZip zip = base();
        for (int i = 0; i < 8; i++) {
            zip.file("pkg/data/d0/" + i, "x");
        }
        for (int level = 1; level <= 6; level++) { // each level doubles the files below it: 8 * 2^6
            zip.link("pkg/data/d" + level + "/a", "../d" + (level - 1))
                    .link("pkg/data/d" + level + "/b", "../d" + (level - 1));
        }
        Path bomb = zip.write(tmp.resolve("link-bomb.zip"));
        InvalidPackageException e = assertThrows(
                InvalidPackageException.class,
                () -> PackageArchive.open(bomb, new PackageArchive.Limits(300, 1000, 100_000))
                        .close());
        assertTrue(e.getMessage().contains("more than 300 files"), e.getMessage());
        try (PackageArchive archive = PackageArchive.open(bomb, PackageArchive.Limits.DEFAULT)) {
            assertEquals(
                    8 * 2 * (1 + 2 + 4 + 8 + 16 + 32 + 64) / 2 + 1,
                    archive.paths().size());
        }
    }

    @Test
    void aDirectoryPackageFollowsItsLinksTheSameWay() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("dirpkg"));
        Files.writeString(dir.resolve("problem.yaml"), "name: D\n");
        Files.createDirectories(dir.resolve("data/secret/g1"));
        Files.writeString(dir.resolve("data/secret/g1/1.in"), "in\n");
        Files.createSymbolicLink(dir.resolve("data/secret/g2"), Path.of("g1"));
        Files.createSymbolicLink(
                dir.resolve("data/secret/abs.in"),
                dir.resolve("data/secret/g1/1.in").toAbsolutePath());
        try (PackageArchive archive = PackageArchive.open(dir, PackageArchive.Limits.DEFAULT)) {
            assertEquals("dirpkg", archive.shortName());
            assertEquals("in\n", archive.text("data/secret/g2/1.in"));
            assertEquals("in\n", archive.text("data/secret/abs.in"));
        }
        Files.writeString(tmp.resolve("host-secret"), "secret");
        Files.createSymbolicLink(dir.resolve("data/secret/out.in"), tmp.resolve("host-secret"));
        InvalidPackageException e = assertThrows(
                InvalidPackageException.class,
                () -> PackageArchive.open(dir, PackageArchive.Limits.DEFAULT).close());
        assertTrue(
                e.getMessage().contains("link data/secret/out.in -> " + tmp.resolve("host-secret"))
                        && e.getMessage().contains("leaves the package"),
                e.getMessage());
    }

    @Test
    void unsafeNamesAndDuplicatesAreRefused() throws IOException {
        for (String evil : List.of(
                "../evil.txt",
                "pkg/../../evil.txt",
                "/etc/cron.d/evil",
                "pkg\\..\\..\\evil",
                "C:/evil.txt",
                "pkg/./x.in",
                "pkg//x.in")) {
            assertRefused(
                    base().file(evil, "pwned"),
                    "unsafe path in package (leaves the package or is not a plain relative path): " + evil);
        }
        assertRefused(
                base().file("pkg/data/x.in", "1").file("pkg/data/x.in", "2"),
                "duplicate entry in package: pkg/data/x.in");
        assertFalse(Files.exists(tmp.getParent().resolve("evil.txt")));
    }

    @Test
    void aZip64ReadsTheSame() throws IOException {
        Path zip = base().file("pkg/data/a.in", "a\n")
                .link("pkg/data/b.in", "a.in")
                .write(tmp.resolve("64.zip"), true);
        try (PackageArchive archive = PackageArchive.open(zip, PackageArchive.Limits.DEFAULT)) {
            assertEquals("a\n", archive.text("data/b.in"));
        }
    }

    @Test
    void aZipWithoutACentralDirectoryIsNoPackage() throws IOException {
        Path zip = base().write(tmp.resolve("cut.zip"));
        byte[] bytes = Files.readAllBytes(zip);
        Path cut = Files.write(tmp.resolve("cut2.zip"), java.util.Arrays.copyOf(bytes, bytes.length - 30));
        assertThrows(
                InvalidPackageException.class,
                () -> PackageArchive.open(cut, PackageArchive.Limits.DEFAULT).close());
    }

    private UnixZip base() {
        return new UnixZip().files("pkg/", Map.of("problem.yaml", "name: P\n"));
    }

    private UnixZip link(String name, String target) {
        return base().link(name, target);
    }

    private void assertRefused(UnixZip zip, String reason) throws IOException {
        Path file = zip.write(tmp.resolve("z" + zips++ + ".zip"));
        InvalidPackageException e = assertThrows(
                InvalidPackageException.class,
                () -> {
                    try (PackageArchive archive = PackageArchive.open(file, PackageArchive.Limits.DEFAULT)) {
                        KattisPackage.read(file); // the archive opened: the format's refusal, as the api would give it
                    }
                },
                reason);
        assertTrue(e.getMessage().contains(reason), "expected \"" + reason + "\" in: " + e.getMessage());
    }
}
