/* `serve`: a slot's resident relay server, which keeps one relay forked in advance and hands it
 * the next connection's request. */
#include "ce-sandbox.h"

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
int cmd_serve(const char *path) {
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
