/* Pre-started ("pooled") boxes: building one and pinning its namespaces (`box`, whose first
 * process is `init hold`), entering it for a run (enter_box in the relay, box_init in its child),
 * the run's fresh network, the identity and capabilities a box's processes drop to, and the
 * long-lived sandboxed `service`. */
#include "ce-sandbox.h"

#define MAX_PTYS 16

/* Set once this process has a network namespace that no earlier run has used. */
static int own_network;

/* A new, empty network namespace for this process and its children: loopback only, up (as
 * bwrap's --unshare-net gives a fresh box). Owned by the host's user namespace, so nothing in a
 * box can reconfigure it. Freed by the kernel when the run's last process is gone. */
void fresh_network(void) {
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

/* Read-only over itself, as bwrap covers these parts of its /proc. */
static void cover_read_only(const char *path) {
    if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0) {
        if (errno == ENOENT) return;
        die("bind %s", path);
    }
    mount_or_die(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL);
}

void drop_privileges(const struct run_opts *o) {
    if (o->uid < 0) return;
    if (setgroups(0, NULL) < 0) die("setgroups");
    if (setresgid((gid_t) o->gid, (gid_t) o->gid, (gid_t) o->gid) < 0) die("setresgid");
    if (setresuid((uid_t) o->uid, (uid_t) o->uid, (uid_t) o->uid) < 0) die("setresuid");
}

/* Drops every capability for good: ambient, bounding set, then (after the uid change) the rest. */
void drop_capabilities(const struct run_opts *o) {
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

void enter_box(const struct run_opts *o, struct box_fds *fds) {
    if (o->cpu_usage_file && o->cpu_fd < 0) die("open %s", o->cpu_usage_file);
    relay_box_error = 1;
    for (int i = 0; i < o->n_cgroups; i++) {
        fds->procs[i] = open_join(o->cgroup_procs[i], &fds->self[i]);
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

void box_init(const struct run_opts *o, const struct box_fds *fds, int status_fd) {
    box_error_fd = status_fd;
    /* Joined only now, so entering the box is not charged to the run; the files were opened as
     * root. On v1 the process moves its own thread (open_join): no RCU grace period on the run's
     * path. How it joined and how long it took go into the status, for the executor's counts. */
    int64_t join_start = now_ns();
    int by_thread = o->n_cgroups > 0;
    for (int i = 0; i < o->n_cgroups; i++) {
        if (write_join(fds->procs[i], fds->self[i]) < 0) die("join cgroup %s", o->cgroup_procs[i]);
        close(fds->procs[i]);
        by_thread &= fds->self[i];
    }
    if (o->n_cgroups > 0) {
        char joined[96];
        int n = snprintf(joined, sizeof joined, "cgroup_join=%s\ncgroup_join_ns=%" PRId64 "\n",
                         by_thread ? "thread" : "process", now_ns() - join_start);
        if (write_all(status_fd, joined, (size_t) n) < 0) die("report the cgroup join");
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
int cmd_box(int argc, char **argv) {
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
int cmd_service(int argc, char **argv) {
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
int cmd_hold(void) {
    prctl(PR_SET_DUMPABLE, 0);
    char c = 'r';
    if (write_all(1, &c, 1) < 0) return 1;
    close(1);
    for (;;) {
        ssize_t n = read(0, &c, 1);
        if (n == 0 || (n < 0 && errno != EINTR)) return 0;
    }
}
