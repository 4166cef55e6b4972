package io.codingengine.executor.sandbox;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few system calls the JDK does not offer, through the FFM API: mounting the tmpfs that holds
 * a box's work directory (in-process, so no {@code mount} process per run), writing a file
 * with {@code O_CLOEXEC}, making the FIFOs of an interaction, and locking the runtimes' pages.
 */
final class Libc {

    static final long MS_NOSUID = 2;
    static final long MS_NODEV = 4;
    static final int MNT_DETACH = 2;
    static final int EINVAL = 22;
    static final int ENOENT = 2;
    private static final int O_WRONLY = 01, O_CREAT = 0100, O_TRUNC = 01000, O_NOFOLLOW = 0400000, O_CLOEXEC = 02000000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURED = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURED.varHandle(groupElement("errno"));
    private static final MethodHandle MOUNT =
            downcall("mount", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    private static final MethodHandle UMOUNT2 = downcall("umount2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle OPEN =
            downcall("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle WRITE =
            downcall("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle FCHMOD = downcall("fchmod", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle MKFIFO = downcall("mkfifo", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle MLOCK = downcall("mlock", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("strerror"), FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Libc() {}

    /** mount(2); throws {@link NativeException} with errno on failure. */
    static void mount(String source, String target, String type, long flags, String data) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURED);
            int rc = (int) MOUNT.invokeExact(
                    state,
                    arena.allocateFrom(source),
                    arena.allocateFrom(target),
                    arena.allocateFrom(type),
                    flags,
                    arena.allocateFrom(data));
            check(rc, state, "mount " + target);
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** umount2(2); throws {@link NativeException} with errno on failure. */
    static void umount2(String target, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURED);
            int rc = (int) UMOUNT2.invokeExact(state, arena.allocateFrom(target), flags);
            check(rc, state, "umount " + target);
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Writes {@code content} to {@code path} (created or truncated, never through a link) with
     * permission bits {@code mode}. The descriptor is close-on-exec: a process the JVM forks
     * meanwhile never holds the file open for writing, which would make executing it fail with
     * ETXTBSY. Throws {@link NativeException} with errno on failure.
     */
    static void writeFile(String path, byte[] content, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURED);
            int fd = (int) OPEN.invokeExact(
                    state, arena.allocateFrom(path), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
            check(fd < 0 ? -1 : 0, state, "open " + path);
            try {
                MemorySegment data = arena.allocate(Math.max(1, content.length));
                data.copyFrom(MemorySegment.ofArray(content));
                long done = 0;
                while (done < content.length) {
                    long n = (long) WRITE.invokeExact(state, fd, data.asSlice(done), content.length - done);
                    check(n < 0 ? -1 : 0, state, "write " + path);
                    done += n;
                }
                check((int) FCHMOD.invokeExact(state, fd, mode), state, "chmod " + path);
            } finally {
                int closed = (int) CLOSE.invokeExact(state, fd);
            }
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** mkfifo(3): a FIFO at {@code path} with permission bits {@code mode}; throws {@link NativeException}. */
    static void mkfifo(String path, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURED);
            int rc = (int) MKFIFO.invokeExact(state, arena.allocateFrom(path), mode);
            check(rc, state, "mkfifo " + path);
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** mlock(2) of a mapped segment: its pages are read in and stay resident; throws {@link NativeException}. */
    static void mlock(MemorySegment segment) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURED);
            int rc = (int) MLOCK.invokeExact(state, segment, segment.byteSize());
            check(rc, state, "mlock");
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void check(int rc, MemorySegment state, String what) throws Throwable {
        if (rc == 0) {
            return;
        }
        int errno = (int) ERRNO.get(state, 0L);
        MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
        throw new NativeException(errno, what + ": " + text.reinterpret(256).getString(0));
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(
                LINKER.defaultLookup().findOrThrow(name), descriptor, Linker.Option.captureCallState("errno"));
    }

    /** A failed system call, with its errno. */
    static final class NativeException extends RuntimeException {
        final int errno;

        NativeException(int errno, String message) {
            super(message);
            this.errno = errno;
        }
    }
}
