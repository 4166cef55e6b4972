package io.codingengine.executor.language;

import java.util.Arrays;

/**
 * A numeric three-part version. Toolchains that print fewer parts ({@code javac 25}) are padded
 * with zeros; more parts are cut, as the runtimes API shows {@code major.minor.patch}.
 */
public record Version(int major, int minor, int patch) implements Comparable<Version> {

    public static Version parse(String text) {
        int[] parts = Arrays.stream(text.split("\\."))
                .limit(3)
                .mapToInt(Integer::parseInt)
                .toArray();
        return new Version(parts[0], parts.length > 1 ? parts[1] : 0, parts.length > 2 ? parts[2] : 0);
    }

    @Override
    public int compareTo(Version o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c != 0 ? c : Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
