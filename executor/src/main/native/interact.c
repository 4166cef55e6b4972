/* One side of an interaction: the submission and the output validator run in two boxes, each
 * with its own relay, and share nothing but two FIFOs in a root-only directory of the host,
 * which both relays open before entering their boxes:
 *
 *   the submission's relay (--stdin-fifo IN --stdout-fifo OUT): its program's stdin is IN's read
 *   end and its stdout OUT's write end, the FIFOs themselves (no copy in between);
 *
 *   the validator's relay (--proxy-in OUT --proxy-out IN): its program's stdin and stdout are
 *   pipes to the relay, which carries OUT's bytes to the validator and the validator's to IN,
 *   recording both directions as frames ('>' from the submission, '<' to it, the .interaction
 *   format's marks) up to --transcript-limit bytes.
 *
 * Which side ended first decides verdicts (problemtools' interactive runner and DOMjudge's runpipe
 * do the same), so neither side may see the other's end before that end is recorded: the
 * submission's relay holds a copy of OUT's write end until it has reaped its box, and the
 * validator's relay closes IN only once it has reaped its own. So the end a program reacts to
 * (EOF on its stdin) always comes after the other side's end was stamped (ended_ns in the status,
 * CLOCK_MONOTONIC, the same clock for both relays). When the validator has ended, the relay stops
 * reading OUT, so a submission still writing gets EPIPE (SIGPIPE); the validator never gets
 * SIGPIPE: what it writes to a submission that has gone is read and dropped.
 *
 * The FIFOs meet in a fixed order, so that when either relay's opens return all four ends are
 * open (a FIFO's open waits for the other end): the submission's relay opens OUT for writing,
 * then IN for reading; the validator's relay OUT for reading, then IN for writing. A relay whose
 * other side does not come within --peer-timeout-ms fails (an error status, never a hang). */
#include "ce-sandbox.h"

#define BUFFER (1 << 16)

/* One direction through the validator's relay. */
struct pump {
    int from, to;       /* -1 once closed */
    char tag;           /* its transcript frames: '<' to the submission, '>' from it */
    size_t len, off;    /* bytes read and not yet written */
    char buf[BUFFER];
};

struct link {
    int proxy;              /* the validator's side */
    int in, out;            /* the submission's side: its program's stdin and stdout, until forked */
    int keeper;             /* the submission's side: our copy of OUT's write end, until its box is reaped */
    struct pump down, up;   /* the validator's side: its stdout to the submission, the submission to its stdin */
    int child_ended;
    long long recorded, limit;
    int cut;
    long long delivered, flood_limit; /* the submission's bytes given to the validator, and their cap */
    int flooded;
    int at_down, at_up, at_end; /* where link_poll put its fds */
};

static volatile sig_atomic_t peer_late;

static void on_alarm(int sig) {
    (void) sig;
    peer_late = 1;
}

static int open_fifo(const char *path, int flags) {
    int fd;
    do fd = open(path, flags | O_CLOEXEC); while (fd < 0 && errno == EINTR && !peer_late);
    if (fd < 0 && peer_late) {
        errno = 0;
        die("the other side of the interaction did not open %s in time", path);
    }
    if (fd < 0) die("open %s", path);
    /* A FIFO is neither a link nor anything but a FIFO: the directory is root's alone, but be sure. */
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISFIFO(st.st_mode)) { errno = 0; die("%s is not a FIFO", path); }
    return fd;
}

static void nonblocking(int fd) {
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) die("fcntl");
}

struct link *open_link(const struct run_opts *o) {
    if (!o->stdin_fifo && !o->stdout_fifo && !o->proxy_in && !o->proxy_out) return NULL;
    if (!o->stdin_fifo != !o->stdout_fifo || !o->proxy_in != !o->proxy_out || (o->stdin_fifo && o->proxy_in)) {
        errno = 0;
        die("an interaction needs --stdin-fifo with --stdout-fifo, or --proxy-in with --proxy-out");
    }
    static struct link l;
    memset(&l, 0, sizeof l);
    l.in = l.out = l.keeper = -1;
    l.down = (struct pump){.from = -1, .to = -1, .tag = '<'};
    l.up = (struct pump){.from = -1, .to = -1, .tag = '>'};
    l.limit = o->transcript_limit;
    l.flood_limit = o->flood_limit;
    /* No SA_RESTART: the alarm interrupts a FIFO's open that waits for a relay that never comes. */
    struct sigaction alarm = {.sa_handler = on_alarm};
    sigemptyset(&alarm.sa_mask);
    long long ms = o->peer_timeout_ms > 0 ? o->peer_timeout_ms : 5000;
    struct itimerval timer = {{0, 0}, {(time_t) (ms / 1000), (suseconds_t) (ms % 1000 * 1000)}};
    if (sigaction(SIGALRM, &alarm, NULL) < 0 || setitimer(ITIMER_REAL, &timer, NULL) < 0) die("arm the peer timeout");
    if (o->stdin_fifo) {
        l.out = open_fifo(o->stdout_fifo, O_WRONLY);
        l.in = open_fifo(o->stdin_fifo, O_RDONLY);
        l.keeper = fcntl(l.out, F_DUPFD_CLOEXEC, 3);
        if (l.keeper < 0) die("dup");
    } else {
        l.proxy = 1;
        l.up.from = open_fifo(o->proxy_in, O_RDONLY);
        l.down.to = open_fifo(o->proxy_out, O_WRONLY);
        nonblocking(l.up.from);
        nonblocking(l.down.to);
    }
    struct itimerval off = {{0, 0}, {0, 0}};
    struct sigaction dfl = {.sa_handler = SIG_DFL};
    if (setitimer(ITIMER_REAL, &off, NULL) < 0 || sigaction(SIGALRM, &dfl, NULL) < 0) die("disarm the peer timeout");
    return &l;
}

int link_proxies(const struct link *l) {
    return l->proxy;
}

int link_child_stdin(const struct link *l) {
    return l->in;
}

int link_child_stdout(const struct link *l) {
    return l->out;
}

static void close_fd(int *fd) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
}

/* The submission's side: the child has its ends now. The validator's: the child's pipes' other ends. */
void link_forked(struct link *l, int child_stdin_w, int child_stdout_r) {
    if (!l->proxy) {
        close_fd(&l->in);
        close_fd(&l->out);
        return;
    }
    l->up.to = child_stdin_w;
    l->down.from = child_stdout_r;
    nonblocking(l->up.to);
    nonblocking(l->down.from);
}

/* Closes what the state of the pumps makes useless; see the rules at the top of this file. */
static void settle(struct link *l) {
    /* The validator closed its stdin (or ended): the submission writing to it gets EPIPE. */
    if (l->up.to < 0) {
        close_fd(&l->up.from);
        l->up.len = l->up.off = 0;
    }
    /* The submission's stdout is at its end (its relay reaped it) and all of it was delivered. */
    if (l->up.from < 0 && l->up.off == l->up.len) close_fd(&l->up.to);
    /* The validator ended and all it wrote was delivered: now the submission may see its stdin end. */
    if (l->child_ended && l->down.from < 0 && l->down.off == l->down.len) close_fd(&l->down.to);
}

static void record(struct link *l, char tag, const char *data, size_t n) {
    long long room = l->limit - l->recorded;
    if (room > 0) frame(tag, data, (size_t) n < (unsigned long long) room ? n : (size_t) room);
    l->recorded += (long long) n;
    if (l->recorded > l->limit) l->cut = 1;
}

static void pump_read(struct link *l, struct pump *pm) {
    ssize_t n = read(pm->from, pm->buf, sizeof pm->buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (n <= 0) {
        close_fd(&pm->from);
        return;
    }
    record(l, pm->tag, pm->buf, (size_t) n);
    if (pm->to < 0) return; /* nobody to give it to: dropped, so its writer never blocks */
    if (pm == &l->up && l->flood_limit > 0 && (l->delivered += n) > l->flood_limit) {
        /* The submission went past its output limit: the validator gets no more (end of input, so
         * that flooding cannot push it past its own limits, which would be the judge's failure)
         * and the submission's next write fails. The verdict is the submission's (OLE). */
        l->flooded = 1;
        close_fd(&pm->from);
        close_fd(&pm->to);
        return;
    }
    pm->len = (size_t) n;
    pm->off = 0;
}

static void pump_write(struct pump *pm) {
    ssize_t n = write(pm->to, pm->buf + pm->off, pm->len - pm->off);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (n < 0) {
        /* The reader has gone (EPIPE: SIGPIPE is ignored here). */
        close_fd(&pm->to);
        pm->len = pm->off = 0;
        return;
    }
    pm->off += (size_t) n;
    if (pm->off == pm->len) pm->len = pm->off = 0;
}

static int pump_poll(struct pump *pm, struct pollfd *p, int np) {
    if (pm->off < pm->len && pm->to >= 0) p[np++] = (struct pollfd){pm->to, POLLOUT, 0};
    else if (pm->from >= 0) p[np++] = (struct pollfd){pm->from, POLLIN, 0};
    return np;
}

/* Adds the link's fds to the poll set at p[np...]; returns the new count. */
int link_poll(struct link *l, struct pollfd *p, int np, int exited) {
    (void) exited;
    l->at_down = np;
    if (l->proxy) np = pump_poll(&l->down, p, np);
    l->at_up = np;
    if (l->proxy) np = pump_poll(&l->up, p, np);
    l->at_end = np;
    return np;
}

static void pump_ready(struct link *l, struct pump *pm, const struct pollfd *q) {
    if (!q->revents) return;
    if (q->fd == pm->to) pump_write(pm);
    else if (q->fd == pm->from) pump_read(l, pm);
}

/* Acts on what poll found of the link's fds (p is the whole poll set). */
void link_ready(struct link *l, const struct pollfd *p, int np) {
    if (!l->proxy) return;
    if (l->at_down < l->at_up && l->at_down < np) pump_ready(l, &l->down, &p[l->at_down]);
    if (l->at_up < l->at_end && l->at_up < np) pump_ready(l, &l->up, &p[l->at_up]);
    settle(l);
}

/* The relay reaped its child (and stamped the time): now the other side may see it. */
void link_child_ended(struct link *l) {
    l->child_ended = 1;
    close_fd(&l->keeper);
    if (l->proxy) {
        /* Nobody reads the validator's stdin any more, and the submission's writes must fail. */
        close_fd(&l->up.to);
        settle(l);
    }
}

/* Whether the link still has work: the validator's last words to deliver. */
int link_busy(const struct link *l) {
    return l->proxy && (l->down.to >= 0 || l->up.from >= 0 || l->up.to >= 0);
}

void link_close(struct link *l) {
    close_fd(&l->up.from);
    close_fd(&l->up.to);
    close_fd(&l->down.from);
    close_fd(&l->down.to);
    close_fd(&l->keeper);
    close_fd(&l->in);
    close_fd(&l->out);
}

int link_transcript_cut(const struct link *l) {
    return l->cut;
}

int link_flooded(const struct link *l) {
    return l->flooded;
}
