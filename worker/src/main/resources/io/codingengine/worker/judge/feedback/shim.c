/*
 * Added by the judge to a C or C++ output validator (see CustomChecker): collects the Kattis
 * feedback directory. Before main (and before any static constructor of the validator) it
 * creates the feedback directory (argv[3]) and forks; the child goes on to run the validator
 * untouched, the parent waits for it, writes one marker line to standard output with the
 * feedback files in base64, and ends as the validator ended.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define CE_FEEDBACK_MARK "@MARK@"
#define CE_FEEDBACK_LIMIT @LIMIT@

static void ce_feedback_put(const char *s, size_t n) {
    while (n > 0) {
        ssize_t w = write(1, s, n);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return;
        }
        s += w;
        n -= (size_t) w;
    }
}

static void ce_feedback_file(const char *dir, const char *name) {
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    static unsigned char data[CE_FEEDBACK_LIMIT];
    static char text[(CE_FEEDBACK_LIMIT + 2) / 3 * 4];
    char path[4096];
    size_t n = 0, m = 0, i;
    ssize_t r;
    int fd;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    fd = open(path, O_RDONLY);
    if (fd < 0) {
        return;
    }
    while (n < sizeof data && ((r = read(fd, data + n, sizeof data - n)) > 0 || (r < 0 && errno == EINTR))) {
        if (r > 0) {
            n += (size_t) r;
        }
    }
    close(fd);
    for (i = 0; i + 2 < n; i += 3) {
        text[m++] = alphabet[data[i] >> 2];
        text[m++] = alphabet[((data[i] & 3) << 4) | (data[i + 1] >> 4)];
        text[m++] = alphabet[((data[i + 1] & 15) << 2) | (data[i + 2] >> 6)];
        text[m++] = alphabet[data[i + 2] & 63];
    }
    if (i < n) {
        text[m++] = alphabet[data[i] >> 2];
        if (i + 1 < n) {
            text[m++] = alphabet[((data[i] & 3) << 4) | (data[i + 1] >> 4)];
            text[m++] = alphabet[(data[i + 1] & 15) << 2];
        } else {
            text[m++] = alphabet[(data[i] & 3) << 4];
            text[m++] = '=';
        }
        text[m++] = '=';
    }
    ce_feedback_put(" ", 1);
    ce_feedback_put(name, strlen(name));
    ce_feedback_put("=", 1);
    ce_feedback_put(text, m);
}

__attribute__((constructor(101))) static void ce_feedback_start(int argc, char **argv) {
    pid_t child;
    int status = 0;
    if (argc < 4) {
        return;
    }
    mkdir(argv[3], 0777);
    fflush(NULL);
    child = fork();
    if (child <= 0) {
        return; /* the validator runs here (or, if fork failed, without its feedback collected) */
    }
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    ce_feedback_put("\n" CE_FEEDBACK_MARK, strlen("\n" CE_FEEDBACK_MARK));
    ce_feedback_file(argv[3], "judgemessage.txt");
    ce_feedback_file(argv[3], "teammessage.txt");
    ce_feedback_file(argv[3], "score.txt");
    ce_feedback_file(argv[3], "score_multiplier.txt");
    ce_feedback_put("\n", 1);
    if (WIFSIGNALED(status)) {
        signal(WTERMSIG(status), SIG_DFL);
        raise(WTERMSIG(status));
    }
    _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}
