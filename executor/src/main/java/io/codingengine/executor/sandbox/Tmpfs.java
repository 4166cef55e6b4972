package io.codingengine.executor.sandbox;

import java.nio.file.Path;

/**
 * A tmpfs the host mounts for sandboxed processes to write into: capped in bytes and inodes,
 * {@code nosuid,nodev}, its root owned by one uid. Detaching frees everything in it without the
 * host walking (or following) anything a sandboxed process left there.
 */
public final class Tmpfs {

    private Tmpfs() {}

    /** Mounts a fresh tmpfs at {@code target} (over whatever is mounted there). */
    public static void mount(Path target, long bytes, long inodes, int uid) {
        Libc.mount(
                "ce-box",
                target.toString(),
                "tmpfs",
                Libc.MS_NOSUID | Libc.MS_NODEV,
                "size=%d,nr_inodes=%d,mode=0700,uid=%d,gid=%d".formatted(bytes, inodes, uid, uid));
    }

    /** Detaches every tmpfs stacked at {@code target} (a crash can leave several); none is fine. */
    public static void detach(Path target) {
        while (true) {
            try {
                Libc.umount2(target.toString(), Libc.MNT_DETACH);
            } catch (Libc.NativeException e) {
                if (e.errno == Libc.EINVAL || e.errno == Libc.ENOENT) {
                    return;
                }
                throw e;
            }
        }
    }
}
