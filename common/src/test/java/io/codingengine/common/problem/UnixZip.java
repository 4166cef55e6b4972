package io.codingengine.common.problem;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * Writes zip files the way {@code zip -y} does on Unix: each entry with its Unix mode in the
 * external attributes, a symbolic link as an entry of mode {@code S_IFLNK} holding its target.
 * {@link java.util.zip.ZipOutputStream} cannot set a mode, hence this (stored entries only).
 * Public for the api's tests, which import such packages over HTTP.
 */
public final class UnixZip {

    public static final int FILE = 0100644;
    static final int DIRECTORY = 0040755;
    static final int LINK = 0120777;

    private record Entry(String name, byte[] data, int mode, int host) {}

    private final List<Entry> entries = new ArrayList<>();

    public UnixZip file(String name, String content) {
        return entry(name, content.getBytes(StandardCharsets.UTF_8), FILE, 3);
    }

    public UnixZip files(String top, Map<String, String> files) {
        files.forEach((name, content) -> file(top + name, content));
        return this;
    }

    public UnixZip link(String name, String target) {
        return entry(name, target.getBytes(StandardCharsets.UTF_8), LINK, 3);
    }

    UnixZip directory(String name) {
        return entry(name.endsWith("/") ? name : name + "/", new byte[0], DIRECTORY, 3);
    }

    /** An entry of any mode; {@code host} is the "version made by" host (3 Unix, 0 MS-DOS). */
    public UnixZip entry(String name, byte[] data, int mode, int host) {
        entries.add(new Entry(name, data, mode, host));
        return this;
    }

    /**
     * Adds a directory tree as {@code zip -ry} stores it: links as links (never followed), files
     * and directories with their paths under {@code top}.
     */
    UnixZip tree(Path dir, String top) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted().toList()) {
                String name = top + dir.relativize(path).toString().replace('\\', '/');
                if (Files.isSymbolicLink(path)) {
                    link(name, Files.readSymbolicLink(path).toString());
                } else if (Files.isDirectory(path)) {
                    if (!path.equals(dir)) {
                        directory(name);
                    }
                } else {
                    entry(name, Files.readAllBytes(path), FILE, 3);
                }
            }
        }
        return this;
    }

    public Path write(Path zip) throws IOException {
        return write(zip, false);
    }

    /**
     * Writes the zip; with {@code zip64} its end record defers to ZIP64 end records (as for more
     * than 65535 entries or 4 GiB), the way large packages are written.
     */
    Path write(Path zip, boolean zip64) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream central = new ByteArrayOutputStream();
        for (Entry entry : entries) {
            byte[] name = entry.name().getBytes(StandardCharsets.UTF_8);
            CRC32 crc = new CRC32();
            crc.update(entry.data());
            int offset = out.size();
            ByteBuffer local = le(30 + name.length)
                    .putInt(0x04034b50)
                    .putShort((short) 10)
                    .putShort((short) 0x0800)
                    .putShort((short) 0)
                    .putShort((short) 0)
                    .putShort((short) 0x21)
                    .putInt((int) crc.getValue())
                    .putInt(entry.data().length)
                    .putInt(entry.data().length)
                    .putShort((short) name.length)
                    .putShort((short) 0)
                    .put(name);
            out.write(local.array());
            out.write(entry.data());
            int dos = entry.name().endsWith("/") ? 0x10 : 0;
            ByteBuffer header = le(46 + name.length)
                    .putInt(0x02014b50)
                    .putShort((short) (entry.host() << 8 | 30))
                    .putShort((short) 10)
                    .putShort((short) 0x0800)
                    .putShort((short) 0)
                    .putShort((short) 0)
                    .putShort((short) 0x21)
                    .putInt((int) crc.getValue())
                    .putInt(entry.data().length)
                    .putInt(entry.data().length)
                    .putShort((short) name.length)
                    .putShort((short) 0)
                    .putShort((short) 0)
                    .putShort((short) 0)
                    .putShort((short) 0)
                    .putInt(entry.mode() << 16 | dos)
                    .putInt(offset)
                    .put(name);
            central.write(header.array());
        }
        int directoryOffset = out.size();
        out.write(central.toByteArray());
        if (zip64) {
            int zip64End = out.size();
            out.write(le(56).putInt(0x06064b50)
                    .putLong(44)
                    .putShort((short) (3 << 8 | 45))
                    .putShort((short) 45)
                    .putInt(0)
                    .putInt(0)
                    .putLong(entries.size())
                    .putLong(entries.size())
                    .putLong(central.size())
                    .putLong(directoryOffset)
                    .array());
            out.write(le(20).putInt(0x07064b50)
                    .putInt(0)
                    .putLong(zip64End)
                    .putInt(1)
                    .array());
            out.write(le(22).putInt(0x06054b50)
                    .putShort((short) 0)
                    .putShort((short) 0)
                    .putShort((short) 0xFFFF)
                    .putShort((short) 0xFFFF)
                    .putInt(0xFFFFFFFF)
                    .putInt(0xFFFFFFFF)
                    .putShort((short) 0)
                    .array());
            return Files.write(zip, out.toByteArray());
        }
        out.write(le(22).putInt(0x06054b50)
                .putShort((short) 0)
                .putShort((short) 0)
                .putShort((short) entries.size())
                .putShort((short) entries.size())
                .putInt(central.size())
                .putInt(directoryOffset)
                .putShort((short) 0)
                .array());
        return Files.write(zip, out.toByteArray());
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
