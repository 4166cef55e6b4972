/* What every part of the helper uses: failing (die, which knows where a failure must be told),
 * numbers from arguments, the clock, whole writes. */
#include "ce-sandbox.h"

/* >= 0 while entering a pooled box: failures go there as a status line ("box_error=..."), not to
 * the run's stderr, so the executor knows no untrusted code ran and may retry on a fresh box. */
int box_error_fd = -1;
/* Set while the relay enters a pooled box: a failure is a status frame ("box_error=..."). */
int relay_box_error;
/* Set in a relay serving a connection (serve): any other failure is a status frame ("error=..."). */
int relay_error;

void die(const char *fmt, ...) {
    va_list ap;
    if (box_error_fd >= 0 || relay_box_error || relay_error) {
        int err = errno;
        char msg[512];
        va_start(ap, fmt);
        int n = snprintf(msg, sizeof msg, relay_error && !relay_box_error ? "error=ce-sandbox: " : "box_error=");
        n += vsnprintf(msg + n, sizeof msg - (size_t) n, fmt, ap);
        va_end(ap);
        if (n < (int) sizeof msg - 1 && err) n += snprintf(msg + n, sizeof msg - (size_t) n, ": %s", strerror(err));
        if (n > (int) sizeof msg - 2) n = (int) sizeof msg - 2;
        msg[n++] = '\n';
        if (relay_box_error || relay_error) {
            frame('s', msg, (size_t) n);
            exit(relay_box_error ? 0 : 2);
        }
        if (write(box_error_fd, msg, (size_t) n) < 0) _exit(2);
        _exit(2);
    }
    va_start(ap, fmt);
    fputs("ce-sandbox: ", stderr);
    vfprintf(stderr, fmt, ap);
    if (errno) fprintf(stderr, ": %s", strerror(errno));
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

long long parse_num(const char *s, const char *what) {
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < 0) {
        errno = 0;
        die("bad number for %s: %s", what, s);
    }
    return v;
}

int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int write_all(int fd, const void *buf, size_t len) {
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
