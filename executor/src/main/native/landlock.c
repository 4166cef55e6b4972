/* Landlock, for UID isolation: without a mount namespace a run would see the whole file system its
 * uid may read and write every world-writable directory; Landlock (unprivileged, no namespace,
 * allowed by Docker's default seccomp profile) narrows that to what a box shows: the runtimes
 * read-only, the run's own work and temporary directories, /proc and the harmless devices.
 * Best effort by kernel: `landlock` tells the executor which ABI the kernel has (0: none), and
 * the executor passes rules only when there is one; then a rule that cannot be applied fails the run. */
#include "ce-sandbox.h"
#include <linux/landlock.h>

/* Rights of later ABIs, missing from older kernel headers (Debian 12's are 6.1's). */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)
#endif

#define READ_FILE_RIGHTS (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE)
#define READ_RIGHTS (READ_FILE_RIGHTS | LANDLOCK_ACCESS_FS_READ_DIR)

/* What bwrap's --dev gives a box (but the tty: a run has none). */
static const char *const DEVICES[] = {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom"};

/* The kernel's Landlock ABI version; 0 when it has none (not built, or not enabled at boot). */
int landlock_abi(void) {
    int abi = (int) syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
    return abi < 0 ? 0 : abi;
}

/* Every file-system right the kernel's ABI knows: all of them are denied unless a rule allows them. */
static uint64_t handled(int abi) {
    uint64_t rights = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1;
    if (abi >= 2) rights |= LANDLOCK_ACCESS_FS_REFER;
    if (abi >= 3) rights |= LANDLOCK_ACCESS_FS_TRUNCATE;
    if (abi >= 5) rights |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
    return rights;
}

/* Allows `rights` beneath `path` (only the file rights when it is a file); a path that does not
 * exist is skipped: the executor lists what a box would show, not all of it exists everywhere. */
static void allow(int ruleset, const char *path, uint64_t rights) {
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return;
        die("landlock: open %s", path);
    }
    struct stat st;
    if (fstat(fd, &st) < 0) die("landlock: stat %s", path);
    const uint64_t file_rights = LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE
                                 | LANDLOCK_ACCESS_FS_TRUNCATE | LANDLOCK_ACCESS_FS_IOCTL_DEV;
    struct landlock_path_beneath_attr rule = {.allowed_access = S_ISDIR(st.st_mode) ? rights : rights & file_rights,
                                              .parent_fd = fd};
    if (syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0) < 0) die("landlock: allow %s", path);
    close(fd);
}

/* Restricts this process and everything it starts to the paths of the run's --landlock-read and
 * --landlock-write options, /proc (read) and the devices above. Needs no_new_privs, set before. */
void restrict_files(const struct run_opts *o) {
    int abi = landlock_abi();
    if (abi == 0) { errno = 0; die("landlock: the kernel has no Landlock"); }
    uint64_t all = handled(abi);
    struct landlock_ruleset_attr attr = {.handled_access_fs = all};
    /* Only the first field: it is the size every ABI knows. */
    int ruleset = (int) syscall(SYS_landlock_create_ruleset, &attr, sizeof attr.handled_access_fs, 0);
    if (ruleset < 0) die("landlock: create a ruleset");
    for (int i = 0; i < o->n_landlock_read; i++) allow(ruleset, o->landlock_read[i], READ_RIGHTS);
    for (int i = 0; i < o->n_landlock_write; i++) allow(ruleset, o->landlock_write[i], all);
    allow(ruleset, "/proc", LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR);
    for (size_t i = 0; i < sizeof DEVICES / sizeof *DEVICES; i++) {
        allow(ruleset, DEVICES[i], LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE
                                   | (abi >= 3 ? LANDLOCK_ACCESS_FS_TRUNCATE : 0));
    }
    if (syscall(SYS_landlock_restrict_self, ruleset, 0) < 0) die("landlock: restrict");
    close(ruleset);
}

/* ce-sandbox landlock: prints the kernel's Landlock ABI version, 0 without Landlock. */
int cmd_landlock(void) {
    printf("%d\n", landlock_abi());
    return 0;
}
