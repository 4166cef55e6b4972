package io.codingengine.common.problem;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A zip file's central directory, read by hand for the one thing {@link java.util.zip.ZipFile}
 * does not tell: each entry's Unix mode, which {@code zip -y}, {@code git archive} and most
 * archivers on Unix keep in the upper half of the entry's external attributes. A symbolic link
 * is stored as an entry of mode {@code S_IFLNK} whose content is the link's target path; read as
 * a plain file it would become a test whose input is {@code ../subtask1/1.in}. The entries'
 * content is still read through {@code ZipFile} (inflation, CRC checks); {@link PackageArchive}
 * checks that both readings list the same entries in the same order.
 * <p>
 * Only the central directory is read (never local headers), ZIP64 included. Names are decoded as
 * UTF-8, as the archive opens its {@code ZipFile}.
 */
final class ZipCentralDirectory {

    /** The type bits of a Unix mode and the types a package may hold. */
    static final int S_IFMT = 0170000;

    static final int S_IFREG = 0100000;
    static final int S_IFDIR = 0040000;
    static final int S_IFLNK = 0120000;

    private static final int END = 0x06054b50;
    private static final int END_SIZE = 22;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_END = 0x06064b50;
    private static final int HEADER = 0x02014b50;
    private static final int HEADER_SIZE = 46;
    /** "Version made by" hosts whose external attributes carry a Unix mode: Unix and OS X. */
    private static final int HOST_UNIX = 3;

    private static final int HOST_OSX = 19;

    /**
     * One central directory entry.
     *
     * @param name     the entry's name, as {@code ZipFile} names it
     * @param unixMode the Unix mode (type and permission bits), or 0 when the archiver was not
     *                 on Unix (a Windows zip) or did not record one
     */
    record Entry(String name, int unixMode) {

        int type() {
            return unixMode & S_IFMT;
        }
    }

    private ZipCentralDirectory() {}

    /**
     * The entries of {@code zip} in the order they are stored.
     *
     * @param maxEntries more entries than this are refused before any is decoded
     * @throws InvalidPackageException when the file has no well-formed central directory
     */
    static List<Entry> read(Path zip, int maxEntries) throws IOException {
        try (FileChannel channel = FileChannel.open(zip, StandardOpenOption.READ)) {
            long size = channel.size();
            int tailSize = (int) Math.min(size, END_SIZE + 0xFFFF);
            ByteBuffer tail = read(channel, size - tailSize, tailSize);
            int end = findEnd(tail);
            long count = u16(tail, end + 10);
            long directorySize = u32(tail, end + 12);
            long directoryOffset = u32(tail, end + 16);
            if (count == 0xFFFF || directorySize == 0xFFFFFFFFL || directoryOffset == 0xFFFFFFFFL) {
                long endOffset = size - tailSize + end;
                if (endOffset < 20) {
                    throw malformed("its ZIP64 end record is missing");
                }
                ByteBuffer locator = read(channel, endOffset - 20, 20);
                if (locator.getInt(0) != ZIP64_LOCATOR) {
                    throw malformed("its ZIP64 end record is missing");
                }
                long zip64End = locator.getLong(8);
                if (zip64End < 0 || zip64End > endOffset - 56) {
                    throw malformed("its ZIP64 end record is out of the file");
                }
                ByteBuffer record = read(channel, zip64End, 56);
                if (record.getInt(0) != ZIP64_END) {
                    throw malformed("its ZIP64 end record is missing");
                }
                count = record.getLong(32);
                directorySize = record.getLong(40);
                directoryOffset = record.getLong(48);
            }
            if (count < 0 || count > maxEntries) {
                throw new InvalidPackageException("package has more than " + maxEntries + " zip entries");
            }
            if (directoryOffset < 0
                    || directorySize < 0
                    || directoryOffset + directorySize > size
                    || directorySize > Integer.MAX_VALUE - 8) {
                throw malformed("its central directory lies outside the file");
            }
            return entries(read(channel, directoryOffset, (int) directorySize), (int) count);
        }
    }

    private static List<Entry> entries(ByteBuffer directory, int count) {
        List<Entry> entries = new ArrayList<>(count);
        int at = 0;
        for (int i = 0; i < count; i++) {
            if (at + HEADER_SIZE > directory.limit() || directory.getInt(at) != HEADER) {
                throw malformed("central directory entry " + (i + 1) + " is damaged");
            }
            int madeBy = u16(directory, at + 4);
            long external = u32(directory, at + 38);
            int nameLength = u16(directory, at + 28);
            int next = at + HEADER_SIZE + nameLength + u16(directory, at + 30) + u16(directory, at + 32);
            if (next > directory.limit()) {
                throw malformed("central directory entry " + (i + 1) + " is damaged");
            }
            byte[] name = new byte[nameLength];
            directory.get(at + HEADER_SIZE, name);
            int host = madeBy >>> 8;
            int mode = host == HOST_UNIX || host == HOST_OSX ? (int) (external >>> 16) : 0;
            entries.add(new Entry(new String(name, StandardCharsets.UTF_8), mode));
            at = next;
        }
        return entries;
    }

    /** The end-of-central-directory record: the last signature whose comment ends the file. */
    private static int findEnd(ByteBuffer tail) {
        for (int at = tail.limit() - END_SIZE; at >= 0; at--) {
            if (tail.getInt(at) == END && at + END_SIZE + u16(tail, at + 20) == tail.limit()) {
                return at;
            }
        }
        throw malformed("no end of central directory record");
    }

    private static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw malformed("it ends early");
            }
        }
        return buffer.flip();
    }

    private static int u16(ByteBuffer buffer, int at) {
        return Short.toUnsignedInt(buffer.getShort(at));
    }

    private static long u32(ByteBuffer buffer, int at) {
        return Integer.toUnsignedLong(buffer.getInt(at));
    }

    private static InvalidPackageException malformed(String why) {
        return new InvalidPackageException("the upload is not a well-formed zip file: " + why);
    }
}
