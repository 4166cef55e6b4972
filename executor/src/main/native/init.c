/* `init`: the box's pid 1. Sets the rlimits, runs the program and reports how it ended on a
 * status fd the program cannot reach. */
#include "ce-sandbox.h"

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

int cmd_init(int argc, char **argv) {
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
