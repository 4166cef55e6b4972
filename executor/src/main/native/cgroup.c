/* The run's cgroups, as the relay sees them: made and configured (make_cgroups), joined
 * (open_join, write_join, join_cgroups), and read for the CPU time, peak memory and OOM kills the
 * status reports. */
#include "ce-sandbox.h"

int64_t read_cpu_ns(const struct run_opts *o) {
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
void make_cgroups(const struct run_opts *o) {
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
long long read_counter(int fd, const char *key) {
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

/*
 * Where a process joins one of its groups: on cgroup v1 the group's `tasks` file, to which it
 * writes "0" (its calling thread), else (v2, no `tasks`) the group's cgroup.procs, to which it
 * writes its pid; *self says which. Opened as root on the host, so the write is allowed wherever
 * the writer is by then.
 *
 * The difference is the cost. Moving a process (a pid written to cgroup.procs, on v1 as on v2)
 * takes the kernel-wide cgroup_threadgroup_rwsem for writing, and that percpu rwsem waits for an
 * RCU grace period unless another writer took it within the last few milliseconds: 5-13 ms
 * measured here, paid by every run (`python3 bench/cgroup-join.py`). A thread that moves itself
 * is exempt (the kernel's "Optimize single thread migration": nothing can fork, exec or exit in
 * its thread group while it writes): 0.1 ms. Every process that joins here is single-threaded
 * (the helper never starts a thread), so its one thread moving is the whole process moving, and
 * whatever it forks afterwards is born in the groups.
 */
int open_join(const char *procs, int *self) {
    const char *slash = strrchr(procs, '/');
    if (slash && !strcmp(slash + 1, "cgroup.procs")) {
        char tasks[PATH_MAX];
        if (snprintf(tasks, sizeof tasks, "%.*s/tasks", (int) (slash - procs), procs) < (int) sizeof tasks) {
            int fd = open(tasks, O_WRONLY | O_CLOEXEC);
            if (fd >= 0 || errno != ENOENT) {
                *self = fd >= 0;
                return fd;
            }
        }
    }
    *self = 0;
    return open(procs, O_WRONLY | O_CLOEXEC);
}

/* Moves the calling process into the group of fd (from open_join). */
int write_join(int fd, int self) {
    char text[32];
    int len = self ? snprintf(text, sizeof text, "0\n") : snprintf(text, sizeof text, "%d\n", getpid());
    return write_all(fd, text, (size_t) len);
}

/* The calling process joins the run's groups (a process-isolation run's child, a service). */
void join_cgroups(const struct run_opts *o) {
    for (int i = 0; i < o->n_cgroups; i++) {
        int self;
        int fd = open_join(o->cgroup_procs[i], &self);
        if (fd < 0 || write_join(fd, self) < 0) die("join cgroup %s", o->cgroup_procs[i]);
        close(fd);
    }
}
