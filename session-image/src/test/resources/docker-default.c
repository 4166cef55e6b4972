/*
 * docker-default [--no-landlock] -- COMMAND...
 *
 * Test aid for DockerDefaultsTest: runs COMMAND the way Docker runs a container's process by
 * default, as far as the session server can tell: in a mount namespace of its own where the
 * cgroup file system is read-only (Docker mounts /sys/fs/cgroup read-only), under Docker's default
 * seccomp profile without no_new_privs. The capabilities are dropped to Docker's default set by
 * setpriv, which COMMAND starts with (it needs this process's capabilities to install the filter
 * without no_new_privs, as Docker does).
 *
 * The profile is moby/moby's profiles/seccomp/default.json for x86_64 and a container with the
 * default capabilities: its allow list, the rules with argument conditions (socket but AF_VSOCK,
 * personality's five values, clone without namespace flags, clone3 answered ENOSYS), and the
 * capability-conditional rules of the default set (chroot, for CAP_SYS_CHROOT); everything else
 * is answered EPERM. So unshare, setns, mount and the new mount API fail, and so does every
 * clone that makes a namespace: no user namespace either. --no-landlock leaves Landlock's calls
 * out, as Docker's profile did before it listed them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

static const char *const ALLOWED[] = {
    "accept", "accept4", "access", "adjtimex", "alarm", "bind", "brk", "capget", "capset", "chdir", "chmod",
    "chown", "clock_adjtime", "clock_getres", "clock_gettime", "clock_nanosleep", "close", "close_range",
    "connect", "copy_file_range", "creat", "dup", "dup2", "dup3", "epoll_create", "epoll_create1", "epoll_ctl",
    "epoll_ctl_old", "epoll_pwait", "epoll_pwait2", "epoll_wait", "epoll_wait_old", "eventfd", "eventfd2",
    "execve", "execveat", "exit", "exit_group", "faccessat", "faccessat2", "fadvise64", "fallocate",
    "fanotify_mark", "fchdir", "fchmod", "fchmodat", "fchown", "fchownat", "fcntl", "fdatasync", "fgetxattr",
    "flistxattr", "flock", "fork", "fremovexattr", "fsetxattr", "fstat", "fstatfs", "fsync", "ftruncate",
    "futex", "futex_waitv", "futimesat", "getcpu", "getcwd", "getdents", "getdents64", "getegid", "geteuid",
    "getgid", "getgroups", "getitimer", "getpeername", "getpgid", "getpgrp", "getpid", "getppid",
    "getpriority", "getrandom", "getresgid", "getresuid", "getrlimit", "get_robust_list", "getrusage",
    "getsid", "getsockname", "getsockopt", "get_thread_area", "gettid", "gettimeofday", "getuid", "getxattr",
    "inotify_add_watch", "inotify_init", "inotify_init1", "inotify_rm_watch", "io_cancel", "ioctl",
    "io_destroy", "io_getevents", "io_pgetevents", "ioprio_get", "ioprio_set", "io_setup", "io_submit",
    "io_uring_enter", "io_uring_register", "io_uring_setup", "kill", "lchown", "lgetxattr", "link", "linkat",
    "listen", "listxattr", "llistxattr", "lremovexattr", "lseek", "lsetxattr", "lstat", "madvise",
    "membarrier", "memfd_create", "memfd_secret", "mincore", "mkdir", "mkdirat", "mknod", "mknodat", "mlock",
    "mlock2", "mlockall", "mmap", "mprotect", "mq_getsetattr", "mq_notify", "mq_open", "mq_timedreceive",
    "mq_timedsend", "mq_unlink", "mremap", "msgctl", "msgget", "msgrcv", "msgsnd", "msync", "munlock",
    "munlockall", "munmap", "name_to_handle_at", "nanosleep", "newfstatat", "open", "openat", "openat2",
    "pause", "pidfd_open", "pidfd_send_signal", "pipe", "pipe2", "pkey_alloc", "pkey_free", "pkey_mprotect",
    "poll", "ppoll", "prctl", "pread64", "preadv", "preadv2", "prlimit64", "process_mrelease", "pselect6",
    "pwrite64", "pwritev", "pwritev2", "read", "readahead", "readlink", "readlinkat", "readv", "recvfrom",
    "recvmmsg", "recvmsg", "remap_file_pages", "removexattr", "rename", "renameat", "renameat2",
    "restart_syscall", "rmdir", "rseq", "rt_sigaction", "rt_sigpending", "rt_sigprocmask", "rt_sigqueueinfo",
    "rt_sigreturn", "rt_sigsuspend", "rt_sigtimedwait", "rt_tgsigqueueinfo", "sched_getaffinity",
    "sched_getattr", "sched_getparam", "sched_get_priority_max", "sched_get_priority_min",
    "sched_getscheduler", "sched_rr_get_interval", "sched_setaffinity", "sched_setattr", "sched_setparam",
    "sched_setscheduler", "sched_yield", "seccomp", "select", "semctl", "semget", "semop", "semtimedop",
    "sendfile", "sendmmsg", "sendmsg", "sendto", "setfsgid", "setfsuid", "setgid", "setgroups", "setitimer",
    "setpgid", "setpriority", "setregid", "setresgid", "setresuid", "setreuid", "setrlimit", "set_robust_list",
    "setsid", "setsockopt", "set_thread_area", "set_tid_address", "setuid", "setxattr", "shmat", "shmctl",
    "shmdt", "shmget", "shutdown", "sigaltstack", "signalfd", "signalfd4", "socketpair", "splice", "stat",
    "statfs", "statx", "symlink", "symlinkat", "sync", "sync_file_range", "syncfs", "sysinfo", "tee", "tgkill",
    "time", "timer_create", "timer_delete", "timer_getoverrun", "timer_gettime", "timer_settime",
    "timerfd_create", "timerfd_gettime", "timerfd_settime", "times", "tkill", "truncate", "umask", "uname",
    "unlink", "unlinkat", "utime", "utimensat", "utimes", "vfork", "vmsplice", "wait4", "waitid", "write",
    "writev",
    /* minKernel 4.8 */
    "process_vm_readv", "process_vm_writev", "ptrace",
    /* amd64 */
    "arch_prctl", "modify_ldt",
    /* CAP_SYS_CHROOT, one of the default capabilities */
    "chroot",
};

static const char *const LANDLOCK[] = {"landlock_add_rule", "landlock_create_ruleset", "landlock_restrict_self"};

static void allow(scmp_filter_ctx ctx, const char *name, unsigned count, const struct scmp_arg_cmp *args) {
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) return;
    int rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, count, args);
    if (rc < 0) {
        fprintf(stderr, "docker-default: rule for %s: %s\n", name, strerror(-rc));
        exit(2);
    }
}

/* Every cgroup mount read-only, in our own mount namespace only. */
static void cgroups_read_only(void) {
    if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
        perror("docker-default: mount namespace");
        exit(2);
    }
    FILE *info = fopen("/proc/self/mountinfo", "r");
    char line[4096];
    while (info && fgets(line, sizeof line, info)) {
        char point[1024];
        /* id parent major:minor root mount-point ... */
        if (sscanf(line, "%*s %*s %*s %*s %1023s", point) != 1 || strncmp(point, "/sys/fs/cgroup", 14)) continue;
        if (mount(NULL, point, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
            fprintf(stderr, "docker-default: remount %s read-only: %s\n", point, strerror(errno));
            exit(2);
        }
    }
    if (info) fclose(info);
}

int main(int argc, char **argv) {
    int i = 1, landlock = 1;
    if (i < argc && !strcmp(argv[i], "--no-landlock")) {
        landlock = 0;
        i++;
    }
    if (i + 1 >= argc || strcmp(argv[i], "--")) {
        fputs("usage: docker-default [--no-landlock] -- COMMAND...\n", stderr);
        return 2;
    }
    cgroups_read_only();
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
    /* Docker does not set no_new_privs unless asked to. */
    if (!ctx || seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0) < 0) return 2;
    for (size_t k = 0; k < sizeof ALLOWED / sizeof *ALLOWED; k++) allow(ctx, ALLOWED[k], 0, NULL);
    for (size_t k = 0; landlock && k < sizeof LANDLOCK / sizeof *LANDLOCK; k++) allow(ctx, LANDLOCK[k], 0, NULL);
    struct scmp_arg_cmp not_vsock = SCMP_A0(SCMP_CMP_NE, 40);
    allow(ctx, "socket", 1, &not_vsock);
    const uint64_t personas[] = {0, 8, 131072, 131080, 4294967295ULL};
    for (size_t k = 0; k < sizeof personas / sizeof *personas; k++) {
        struct scmp_arg_cmp a = SCMP_A0(SCMP_CMP_EQ, personas[k]);
        allow(ctx, "personality", 1, &a);
    }
    struct scmp_arg_cmp no_namespace = SCMP_A0(SCMP_CMP_MASKED_EQ, 2114060288, 0);
    allow(ctx, "clone", 1, &no_namespace);
    if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0) < 0 || seccomp_load(ctx) < 0) {
        perror("docker-default: seccomp");
        return 2;
    }
    execvp(argv[i + 1], argv + i + 1);
    fprintf(stderr, "docker-default: %s: %s\n", argv[i + 1], strerror(errno));
    return 127;
}
