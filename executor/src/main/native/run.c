/* `run`: the relay. Forks the run's child (fd plumbing, identity, seccomp, then bwrap, the box
 * init or a pooled box's init in place), relays its output as frames, feeds its stdin, enforces
 * the limits, kills the box and writes the status frame. */
#include "ce-sandbox.h"

#define POLL_INTERVAL_MS 10
/* UID isolation without a cgroup: /proc is scanned every this many polls (a scan reads every
 * process's status, a few milliseconds on a busy host: every 50 ms it is a few percent of a core). */
#define SCAN_POLLS 5

/* The executor's connection: frames go out on it, the run's stdin comes in on it. */
int frames_fd = 1;

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

/* Our command line's memory (what /proc/PID/cmdline shows), from main. */
char *arg_area;
size_t arg_area_len;

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
    /* Without a memory cgroup the container's OOM killer may have to act: it takes the run first. */
    if (o->uid_isolation) {
        int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write_all(fd, "1000", 4) < 0) die("raise oom_score_adj");
        close(fd);
    }
    if (o->enter) drop_capabilities(o);
    else drop_privileges(o);
    /* The kernel clears the parent-death signal when the uid changes: set it again. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0) die("pdeathsig");
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) die("no_new_privs");
    /* Before the filter, which denies Landlock's own system calls. */
    if (o->n_landlock_read || o->n_landlock_write) restrict_files(o);
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

/* bwrap's --info-fd document: the box init's host pid, or -1 when bwrap failed before starting it. */
pid_t read_child_pid(int info_r) {
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

/* bwrap handshake: bwrap reports the box init's host pid on the info pipe and waits on the
 * block pipe before running it. The init joins the cgroups then; bwrap itself and the kernel
 * work of building the namespaces stay out of the run's accounting (and out of its memory
 * cgroup, where namespace set-up and teardown cost milliseconds). */
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

/* Sends sig to every process of the run's cgroup but skip and also_skip. The list is read from a
 * cgroup.procs opened now: cgroup v1 caches an open file's pid list (for a second after its last
 * read), so rereading one file descriptor every few milliseconds kept showing the cgroup as it
 * was at the first read. A client's kill that came before the program joined then never reached
 * it, however often it was sent. */
static void signal_cgroup(const struct run_opts *o, int sig, pid_t skip, pid_t also_skip) {
    char buf[65536];
    size_t len = 0;
    int fd = openat(o->kill_fd, o->kill_name, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return; /* the cgroup is gone, and every process with it */
    while (len < sizeof buf - 1) {
        ssize_t n = read(fd, buf + len, sizeof buf - 1 - len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        len += (size_t) n;
    }
    close(fd);
    buf[len] = 0;
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
        pid_t p = (pid_t) strtol(line, NULL, 10);
        if (p > 0 && p != skip && p != also_skip) kill(p, sig);
    }
}

/* The directory of the last cgroup.procs (O_PATH, usable after the relay left the host's mount
 * namespace), and the file's name in it. */
static void open_kill_dir(struct run_opts *o) {
    o->kill_fd = -1;
    if (!o->n_cgroups) return;
    const char *procs = o->cgroup_procs[o->n_cgroups - 1];
    const char *slash = strrchr(procs, '/');
    if (!slash || slash == procs) { errno = 0; die("bad cgroup.procs path %s", procs); }
    char *dir = strndup(procs, (size_t) (slash - procs));
    if (!dir) die("strndup");
    o->kill_fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (o->kill_fd < 0) die("open %s", dir);
    free(dir);
    o->kill_name = slash + 1;
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
    signal_cgroup(o, SIGKILL, child_pid, child_pid);
    /* Under process isolation the child is the box init itself and goes too. */
    if (!o->late_join) kill(child_pid, SIGKILL);
}

/* UID isolation: reaps every child that has ended, the run's orphans included (the relay is their
 * subreaper); returns 1 when `main` was among them, its status in *wstatus. */
static int reap(pid_t main, int *wstatus) {
    int found = 0, st;
    for (pid_t r; (r = waitpid(-1, &st, WNOHANG | __WALL)) > 0;) {
        if (r == main) {
            *wstatus = st;
            found = 1;
        }
    }
    return found;
}

/* UID isolation: kills every process of the run's uid (and `main`, our child, not reaped yet, or
 * -1, in case it is not the uid's yet), then reaps all our children until none is left: what the
 * run started is ours to reap, since we are its subreaper. Returns 1 when `main` was reaped. */
static int sweep(const struct run_opts *o, pid_t main, int *wstatus) {
    kill_uid(o->uid, o->gid);
    if (main > 0) kill(main, SIGKILL);
    int found = 0, st;
    for (pid_t r; (r = waitpid(-1, &st, __WALL)) != -1 || errno == EINTR;) {
        if (r == main && main > 0) {
            *wstatus = st;
            found = 1;
        }
    }
    if (errno != ECHILD) die("reap the run's processes");
    return found;
}

/* The CPU time of every child the relay has reaped (and of their reaped children), and the
 * largest resident set among them. */
static int64_t reaped_cpu_ns(long long *max_rss) {
    struct rusage ru;
    if (getrusage(RUSAGE_CHILDREN, &ru) < 0) die("getrusage");
    if (max_rss) *max_rss = ru.ru_maxrss * 1024LL;
    return ((int64_t) ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL
           + ((int64_t) ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL;
}

void frame(char tag, const char *data, size_t len) {
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
static int feeder_wants(const struct feeder *f, int live, short *events) {
    if (f->fd < 0) return -1;
    if (f->off < f->len) { *events = POLLOUT; return f->fd; }
    if (live) return -1; /* control_read refills it */
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

/* A live run's input (--live): control frames from the executor, each a one byte tag, four bytes
 * big-endian length and the payload: 'i' stdin bytes, 'c' (empty) the end of stdin, 'k' four bytes
 * big-endian of a signal for the program. Read one frame part at a time, and stdin only while the
 * feeder's buffer is empty, so a program that does not read its stdin holds the executor back. */
struct control {
    int fd;                 /* the connection (serve), or our stdin (a relay started for one run) */
    unsigned char head[5];
    size_t head_len;
    uint32_t left;          /* payload bytes of the current frame still to come */
    unsigned char sig[4];
    size_t sig_len;
};

/* The client's signal: for every process of the run but the box init and bwrap's monitor, which
 * report how the program ended (the kernel shields a namespace's init anyway). */
static void signal_run(const struct run_opts *o, pid_t child_pid, pid_t init_pid, int sig) {
    if (o->kill_fd < 0) kill(-child_pid, sig);
    else signal_cgroup(o, sig, child_pid, init_pid);
}

/* Reads what is readable of the next frame part; returns 0 when the executor is gone (the
 * connection ended, or broke the protocol): nobody talks to the program any more. */
static int control_read(struct control *c, struct feeder *f, const struct run_opts *o, pid_t child_pid,
                        pid_t init_pid) {
    ssize_t n;
    if (c->head_len < sizeof c->head) {
        n = read(c->fd, c->head + c->head_len, sizeof c->head - c->head_len);
        if (n < 0) return errno == EINTR || errno == EAGAIN;
        if (n == 0) return 0;
        c->head_len += (size_t) n;
        if (c->head_len < sizeof c->head) return 1;
        c->left = (uint32_t) c->head[1] << 24 | (uint32_t) c->head[2] << 16 | (uint32_t) c->head[3] << 8 | c->head[4];
        c->sig_len = 0;
        char tag = (char) c->head[0];
        if ((tag == 'c' && c->left != 0) || (tag == 'k' && c->left != sizeof c->sig) || (tag != 'c' && tag != 'k' && tag != 'i')) {
            return 0;
        }
        if (tag == 'c' && f->fd >= 0) {
            close(f->fd);
            f->fd = -1;
        }
    } else if (c->head[0] == 'i') {
        /* Stdin for a program that closed its stdin is dropped, as a pipe would refuse it. */
        n = read(c->fd, f->buf, c->left < sizeof f->buf ? c->left : sizeof f->buf);
        if (n < 0) return errno == EINTR || errno == EAGAIN;
        if (n == 0) return 0;
        c->left -= (uint32_t) n;
        f->len = f->fd >= 0 ? (size_t) n : 0;
        f->off = 0;
    } else {
        n = read(c->fd, c->sig + c->sig_len, c->left);
        if (n < 0) return errno == EINTR || errno == EAGAIN;
        if (n == 0) return 0;
        c->sig_len += (size_t) n;
        c->left -= (uint32_t) n;
        if (c->left == 0) {
            int sig = c->sig[0] << 24 | c->sig[1] << 16 | c->sig[2] << 8 | c->sig[3];
            if (sig > 0 && sig < NSIG) signal_run(o, child_pid, init_pid, sig);
        }
    }
    if (c->left == 0) c->head_len = 0;
    return 1;
}

/* stdin_len: bytes of stdin that follow the request on the connection (serve), or -1: the
 * program's stdin is ours (a relay started for one run). */
int cmd_run(int argc, char **argv, int64_t stdin_len) {
    struct run_opts o = {.uid = -1, .gid = -1, .seccomp_fd = -1, .status_fd = -1, .info_fd = -1, .block_fd = -1,
                         .cpu_limit_ms = 0, .wall_limit_ms = 0, .output_limit = LLONG_MAX};
    int i = 0;
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        const char *k = argv[i];
        if (!strcmp(k, "--init-here")) { o.init_here = 1; continue; }
        if (!strcmp(k, "--cut-stderr")) { o.cut_stderr = 1; continue; }
        if (!strcmp(k, "--uid-isolation")) { o.uid_isolation = 1; continue; }
        if (!strcmp(k, "--live")) { o.live = 1; continue; }
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
        else if (!strcmp(k, "--idle-limit-ms")) o.idle_limit_ms = parse_num(v, k);
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
        else if (!strcmp(k, "--stdin-fifo")) o.stdin_fifo = v;
        else if (!strcmp(k, "--stdout-fifo")) o.stdout_fifo = v;
        else if (!strcmp(k, "--proxy-in")) o.proxy_in = v;
        else if (!strcmp(k, "--proxy-out")) o.proxy_out = v;
        else if (!strcmp(k, "--transcript-limit")) o.transcript_limit = parse_num(v, k);
        else if (!strcmp(k, "--flood-limit")) o.flood_limit = parse_num(v, k);
        else if (!strcmp(k, "--peer-timeout-ms")) o.peer_timeout_ms = parse_num(v, k);
        else if (!strcmp(k, "--memory-limit")) o.memory_limit = parse_num(v, k);
        else if (!strcmp(k, "--landlock-read") || !strcmp(k, "--landlock-write")) {
            int write = !strcmp(k, "--landlock-write");
            if ((write ? o.n_landlock_write : o.n_landlock_read) == MAX_LANDLOCK) { errno = 0; die("too many %s", k); }
            if (write) o.landlock_write[o.n_landlock_write++] = v;
            else o.landlock_read[o.n_landlock_read++] = v;
        }
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
    /* An interaction's two sides run as two uids that meet at FIFOs; UID isolation kills and
     * counts one uid's processes alone, so it runs no interaction (the executor refuses them). */
    if (o.uid_isolation && (o.uid <= 0 || o.gid <= 0 || o.enter || o.info_fd >= 0
                            || o.stdin_fifo || o.stdout_fifo || o.proxy_in || o.proxy_out)) {
        errno = 0;
        die("--uid-isolation needs --uid and --gid of a sandbox uid, and neither a box nor an interaction");
    }
    o.late_join = o.info_fd >= 0 && o.block_fd >= 0;
    /* One side of an interaction (interact.c): the submission's stdin and stdout are FIFOs, the
     * validator's are pipes to us; either way the executor's connection (or our stdin) only
     * carries a stop ('k'), never the program's input. A live run's program has a stdin pipe we
     * feed from the control frames the executor sends in its place. */
    int interacting = o.stdin_fifo || o.stdout_fifo || o.proxy_in || o.proxy_out;
    int fifo = o.stdin_fifo || o.stdout_fifo;
    int in_pipe = !fifo && (stdin_len >= 0 || interacting || o.live);
    if (interacting && stdin_len > 0) { errno = 0; die("an interaction's program takes no stdin from the executor"); }
    if (interacting && o.live) { errno = 0; die("a live run is no side of an interaction"); }
    if (o.live && stdin_len > 0) { errno = 0; die("a live run's stdin comes in control frames"); }
    int in[2] = {0, -1}, out[2] = {-1, -1}, err[2], status[2], info[2] = {-1, -1}, block[2] = {-1, -1};
    if ((!fifo && pipe2(out, O_CLOEXEC)) || pipe2(err, O_CLOEXEC) || pipe2(status, O_CLOEXEC)) die("pipe");
    if (in_pipe && (pipe2(in, O_CLOEXEC) || fcntl(in[1], F_SETFL, O_NONBLOCK) < 0)) die("stdin pipe");
    int handshake = o.info_fd >= 0 && o.block_fd >= 0;
    if (handshake && (pipe2(info, O_CLOEXEC) || pipe2(block, O_CLOEXEC))) die("pipe");
    signal(SIGPIPE, SIG_IGN);
    /* With --enter the child joins the cgroups itself, after entering the box (box_init). */
    if (o.seccomp_file && o.seccomp_fd < 0) read_filter(o.seccomp_file);
    make_cgroups(&o);
    int peak_fd = o.memory_peak_file ? open(o.memory_peak_file, O_RDONLY | O_CLOEXEC) : -1;
    int oom_fd = o.oom_events_file ? open(o.oom_events_file, O_RDONLY | O_CLOEXEC) : -1;
    o.cpu_fd = o.cpu_usage_file ? open(o.cpu_usage_file, O_RDONLY | O_CLOEXEC) : -1;
    open_kill_dir(&o);
    /* Both sides' relays meet at the FIFOs, on the host, before either enters its box. */
    struct link *link = open_link(&o);
    struct box_fds box = {.user = -1, .work = -1};
    if (o.enter) enter_box(&o, &box);
    /* UID isolation: nothing of an earlier run of the uid (one whose relay was killed) lives on
     * into this one, and what this run leaves behind is reparented to us, to reap and to count. */
    int64_t reaped_before = 0;
    if (o.uid_isolation) {
        if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) die("subreaper");
        kill_uid(o.uid, o.gid);
        reaped_before = reaped_cpu_ns(NULL);
    }
    int64_t started = now_ns();
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
        struct fd_move moves[8] = {{fifo ? link_child_stdout(link) : out[1], 1}, {err[1], 2}, {status[1], o.status_fd},
                                   {fifo ? link_child_stdin(link) : in[0], 0}};
        int n_moves = 4;
        if (handshake) {
            moves[n_moves++] = (struct fd_move){info[1], o.info_fd};
            moves[n_moves++] = (struct fd_move){block[0], o.block_fd};
        }
        child(&o, argc - i - 1, command, moves, n_moves, &box);
    }
    static struct feeder stdin_feed = {.fd = -1};
    /* A live run's control comes on the connection, or on our stdin when we run for one run. */
    struct control control = {.fd = !o.live ? -1 : stdin_len >= 0 ? frames_fd : 0};
    if (link) {
        link_forked(link, in[1], out[0]);
    } else if (o.live) {
        stdin_feed.fd = in[1];
        stdin_feed.left = UINT64_MAX; /* its end is a 'c' frame, not a length */
    } else if (stdin_len > 0) {
        stdin_feed.fd = in[1];
        stdin_feed.left = (uint64_t) stdin_len;
    } else if (stdin_len == 0) {
        close(in[1]);
    }
    if (in_pipe) close(in[0]);
    if (!fifo) close(out[1]);
    /* An interaction's stop: a 'k' from the executor, on the connection (serve) or our stdin. */
    int stop_fd = interacting ? (stdin_len >= 0 ? frames_fd : 0) : -1;
    int stop = 0, stopped = 0;
    close(err[1]);
    close(status[1]);
    /* The box init: our child, but with bwrap the child is its monitor and the init its child. */
    pid_t init_pid = pid;
    if (handshake) {
        close(info[1]);
        close(block[0]);
        init_pid = join_late(&o, info[0], block[1]);
    }
    int pidfd = (int) syscall(SYS_pidfd_open, pid, 0);
    if (pidfd < 0) die("pidfd_open");

    /* An interaction's stdout goes to the other side, not into frames. */
    struct stream streams[2] = {{interacting ? -1 : out[0], 'o', 0, 0}, {err[0], 'e', 0, 0}};
    char report[1024] = "";
    size_t report_len = 0;
    int open_streams = interacting ? 1 : 2, status_open = 1, exited = 0, wstatus = 0;
    const char *timeout = NULL;
    int64_t cpu_ns = -1, exited_at = 0, active_at = started;
    int killed = 0, hung_up = 0;
    /* UID isolation: the run's processes have been killed (at its end, or at a limit). Without a
     * cgroup its CPU time and memory are read from /proc (`scan`), and its memory limit enforced here. */
    int swept = 0, scan = o.uid_isolation && o.cpu_fd < 0, memory_exceeded = 0, polls = 0;
    long long memory_peak = -1;

    while (!exited || open_streams > 0 || status_open || (link && link_busy(link))) {
        struct pollfd p[11];
        int np = 0;
        int stop_at = -1;
        if (stop_fd >= 0 && !exited) {
            stop_at = np;
            p[np++] = (struct pollfd){stop_fd, POLLIN, 0};
        }
        int link_from = np;
        if (link) np = link_poll(link, p, np, exited);
        int link_to = np;
        for (int s = 0; s < 2; s++) if (streams[s].fd >= 0) p[np++] = (struct pollfd){streams[s].fd, POLLIN, 0};
        if (status_open) p[np++] = (struct pollfd){status[0], POLLIN, 0};
        if (!exited) p[np++] = (struct pollfd){pidfd, POLLIN, 0};
        short feed_events = 0;
        int feed_fd = exited ? -1 : feeder_wants(&stdin_feed, o.live, &feed_events);
        if (feed_fd >= 0) p[np++] = (struct pollfd){feed_fd, feed_events, 0};
        /* A live run's control. Without POLLIN while the buffer is full, a hang-up (POLLHUP) is still seen. */
        int control_at = -1;
        if (!exited && !killed && control.fd >= 0) {
            control_at = np;
            p[np++] = (struct pollfd){control.fd, stdin_feed.fd < 0 || stdin_feed.off == stdin_feed.len ? POLLIN : 0, 0};
        }
        int wait_ms = POLL_INTERVAL_MS;
        if (exited) {
            /* The box is dead, but a process that escaped the pid namespace (only possible
             * without one) may hold a pipe: give the pipes a moment, not forever. */
            int64_t left = 200 - (now_ns() - exited_at) / 1000000;
            if (left <= 0) break;
            wait_ms = (int) left;
        }
        if (poll(p, (nfds_t) np, wait_ms) < 0 && errno != EINTR) die("poll");
        if (link) link_ready(link, p, np);
        for (int k = 0; k < np; k++) {
            if (!p[k].revents || (k >= link_from && k < link_to)) continue;
            if (k == stop_at) {
                char c;
                ssize_t n = read(stop_fd, &c, 1);
                if (n == 1 && c == 'k') stop = 1;
                else if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) stop_fd = -1;
            } else if (k == control_at) {
                /* The executor gone is the client gone: the run is stopped. */
                if ((p[k].revents & POLLIN) ? !control_read(&control, &stdin_feed, &o, pid, init_pid)
                                            : (p[k].revents & (POLLHUP | POLLERR)) != 0) {
                    control.fd = -1;
                    hung_up = 1;
                }
                active_at = now_ns();
            } else if (p[k].fd == feed_fd) {
                feed(&stdin_feed);
            } else if (p[k].fd == pidfd) {
                if (o.uid_isolation ? reap(pid, &wstatus) : waitpid(pid, &wstatus, 0) == pid) {
                    exited = 1;
                    exited_at = now_ns();
                    /* Stamped first: only now may the other side of an interaction see the end. */
                    if (link) link_child_ended(link);
                }
            } else if (p[k].fd == status[0]) {
                ssize_t n = read(status[0], report + report_len, sizeof report - 1 - report_len);
                if (n > 0) report_len += (size_t) n;
                else status_open = 0;
            } else {
                for (int s = 0; s < 2; s++) {
                    if (streams[s].fd != p[k].fd) continue;
                    active_at = now_ns();
                    if (!pump(&streams[s], o.output_limit)) {
                        close(streams[s].fd);
                        streams[s].fd = -1;
                        open_streams--;
                    }
                }
            }
        }
        if (o.uid_isolation) {
            if (!exited && reap(pid, &wstatus)) {
                exited = 1;
                exited_at = now_ns();
            }
            /* The run ends with its init, and what it left behind goes with it, as the pid
             * namespace's processes go with theirs: a daemon does not outlive the run. */
            if (exited && !swept) {
                sweep(&o, -1, NULL);
                swept = 1;
            }
        }
        if (exited) continue;
        int64_t elapsed_ms = (now_ns() - started) / 1000000;
        int64_t c = read_cpu_ns(&o);
        if (c >= 0) cpu_ns = c;
        if (scan && ++polls % SCAN_POLLS == 0) {
            int64_t live;
            long long memory;
            scan_uid(o.uid, &live, &memory);
            cpu_ns = live + reaped_cpu_ns(NULL) - reaped_before;
            if (memory > memory_peak) memory_peak = memory;
            if (o.memory_limit && memory > o.memory_limit) memory_exceeded = 1;
        }
        if (!killed) {
            if (o.cpu_limit_ms && cpu_ns >= o.cpu_limit_ms * 1000000LL) timeout = "cpu";
            else if (o.wall_limit_ms && elapsed_ms >= o.wall_limit_ms) timeout = "wall";
            else if (o.idle_limit_ms && (now_ns() - active_at) / 1000000 >= o.idle_limit_ms) timeout = "idle";
            killed = timeout || hung_up || memory_exceeded || streams[0].exceeded
                    || (streams[1].exceeded && !o.cut_stderr);
            if (!killed && stop) killed = stopped = 1;
        }
        if (killed && o.uid_isolation) {
            /* Once: it returns when no process of the uid is left, the init reaped among them. */
            if (sweep(&o, pid, &wstatus)) {
                exited = 1;
                exited_at = now_ns();
            }
            swept = 1;
        } else if (killed) {
            /* Repeated each round until the child is gone: a fork bomb may race the first kill. */
            kill_box(&o, pid);
        }
    }
    for (int s = 0; s < 2; s++) if (streams[s].fd >= 0) close(streams[s].fd);
    if (link) link_close(link);
    int64_t c = read_cpu_ns(&o);
    if (c >= 0) cpu_ns = c;
    long long peak = read_counter(peak_fd, NULL), ooms = read_counter(oom_fd, "oom_kill");
    if (scan) {
        /* Every process of the run is reaped by now, so rusage holds all of its CPU time. */
        long long max_rss;
        cpu_ns = reaped_cpu_ns(&max_rss) - reaped_before;
        peak = memory_peak > max_rss ? memory_peak : max_rss;
        ooms = memory_exceeded;
    }

    char st[1536];
    report[report_len] = 0;
    int n = snprintf(st, sizeof st, "%scommand_status=%d\nrelay_wall_ns=%" PRId64 "\ncpu_ns=%" PRId64
                     "\nmemory_peak=%lld\noom_kill=%lld\nended_ns=%" PRId64 "\n%s%s%s%s%s%s%s%s",
                     report, wstatus, (exited_at ? exited_at : now_ns()) - started, cpu_ns,
                     peak, ooms, exited_at,
                     timeout ? "timeout=" : "", timeout ? timeout : "", timeout ? "\n" : "",
                     streams[0].exceeded ? "exceeded=stdout\n"
                     : streams[1].exceeded && !o.cut_stderr ? "exceeded=stderr\n" : "",
                     killed ? "killed=1\n" : "", stopped ? "stopped=1\n" : "",
                     link && link_transcript_cut(link) ? "transcript_cut=1\n" : "",
                     link && link_flooded(link) ? "flooded=1\n" : "");
    /* snprintf says what it would have written; a status that did not fit is cut, never read past. */
    if (n < 0) n = 0;
    if ((size_t) n >= sizeof st) n = sizeof st - 1;
    frame('s', st, (size_t) n);
    return 0;
}
