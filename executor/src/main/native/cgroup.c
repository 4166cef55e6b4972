/* The run's cgroups, as the relay sees them: made and configured (make_cgroups), joined
 * (join_cgroups), and read for the CPU time, peak memory and OOM kills the status reports. */
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

void join_cgroups(const struct run_opts *o) {
    char pid[32];
    int len = snprintf(pid, sizeof pid, "%d\n", getpid());
    for (int i = 0; i < o->n_cgroups; i++) {
        int fd = open(o->cgroup_procs[i], O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write_all(fd, pid, (size_t) len) < 0) die("join cgroup %s", o->cgroup_procs[i]);
        close(fd);
    }
}
