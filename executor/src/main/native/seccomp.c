/* The seccomp filter: built with libseccomp and exported as BPF once per start-up (`seccomp`);
 * `run --seccomp` loads the exported file (run.c), or hands it to bwrap. */
#include "ce-sandbox.h"

/* Denied with EPERM: what isolate and Docker's default profile deny, and every way to build a
 * new namespace, mount, trace, or reach kernel-global state (keyrings, modules, clocks). */
static const char *const DENIED[] = {
    "acct", "add_key", "adjtimex", "bpf", "chroot", "clock_adjtime", "clock_settime",
    "create_module", "delete_module", "fanotify_init", "finit_module", "fsconfig", "fsmount",
    "fsopen", "fspick", "get_kernel_syms", "init_module", "io_uring_enter", "io_uring_register",
    "io_uring_setup", "ioperm", "iopl", "kcmp", "kexec_file_load", "kexec_load", "keyctl",
    "lookup_dcookie", "mount", "mount_setattr", "move_mount", "name_to_handle_at", "nfsservctl",
    "open_by_handle_at", "open_tree", "perf_event_open", "pivot_root", "process_vm_readv",
    "process_vm_writev", "ptrace", "query_module", "quotactl", "quotactl_fd", "reboot",
    "request_key", "setns", "settimeofday", "swapoff", "swapon", "syslog", "umount", "umount2",
    "unshare", "uselib", "userfaultfd", "ustat", "vhangup", "vm86", "vm86old", "_sysctl",
    "sysfs", "flock", "landlock_create_ruleset",
    /* The runtimes are the same inodes in every box: a watch on them sees other boxes' runs. */
    "inotify_init", "inotify_init1", "inotify_add_watch",
};

/* Denied with EPERM under UID isolation only ("uid"): nothing of the kernel's is private to the
 * run there, so SysV IPC and POSIX message queues are the host's, shared by every run, and another
 * process's descriptors are the host's to take (pidfd_getfd). No language needs them. */
static const char *const UID_DENIED[] = {
    "shmget", "shmat", "shmctl", "semget", "semop", "semtimedop", "semctl", "msgget", "msgsnd", "msgrcv",
    "msgctl", "mq_open", "mq_unlink", "mq_timedsend", "mq_timedreceive", "mq_notify", "mq_getsetattr",
    "pidfd_getfd",
};

/* Arguments the kernel reads as 32-bit ints (socket's domain, fcntl's and ioctl's command): a
 * comparison must look at the low 32 bits only, or a caller sets the high bits and slips past an
 * equality test while the kernel still sees the value it denies. */
#define INT_ARG 0xffffffffULL

static void rule(scmp_filter_ctx ctx, uint32_t action, const char *name, unsigned count,
                 const struct scmp_arg_cmp *args) {
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) return; /* not on this architecture */
    int rc = seccomp_rule_add_array(ctx, action, nr, count, args);
    if (rc < 0) {
        errno = -rc;
        die("seccomp rule for %s", name);
    }
}

/* policy: "default" (namespaces give the network isolation), "nonet" (no network namespace:
 * only AF_UNIX sockets) or "uid" (nothing of the run's own: no socket at all, since even a Unix
 * or abstract one reaches the host's, and no SysV or POSIX IPC). Non-native ABIs (x32, i386) kill
 * the process. */
static scmp_filter_ctx build_filter(const char *policy) {
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (!ctx) die("seccomp_init");
    if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) < 0)
        die("seccomp bad-arch action");
    if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 1) < 0) die("seccomp nnp");
    const uint32_t eperm = SCMP_ACT_ERRNO(EPERM);
    for (size_t i = 0; i < sizeof DENIED / sizeof *DENIED; i++) rule(ctx, eperm, DENIED[i], 0, NULL);

    /* clone with a namespace flag; clone3's flags sit in memory a filter cannot read, so it is
     * answered ENOSYS, as a kernel without it would, and the C library falls back to clone. */
    const uint64_t ns_flags[] = {CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER,
                                 CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWCGROUP};
    for (size_t i = 0; i < sizeof ns_flags / sizeof *ns_flags; i++) {
        struct scmp_arg_cmp a = SCMP_A0(SCMP_CMP_MASKED_EQ, ns_flags[i], ns_flags[i]);
        rule(ctx, eperm, "clone", 1, &a);
    }
    rule(ctx, SCMP_ACT_ERRNO(ENOSYS), "clone3", 0, NULL);
    /* Linux AIO: its contexts are counted host-wide (/proc/sys/fs/aio-nr), a channel between
     * concurrent runs, and one run could take them all. Answered ENOSYS, as a kernel built without
     * AIO does: libraries then use threads instead. */
    static const char *const aio[] = {"io_setup", "io_destroy", "io_submit", "io_cancel", "io_getevents",
                                      "io_pgetevents"};
    for (size_t i = 0; i < sizeof aio / sizeof *aio; i++) rule(ctx, SCMP_ACT_ERRNO(ENOSYS), aio[i], 0, NULL);

    /* File locks on shared read-only inodes are a side channel between concurrent runs. */
    const uint64_t lock_cmds[] = {F_SETLK, F_SETLKW, F_OFD_SETLK, F_OFD_SETLKW, F_SETLEASE, F_NOTIFY};
    for (size_t i = 0; i < sizeof lock_cmds / sizeof *lock_cmds; i++) {
        struct scmp_arg_cmp a = SCMP_A1(SCMP_CMP_MASKED_EQ, INT_ARG, lock_cmds[i]);
        rule(ctx, eperm, "fcntl", 1, &a);
    }
    /* Typing into a terminal that is not ours. */
    const uint64_t ioctls[] = {TIOCSTI, TIOCLINUX};
    for (size_t i = 0; i < sizeof ioctls / sizeof *ioctls; i++) {
        struct scmp_arg_cmp a = SCMP_A1(SCMP_CMP_MASKED_EQ, INT_ARG, ioctls[i]);
        rule(ctx, eperm, "ioctl", 1, &a);
    }
    /* personality: no flag that weakens memory protection (executable data, page zero). */
    const uint64_t persona[] = {0x0400000 /* READ_IMPLIES_EXEC */, 0x0100000 /* MMAP_PAGE_ZERO */,
                                0x0200000 /* ADDR_COMPAT_LAYOUT */};
    for (size_t i = 0; i < sizeof persona / sizeof *persona; i++) {
        struct scmp_arg_cmp a = SCMP_A0(SCMP_CMP_MASKED_EQ, persona[i], persona[i]);
        rule(ctx, eperm, "personality", 1, &a);
    }

    /* The page cache of the runtimes is shared by every box: a run that can evict pages of a file
     * and then tell which came back learns which pages a concurrent run read, fast enough to copy a
     * hidden test's input out. Eviction on demand (fadvise, madvise cold/pageout) is advice the
     * kernel may ignore, so it is ignored: the call answers 0 and does nothing. Asking whether a
     * page is cached without timing it (cachestat, a read that fails rather than wait for the
     * disk) is refused as a kernel without it would refuse it. */
    rule(ctx, SCMP_ACT_ERRNO(0), "fadvise64", 0, NULL);
    const uint64_t advice[] = {20 /* MADV_COLD */, 21 /* MADV_PAGEOUT */};
    for (size_t i = 0; i < sizeof advice / sizeof *advice; i++) {
        struct scmp_arg_cmp a = SCMP_A2(SCMP_CMP_MASKED_EQ, INT_ARG, advice[i]);
        rule(ctx, SCMP_ACT_ERRNO(0), "madvise", 1, &a);
    }
    rule(ctx, eperm, "process_madvise", 0, NULL);
    rule(ctx, SCMP_ACT_ERRNO(ENOSYS), "cachestat", 0, NULL);
    {
        struct scmp_arg_cmp a = SCMP_A5(SCMP_CMP_MASKED_EQ, 0x8 /* RWF_NOWAIT */, 0x8);
        rule(ctx, SCMP_ACT_ERRNO(EOPNOTSUPP), "preadv2", 1, &a);
    }

    /* AF_VSOCK is not namespaced. Without a network namespace, only local sockets are allowed;
     * with UID isolation none (socketpair, which reaches nothing but its other end, stays). */
    if (strcmp(policy, "uid") == 0) {
        rule(ctx, SCMP_ACT_ERRNO(EACCES), "socket", 0, NULL);
        for (size_t i = 0; i < sizeof UID_DENIED / sizeof *UID_DENIED; i++) rule(ctx, eperm, UID_DENIED[i], 0, NULL);
    } else if (strcmp(policy, "nonet") == 0) {
        struct scmp_arg_cmp a = SCMP_A0(SCMP_CMP_NE, AF_UNIX);
        rule(ctx, SCMP_ACT_ERRNO(EACCES), "socket", 1, &a);
    } else {
        struct scmp_arg_cmp a = SCMP_A0(SCMP_CMP_MASKED_EQ, INT_ARG, AF_VSOCK);
        rule(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), "socket", 1, &a);
    }
    return ctx;
}

/* ce-sandbox seccomp POLICY PATH: compiles the filter once, to BPF at PATH, for `run --seccomp PATH`
 * (compiling it with libseccomp for every run would cost most of a millisecond). */
int cmd_seccomp(const char *policy, const char *path) {
    if (strcmp(policy, "default") && strcmp(policy, "nonet") && strcmp(policy, "uid")) { errno = 0; die("unknown policy %s", policy); }
    scmp_filter_ctx filter = build_filter(policy);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) die("create %s", path);
    int rc = seccomp_export_bpf(filter, fd);
    if (rc < 0) { errno = -rc; die("export the filter"); }
    if (close(fd) < 0) die("close %s", path);
    seccomp_release(filter);
    return 0;
}
