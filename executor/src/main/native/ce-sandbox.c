/*
 * ce-sandbox: the native part of Coding Engine's sandbox.
 *
 *   ce-sandbox run [options] -- COMMAND...
 *       Host side, as root: a relay started by the executor for one run (fresh boxes, process
 *       isolation), or forked in advance by `serve`. Makes the run's cgroups (--cgroup-dir,
 *       --cgroup-set), forks COMMAND in them, as an
 *       unprivileged uid, with a seccomp filter; relays its stdout and stderr to our stdout as
 *       frames, with a cap per stream; enforces the CPU-time limit (read from the cgroup) and the
 *       wall-time limit; then writes a final status frame. The untrusted program never touches
 *       our stdout, so it cannot forge a frame or a status. COMMAND is bwrap (a fresh box per
 *       run), or with --enter DIR the box init itself, run in the pre-started box pinned at DIR
 *       (enter_box, box_init), or the box init without namespaces (process isolation). With
 *       --init-here COMMAND is `init` and its options, and the child is the box init itself,
 *       without executing a second binary. The run's peak memory and OOM kills are read from
 *       --memory-peak and --oom-events files into the status.
 *
 *   ce-sandbox serve SOCKET
 *       A slot's resident relay server (cmd_serve): keeps one relay forked in advance, which
 *       builds the next run's network namespace while it waits, takes the next connection on
 *       SOCKET and is `run --enter` with the request it reads there.
 *
 *   ce-sandbox init --status-fd N [--rlimit NAME=VALUE]... -- PROGRAM...
 *       Inside the sandbox, as its pid 1. Sets the rlimits, forks PROGRAM, waits for it and
 *       reports how it ended (exit code or signal, and its wall time) on fd N, which the
 *       program cannot reach: it is close-on-exec and this process is not dumpable, so
 *       /proc/1/fd is closed to the program. When init exits, the kernel kills everything
 *       left in the pid namespace: daemons do not outlive the run.
 *
 *   ce-sandbox box --uid U --gid G --pins DIR -- BWRAP...
 *       Builds a pre-started box once per slot and pins its namespaces at DIR (cmd_box).
 *
 *   ce-sandbox init hold
 *       The first process of a box being pre-started: says it runs, waits for stdin to close.
 *
 *   ce-sandbox seccomp POLICY PATH
 *       Compiles the seccomp filter ("default", or "nonet" without namespaces) to BPF at PATH,
 *       once per start-up; `run --seccomp PATH` loads it.
 *
 *   ce-sandbox service [--cgroup-procs FILE]... --uid U --gid G --seccomp PATH --seccomp-fd N -- BWRAP...
 *       A long-lived sandboxed service (the warm Java compiler): joins the given cgroups, opens the
 *       filter PATH at fd N for bwrap's --seccomp N, drops to U/G with no_new_privs and the
 *       parent-death signal, and execs BWRAP with the caller's stdin and stdout (its protocol).
 *
 * A request to `serve`: four bytes big-endian length, the `run` arguments each ended by a NUL,
 * eight bytes big-endian stdin length, then the stdin bytes, which the relay feeds to the program.
 *
 * Frames written by `run` on stdout (on the connection under `serve`): one byte tag, four bytes
 * big-endian length, payload.
 *   'o' stdout bytes   'e' stderr bytes   's' status, "key=value\n" lines, always last.
 *
 * Exit codes of `run`: 0 when a status frame was written, 2 on an internal error (message on
 * stderr; under `serve` a status frame "error=<why>" instead). A failure to enter a pre-started box, before any untrusted code ran, is a status frame
 * with "box_error=<why>": the executor then rebuilds the box and runs again.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <grp.h>
#include <net/if.h>
#include <sys/mount.h>
#include <sys/ioctl.h>
#include <linux/capability.h>
#include <linux/mount.h>
#include <linux/nsfs.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <time.h>
#include <unistd.h>

#define MAX_CGROUPS 8
#define MAX_CGROUP_SETTINGS 16
#define MAX_ENV 64
#define POLL_INTERVAL_MS 10

/* >= 0 while entering a pooled box: failures go there as a status line ("box_error=..."), not to
 * the run's stderr, so the executor knows no untrusted code ran and may retry on a fresh box. */
static int box_error_fd = -1;
/* Set while the relay enters a pooled box: a failure is a status frame ("box_error=..."). */
static int relay_box_error;
/* Set in a relay serving a connection (serve): any other failure is a status frame ("error=..."). */
static int relay_error;
/* The executor's connection: frames go out on it, the run's stdin comes in on it. */
static int frames_fd = 1;
static void frame(char tag, const char *data, size_t len);

static void die(const char *fmt, ...) {
    va_list ap;
    if (box_error_fd >= 0 || relay_box_error || relay_error) {
        int err = errno;
        char msg[512];
        va_start(ap, fmt);
        int n = snprintf(msg, sizeof msg, relay_error && !relay_box_error ? "error=ce-sandbox: " : "box_error=");
        n += vsnprintf(msg + n, sizeof msg - (size_t) n, fmt, ap);
        va_end(ap);
        if (n < (int) sizeof msg - 1 && err) n += snprintf(msg + n, sizeof msg - (size_t) n, ": %s", strerror(err));
        if (n > (int) sizeof msg - 2) n = (int) sizeof msg - 2;
        msg[n++] = '\n';
        if (relay_box_error || relay_error) {
            frame('s', msg, (size_t) n);
            exit(relay_box_error ? 0 : 2);
        }
        if (write(box_error_fd, msg, (size_t) n) < 0) _exit(2);
        _exit(2);
    }
    va_start(ap, fmt);
    fputs("ce-sandbox: ", stderr);
    vfprintf(stderr, fmt, ap);
    if (errno) fprintf(stderr, ": %s", strerror(errno));
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static long long parse_num(const char *s, const char *what) {
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < 0) {
        errno = 0;
        die("bad number for %s: %s", what, s);
    }
    return v;
}

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int write_all(int fd, const void *buf, size_t len) {
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += n;
        len -= (size_t) n;
    }
    return 0;
}

/* ---------------------------------------------------------------- seccomp */

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

/* Arguments the kernel reads as 32-bit ints (socket's domain, fcntl's and ioctl's command): a
 * comparison must look at the low 32 bits only, or a caller sets the high bits and slips past an
 * equality test while the kernel still sees the value it denies. */
#define INT_ARG 0xffffffffULL

#define MAX_PTYS 16

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

/* policy: "default" (namespaces give the network isolation) or "nonet" (no network namespace:
 * only AF_UNIX sockets). Non-native ABIs (x32, i386) kill the process. */
static scmp_filter_ctx build_filter(const char *policy) {
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (!ctx) die("seccomp_init");
    if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) < 0)
        die("seccomp bad-arch action");
    if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 1) < 0) die("seccomp nnp");
    const uint32_t eperm = SCMP_ACT_ERRNO(EPERM);
    for (size_t i = 0; i < sizeof DENIED / sizeof *DENIED; i++) rule(ctx, eperm, DENIED[i], 0, NULL);

    /* clone with a namespace flag; clone3 cannot be inspected, so it says "not implemented" and
     * the C library falls back to clone. */
    const uint64_t ns_flags[] = {CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER,
                                 CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWCGROUP};
    for (size_t i = 0; i < sizeof ns_flags / sizeof *ns_flags; i++) {
        struct scmp_arg_cmp a = SCMP_A0(SCMP_CMP_MASKED_EQ, ns_flags[i], ns_flags[i]);
        rule(ctx, eperm, "clone", 1, &a);
    }
    rule(ctx, SCMP_ACT_ERRNO(ENOSYS), "clone3", 0, NULL);
    /* Linux AIO: its contexts are counted host-wide (/proc/sys/fs/aio-nr), a channel between
     * concurrent runs, and one run could take them all. "Not implemented": callers fall back. */
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

    /* AF_VSOCK is not namespaced. Without a network namespace, only local sockets are allowed. */
    if (strcmp(policy, "nonet") == 0) {
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
static int cmd_seccomp(const char *policy, const char *path) {
    if (strcmp(policy, "default") && strcmp(policy, "nonet")) { errno = 0; die("unknown policy %s", policy); }
    scmp_filter_ctx filter = build_filter(policy);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) die("create %s", path);
    int rc = seccomp_export_bpf(filter, fd);
    if (rc < 0) { errno = -rc; die("export the filter"); }
    if (close(fd) < 0) die("close %s", path);
    seccomp_release(filter);
    return 0;
}

/* ---------------------------------------------------------------- run (host side) */

struct run_opts {
    const char *cgroup_procs[MAX_CGROUPS];
    int n_cgroups;
    const char *cgroup_dirs[MAX_CGROUPS];     /* the run's groups, made by the relay (make_cgroups) */
    int n_cgroup_dirs;
    const char *cgroup_set[MAX_CGROUP_SETTINGS]; /* FILE=VALUE, written in order once the groups exist */
    int cgroup_set_optional[MAX_CGROUP_SETTINGS]; /* skipped when FILE does not exist (no swap accounting) */
    int n_cgroup_set;
    const char *memory_peak_file; /* read when the run is over: its peak memory, or absent */
    const char *oom_events_file;  /* read when the run is over: its "oom_kill N" line */
    const char *cpu_usage_file;
    int cpu_usage_is_stat; /* cgroup v2 cpu.stat (usage_usec) instead of v1 cpuacct.usage (ns) */
    long long cpu_limit_ms;
    long long wall_limit_ms;
    long long output_limit;
    int cut_stderr;        /* stderr past output_limit is dropped and the program runs on (a judge ignores stderr) */
    long long uid, gid;
    const char *seccomp_file;   /* a filter exported by `seccomp`, or NULL: none */
    int seccomp_fd;             /* >= 0: hand the filter to bwrap there; else load it here */
    int status_fd;
    const char *chdir;
    int info_fd, block_fd; /* bwrap's --info-fd/--block-fd: join the cgroups late (join_late) */
    int late_join;         /* the child is a monitor (bwrap's, or enter_box's): never kill it, it reaps the box init */
    const char *enter;     /* a pooled box: the directory of its pinned user, mount and uts namespaces */
    const char *work;      /* with enter: the host path of the work directory, shown as /box */
    long long tmp_bytes, tmp_inodes, shm_bytes;
    int init_here;         /* COMMAND is `init` and its options: be the box init, without an exec */
    char *env[MAX_ENV + 1];
    int n_env;
    int cpu_fd;  /* cpu_usage_file, opened once (the relay may leave the host's mount namespace) */
    int kill_fd; /* the last cgroup.procs, opened once, to find what to kill */
};

static int64_t read_cpu_ns(const struct run_opts *o) {
    if (o->cpu_fd < 0) return -1;
    char buf[512];
    ssize_t n = pread(o->cpu_fd, buf, sizeof buf - 1, 0);
    if (n <= 0) return -1;
    buf[n] = 0;
    if (!o->cpu_usage_is_stat) return strtoll(buf, NULL, 10);
    char *p = strstr(buf, "usage_usec ");
    return p ? strtoll(p + 11, NULL, 10) * 1000 : -1;
}

/* The run's cgroups, made here rather than by the JVM (a fraction of the cost), never reused. */
static void make_cgroups(const struct run_opts *o) {
    for (int i = 0; i < o->n_cgroup_dirs; i++) {
        if (mkdir(o->cgroup_dirs[i], 0755) < 0) die("create %s", o->cgroup_dirs[i]);
    }
    for (int i = 0; i < o->n_cgroup_set; i++) {
        const char *eq = strrchr(o->cgroup_set[i], '=');
        char path[PATH_MAX];
        if (!eq || (size_t) (eq - o->cgroup_set[i]) >= sizeof path) { errno = 0; die("bad cgroup setting %s", o->cgroup_set[i]); }
        memcpy(path, o->cgroup_set[i], (size_t) (eq - o->cgroup_set[i]));
        path[eq - o->cgroup_set[i]] = 0;
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT && o->cgroup_set_optional[i]) continue;
        if (fd < 0 || write_all(fd, eq + 1, strlen(eq + 1)) < 0) die("write %s to %s", eq + 1, path);
        close(fd);
    }
}

/* The first number in an open cgroup file, or, with key, the number after "key " on its line; -1 if none. */
static long long read_counter(int fd, const char *key) {
    char buf[4096];
    ssize_t n = fd < 0 ? -1 : pread(fd, buf, sizeof buf - 1, 0);
    if (n <= 0) return -1;
    buf[n] = 0;
    if (!key) return strtoll(buf, NULL, 10);
    size_t len = strlen(key);
    for (char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        if (!strncmp(line, key, len) && line[len] == ' ') return strtoll(line + len + 1, NULL, 10);
    }
    return -1;
}

static void join_cgroups(const struct run_opts *o) {
    char pid[32];
    int len = snprintf(pid, sizeof pid, "%d\n", getpid());
    for (int i = 0; i < o->n_cgroups; i++) {
        int fd = open(o->cgroup_procs[i], O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write_all(fd, pid, (size_t) len) < 0) die("join cgroup %s", o->cgroup_procs[i]);
        close(fd);
    }
}

static void drop_privileges(const struct run_opts *o) {
    if (o->uid < 0) return;
    if (setgroups(0, NULL) < 0) die("setgroups");
    if (setresgid((gid_t) o->gid, (gid_t) o->gid, (gid_t) o->gid) < 0) die("setresgid");
    if (setresuid((uid_t) o->uid, (uid_t) o->uid, (uid_t) o->uid) < 0) die("setresuid");
}

/* ---------------------------------------------------------------- pooled boxes */

/* Set once this process has a network namespace that no earlier run has used. */
static int own_network;

/* A new, empty network namespace for this process and its children: loopback only, up (as
 * bwrap's --unshare-net gives a fresh box). Owned by the host's user namespace, so nothing in a
 * box can reconfigure it. Freed by the kernel when the run's last process is gone. */
static void fresh_network(void) {
    if (unshare(CLONE_NEWNET) < 0) die("unshare a network namespace");
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct ifreq ifr = {0};
    strcpy(ifr.ifr_name, "lo");
    if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0) die("loopback flags");
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) die("loopback up");
    close(s);
    own_network = 1;
}

static int open_pin(const char *dir, const char *name) {
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) die("open %s", path);
    return fd;
}

static void mount_or_die(const char *source, const char *target, const char *type, unsigned long flags,
                         const char *data) {
    if (mount(source, target, type, flags, data) < 0) die("mount %s", target);
}

/* Read-only over itself, as bwrap covers these parts of its /proc. */
/* Host-wide counters that one run can move and another read (open files, inodes, dentries,
 * ptys, AIO contexts): a channel between concurrent runs. Each reads as an empty file. */
static const char *const HOST_COUNTERS[] = {
    "/proc/sys/fs/file-nr", "/proc/sys/fs/inode-nr", "/proc/sys/fs/inode-state", "/proc/sys/fs/dentry-state",
    "/proc/sys/fs/aio-nr", "/proc/sys/kernel/pty/nr",
};

static void hide(const char *path) {
    if (mount("/dev/null", path, NULL, MS_BIND, NULL) < 0) {
        if (errno == ENOENT) return;
        die("hide %s", path);
    }
}

static void cover_read_only(const char *path) {
    if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0) {
        if (errno == ENOENT) return;
        die("bind %s", path);
    }
    mount_or_die(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL);
}

/* Drops every capability for good: ambient, bounding set, then (after the uid change) the rest. */
static void drop_capabilities(const struct run_opts *o) {
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0) die("clear ambient capabilities");
    for (int cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++) {
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) die("drop capability %d", cap);
    }
    if (setresgid((gid_t) o->gid, (gid_t) o->gid, (gid_t) o->gid) < 0) die("setresgid");
    if (setresuid((uid_t) o->uid, (uid_t) o->uid, (uid_t) o->uid) < 0) die("setresuid");
    struct __user_cap_header_struct head = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    memset(data, 0, sizeof data);
    if (syscall(SYS_capset, &head, data) < 0) die("capset");
}

/*
 * Runs COMMAND in a pooled box: the user, mount and uts namespaces that `box` made and pinned
 * once, plus fresh ones for this run only: a network namespace (built by serve_one before the
 * request came; no socket, port or connection state of an earlier run), a pid namespace (its
 * init's death kills everything the run started), an IPC namespace (no SysV or POSIX IPC object of an earlier run),
 * a cgroup namespace rooted at the run's cgroup, and a mount namespace with a fresh /proc, /tmp
 * and /dev/shm and the submission's work directory at /box. All of them die with the run.
 *
 * enter_box runs in the relay before it forks: it opens what it needs as root on the host (the
 * pins, the run's cgroup files, a clone of the work mount), then enters the box's namespaces and
 * unshares a pid namespace for its child; it stays the host-side relay (its cgroup files are
 * open, it never resolves a path again). box_init runs in that child, pid 1 of the new pid
 * namespace: it joins the run's cgroups, builds the run's namespaces and mounts, enters bwrap's
 * nested user namespace, drops to the slot uid without capabilities and execs COMMAND (the box
 * init, `init`).
 */
struct box_fds {
    int procs[MAX_CGROUPS]; /* the run's cgroup.procs, open for writing */
    int user;               /* bwrap's nested user namespace, where the program runs */
    int work;               /* a detached clone of the host's work mount, until mounted at /box */
};

static void enter_box(const struct run_opts *o, struct box_fds *fds) {
    if (o->cpu_usage_file && o->cpu_fd < 0) die("open %s", o->cpu_usage_file);
    relay_box_error = 1;
    for (int i = 0; i < o->n_cgroups; i++) {
        fds->procs[i] = open(o->cgroup_procs[i], O_WRONLY | O_CLOEXEC);
        if (fds->procs[i] < 0) die("open %s", o->cgroup_procs[i]);
    }
    /* A network namespace is never shared between runs: what a run leaves there (sockets in
     * TIME_WAIT, whose ports /proc/net/tcp lists) would reach the next one. serve_one built
     * this relay's own before it took the request. */
    if (!own_network) { errno = 0; die("a pooled run needs a relay with a network namespace of its own"); }
    int owner = open_pin(o->enter, "owner"), mnt = open_pin(o->enter, "mnt"), uts = open_pin(o->enter, "uts");
    fds->user = open_pin(o->enter, "user");
    /* The host never resolves a path inside the box, and the box sees the submission's files. */
    fds->work = (int) syscall(SYS_open_tree, AT_FDCWD, o->work, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
    if (fds->work < 0) die("clone the work directory %s", o->work);
    if (setgroups(0, NULL) < 0) die("setgroups");
    /* Joined while we are root on the host, whichever user namespace owns it. */
    if (setns(owner, CLONE_NEWUSER) < 0) die("enter the user namespace that owns the box");
    if (setns(mnt, CLONE_NEWNS) < 0) die("enter the box's mount namespace");
    if (setns(uts, CLONE_NEWUTS) < 0) die("enter the box's uts namespace");
    /* The run's mount and IPC namespaces belong to the relay, not to the box init: when the run
     * ends, tearing them down (milliseconds of unmounting and RCU grace periods) happens as the
     * relay exits, after it has reported, instead of between the program's end and the report. */
    if (unshare(CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC) < 0) die("unshare the run's namespaces");
    mount_or_die(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
    if (syscall(SYS_move_mount, fds->work, "", AT_FDCWD, "/box", MOVE_MOUNT_F_EMPTY_PATH) < 0) die("mount the work directory");
    close(fds->work);
    /* Owned by the run's uid: bwrap maps it to 0 in the namespace that owns the mounts. */
    char opts[128];
    snprintf(opts, sizeof opts, "size=%lld,nr_inodes=%lld,mode=0700,uid=0,gid=0", o->tmp_bytes, o->tmp_inodes);
    mount_or_die("ce-tmp", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, opts);
    snprintf(opts, sizeof opts, "size=%lld,mode=1777", o->shm_bytes);
    mount_or_die("ce-shm", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, opts);
    /* The run's own ptys, at most MAX_PTYS: the host has a few thousand in all. */
    snprintf(opts, sizeof opts, "newinstance,ptmxmode=0666,mode=620,max=%d", MAX_PTYS);
    mount_or_die("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, opts);
    close(owner);
    close(mnt);
    close(uts);
    /* Changing user namespace made us dumpable again. */
    if (prctl(PR_SET_DUMPABLE, 0) < 0) die("prctl");
    relay_box_error = 0;
}

static void box_init(const struct run_opts *o, const struct box_fds *fds, int status_fd) {
    box_error_fd = status_fd;
    /* Joined only now, so entering the box is not charged to the run; the files were opened as root. */
    char pid[32];
    int len = snprintf(pid, sizeof pid, "%d\n", getpid());
    for (int i = 0; i < o->n_cgroups; i++) {
        if (write_all(fds->procs[i], pid, (size_t) len) < 0) die("join cgroup %s", o->cgroup_procs[i]);
        close(fds->procs[i]);
    }
    if (unshare(CLONE_NEWCGROUP) < 0) die("unshare a cgroup namespace");
    /* The run's pid namespace is ours (we are its init), so only we can mount its /proc. */
    mount_or_die("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    cover_read_only("/proc/sys");
    for (size_t i = 0; i < sizeof HOST_COUNTERS / sizeof *HOST_COUNTERS; i++) hide(HOST_COUNTERS[i]);
    cover_read_only("/proc/sysrq-trigger");
    cover_read_only("/proc/irq");
    cover_read_only("/proc/bus");
    if (chdir("/box") < 0) die("chdir /box");
    /* The program's user namespace is a child of the one owning every mount it sees: no
     * capability it could ever gain there would let it change them. */
    if (setns(fds->user, CLONE_NEWUSER) < 0) die("enter the box's user namespace");
    close(fds->user);
}

/* The seccomp filter the child loads itself (without bwrap), compiled once by `seccomp`. */
static struct sock_filter filter_code[BPF_MAXINSNS];
static struct sock_fprog filter;

static void read_filter(const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) die("open %s", path);
    ssize_t n = read(fd, filter_code, sizeof filter_code);
    if (n <= 0 || n == (ssize_t) sizeof filter_code || n % (ssize_t) sizeof *filter_code) die("read %s", path);
    close(fd);
    filter = (struct sock_fprog){(unsigned short) (n / (ssize_t) sizeof *filter_code), filter_code};
}

struct fd_move {
    int fd;     /* ours, close-on-exec */
    int target; /* where the command expects it, or -1 to drop it */
};

static int cmd_init(int argc, char **argv);

/* Our command line's memory (what /proc/PID/cmdline shows), from main. */
static char *arg_area;
static size_t arg_area_len;

/* The box init made without an exec shows what an executed /.ce/init would, not the host's paths
 * of the server's command line (/proc/1/cmdline is readable by the program). */
static void present_as_init(void) {
    static const char shown[] = "/.ce/init\0init";
    prctl(PR_SET_NAME, "init");
    if (arg_area_len < sizeof shown) return;
    memset(arg_area, 0, arg_area_len);
    memcpy(arg_area, shown, sizeof shown);
}

static void child(struct run_opts *o, int argc, char **argv, struct fd_move *moves, int n_moves, const struct box_fds *box) {
    /* Errors from here on are the run's (its stderr), or box errors while entering a pooled box. */
    relay_error = 0;
    /* The relay dies only by a bug or a kill; its sandbox must not outlive it. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    /* Its own session: no controlling terminal, and one process group to kill. */
    if (setsid() < 0) die("setsid");
    if (o->enter) box_init(o, box, moves[2].fd);
    else if (!o->late_join) join_cgroups(o);

    /* bwrap reads the filter from an fd; else the relay read it (read_filter) and we load it. */
    if (o->seccomp_file && o->seccomp_fd >= 0) {
        int fd = open(o->seccomp_file, O_RDONLY | O_CLOEXEC);
        if (fd < 0) die("open %s", o->seccomp_file);
        moves[n_moves++] = (struct fd_move){fd, o->seccomp_fd};
    }
    /* Lift every fd we keep above the targets first, so no dup2 clobbers another. */
    int keep = 0;
    for (int k = 0; k < n_moves; k++) {
        if (moves[k].target < 0) continue;
        moves[k].fd = fcntl(moves[k].fd, F_DUPFD_CLOEXEC, 100);
        if (moves[k].fd < 0) die("dup");
        if (moves[k].target > keep) keep = moves[k].target;
    }
    for (int k = 0; k < n_moves; k++) {
        if (moves[k].target < 0) continue;
        if (dup2(moves[k].fd, moves[k].target) < 0) die("dup2 to %d", moves[k].target);
    }
    if (syscall(SYS_close_range, keep + 1, ~0U, 0) < 0) die("close_range");
    for (int fd = 0; fd <= keep; fd++) {
        int wanted = 0;
        for (int k = 0; k < n_moves; k++) wanted |= moves[k].target == fd;
        if (!wanted) close(fd);
    }
    if (box_error_fd >= 0) box_error_fd = o->status_fd;
    if (o->chdir && chdir(o->chdir) < 0) die("chdir %s", o->chdir);
    if (o->enter) drop_capabilities(o);
    else drop_privileges(o);
    /* The kernel clears the parent-death signal when the uid changes: set it again. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0) die("pdeathsig");
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) die("no_new_privs");
    if (filter.len && prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &filter) < 0) die("load the seccomp filter");
    o->env[o->n_env] = NULL;
    if (o->init_here) {
        /* From here on a failure is the run's, not the box's. */
        box_error_fd = -1;
        present_as_init();
        environ = o->env;
        exit(cmd_init(argc - 1, argv + 1));
    }
    execve(argv[0], argv, o->env);
    die("execve %s", argv[0]);
}

/* bwrap handshake: bwrap reports the box init's host pid on the info pipe and waits on the
 * block pipe before running it. The init joins the cgroups then; bwrap itself and the kernel
 * work of building the namespaces stay out of the run's accounting (and out of its memory
 * cgroup, where namespace set-up and teardown cost milliseconds). */
/* bwrap's --info-fd document: the box init's host pid, or -1 when bwrap failed before starting it. */
static pid_t read_child_pid(int info_r) {
    char buf[1024];
    size_t len = 0;
    buf[0] = 0;
    /* bwrap writes the whole document, then closes its end. */
    while (len < sizeof buf - 1) {
        ssize_t n = read(info_r, buf + len, sizeof buf - 1 - len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        len += (size_t) n;
        buf[len] = 0;
    }
    close(info_r);
    char *at = strstr(buf, "\"child-pid\"");
    return at ? (pid_t) strtol(strchr(at, ':') + 1, NULL, 10) : -1;
}

static pid_t join_late(const struct run_opts *o, int info_r, int block_w) {
    pid_t init = read_child_pid(info_r);
    if (init < 0) {
        close(block_w);
        return -1; /* bwrap failed before starting the box; its stderr says why */
    }
    char text[32];
    int n = snprintf(text, sizeof text, "%d\n", init);
    for (int i = 0; i < o->n_cgroups; i++) {
        int fd = open(o->cgroup_procs[i], O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write_all(fd, text, (size_t) n) < 0) die("join cgroup %s", o->cgroup_procs[i]);
        close(fd);
    }
    if (write_all(block_w, "go", 2) < 0) die("release the box");
    close(block_w);
    return init;
}

/* Kills every process of the box but our direct child. With bwrap, the child is bwrap's monitor:
 * killing the box init (a member of the cgroup) makes the kernel kill the whole pid namespace,
 * and the monitor reaps the init, so nothing is left as a zombie of the host's init. Without a
 * cgroup, the child's process group is all we can reach. */
static void kill_box(const struct run_opts *o, pid_t child_pid) {
    if (o->kill_fd < 0) {
        kill(-child_pid, SIGKILL);
        return;
    }
    char buf[65536];
    ssize_t n = pread(o->kill_fd, buf, sizeof buf - 1, 0);
    buf[n > 0 ? n : 0] = 0;
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
        pid_t p = (pid_t) strtol(line, NULL, 10);
        if (p > 0 && p != child_pid) {
            kill(p, SIGKILL);
        }
    }
    /* Under process isolation the child is the box init itself and goes too. */
    if (!o->late_join) kill(child_pid, SIGKILL);
}

static void frame(char tag, const char *data, size_t len) {
    unsigned char head[5] = {(unsigned char) tag, (unsigned char) (len >> 24),
                             (unsigned char) (len >> 16), (unsigned char) (len >> 8),
                             (unsigned char) len};
    if (write_all(frames_fd, head, 5) < 0 || write_all(frames_fd, data, len) < 0) {
        /* Our reader is gone: nobody wants the result. */
        exit(2);
    }
}

struct stream {
    int fd;
    char tag;
    long long seen;
    int exceeded;
};

/* Forwards what is readable; returns 0 at EOF. Stops forwarding at the cap. */
static int pump(struct stream *s, long long limit) {
    char buf[65536];
    ssize_t n = read(s->fd, buf, sizeof buf);
    if (n < 0) return errno == EINTR || errno == EAGAIN ? 1 : 0;
    if (n == 0) return 0;
    long long room = limit - s->seen;
    if (room > 0) frame(s->tag, buf, (size_t) (n < room ? n : room));
    s->seen += n;
    if (s->seen > limit) s->exceeded = 1;
    return 1;
}

/* The run's stdin: what the executor sends after the request, fed to the program's pipe as fast
 * as it reads. The program never holds the connection itself (it could forge frames on it). */
struct feeder {
    int fd;          /* the pipe's write end (non-blocking), -1 once closed */
    uint64_t left;   /* bytes still to come on the connection */
    size_t len, off; /* buffered bytes, and how many of them are written */
    char buf[65536];
};

/* The fd and event the feeder waits for, or -1 when it has nothing to do. */
static int feeder_wants(const struct feeder *f, short *events) {
    if (f->fd < 0) return -1;
    if (f->off < f->len) { *events = POLLOUT; return f->fd; }
    *events = POLLIN;
    return frames_fd;
}

static void feed(struct feeder *f) {
    if (f->off < f->len) {
        ssize_t n = write(f->fd, f->buf + f->off, f->len - f->off);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
        if (n < 0) { close(f->fd); f->fd = -1; return; } /* the program closed its stdin: its right */
        f->off += (size_t) n;
    } else {
        ssize_t n = read(frames_fd, f->buf, f->left < sizeof f->buf ? (size_t) f->left : sizeof f->buf);
        if (n < 0 && errno == EINTR) return;
        if (n <= 0) { close(f->fd); f->fd = -1; return; } /* the executor stopped sending */
        f->left -= (uint64_t) n;
        f->len = (size_t) n;
        f->off = 0;
    }
    if (f->off == f->len && f->left == 0) { close(f->fd); f->fd = -1; }
}

/* stdin_len: bytes of stdin that follow the request on the connection (serve), or -1: the
 * program's stdin is ours (a relay started for one run). */
static int cmd_run(int argc, char **argv, int64_t stdin_len) {
    struct run_opts o = {.uid = -1, .gid = -1, .seccomp_fd = -1, .status_fd = -1, .info_fd = -1, .block_fd = -1,
                         .cpu_limit_ms = 0, .wall_limit_ms = 0, .output_limit = LLONG_MAX};
    int i = 0;
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        const char *k = argv[i];
        if (!strcmp(k, "--init-here")) { o.init_here = 1; continue; }
        if (!strcmp(k, "--cut-stderr")) { o.cut_stderr = 1; continue; }
        if (i + 1 >= argc) { errno = 0; die("missing value for %s", k); }
        const char *v = argv[++i];
        if (!strcmp(k, "--cgroup-procs")) {
            if (o.n_cgroups == MAX_CGROUPS) { errno = 0; die("too many cgroups"); }
            o.cgroup_procs[o.n_cgroups++] = v;
        } else if (!strcmp(k, "--cgroup-dir")) {
            if (o.n_cgroup_dirs == MAX_CGROUPS) { errno = 0; die("too many cgroups"); }
            o.cgroup_dirs[o.n_cgroup_dirs++] = v;
        } else if (!strcmp(k, "--cgroup-set") || !strcmp(k, "--cgroup-set-if-present")) {
            if (o.n_cgroup_set == MAX_CGROUP_SETTINGS) { errno = 0; die("too many cgroup settings"); }
            o.cgroup_set_optional[o.n_cgroup_set] = !strcmp(k, "--cgroup-set-if-present");
            o.cgroup_set[o.n_cgroup_set++] = v;
        } else if (!strcmp(k, "--memory-peak")) o.memory_peak_file = v;
        else if (!strcmp(k, "--oom-events")) o.oom_events_file = v;
        else if (!strcmp(k, "--cpu-usage")) o.cpu_usage_file = v;
        else if (!strcmp(k, "--cpu-usage-format")) o.cpu_usage_is_stat = !strcmp(v, "cpu.stat");
        else if (!strcmp(k, "--cpu-limit-ms")) o.cpu_limit_ms = parse_num(v, k);
        else if (!strcmp(k, "--wall-limit-ms")) o.wall_limit_ms = parse_num(v, k);
        else if (!strcmp(k, "--output-limit")) o.output_limit = parse_num(v, k);
        else if (!strcmp(k, "--uid")) o.uid = parse_num(v, k);
        else if (!strcmp(k, "--gid")) o.gid = parse_num(v, k);
        else if (!strcmp(k, "--seccomp")) o.seccomp_file = v;
        else if (!strcmp(k, "--seccomp-fd")) o.seccomp_fd = (int) parse_num(v, k);
        else if (!strcmp(k, "--status-fd")) o.status_fd = (int) parse_num(v, k);
        else if (!strcmp(k, "--chdir")) o.chdir = v;
        else if (!strcmp(k, "--info-fd")) o.info_fd = (int) parse_num(v, k);
        else if (!strcmp(k, "--block-fd")) o.block_fd = (int) parse_num(v, k);
        else if (!strcmp(k, "--enter")) o.enter = v;
        else if (!strcmp(k, "--work")) o.work = v;
        else if (!strcmp(k, "--tmp-bytes")) o.tmp_bytes = parse_num(v, k);
        else if (!strcmp(k, "--tmp-inodes")) o.tmp_inodes = parse_num(v, k);
        else if (!strcmp(k, "--shm-bytes")) o.shm_bytes = parse_num(v, k);
        else if (!strcmp(k, "--env")) {
            if (o.n_env == MAX_ENV) { errno = 0; die("too many --env"); }
            o.env[o.n_env++] = (char *) v;
        } else { errno = 0; die("unknown option %s", k); }
    }
    if (i + 1 >= argc) { errno = 0; die("no command after --"); }
    char **command = argv + i + 1;

    if (o.enter && (!o.work || o.uid < 0 || !o.tmp_bytes || !o.tmp_inodes || !o.shm_bytes)) {
        errno = 0;
        die("--enter needs --work, --uid, --gid, --tmp-bytes, --tmp-inodes and --shm-bytes");
    }
    o.late_join = o.info_fd >= 0 && o.block_fd >= 0;
    int in[2] = {0, -1}, out[2], err[2], status[2], info[2] = {-1, -1}, block[2] = {-1, -1};
    if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC) || pipe2(status, O_CLOEXEC)) die("pipe");
    if (stdin_len >= 0 && (pipe2(in, O_CLOEXEC) || fcntl(in[1], F_SETFL, O_NONBLOCK) < 0)) die("stdin pipe");
    int handshake = o.info_fd >= 0 && o.block_fd >= 0;
    if (handshake && (pipe2(info, O_CLOEXEC) || pipe2(block, O_CLOEXEC))) die("pipe");
    signal(SIGPIPE, SIG_IGN);
    /* With --enter the child joins the cgroups itself, after entering the box (box_init). */
    if (o.seccomp_file && o.seccomp_fd < 0) read_filter(o.seccomp_file);
    make_cgroups(&o);
    int peak_fd = o.memory_peak_file ? open(o.memory_peak_file, O_RDONLY | O_CLOEXEC) : -1;
    int oom_fd = o.oom_events_file ? open(o.oom_events_file, O_RDONLY | O_CLOEXEC) : -1;
    o.cpu_fd = o.cpu_usage_file ? open(o.cpu_usage_file, O_RDONLY | O_CLOEXEC) : -1;
    o.kill_fd = o.n_cgroups ? open(o.cgroup_procs[o.n_cgroups - 1], O_RDONLY | O_CLOEXEC) : -1;
    struct box_fds box = {.user = -1, .work = -1};
    if (o.enter) enter_box(&o, &box);
    int64_t started = now_ns();
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
        struct fd_move moves[8] = {{out[1], 1}, {err[1], 2}, {status[1], o.status_fd}, {in[0], 0}};
        int n_moves = 4;
        if (handshake) {
            moves[n_moves++] = (struct fd_move){info[1], o.info_fd};
            moves[n_moves++] = (struct fd_move){block[0], o.block_fd};
        }
        child(&o, argc - i - 1, command, moves, n_moves, &box);
    }
    static struct feeder stdin_feed = {.fd = -1};
    if (stdin_len > 0) {
        stdin_feed.fd = in[1];
        stdin_feed.left = (uint64_t) stdin_len;
    } else if (stdin_len == 0) {
        close(in[1]);
    }
    if (stdin_len >= 0) close(in[0]);
    close(out[1]);
    close(err[1]);
    close(status[1]);
    if (handshake) {
        close(info[1]);
        close(block[0]);
        join_late(&o, info[0], block[1]);
    }
    int pidfd = (int) syscall(SYS_pidfd_open, pid, 0);
    if (pidfd < 0) die("pidfd_open");

    struct stream streams[2] = {{out[0], 'o', 0, 0}, {err[0], 'e', 0, 0}};
    char report[256] = "";
    size_t report_len = 0;
    int open_streams = 2, status_open = 1, exited = 0, wstatus = 0;
    const char *timeout = NULL;
    int64_t cpu_ns = -1, exited_at = 0;
    int killed = 0;

    while (!exited || open_streams > 0 || status_open) {
        struct pollfd p[5];
        int np = 0;
        for (int s = 0; s < 2; s++) if (streams[s].fd >= 0) p[np++] = (struct pollfd){streams[s].fd, POLLIN, 0};
        if (status_open) p[np++] = (struct pollfd){status[0], POLLIN, 0};
        if (!exited) p[np++] = (struct pollfd){pidfd, POLLIN, 0};
        short feed_events = 0;
        int feed_fd = exited ? -1 : feeder_wants(&stdin_feed, &feed_events);
        if (feed_fd >= 0) p[np++] = (struct pollfd){feed_fd, feed_events, 0};
        int wait_ms = POLL_INTERVAL_MS;
        if (exited) {
            /* The box is dead, but a process that escaped the pid namespace (only possible
             * without one) may hold a pipe: give the pipes a moment, not forever. */
            int64_t left = 200 - (now_ns() - exited_at) / 1000000;
            if (left <= 0) break;
            wait_ms = (int) left;
        }
        if (poll(p, (nfds_t) np, wait_ms) < 0 && errno != EINTR) die("poll");
        for (int k = 0; k < np; k++) {
            if (!p[k].revents) continue;
            if (p[k].fd == feed_fd) {
                feed(&stdin_feed);
            } else if (p[k].fd == pidfd) {
                if (waitpid(pid, &wstatus, 0) == pid) {
                    exited = 1;
                    exited_at = now_ns();
                }
            } else if (p[k].fd == status[0]) {
                ssize_t n = read(status[0], report + report_len, sizeof report - 1 - report_len);
                if (n > 0) report_len += (size_t) n;
                else status_open = 0;
            } else {
                for (int s = 0; s < 2; s++) {
                    if (streams[s].fd != p[k].fd) continue;
                    if (!pump(&streams[s], o.output_limit)) {
                        close(streams[s].fd);
                        streams[s].fd = -1;
                        open_streams--;
                    }
                }
            }
        }
        if (exited) continue;
        int64_t elapsed_ms = (now_ns() - started) / 1000000;
        int64_t c = read_cpu_ns(&o);
        if (c >= 0) cpu_ns = c;
        if (!killed) {
            if (o.cpu_limit_ms && cpu_ns >= o.cpu_limit_ms * 1000000LL) timeout = "cpu";
            else if (o.wall_limit_ms && elapsed_ms >= o.wall_limit_ms) timeout = "wall";
            killed = timeout || streams[0].exceeded || (streams[1].exceeded && !o.cut_stderr);
        }
        /* Repeated each round until the child is gone: a fork bomb may race the first kill. */
        if (killed) kill_box(&o, pid);
    }
    for (int s = 0; s < 2; s++) if (streams[s].fd >= 0) close(streams[s].fd);
    int64_t c = read_cpu_ns(&o);
    if (c >= 0) cpu_ns = c;

    char st[768];
    report[report_len] = 0;
    int n = snprintf(st, sizeof st, "%scommand_status=%d\nrelay_wall_ns=%" PRId64 "\ncpu_ns=%" PRId64
                     "\nmemory_peak=%lld\noom_kill=%lld\n%s%s%s%s%s",
                     report, wstatus, (exited_at ? exited_at : now_ns()) - started, cpu_ns,
                     read_counter(peak_fd, NULL), read_counter(oom_fd, "oom_kill"),
                     timeout ? "timeout=" : "", timeout ? timeout : "", timeout ? "\n" : "",
                     streams[0].exceeded ? "exceeded=stdout\n"
                     : streams[1].exceeded && !o.cut_stderr ? "exceeded=stderr\n" : "",
                     killed ? "killed=1\n" : "");
    frame('s', st, (size_t) n);
    return 0;
}

/* ---------------------------------------------------------------- init (inside the box) */

static const struct { const char *name; int resource; } RLIMITS[] = {
    {"as", RLIMIT_AS}, {"core", RLIMIT_CORE}, {"cpu", RLIMIT_CPU}, {"fsize", RLIMIT_FSIZE},
    {"memlock", RLIMIT_MEMLOCK}, {"nofile", RLIMIT_NOFILE}, {"nproc", RLIMIT_NPROC},
    {"stack", RLIMIT_STACK}, {"msgqueue", RLIMIT_MSGQUEUE},
};

static void set_rlimit(const char *spec) {
    const char *eq = strchr(spec, '=');
    if (!eq) { errno = 0; die("bad --rlimit %s", spec); }
    for (size_t i = 0; i < sizeof RLIMITS / sizeof *RLIMITS; i++) {
        if (strncmp(spec, RLIMITS[i].name, (size_t) (eq - spec)) || RLIMITS[i].name[eq - spec]) continue;
        rlim_t v = (rlim_t) parse_num(eq + 1, spec);
        struct rlimit rl = {v, v};
        if (setrlimit(RLIMITS[i].resource, &rl) < 0) die("setrlimit %s", spec);
        return;
    }
    errno = 0;
    die("unknown rlimit %s", spec);
}

static int cmd_init(int argc, char **argv) {
    int status_fd = -1, i = 0;
    const char *limits[16];
    int n_limits = 0;
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (i + 1 >= argc) { errno = 0; die("missing value for %s", argv[i]); }
        if (!strcmp(argv[i], "--status-fd")) status_fd = (int) parse_num(argv[++i], "--status-fd");
        else if (!strcmp(argv[i], "--rlimit") && n_limits < 16) limits[n_limits++] = argv[++i];
        else { errno = 0; die("unknown option %s", argv[i]); }
    }
    if (i + 1 >= argc || status_fd < 0) { errno = 0; die("usage: init --status-fd N -- PROGRAM..."); }
    char **program = argv + i + 1;
    /* Not dumpable: the program (same uid) cannot open /proc/1/fd or ptrace us. */
    if (prctl(PR_SET_DUMPABLE, 0) < 0) die("dumpable");
    if (fcntl(status_fd, F_SETFD, FD_CLOEXEC) < 0) die("status fd");

    int64_t started = now_ns();
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
        for (int k = 0; k < n_limits; k++) set_rlimit(limits[k]);
        signal(SIGPIPE, SIG_DFL);
        execvp(program[0], program);
        fprintf(stderr, "cannot execute %s: %s\n", program[0], strerror(errno));
        _exit(127);
    }
    int wstatus = 0;
    for (;;) {
        pid_t r = waitpid(-1, &wstatus, __WALL);
        if (r == pid) break;
        if (r < 0 && errno != EINTR) die("waitpid");
    }
    int64_t wall = now_ns() - started;
    char msg[128];
    int n = WIFSIGNALED(wstatus)
        ? snprintf(msg, sizeof msg, "signal=%d\nwall_ns=%" PRId64 "\n", WTERMSIG(wstatus), wall)
        : snprintf(msg, sizeof msg, "exit=%d\nwall_ns=%" PRId64 "\n", WEXITSTATUS(wstatus), wall);
    write_all(status_fd, msg, (size_t) n);
    return 0;
}

/* ---------------------------------------------------------------- box (host side, pooled boxes) */

static void pin_namespace(const char *source, const char *dir, const char *name) {
    char target[PATH_MAX];
    snprintf(target, sizeof target, "%s/%s", dir, name);
    umount2(target, MNT_DETACH);
    int fd = open(target, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) die("create %s", target);
    close(fd);
    if (mount(source, target, NULL, MS_BIND, NULL) < 0) die("pin %s at %s", source, target);
}

/* In the box's user namespace, user namespaces may not be created at all (the seccomp filter
 * also denies it): the limit is kept by the user namespace itself, so it holds for every run. */
static void forbid_user_namespaces(const char *dir) {
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
        int user = open_pin(dir, "user");
        if (setns(user, CLONE_NEWUSER) < 0) die("enter the box's user namespace");
        int fd = open("/proc/sys/user/max_user_namespaces", O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write_all(fd, "0\n", 2) < 0) die("set max_user_namespaces");
        _exit(0);
    }
    int st;
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        errno = 0;
        die("cannot forbid user namespaces in the box");
    }
}

/*
 * ce-sandbox box --uid U --gid G --pins DIR -- BWRAP...
 * Builds a pooled box once: runs BWRAP (which must pass --info-fd 5 and start `init hold`) as the
 * slot's uid, pins the namespaces of the box at DIR/user, DIR/owner (the user namespace owning
 * the mounts), DIR/mnt and DIR/uts (bind mounts of their nsfs files), then lets the holder exit.
 * Nothing of the box keeps running: `run --enter DIR` enters the pinned namespaces for each run
 * (with a network namespace of the run's own), and unmounting the pins frees the box.
 */
static int cmd_box(int argc, char **argv) {
    long long uid = -1, gid = -1;
    const char *pins = NULL;
    int i = 0;
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (i + 1 >= argc) { errno = 0; die("missing value for %s", argv[i]); }
        const char *k = argv[i], *v = argv[++i];
        if (!strcmp(k, "--uid")) uid = parse_num(v, k);
        else if (!strcmp(k, "--gid")) gid = parse_num(v, k);
        else if (!strcmp(k, "--pins")) pins = v;
        else { errno = 0; die("unknown option %s", k); }
    }
    if (i + 1 >= argc || uid < 0 || gid < 0 || !pins) { errno = 0; die("usage: box --uid U --gid G --pins DIR -- BWRAP..."); }
    char **command = argv + i + 1;
    int info[2], hold[2], ready[2];
    if (pipe2(info, O_CLOEXEC) || pipe2(hold, O_CLOEXEC) || pipe2(ready, O_CLOEXEC)) die("pipe");
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (setsid() < 0) die("setsid");
        if (dup2(hold[0], 0) < 0 || dup2(ready[1], 1) < 0 || dup2(info[1], 5) < 0) die("dup2");
        if (syscall(SYS_close_range, 6, ~0U, 0) < 0 || close(3) < 0 || close(4) < 0) die("close");
        struct run_opts o = {.uid = uid, .gid = gid};
        drop_privileges(&o);
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) die("prctl");
        char *env[] = {NULL};
        execve(command[0], command, env);
        die("execve %s", command[0]);
    }
    close(info[1]);
    close(hold[0]);
    close(ready[1]);
    pid_t holder = read_child_pid(info[0]);
    int pidfd = holder > 0 ? (int) syscall(SYS_pidfd_open, holder, 0) : -1;
    char c;
    /* The holder says it runs only when bwrap has finished building the box. */
    if (pidfd < 0 || read(ready[0], &c, 1) != 1) { errno = 0; die("bwrap did not start the box (its stderr says why)"); }
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/ns/mnt", holder);
    int mnt = open(path, O_RDONLY | O_CLOEXEC);
    /* bwrap runs the box in a user namespace nested in the one that owns the mounts, so that even
     * a capability there could not change them; runs do the same (enter_box). */
    int owner = mnt < 0 ? -1 : ioctl(mnt, NS_GET_USERNS);
    if (owner < 0) die("find the owner of the box's mounts");
    pin_namespace(path, pins, "mnt");
    snprintf(path, sizeof path, "/proc/self/fd/%d", owner);
    pin_namespace(path, pins, "owner");
    snprintf(path, sizeof path, "/proc/%d/ns/user", holder);
    pin_namespace(path, pins, "user");
    snprintf(path, sizeof path, "/proc/%d/ns/uts", holder);
    pin_namespace(path, pins, "uts");
    /* Still alive, so the pins are its namespaces and not those of a process that reused its pid. */
    if (syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) < 0) die("the box holder died while it was pinned");
    forbid_user_namespaces(pins);
    close(hold[1]);
    int st;
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        errno = 0;
        die("bwrap ended with status %d", st);
    }
    return 0;
}

/* service: everything the process and its descendants will be is decided here, before bwrap
 * runs; exec keeps the pid, so the caller's process is the service and killing it kills bwrap. */
static int cmd_service(int argc, char **argv) {
    struct run_opts o = {.uid = -1, .gid = -1, .seccomp_fd = -1};
    int i = 0;
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (i + 1 >= argc) { errno = 0; die("missing value for %s", argv[i]); }
        const char *k = argv[i], *v = argv[++i];
        if (!strcmp(k, "--cgroup-procs")) {
            if (o.n_cgroups == MAX_CGROUPS) { errno = 0; die("too many cgroups"); }
            o.cgroup_procs[o.n_cgroups++] = v;
        } else if (!strcmp(k, "--uid")) o.uid = parse_num(v, k);
        else if (!strcmp(k, "--gid")) o.gid = parse_num(v, k);
        else if (!strcmp(k, "--seccomp")) o.seccomp_file = v;
        else if (!strcmp(k, "--seccomp-fd")) o.seccomp_fd = (int) parse_num(v, k);
        else { errno = 0; die("unknown option %s", k); }
    }
    if (i + 1 >= argc || o.uid < 0 || o.gid < 0 || !o.seccomp_file || o.seccomp_fd < 3) {
        errno = 0;
        die("usage: service [--cgroup-procs FILE]... --uid U --gid G --seccomp PATH --seccomp-fd N -- BWRAP...");
    }
    char **command = argv + i + 1;
    if (setsid() < 0) die("setsid");
    join_cgroups(&o);
    int fd = open(o.seccomp_file, O_RDONLY | O_CLOEXEC);
    if (fd < 0) die("open %s", o.seccomp_file);
    /* dup2 clears close-on-exec on the copy; a file opened right at the target keeps it. */
    if (fd == o.seccomp_fd ? fcntl(fd, F_SETFD, 0) < 0 : dup2(fd, o.seccomp_fd) < 0) die("fd %d", o.seccomp_fd);
    if (syscall(SYS_close_range, o.seccomp_fd + 1, ~0U, 0) < 0) die("close_range");
    for (int other = 3; other < o.seccomp_fd; other++) close(other);
    drop_privileges(&o);
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) die("prctl");
    char *env[] = {NULL};
    execve(command[0], command, env);
    die("execve %s", command[0]);
    return 2;
}

/* init hold: the pooled box's first process; lives until `box` has pinned the namespaces. */
static int cmd_hold(void) {
    prctl(PR_SET_DUMPABLE, 0);
    char c = 'r';
    if (write_all(1, &c, 1) < 0) return 1;
    close(1);
    for (;;) {
        ssize_t n = read(0, &c, 1);
        if (n == 0 || (n < 0 && errno != EINTR)) return 0;
    }
}

/* ---------------------------------------------------------------- serve (host side, one per slot) */

#define MAX_REQUEST (1 << 20)

static int read_full(int fd, void *buf, size_t len) {
    char *p = buf;
    while (len > 0) {
        ssize_t n = read(fd, p, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        p += n;
        len -= (size_t) n;
    }
    return 0;
}

static uint64_t big_endian(const unsigned char *b, int bytes) {
    uint64_t v = 0;
    for (int k = 0; k < bytes; k++) v = v << 8 | b[k];
    return v;
}

/*
 * One relay, forked in advance by serve: takes the next connection, says so on `taken`, reads the
 * request (four bytes big-endian length, the `run` arguments each ended by a NUL, eight bytes
 * big-endian stdin length; the stdin bytes follow) and is `run` with the connection for its frames.
 */
static void serve_one(int listener, int taken) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    /* Off the run's critical path: the namespace is built while the relay waits. */
    fresh_network();
    int conn = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
    if (conn < 0) die("accept");
    close(listener);
    if (write_all(taken, "t", 1) < 0) die("tell the server");
    close(taken);
    frames_fd = conn;
    relay_error = 1;
    /* Only the engine (our uid) talks to us; the socket's directory is closed to others anyway. */
    struct ucred peer;
    socklen_t peer_len = sizeof peer;
    if (getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &peer, &peer_len) < 0 || peer.uid != getuid()) {
        errno = 0;
        die("a connection from uid %d refused", (int) peer.uid);
    }
    unsigned char head[8];
    if (read_full(conn, head, 4) < 0) _exit(0); /* connected and left: nothing to do */
    size_t len = (size_t) big_endian(head, 4);
    if (len == 0 || len > MAX_REQUEST) { errno = 0; die("bad request length %zu", len); }
    char *request = malloc(len + 1);
    if (!request || read_full(conn, request, len) < 0 || read_full(conn, head, 8) < 0) die("read the request");
    request[len] = 0;
    int argc = 0;
    for (size_t k = 0; k < len; k++) argc += request[k] == 0;
    char **argv = calloc((size_t) argc + 1, sizeof *argv);
    if (!argv || request[len - 1] != 0) { errno = 0; die("bad request"); }
    char *arg = request;
    for (int k = 0; k < argc; k++, arg += strlen(arg) + 1) argv[k] = arg;
    uint64_t stdin_len = big_endian(head, 8);
    if (stdin_len > INT64_MAX) { errno = 0; die("bad stdin length"); }
    exit(cmd_run(argc, argv, (int64_t) stdin_len));
}

/*
 * ce-sandbox serve SOCKET
 * A slot's resident relay server, started once by the executor: listens on SOCKET (a path in a
 * root-only directory) and always keeps one relay forked in advance (serve_one), so a run costs a
 * connection instead of starting a process from the JVM. Relays are reaped by the kernel (SIGCHLD
 * ignored). Writes "r" on stdout when it listens; exits when stdin closes (the executor is gone).
 */
static int cmd_serve(const char *path) {
    signal(SIGPIPE, SIG_IGN);
    int listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof addr.sun_path) { errno = 0; die("socket path too long: %s", path); }
    strcpy(addr.sun_path, path);
    unlink(path);
    if (listener < 0 || bind(listener, (struct sockaddr *) &addr, sizeof addr) < 0 || chmod(path, 0600) < 0
        || listen(listener, 8) < 0) die("listen on %s", path);
    signal(SIGCHLD, SIG_IGN);
    if (write_all(1, "r", 1) < 0) die("ready");
    for (;;) {
        int taken[2];
        if (pipe2(taken, O_CLOEXEC) < 0) die("pipe");
        int64_t forked = now_ns();
        pid_t pid = fork();
        if (pid < 0) die("fork");
        if (pid == 0) {
            /* Ignoring SIGCHLD is inherited, and would reap the relay's own child before it waits. */
            signal(SIGCHLD, SIG_DFL);
            close(taken[0]);
            serve_one(listener, taken[1]);
        }
        close(taken[1]);
        struct pollfd p[2] = {{taken[0], POLLIN, 0}, {0, POLLIN, 0}};
        while (poll(p, 2, -1) < 0) if (errno != EINTR) die("poll");
        if (p[1].revents) {
            kill(pid, SIGKILL);
            return 0;
        }
        char c;
        /* A relay that died before taking a connection is a bug: do not spin on it. */
        if (read(taken[0], &c, 1) != 1 && now_ns() - forked < 100000000LL) usleep(100000);
        close(taken[0]);
    }
}

int main(int argc, char **argv) {
    arg_area = argv[0];
    arg_area_len = (size_t) (argv[argc - 1] + strlen(argv[argc - 1]) + 1 - argv[0]);
    if (argc >= 2 && !strcmp(argv[1], "run")) return cmd_run(argc - 2, argv + 2, -1);
    if (argc == 3 && !strcmp(argv[1], "serve")) return cmd_serve(argv[2]);
    if (argc == 3 && !strcmp(argv[1], "init") && !strcmp(argv[2], "hold")) return cmd_hold();
    if (argc >= 2 && !strcmp(argv[1], "init")) return cmd_init(argc - 2, argv + 2);
    if (argc >= 2 && !strcmp(argv[1], "box")) return cmd_box(argc - 2, argv + 2);
    if (argc == 4 && !strcmp(argv[1], "seccomp")) return cmd_seccomp(argv[2], argv[3]);
    if (argc >= 2 && !strcmp(argv[1], "service")) return cmd_service(argc - 2, argv + 2);
    fputs("usage: ce-sandbox run [options] -- COMMAND... | serve SOCKET | init --status-fd N -- PROGRAM... | init hold"
          " | box [options] -- BWRAP... | seccomp POLICY PATH | service [options] -- BWRAP...\n", stderr);
    return 2;
}
