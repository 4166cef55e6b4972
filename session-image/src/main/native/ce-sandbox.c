/*
 * ce-sandbox: the native part of Coding Engine's sandbox. One tool, two jobs.
 *
 *   ce-sandbox run [options] -- COMMAND...
 *       Host side, started by the executor as root. Forks COMMAND (normally bwrap) in the given
 *       cgroups, as an unprivileged uid, with a seccomp filter; relays its stdout and stderr to
 *       our stdout as frames, with a cap per stream; enforces the CPU-time limit (read from the
 *       cgroup) and the wall-time limit; then writes a final status frame. The untrusted program
 *       never touches our stdout, so it cannot forge a frame or a status.
 *
 *   ce-sandbox init --status-fd N [--rlimit NAME=VALUE]... -- PROGRAM...
 *       Inside the sandbox, as its pid 1. Sets the rlimits, forks PROGRAM, waits for it and
 *       reports how it ended (exit code or signal, and its wall time) on fd N, which the
 *       program cannot reach: it is close-on-exec and this process is not dumpable, so
 *       /proc/1/fd is closed to the program. When init exits, the kernel kills everything
 *       left in the pid namespace: daemons do not outlive the run.
 *
 *   ce-sandbox netns PATH
 *       Creates an empty network namespace with only loopback, up, and pins it at PATH (a bind
 *       mount of its nsfs file). Building a network namespace per run costs milliseconds; a slot
 *       runs one program at a time and nothing of a run survives it, so each slot keeps one.
 *
 * Frames written by `run` on stdout: one byte tag, four bytes big-endian length, payload.
 *   'o' stdout bytes   'e' stderr bytes   's' status, "key=value\n" lines, always last.
 *
 * Exit codes of `run`: 0 when a status frame was written, 2 on an internal error (message on
 * stderr).
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
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <grp.h>
#include <net/if.h>
#include <sys/mount.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define MAX_CGROUPS 8
#define MAX_ENV 64
#define POLL_INTERVAL_MS 10

static void die(const char *fmt, ...) {
    va_list ap;
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

/* ---------------------------------------------------------------- run (host side) */

struct run_opts {
    const char *cgroup_procs[MAX_CGROUPS];
    int n_cgroups;
    const char *cpu_usage_file;
    int cpu_usage_is_stat; /* cgroup v2 cpu.stat (usage_usec) instead of v1 cpuacct.usage (ns) */
    long long cpu_limit_ms;
    long long wall_limit_ms;
    long long output_limit;
    long long uid, gid;
    const char *seccomp_policy; /* NULL: none */
    int seccomp_fd;             /* >= 0: export the filter there for bwrap; else load it here */
    int status_fd;
    const char *chdir;
    const char *netns; /* a prepared network namespace to enter instead of building one */
    int info_fd, block_fd; /* bwrap's --info-fd/--block-fd: join the cgroups late (join_late) */
    int late_join;         /* the child is bwrap's monitor: never kill it, it reaps the box init */
    char *env[MAX_ENV + 1];
    int n_env;
};

static int64_t read_cpu_ns(const struct run_opts *o) {
    if (!o->cpu_usage_file) return -1;
    int fd = open(o->cpu_usage_file, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    char buf[512];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return -1;
    buf[n] = 0;
    if (!o->cpu_usage_is_stat) return strtoll(buf, NULL, 10);
    char *p = strstr(buf, "usage_usec ");
    return p ? strtoll(p + 11, NULL, 10) * 1000 : -1;
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

struct fd_move {
    int fd;     /* ours, close-on-exec */
    int target; /* where the command expects it, or -1 to drop it */
};

static void child(struct run_opts *o, char **argv, struct fd_move *moves, int n_moves) {
    /* The relay dies only by a bug or a kill; its sandbox must not outlive it. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    /* Its own session: no controlling terminal, and one process group to kill. */
    if (setsid() < 0) die("setsid");
    if (!o->late_join) join_cgroups(o);
    scmp_filter_ctx filter = o->seccomp_policy ? build_filter(o->seccomp_policy) : NULL;
    if (filter && o->seccomp_fd >= 0) {
        int fd = memfd_create("ce-seccomp", MFD_CLOEXEC);
        if (fd < 0 || seccomp_export_bpf(filter, fd) < 0) die("export seccomp");
        if (lseek(fd, 0, SEEK_SET) < 0) die("lseek");
        moves[n_moves++] = (struct fd_move){fd, o->seccomp_fd};
    }
    /* Lift every fd we keep above the targets first, so no dup2 clobbers another. */
    int keep = 2;
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
    for (int fd = 3; fd <= keep; fd++) {
        int wanted = 0;
        for (int k = 0; k < n_moves; k++) wanted |= moves[k].target == fd;
        if (!wanted) close(fd);
    }
    if (o->chdir && chdir(o->chdir) < 0) die("chdir %s", o->chdir);
    if (o->netns) {
        int ns = open(o->netns, O_RDONLY | O_CLOEXEC);
        if (ns < 0 || setns(ns, CLONE_NEWNET) < 0) die("enter network namespace %s", o->netns);
        close(ns);
    }
    drop_privileges(o);
    /* The kernel clears the parent-death signal when the uid changes: set it again. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0) die("pdeathsig");
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) die("no_new_privs");
    if (filter && o->seccomp_fd < 0 && seccomp_load(filter) < 0) die("seccomp_load");
    o->env[o->n_env] = NULL;
    execve(argv[0], argv, o->env);
    die("execve %s", argv[0]);
}

/* bwrap handshake: bwrap reports the box init's host pid on the info pipe and waits on the
 * block pipe before running it. The init joins the cgroups then; bwrap itself and the kernel
 * work of building the namespaces stay out of the run's accounting (and out of its memory
 * cgroup, where namespace set-up and teardown cost milliseconds). */
static pid_t join_late(const struct run_opts *o, int info_r, int block_w) {
    char buf[1024];
    size_t len = 0;
    char *at = NULL;
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
    at = strstr(buf, "\"child-pid\"");
    if (!at) {
        close(block_w);
        return -1; /* bwrap failed before starting the box; its stderr says why */
    }
    pid_t init = (pid_t) strtol(strchr(at, ':') + 1, NULL, 10);
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
    int fd = o->n_cgroups ? open(o->cgroup_procs[o->n_cgroups - 1], O_RDONLY | O_CLOEXEC) : -1;
    if (fd < 0) {
        kill(-child_pid, SIGKILL);
        return;
    }
    char buf[65536];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
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
    if (write_all(1, head, 5) < 0 || write_all(1, data, len) < 0) {
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

static int cmd_run(int argc, char **argv) {
    struct run_opts o = {.uid = -1, .gid = -1, .seccomp_fd = -1, .status_fd = -1, .info_fd = -1, .block_fd = -1,
                         .cpu_limit_ms = 0, .wall_limit_ms = 0, .output_limit = LLONG_MAX};
    int i = 0;
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        const char *k = argv[i];
        if (i + 1 >= argc) { errno = 0; die("missing value for %s", k); }
        const char *v = argv[++i];
        if (!strcmp(k, "--cgroup-procs")) {
            if (o.n_cgroups == MAX_CGROUPS) { errno = 0; die("too many cgroups"); }
            o.cgroup_procs[o.n_cgroups++] = v;
        } else if (!strcmp(k, "--cpu-usage")) o.cpu_usage_file = v;
        else if (!strcmp(k, "--cpu-usage-format")) o.cpu_usage_is_stat = !strcmp(v, "cpu.stat");
        else if (!strcmp(k, "--cpu-limit-ms")) o.cpu_limit_ms = parse_num(v, k);
        else if (!strcmp(k, "--wall-limit-ms")) o.wall_limit_ms = parse_num(v, k);
        else if (!strcmp(k, "--output-limit")) o.output_limit = parse_num(v, k);
        else if (!strcmp(k, "--uid")) o.uid = parse_num(v, k);
        else if (!strcmp(k, "--gid")) o.gid = parse_num(v, k);
        else if (!strcmp(k, "--seccomp")) o.seccomp_policy = strcmp(v, "none") ? v : NULL;
        else if (!strcmp(k, "--seccomp-fd")) o.seccomp_fd = (int) parse_num(v, k);
        else if (!strcmp(k, "--status-fd")) o.status_fd = (int) parse_num(v, k);
        else if (!strcmp(k, "--chdir")) o.chdir = v;
        else if (!strcmp(k, "--netns")) o.netns = v;
        else if (!strcmp(k, "--info-fd")) o.info_fd = (int) parse_num(v, k);
        else if (!strcmp(k, "--block-fd")) o.block_fd = (int) parse_num(v, k);
        else if (!strcmp(k, "--env")) {
            if (o.n_env == MAX_ENV) { errno = 0; die("too many --env"); }
            o.env[o.n_env++] = (char *) v;
        } else { errno = 0; die("unknown option %s", k); }
    }
    if (i + 1 >= argc) { errno = 0; die("no command after --"); }
    char **command = argv + i + 1;

    o.late_join = o.info_fd >= 0 && o.block_fd >= 0;
    int out[2], err[2], status[2], info[2] = {-1, -1}, block[2] = {-1, -1};
    if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC) || pipe2(status, O_CLOEXEC)) die("pipe");
    if (o.late_join && (pipe2(info, O_CLOEXEC) || pipe2(block, O_CLOEXEC))) die("pipe");
    signal(SIGPIPE, SIG_IGN);
    int64_t started = now_ns();
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
        struct fd_move moves[6] = {{out[1], 1}, {err[1], 2}, {status[1], o.status_fd}};
        int n_moves = 3;
        if (o.late_join) {
            moves[n_moves++] = (struct fd_move){info[1], o.info_fd};
            moves[n_moves++] = (struct fd_move){block[0], o.block_fd};
        }
        child(&o, command, moves, n_moves);
    }
    close(out[1]);
    close(err[1]);
    close(status[1]);
    if (o.late_join) {
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
        struct pollfd p[4];
        int np = 0;
        for (int s = 0; s < 2; s++) if (streams[s].fd >= 0) p[np++] = (struct pollfd){streams[s].fd, POLLIN, 0};
        if (status_open) p[np++] = (struct pollfd){status[0], POLLIN, 0};
        if (!exited) p[np++] = (struct pollfd){pidfd, POLLIN, 0};
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
            if (p[k].fd == pidfd) {
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
            killed = timeout || streams[0].exceeded || streams[1].exceeded;
        }
        /* Repeated each round until the child is gone: a fork bomb may race the first kill. */
        if (killed) kill_box(&o, pid);
    }
    for (int s = 0; s < 2; s++) if (streams[s].fd >= 0) close(streams[s].fd);
    int64_t c = read_cpu_ns(&o);
    if (c >= 0) cpu_ns = c;

    char st[512];
    report[report_len] = 0;
    int n = snprintf(st, sizeof st, "%scommand_status=%d\nrelay_wall_ns=%" PRId64 "\ncpu_ns=%" PRId64 "\n%s%s%s%s%s",
                     report, wstatus, (exited_at ? exited_at : now_ns()) - started, cpu_ns,
                     timeout ? "timeout=" : "", timeout ? timeout : "", timeout ? "\n" : "",
                     streams[0].exceeded ? "exceeded=stdout\n" : (streams[1].exceeded ? "exceeded=stderr\n" : ""),
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

static int cmd_netns(const char *path) {
    if (unshare(CLONE_NEWNET) < 0) die("unshare network namespace");
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct ifreq ifr = {0};
    strcpy(ifr.ifr_name, "lo");
    if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0) die("loopback flags");
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) die("loopback up");
    close(s);
    umount2(path, MNT_DETACH);
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) die("create %s", path);
    close(fd);
    if (mount("/proc/self/ns/net", path, NULL, MS_BIND, NULL) < 0) die("pin network namespace at %s", path);
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 2 && !strcmp(argv[1], "run")) return cmd_run(argc - 2, argv + 2);
    if (argc >= 2 && !strcmp(argv[1], "init")) return cmd_init(argc - 2, argv + 2);
    if (argc == 3 && !strcmp(argv[1], "netns")) return cmd_netns(argv[2]);
    fputs("usage: ce-sandbox run [options] -- COMMAND... | init --status-fd N -- PROGRAM... | netns PATH\n", stderr);
    return 2;
}
