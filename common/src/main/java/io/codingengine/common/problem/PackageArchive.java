package io.codingengine.common.problem;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The files of an uploaded package (a zip file, or a directory on the server), read safely and
 * knowing nothing of the Kattis format: what {@link KattisPackage} parses.
 * <ul>
 *   <li><b>Paths</b> are relative and {@code /}-separated; a zip entry that could land outside
 *       the package when extracted (absolute, {@code ..}, {@code .}, empty segments, backslashes,
 *       drive letters, NUL) is refused by name, as are duplicate entries.</li>
 *   <li><b>Symbolic links</b> are followed inside the package and refused when they leave it
 *       ({@link PackageTree}). A zip keeps a link as an entry whose Unix mode
 *       ({@link ZipCentralDirectory}) says link and whose content is the target path; a
 *       directory's links are read with {@link Files#readSymbolicLink}. Other special files
 *       (devices, pipes) are refused.</li>
 *   <li><b>Limits</b> ({@link Limits}) bound the number of files (links followed), each file's
 *       size as read (not as a zip claims it) and the bytes read in all, so a zip bomb is stopped
 *       after at most the limit of bytes.</li>
 *   <li><b>The root</b>: when {@code problem.yaml} is not at the top but every entry lies in one
 *       directory holding it (a zip of the package's directory), that directory is the package,
 *       and its name the package's short name.</li>
 * </ul>
 * Nothing is written to disk. Not thread-safe. Public for its {@link Limits}, which callers of
 * {@link KattisPackage#read(String, Path, Limits)} pass.
 */
public final class PackageArchive implements Closeable {

    /** Caps that keep a package (or a zip bomb) from exhausting the importer. */
    public record Limits(int maxFiles, long maxFileBytes, long maxTotalBytes) {
        public static final Limits DEFAULT = new Limits(20_000, 64L << 20, 512L << 20);
    }

    /** Longest link target read from a zip entry (Linux's {@code PATH_MAX}). */
    static final int MAX_LINK_BYTES = 4096;

    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");

    private final Limits limits;
    private final Source source;
    private final PackageTree tree;
    private final String root;
    private final TreeMap<String, String> files;
    private final String shortName;
    private long total;

    private PackageArchive(Limits limits, Source source, PackageTree tree, String defaultName) {
        this.limits = limits;
        this.source = source;
        this.tree = tree;
        this.root = root(tree);
        this.files = tree.files(root);
        this.shortName = root.isEmpty() ? defaultName : root;
    }

    /**
     * Opens a package: a directory, or a zip file.
     *
     * @throws InvalidPackageException when it is neither, or unsafe, or past the limits
     */
    static PackageArchive open(Path dirOrZip, Limits limits) throws IOException {
        if (Files.isDirectory(dirOrZip)) {
            Path root = dirOrZip.toRealPath();
            PackageTree tree = new PackageTree(limits.maxFiles());
            readDirectory(root, dirOrZip.toAbsolutePath().normalize(), tree, limits);
            return new PackageArchive(
                    limits,
                    new DirectorySource(root),
                    tree,
                    root.getFileName() == null ? null : root.getFileName().toString());
        }
        if (Files.isRegularFile(dirOrZip)) {
            String fileName = dirOrZip.getFileName().toString();
            ZipFile zip;
            try {
                zip = new ZipFile(dirOrZip.toFile(), StandardCharsets.UTF_8);
            } catch (ZipException e) {
                throw new InvalidPackageException(fileName + " is neither a directory nor a zip file");
            }
            try {
                PackageTree tree = readZip(dirOrZip, zip, limits);
                return new PackageArchive(
                        limits,
                        new ZipSource(zip),
                        tree,
                        fileName.toLowerCase(Locale.ROOT).endsWith(".zip")
                                ? fileName.substring(0, fileName.length() - 4)
                                : fileName);
            } catch (IOException | RuntimeException e) {
                zip.close();
                throw e;
            }
        }
        throw new InvalidPackageException("no package at " + dirOrZip + ": neither a directory nor a zip file");
    }

    /** The package's short name: its directory's, its zip's single top directory's, or the zip's name. */
    String shortName() {
        return shortName;
    }

    /** Every file's path, links followed, in path order. */
    NavigableSet<String> paths() {
        return Collections.unmodifiableNavigableSet(files.navigableKeySet());
    }

    boolean has(String path) {
        return files.containsKey(path);
    }

    /**
     * Where the file or directory at {@code path} really lies once links are followed: its stored
     * path in the package ({@code problem_statement/fig.png} linked to {@code ../data/secret/1.ans}
     * lies at {@code data/secret/1.ans}); {@code path} itself when no link is on its way.
     */
    String realPath(String path) {
        return tree.realPath(root, path);
    }

    /** The paths under {@code directory} ({@code "data/secret/"}: with the slash), in order. */
    Set<String> under(String directory) {
        return files.subMap(directory, directory + Character.MAX_VALUE).keySet();
    }

    /** A file's bytes, counted against the limits. */
    byte[] bytes(String path) throws IOException {
        String ref = files.get(path);
        if (ref == null) {
            throw new IllegalArgumentException("no file " + path);
        }
        try (InputStream in = source.open(ref)) {
            byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.maxFileBytes() + 1));
            if (data.length > limits.maxFileBytes()) {
                throw new InvalidPackageException(path + " is larger than " + limits.maxFileBytes() + " bytes");
            }
            total += data.length;
            if (total > limits.maxTotalBytes()) {
                throw new InvalidPackageException("package is larger than " + limits.maxTotalBytes() + " bytes");
            }
            return data;
        }
    }

    /** A file as strict UTF-8 text. */
    String text(String path) throws IOException {
        String text = utf8(bytes(path));
        if (text == null) {
            throw new InvalidPackageException(path + " is not UTF-8 text");
        }
        return text;
    }

    @Override
    public void close() throws IOException {
        source.close();
    }

    /** {@code data} decoded as strict UTF-8, or {@code null} when it is not UTF-8. */
    static String utf8(byte[] data) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Refuses a stored name that could land outside the package when extracted. */
    static void requireSafe(String name) {
        boolean unsafe = name.isEmpty()
                || name.startsWith("/")
                || name.indexOf('\\') >= 0
                || name.indexOf('\0') >= 0
                || DRIVE.matcher(name).matches();
        String trimmed = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        for (String segment : trimmed.split("/", -1)) {
            unsafe |= segment.isEmpty() || segment.equals("..") || segment.equals(".");
        }
        if (unsafe) {
            throw new InvalidPackageException(
                    "unsafe path in package (leaves the package or is not" + " a plain relative path): " + name);
        }
    }

    /** {@code ""}, or the one top directory holding {@code problem.yaml} when the top has none. */
    private static String root(PackageTree tree) {
        if (tree.contains("problem.yaml")) {
            return "";
        }
        Set<String> tops = new TreeSet<>();
        for (String path : tree.paths()) {
            if (!path.isEmpty()) {
                int slash = path.indexOf('/');
                tops.add(slash < 0 ? path : path.substring(0, slash));
            }
        }
        return tops.size() == 1 && tree.contains(tops.iterator().next() + "/problem.yaml")
                ? tops.iterator().next()
                : "";
    }

    // ------------------------------------------------------------------------------ zip files

    private static PackageTree readZip(Path file, ZipFile zip, Limits limits) throws IOException {
        int maxEntries = 2 * limits.maxFiles() + 1000; // directories are entries too
        List<ZipCentralDirectory.Entry> modes = ZipCentralDirectory.read(file, maxEntries);
        PackageTree tree = new PackageTree(limits.maxFiles());
        Iterator<ZipCentralDirectory.Entry> mode = modes.iterator();
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            ZipEntry entry = entries.nextElement();
            String name = entry.getName();
            ZipCentralDirectory.Entry stored = mode.hasNext() ? mode.next() : null;
            if (stored == null || !stored.name().equals(name)) {
                throw new InvalidPackageException(
                        "the upload is not a well-formed zip file: its entries" + " read differently at " + name);
            }
            requireSafe(name);
            String path = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
            switch (stored.type()) {
                case ZipCentralDirectory.S_IFLNK -> tree.add(path, new PackageTree.Link(linkTarget(zip, entry)));
                case ZipCentralDirectory.S_IFDIR -> tree.add(path, new PackageTree.Directory());
                case 0, ZipCentralDirectory.S_IFREG ->
                    tree.add(path, entry.isDirectory() ? new PackageTree.Directory() : new PackageTree.File(name));
                default ->
                    throw new InvalidPackageException(
                            "special file (neither a file, a directory" + " nor a link) in package: " + name);
            }
        }
        if (mode.hasNext()) {
            throw new InvalidPackageException("the upload is not a well-formed zip file: its entries read differently");
        }
        return tree;
    }

    private static String linkTarget(ZipFile zip, ZipEntry entry) throws IOException {
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] target = in.readNBytes(MAX_LINK_BYTES + 1);
            String text = utf8(target);
            if (target.length > MAX_LINK_BYTES || text == null || text.indexOf('\0') >= 0) {
                throw new InvalidPackageException("link " + entry.getName() + " has no readable target");
            }
            return text;
        }
    }

    // ------------------------------------------------------------------------------ directories

    private static void readDirectory(Path root, Path given, PackageTree tree, Limits limits) throws IOException {
        int[] entries = {0};
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                if (!dir.equals(root)) {
                    requireSafe(relative(dir));
                    tree.add(relative(dir), new PackageTree.Directory());
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (++entries[0] > 2 * limits.maxFiles() + 1000) {
                    throw new InvalidPackageException("package has more than " + limits.maxFiles() + " files");
                }
                String path = relative(file);
                requireSafe(path);
                if (attributes.isSymbolicLink()) {
                    tree.add(path, new PackageTree.Link(linkTarget(file)));
                } else if (attributes.isRegularFile()) {
                    tree.add(path, new PackageTree.File(file.toString()));
                } else {
                    throw new InvalidPackageException(
                            "special file (neither a file, a directory nor a link)" + " in package: " + path);
                }
                return FileVisitResult.CONTINUE;
            }

            private String relative(Path path) {
                return separators(root.relativize(path));
            }

            /**
             * The link's target, made relative when it is an absolute path into the package (as
             * {@code ln -s "$PWD/x" y} makes): the same file, named so the tree can follow it.
             */
            private String linkTarget(Path link) throws IOException {
                Path target = Files.readSymbolicLink(link);
                if (target.isAbsolute()) {
                    Path normal = target.normalize();
                    for (Path base : List.of(root, given)) {
                        if (normal.startsWith(base)) {
                            Path from = root.relativize(link.getParent());
                            return separators(from.relativize(base.relativize(normal)));
                        }
                    }
                }
                return separators(target);
            }

            private static String separators(Path path) {
                return path.toString().replace(path.getFileSystem().getSeparator(), "/");
            }
        });
    }

    // ------------------------------------------------------------------------------ sources

    /** Where stored files' content is: {@code ref} is the zip entry's name or the file's path. */
    private interface Source extends Closeable {
        InputStream open(String ref) throws IOException;
    }

    private record ZipSource(ZipFile zip) implements Source {
        @Override
        public InputStream open(String ref) throws IOException {
            return zip.getInputStream(zip.getEntry(ref));
        }

        @Override
        public void close() throws IOException {
            zip.close();
        }
    }

    private record DirectorySource(Path root) implements Source {
        @Override
        public InputStream open(String ref) throws IOException {
            return Files.newInputStream(Path.of(ref), LinkOption.NOFOLLOW_LINKS);
        }

        @Override
        public void close() {}
    }
}
