/* UID isolation: what stands in for the pid namespace and, without a cgroup, for the cgroup, when
 * a run has nothing of its own but its uid (a container with Docker's default capabilities).
 * Every process of the uid is the run's: killing them all (kill_uid) ends the run, and their
 * CPU time and memory are read from /proc (scan_uid) while they live, from rusage once reaped. */
#include "ce-sandbox.h"
#include <dirent.h>

/* Sends SIGKILL to every process of uid, from a child that becomes uid: kill(-1) as uid reaches
 * exactly the processes of uid (with the real uid root it would reach root's too). One call is
 * enough: the kernel signals them all under the task list lock, which a fork must take to add a
 * child, and a process with SIGKILL pending cannot fork; none of them runs another instruction.
 * They are gone once reaped: by the caller when it is their subreaper, else by the container's init. */
void kill_uid(long long uid, long long gid) {
    /* As root, kill(-1) would end every process of the container. */
    if (uid <= 0) { errno = 0; die("refusing to kill the processes of uid %lld", uid); }
    pid_t killer = fork();
    if (killer < 0) die("fork");
    if (killer == 0) {
        if (setgroups(0, NULL) < 0 || setresgid((gid_t) gid, (gid_t) gid, (gid_t) gid) < 0
            || setresuid((uid_t) uid, (uid_t) uid, (uid_t) uid) < 0) _exit(2);
        /* ESRCH: no process at all besides init and us. */
        _exit(kill(-1, SIGKILL) == 0 || errno == ESRCH ? 0 : 2);
    }
    int st;
    while (waitpid(killer, &st, __WALL) < 0) if (errno != EINTR) die("wait for the killer of uid %lld", uid);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) { errno = 0; die("cannot kill the processes of uid %lld", uid); }
}

/* The numbers from field 14 on of /proc/PID/stat (utime, stime, cutime, cstime), after the
 * command name, which may hold spaces and parentheses. */
static int read_times(int proc, const char *pid, long long times[4]) {
    char path[NAME_MAX + 8], buf[1024];
    snprintf(path, sizeof path, "%s/stat", pid);
    int fd = openat(proc, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return -1;
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    /* After ") ": state, then fields 4 to 13, then the four times. */
    for (int field = 2; p && field < 14; field++) p = strchr(p + 1, ' ');
    if (!p) return -1;
    return sscanf(p, " %lld %lld %lld %lld", &times[0], &times[1], &times[2], &times[3]) == 4 ? 0 : -1;
}

/* From /proc/PID/status: whether the process's real uid is uid (the directory's owner would not
 * do: a process that made itself non-dumpable shows as root's there), and if so its anonymous and
 * shared-memory pages in bytes (RssAnon + RssShmem), what it holds in memory without the runtimes'
 * files every process maps. */
static int owned_by(int proc, const char *pid, long long uid, long long *memory) {
    char path[NAME_MAX + 8], buf[4096];
    snprintf(path, sizeof path, "%s/status", pid);
    int fd = openat(proc, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0; /* it ended meanwhile */
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return 0;
    buf[n] = 0;
    char *line = strstr(buf, "\nUid:");
    if (!line || strtoll(line + 5, NULL, 10) != uid) return 0;
    long long kib = 0;
    for (; line; line = strchr(line + 1, '\n')) {
        if (!strncmp(line, "\nRssAnon:", 9) || !strncmp(line, "\nRssShmem:", 10)) kib += strtoll(strchr(line, ':') + 1, NULL, 10);
    }
    *memory = kib * 1024;
    return 1;
}

/* The CPU time and memory of the live processes of uid: each one's own time and that of the
 * children it has reaped (those the relay reaped are in its rusage instead), and the sum of their
 * memory (pages shared between two of them count twice: the sum errs high, never low). */
void scan_uid(long long uid, int64_t *cpu_ns, long long *memory) {
    static long ticks_per_s;
    if (!ticks_per_s) ticks_per_s = sysconf(_SC_CLK_TCK);
    *cpu_ns = 0;
    *memory = 0;
    DIR *dir = opendir("/proc");
    if (!dir) die("open /proc");
    int proc = dirfd(dir);
    for (struct dirent *e; (e = readdir(dir));) {
        long long held, t[4];
        if (e->d_name[0] < '1' || e->d_name[0] > '9' || !owned_by(proc, e->d_name, uid, &held)) continue;
        if (read_times(proc, e->d_name, t) == 0) *cpu_ns += (t[0] + t[1] + t[2] + t[3]) * (1000000000LL / ticks_per_s);
        *memory += held;
    }
    closedir(dir);
}

/* ce-sandbox sweep --uid U --gid G: kills every process of U (kill_uid). The executor sweeps each
 * slot's uid when it starts (an engine that crashed may have left some) and after a relay it had
 * to abandon. */
int cmd_sweep(int argc, char **argv) {
    long long uid = -1, gid = -1;
    for (int i = 0; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--uid")) uid = parse_num(argv[i + 1], "--uid");
        else if (!strcmp(argv[i], "--gid")) gid = parse_num(argv[i + 1], "--gid");
        else { errno = 0; die("unknown option %s", argv[i]); }
    }
    if (uid < 0 || gid < 0 || argc % 2) { errno = 0; die("usage: sweep --uid U --gid G"); }
    kill_uid(uid, gid);
    return 0;
}
