package io.codingengine.common.problem;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The entries of a package as stored (files, directories and symbolic links, by
 * {@code /}-separated path), and the package they make once its links are followed: every file
 * reachable under the package root, by its path there, mapped to the stored file that holds its
 * content.
 * <p>
 * Links are resolved as the kernel resolves a path (one component at a time, a link's target
 * relative to the directory holding the link, {@code ..} after a linked directory going to the
 * parent of its target), inside the package only: a target that is absolute, that climbs above
 * the package root, that names nothing, or that takes more than {@value #MAX_HOPS} links (a loop)
 * is refused, naming the link. Every link is resolved, used or not, so a package that holds a
 * link out of itself is refused whatever it is for. A directory link that leads back to a
 * directory it lies in would make the package infinite and is refused too.
 */
final class PackageTree {

    /** As Linux's {@code MAXSYMLINKS}: more links than this on one path is taken for a loop. */
    static final int MAX_HOPS = 40;

    /** A stored entry. */
    sealed interface Node permits File, Directory, Link {}

    /** A regular file; {@code ref} tells its source where its content is. */
    record File(String ref) implements Node {}

    record Directory() implements Node {}

    /** A symbolic link and its target as stored (a path, relative to the link's directory). */
    record Link(String target) implements Node {}

    private final Map<String, Node> nodes = new HashMap<>();
    private final Map<String, Set<String>> children = new HashMap<>();
    private final int maxFiles;
    private int visits;

    PackageTree(int maxFiles) {
        this.maxFiles = maxFiles;
        nodes.put("", new Directory());
    }

    /** Adds an entry, and the directories its path implies. */
    void add(String path, Node node) {
        int slash = path.lastIndexOf('/');
        String parent = slash < 0 ? "" : path.substring(0, slash);
        if (!parent.isEmpty()) {
            add(parent, new Directory());
        }
        Node old = nodes.get(path);
        if (old != null) {
            if (old instanceof Directory && node instanceof Directory) {
                return;
            }
            throw new InvalidPackageException(
                    old instanceof Directory || node instanceof Directory
                            ? "package entry " + path + " is both a directory and a file or link"
                            : "duplicate entry in package: " + path);
        }
        nodes.put(path, node);
        children.computeIfAbsent(parent, k -> new TreeSet<>()).add(path.substring(slash + 1));
    }

    boolean contains(String path) {
        return nodes.containsKey(path);
    }

    /** The stored entries' paths, directories implied by others included. */
    Set<String> paths() {
        return nodes.keySet();
    }

    /**
     * Every file of the package rooted at {@code root} ({@code ""} or a directory's path), by its
     * path under that root, with links followed; each maps to its stored file's {@code ref}.
     *
     * @throws InvalidPackageException when a link leaves the package, names nothing or loops, or
     *                                 when there are more than {@code maxFiles} files
     */
    TreeMap<String, String> files(String root) {
        for (var entry : new TreeMap<>(nodes).entrySet()) {
            if (entry.getValue() instanceof Link && within(root, entry.getKey())) {
                resolve(root, entry.getKey());
            }
        }
        TreeMap<String, String> files = new TreeMap<>();
        Deque<String> walking = new ArrayDeque<>();
        walk(root, root, "", walking, files);
        return files;
    }

    private void walk(
            String root, String directory, String logical, Deque<String> walking, TreeMap<String, String> files) {
        walking.push(directory);
        for (String name : children.getOrDefault(directory, Set.of())) {
            if (++visits > 4L * maxFiles + 1000) {
                throw new InvalidPackageException(
                        "package has more than " + maxFiles + " files once its links are followed");
            }
            String stored = join(directory, name);
            String path = join(logical, name);
            Node node = nodes.get(stored);
            String target = stored;
            if (node instanceof Link) {
                target = resolve(root, stored);
                node = nodes.get(target);
                if (node instanceof Directory && walking.contains(target)) {
                    throw new InvalidPackageException("link " + stored + " -> " + ((Link) nodes.get(stored)).target()
                            + " loops: it leads to a directory it lies in");
                }
            }
            switch (node) {
                case File file -> {
                    if (files.size() >= maxFiles) {
                        throw new InvalidPackageException("package has more than " + maxFiles + " files");
                    }
                    files.put(path, file.ref());
                }
                case Directory _ -> walk(root, target, path, walking, files);
                case Link _ -> throw new IllegalStateException("resolved to a link: " + target);
            }
        }
        walking.pop();
    }

    /**
     * The stored path of the file or directory that the link at {@code link} leads to.
     *
     * @throws InvalidPackageException naming the link when its target is absolute, climbs above
     *                                 {@code root}, names nothing or loops
     */
    String resolve(String root, String link) {
        String target = ((Link) nodes.get(link)).target();
        List<String> resolved = new ArrayList<>(segments(parentOf(link)));
        Deque<String> pending = new ArrayDeque<>(List.of(link.substring(link.lastIndexOf('/') + 1)));
        int floor = segments(root).size();
        int hops = 0;
        while (!pending.isEmpty()) {
            String segment = pending.pollFirst();
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (resolved.size() <= floor) {
                    throw refused(link, target, "leaves the package");
                }
                resolved.removeLast();
                continue;
            }
            String candidate = join(String.join("/", resolved), segment);
            Node node = nodes.get(candidate);
            if (node == null) {
                throw refused(link, target, "names nothing in the package (" + candidate + ")");
            }
            if (node instanceof Link next) {
                if (++hops > MAX_HOPS) {
                    throw refused(link, target, "loops (more than " + MAX_HOPS + " links on its way)");
                }
                if (next.target().startsWith("/")) {
                    throw refused(
                            link,
                            target,
                            candidate.equals(link)
                                    ? "leaves the package (an absolute target)"
                                    : "leaves the package (through " + candidate + " -> " + next.target() + ")");
                }
                if (next.target().isEmpty()) {
                    throw refused(link, target, "names nothing in the package (" + candidate + " is empty)");
                }
                List<String> parts = segments(next.target());
                for (int i = parts.size() - 1; i >= 0; i--) {
                    pending.addFirst(parts.get(i));
                }
                continue;
            }
            if (node instanceof File && pending.stream().anyMatch(s -> !s.isEmpty() && !s.equals("."))) {
                throw refused(link, target, "goes through the file " + candidate);
            }
            resolved.add(segment);
        }
        return String.join("/", resolved);
    }

    /**
     * The stored path of what {@code path} (a path of the package rooted at {@code root}) names
     * once every link on its way is followed: where its content really lies, relative to
     * {@code root}. Only for paths of {@link #files} (whose links are known to resolve).
     */
    String realPath(String root, String path) {
        String current = root;
        for (String segment : segments(path)) {
            String candidate = join(current, segment);
            current = nodes.get(candidate) instanceof Link ? resolve(root, candidate) : candidate;
        }
        if (root.isEmpty()) {
            return current;
        }
        return current.equals(root) ? "" : current.substring(root.length() + 1); // links never leave root
    }

    private static InvalidPackageException refused(String link, String target, String why) {
        return new InvalidPackageException("link " + link + " -> " + target + " " + why);
    }

    private static boolean within(String root, String path) {
        return root.isEmpty() || path.equals(root) || path.startsWith(root + "/");
    }

    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    private static String join(String directory, String name) {
        return directory.isEmpty() ? name : directory + "/" + name;
    }

    private static List<String> segments(String path) {
        return path.isEmpty() ? List.of() : List.of(path.split("/", -1));
    }
}
